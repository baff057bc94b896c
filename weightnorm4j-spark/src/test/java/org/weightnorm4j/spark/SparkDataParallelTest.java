package org.weightnorm4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.experiments.DataParallelJob;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.optim.OptimizerSpec;
import org.weightnorm4j.tensor.Parallel;
import org.weightnorm4j.train.MetricsLog;
import org.weightnorm4j.train.StepRecord;
import org.weightnorm4j.train.TrainConfig;
import org.weightnorm4j.train.Trainer;
import org.weightnorm4j.train.TrainingListener;
import org.weightnorm4j.train.TrainingSummary;

/**
 * Barrier-mode data-parallel training in local mode, against the same run in one process: 50 steps
 * (2 epochs of 25) of a small weight-normalized MLP with mean-only batch norm and data-dependent
 * init, global batch 16.
 */
class SparkDataParallelTest {
    private static final TinySource SOURCE = new TinySource(400, 120);
    private static final TrainConfig CONFIG = TrainConfig.builder().epochs(2).batchSize(16)
            .optimizer(OptimizerSpec.Adam.of(1e-2)).schedule("constant").initBatch(64).logEverySteps(1)
            .checkpointEvery(1, 0).seed(7).build();

    @BeforeAll
    static void oneThread() {
        Parallel.setThreads(1);
    }

    @AfterEach
    void noHook() {
        SparkDataParallel.testHook = null;
    }

    private static DataParallelJob job(Path dir, int workers, Parameterization p) {
        return DataParallelJob.of(SOURCE, p, CONFIG, dir, workers, 1, 1);
    }

    /** The run in this process, alone, as worker 0 would be without the others. */
    private static TrainingSummary single(Path dir, Parameterization p) {
        Trainer t = job(dir, 1, p).trainer(0);
        t.addListener(new MetricsLog(dir.resolve("metrics.csv")));
        return t.run();
    }

    private static TrainingSummary spark(Path dir, int workers, String master, Parameterization p) {
        return new SparkDataParallel().train(job(dir, workers, p), master, new PrintWriter(new StringWriter()));
    }

    /** The step losses of a metrics log (one row per step: log every step). */
    private static List<Double> stepLosses(Path dir) throws IOException {
        List<Double> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("metrics.csv"))) {
            if (line.startsWith("step,")) {
                out.add(Double.parseDouble(line.split(",")[4]));
            }
        }
        return out;
    }

    @Test
    void oneWorkerIsTheSingleProcessRunBitForBit(@TempDir Path tmp) throws IOException {
        single(tmp.resolve("single"), Parameterization.WN_MOBN);
        spark(tmp.resolve("dp1"), 1, "local[1]", Parameterization.WN_MOBN);
        assertArrayEquals(Files.readAllBytes(tmp.resolve("single/metrics.csv")), Files.readAllBytes(tmp.resolve("dp1/metrics.csv")));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("single/model.safetensors")),
                Files.readAllBytes(tmp.resolve("dp1/model.safetensors")));
    }

    @Test
    void twoAndFourWorkersMatchTheSingleProcessLossesOver50Steps(@TempDir Path tmp) throws IOException {
        for (Parameterization p : List.of(Parameterization.WN_MOBN, Parameterization.NORMAL)) {
            TrainingSummary one = single(tmp.resolve("single-" + p.cliName()), p);
            List<Double> a = stepLosses(tmp.resolve("single-" + p.cliName()));
            assertEquals(50, a.size());
            for (int workers : p == Parameterization.WN_MOBN ? new int[] {2, 4} : new int[] {2}) {
                Path dir = tmp.resolve("dp" + workers + "-" + p.cliName());
                TrainingSummary many = spark(dir, workers, "local[" + workers + "]", p);
                List<Double> b = stepLosses(dir);
                assertEquals(50, b.size());
                double worst = 0;
                for (int i = 0; i < 50; i++) {
                    worst = Math.max(worst, Math.abs(a.get(i) - b.get(i)) / Math.abs(a.get(i)));
                }
                System.out.printf("%s: largest relative loss difference over 50 steps, 1 vs %d workers: %.3g%n", p, workers,
                        worst);
                assertTrue(worst < TOLERANCE, p + ", " + workers + " workers: relative loss difference " + worst);
                assertEquals(one.testAccuracy(), many.testAccuracy(), p + ", " + workers + " workers: final test accuracy");
                assertEquals(one.trainAccuracy(), many.trainAccuracy(), p + ", " + workers + " workers: final training accuracy");
            }
        }
    }

    /** See the test above and docs/SCALE.md: float32 sums of the two halves of each gradient, amplified over 50 Adam steps. */
    private static final double TOLERANCE = 1e-4;

    @Test
    void aLostWorkerFailsTheStageAndTheJobResumesFromTheCheckpoint(@TempDir Path tmp) throws IOException {
        spark(tmp.resolve("straight"), 2, "local[2]", Parameterization.WN_MOBN);
        SparkDataParallel.testHook = (attempt, trainer) -> {
            if (attempt == 0) {
                trainer.addListener(new TrainingListener() {
                    @Override
                    public void onStep(StepRecord r) {
                        if (r.step() == 30) { // after the checkpoint of epoch 1 (step 25)
                            throw new IllegalStateException("injected failure: worker 0 is lost");
                        }
                    }
                });
            }
        };
        spark(tmp.resolve("failed"), 2, "local[2]", Parameterization.WN_MOBN);
        assertArrayEquals(Files.readAllBytes(tmp.resolve("straight/metrics.csv")),
                Files.readAllBytes(tmp.resolve("failed/metrics.csv")));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("straight/model.safetensors")),
                Files.readAllBytes(tmp.resolve("failed/model.safetensors")));
    }

    @Test
    void badSetupsAreRefusedWithTheirReason(@TempDir Path tmp) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> spark(tmp.resolve("bn"), 2, "local[2]", Parameterization.BN));
        assertTrue(e.getMessage().contains("does not support batch norm"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> spark(tmp.resolve("few"), 3, "local[2]", Parameterization.WN));
        assertTrue(e.getMessage().contains("3 workers x 1 thread(s) must all run at once"), e.getMessage());
    }
}
