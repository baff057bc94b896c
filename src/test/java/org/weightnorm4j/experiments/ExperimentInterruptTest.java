package org.weightnorm4j.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.optim.OptimizerSpec;
import org.weightnorm4j.testing.TinyTask;
import org.weightnorm4j.train.StepRecord;
import org.weightnorm4j.train.Trainer;
import org.weightnorm4j.train.TrainingListener;
import org.weightnorm4j.train.checkpoint.Checkpoint;

/**
 * Issue 16, item 4, for the experiments: Ctrl-C during {@code compare} checkpoints the current run
 * and running the command again finishes it exactly as if never stopped; during {@code lr-sweep}
 * the finished runs are returned and the unfinished one dropped. The signal itself is simulated by
 * the call the CLI's handler makes ({@code Trainer.requestCheckpointAndStop}); TrainSignalsTest
 * sends real ones.
 */
class ExperimentInterruptTest {
    @TempDir
    Path tmp;

    private static final Workload WORKLOAD = TinyTask.workload(96, 48);

    private static CompareExperiment compare(Path out) {
        return new CompareExperiment(WORKLOAD, new CompareExperiment.Settings(List.of(Parameterization.NORMAL,
                Parameterization.WN), new TrainSettings(3, 16, OptimizerSpec.Adam.of(1e-2), 32, 5), Double.NaN), out,
                new PrintWriter(Writer.nullWriter()), false);
    }

    /** Asks the trainer of the {@code n}-th run to checkpoint and stop after its step {@code step}. */
    private static Consumer<Trainer> interruptAt(int run, long step) {
        int[] seen = {0};
        return t -> {
            if (++seen[0] == run) {
                t.addListener(new TrainingListener() {
                    @Override
                    public void onStep(StepRecord r) {
                        if (r.step() == step) {
                            t.requestCheckpointAndStop();
                        }
                    }
                });
            }
        };
    }

    @Test
    void compareInterruptedMidRunContinuesExactlyWhenRunAgain() throws IOException {
        Path straight = tmp.resolve("straight"), out = tmp.resolve("interrupted");
        compare(straight).run();
        RunInterruptedException e = assertThrows(RunInterruptedException.class,
                () -> compare(out).onTrainer(interruptAt(2, 7)).run());
        assertEquals(7, e.step());
        assertEquals(out.resolve("wn"), e.runDir());
        assertEquals(7, Checkpoint.readSidecar(out.resolve("wn")).step());
        assertFalse(Files.exists(out.resolve("wn").resolve(CompareExperiment.RESULT_FILE)), "the run is not over");
        compare(out).run();
        for (String run : List.of("normal", "wn")) {
            for (String f : List.of("metrics.csv", Checkpoint.MODEL_FILE, Checkpoint.OPTIMIZER_FILE)) {
                assertArrayEquals(Files.readAllBytes(straight.resolve(run).resolve(f)),
                        Files.readAllBytes(out.resolve(run).resolve(f)), run + "/" + f);
            }
        }
    }

    @Test
    void lrSweepInterruptedReturnsTheFinishedRuns() {
        LrSweep.Settings settings = new LrSweep.Settings(List.of(Parameterization.WN), List.of(1e-3, 1e-2, 1e-1),
                new TrainSettings(1, 16, OptimizerSpec.Adam.of(1e-3), 32, 5));
        LrSweepResult r = new LrSweep(WORKLOAD, settings, new PrintWriter(Writer.nullWriter()), false)
                .onTrainer(interruptAt(2, 3)).run();
        assertEquals(1, r.points().size(), "the first run finished, the second was dropped");
        assertEquals(1e-3, r.points().get(0).lr());
    }
}
