package org.weightnorm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.data.Dataset;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.testing.TinyTask;

class ProgressListenerTest {
    private static final Dataset TRAIN = TinyTask.data("synthetic/train", 320, 1);
    private static final Dataset TEST = TinyTask.data("synthetic/test", 64, 2);

    private static String train(boolean interactive) {
        return train(interactive, TEST);
    }

    private static String train(boolean interactive, Dataset test) {
        TrainConfig c = TrainConfig.builder().epochs(2).batchSize(32).optimizer("adam", 0.01).initBatch(64)
                .evalBatch(64).seed(3).build();
        StringWriter text = new StringWriter();
        Trainer t = new Trainer(TinyTask.model(Parameterization.WN, 5), TRAIN, test, c,
                TinyTask.info(Parameterization.WN), null);
        t.addListener(new ProgressListener(new PrintWriter(text), interactive));
        t.run();
        return text.toString();
    }

    @Test
    void withoutAConsolePrintsPlainLinesFiveTimesAnEpochAndOneSummaryPerEpoch() {
        List<String> lines = Arrays.asList(train(false).split("\\R"));
        // 10 steps per epoch: a line every 2 steps, except at the epoch's last step, which the summary covers.
        assertEquals(4, lines.stream().filter(l -> l.startsWith("epoch 1/2 step ")).count(), lines.toString());
        assertEquals(4, lines.stream().filter(l -> l.startsWith("epoch 2/2 step ")).count(), lines.toString());
        assertEquals(2, lines.stream().filter(l -> l.matches("epoch [12]/2: train loss .* test loss .* img/s")).count());
        assertTrue(lines.stream().filter(l -> l.contains(" step ")).allMatch(l -> l.contains("img/s ETA ")), lines.toString());
    }

    @Test
    void onATerminalTheBarGoesToTheConsoleAndTheEpochSummariesStayInTheLog() {
        List<String> lines = Arrays.asList(train(true).split("\\R"));
        assertEquals(0, lines.stream().filter(l -> l.contains(" step ")).count(), lines.toString());
        assertEquals(2, lines.stream().filter(l -> l.matches("epoch [12]/2: train loss .* test loss .* img/s")).count());
    }

    /** Without a test split (the noise experiment) the summary has no test column rather than "test loss NaN acc NaN". */
    @Test
    void withoutATestSplitTheEpochSummaryLeavesTheTestMetricsOut() {
        List<String> lines = Arrays.asList(train(false, null).split("\\R"));
        List<String> summaries = lines.stream().filter(l -> l.startsWith("epoch ") && l.contains(": train loss ")).toList();
        assertEquals(2, summaries.size(), lines.toString());
        for (String l : summaries) {
            assertTrue(l.matches("epoch [12]/2: train loss [0-9.]+ acc [0-9.]+ \\| lr .* \\| [0-9]+ img/s"), l);
            assertFalse(l.contains("test") || l.contains("NaN"), l);
        }
    }
}
