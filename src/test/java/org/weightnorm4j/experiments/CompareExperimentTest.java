package org.weightnorm4j.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.testing.TinyTask;
import org.weightnorm4j.train.StepRecord;
import org.weightnorm4j.train.TrainingListener;

class CompareExperimentTest {
    private static final List<String> COMMAND = List.of("weightnorm", "compare", "--model", "tiny");

    private static CompareExperiment.Settings settings(int epochs) {
        return new CompareExperiment.Settings(List.of(Parameterization.NORMAL, Parameterization.WN),
                new TrainSettings(epochs, 16, org.weightnorm4j.optim.OptimizerSpec.Adam.of(1e-2), 32, 5), Double.NaN);
    }

    private static CompareExperiment experiment(Path out, int epochs) {
        return new CompareExperiment(TinyTask.workload(96, 48), settings(epochs), out,
                new PrintWriter(new StringWriter()), false);
    }

    @Test
    void writesReportWithBothChartsTheTableAndThePapersNumbers(@TempDir Path out) throws Exception {
        CompareResult r = experiment(out, 1).run();
        assertEquals(2, r.outcomes().size());
        for (RunOutcome o : r.outcomes()) {
            assertFalse(o.diverged());
            assertEquals(1, o.epochs().size());
            assertEquals(6, o.segments().size(), "one segment per step: 6 steps per epoch");
            assertEquals(1.0, o.segments().get(5).epoch(), 0.0);
            assertTrue(Double.isFinite(o.last().trainLoss()) && Double.isFinite(o.last().testAccuracy()));
            assertTrue(o.imagesPerSecond() > 0);
            assertTrue(Files.exists(out.resolve(o.param().cliName()).resolve(CompareExperiment.RESULT_FILE)));
        }
        Path html = CompareReport.write(r, COMMAND, out);
        assertEquals(out.resolve("report.html"), html);
        String page = Files.readString(html, StandardCharsets.UTF_8);
        assertTrue(page.contains("Training loss per epoch"), "loss chart");
        assertTrue(page.contains("Test error per epoch"), "test error chart");
        assertTrue(page.contains("final test error %"), "final numbers table");
        assertTrue(page.contains("7.31") && page.contains("8.05") && page.contains("8.52"), "paper's numbers");
        assertTrue(page.contains("Table 1"), "paper's source");
        assertTrue(page.contains("was first reached by"), "convergence statement");
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(2, files.filter(p -> p.getFileName().toString().endsWith(".png")).count());
        }
        assertTrue(Files.exists(out.resolve("fig01-training-loss-per-epoch.svg")));
    }

    @Test
    void rerunSkipsFinishedRuns(@TempDir Path out) throws Exception {
        experiment(out, 1).run();
        Path history = out.resolve("wn").resolve(EpochHistory.FILE_NAME);
        String before = Files.readString(history);
        long modified = Files.getLastModifiedTime(history).toMillis();
        CompareResult again = experiment(out, 1).run();
        for (RunOutcome o : again.outcomes()) {
            assertTrue(o.reused(), o.param() + " should have been skipped");
            assertEquals(1, o.epochs().size());
        }
        assertEquals(before, Files.readString(history));
        assertEquals(modified, Files.getLastModifiedTime(history).toMillis());
    }

    @Test
    void resumesAnInterruptedRunToTheSameCurveAsAStraightRun(@TempDir Path tmp) {
        CompareResult straight = experiment(tmp.resolve("straight"), 2).run();

        Path out = tmp.resolve("interrupted");
        CompareExperiment first = experiment(out, 2);
        int stepsPerEpoch = 96 / 16;
        first.addListener(new TrainingListener() {
            @Override
            public void onStep(StepRecord r) {
                if (r.step() == stepsPerEpoch + 2) {            // in epoch 2, after epoch 1's checkpoint
                    throw new IllegalStateException("simulated kill");
                }
            }
        });
        assertThrows(IllegalStateException.class, first::run);
        assertFalse(Files.exists(out.resolve("normal").resolve(CompareExperiment.RESULT_FILE)));

        StringWriter log = new StringWriter();
        CompareResult resumed = new CompareExperiment(TinyTask.workload(96, 48), settings(2), out,
                new PrintWriter(log), false).run();
        assertTrue(log.toString().contains("resuming from its checkpoint after epoch 1"), log.toString());
        for (int i = 0; i < 2; i++) {
            List<EpochHistory.Point> a = straight.outcomes().get(i).epochs();
            List<EpochHistory.Point> b = resumed.outcomes().get(i).epochs();
            assertEquals(2, b.size());
            for (int e = 0; e < 2; e++) {
                assertEquals(a.get(e).trainLoss(), b.get(e).trainLoss(), 0.0, "train loss, epoch " + (e + 1));
                assertEquals(a.get(e).testAccuracy(), b.get(e).testAccuracy(), 0.0, "test accuracy, epoch " + (e + 1));
            }
            assertEquals(straight.outcomes().get(i).segments(), resumed.outcomes().get(i).segments(), "loss segments");
        }
    }

    @Test
    void refusesToMixRunsWithOtherSettings(@TempDir Path out) {
        experiment(out, 1).run();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> experiment(out, 2).run());
        assertTrue(e.getMessage().contains("other settings"), e.getMessage());
    }

    @Test
    void autoTargetIsTheLowestLossEveryRunReached() {
        RunOutcome a = outcome(Parameterization.NORMAL, false, 1.0, 0.8, 0.6);
        RunOutcome b = outcome(Parameterization.WN, false, 0.9, 0.5, 0.4);
        RunOutcome diverged = outcome(Parameterization.BN, true, 3.0);
        double target = CompareResult.autoTarget(List.of(a, b, diverged));
        assertEquals(0.6, target, 0.0);
        assertEquals(1.5, a.firstReached(target).getAsDouble(), 0.0);
        assertEquals(1.0, b.firstReached(target).getAsDouble(), 0.0);
        assertTrue(diverged.firstReached(target).isEmpty());
    }

    private static RunOutcome outcome(Parameterization p, boolean diverged, double... losses) {
        List<EpochHistory.Segment> segments = new java.util.ArrayList<>();
        for (int i = 0; i < losses.length; i++) {
            segments.add(new EpochHistory.Segment(0.5 * (i + 1), 5L * (i + 1), losses[i]));   // two segments per epoch
        }
        return new RunOutcome(p, diverged, "", List.of(), segments, 10, 100, false);
    }
}
