package org.weightnorm4j.train;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.data.Dataset;
import org.weightnorm4j.experiments.LrSweep;
import org.weightnorm4j.experiments.LrSweepResult;
import org.weightnorm4j.experiments.TrainSettings;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.optim.OptimizerSpec;
import org.weightnorm4j.testing.TinyTask;

/**
 * Issue 16, item 3: a finite loss that runs away stops training ({@link DivergenceRule}), naming
 * the step, the layer whose scale grew most and advice that fits the run; normal runs never trip it.
 */
class RunawayRuleTest {
    private static final Dataset TRAIN = TinyTask.data("tiny/train", 320, 1, 4, 1);
    private static final Dataset TEST = TinyTask.data("tiny/test", 64, 1, 4, 2);
    private static final Dataset CNN_TRAIN = TinyTask.data("tiny/train", 320, 2, 8, 1);
    private static final Dataset CNN_TEST = TinyTask.data("tiny/test", 64, 2, 8, 2);

    @TempDir
    Path tmp;

    /** A first step at 2.0 and 9 more, then a loss of 100 (above 4 x 2.0): fires at the 20th step in a row, not before. */
    @Test
    void firesAtThePatienceThStepAboveTheThreshold() {
        for (Parameterization p : new Parameterization[] {Parameterization.WN, Parameterization.NORMAL}) {
            Layer model = TinyTask.model(p, 1);
            RunawayDetector d = new RunawayDetector(DivergenceRule.DEFAULT, model, 3);
            long step = 0;
            for (int i = 0; i < 10; i++) {
                d.observe(++step, 1, 2.0, null);
            }
            for (int i = 0; i < 19; i++) {
                d.observe(++step, 1, 100, null); // 19 in a row: not yet
            }
            d.observe(++step, 1, 7.9, null);      // below 8: the streak starts over
            for (int i = 0; i < 19; i++) {
                d.observe(++step, 1, 100, null);
            }
            long at = step + 1;
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> d.observe(at, 2, 100, null));
            assertEquals(50, e.step());
            String m = e.getMessage();
            assertTrue(m.contains("at step 50 (epoch 2)") && m.contains("above 8") && m.contains("20 consecutive steps")
                    && m.contains("grew most") && m.contains("--no-divergence-check"), m);
            if (p.usesWeightNorm()) {
                assertTrue(m.contains("g/||v||") && m.contains("not the directions"), m);
                assertFalse(m.contains("use weight norm"), "a weight-norm run is not told to use weight norm: " + m);
            } else {
                assertTrue(m.contains("weight RMS") && m.contains("use weight norm (--param wn)"), m);
            }
        }
    }

    @Test
    void offNeverFiresAndTheChanceFloorKeepsSmallStartsSane() {
        RunawayDetector off = new RunawayDetector(DivergenceRule.OFF, TinyTask.model(Parameterization.WN, 1), 3);
        for (int i = 1; i <= 100; i++) {
            off.observe(i, 1, i < 10 ? 1 : 1e9, null);
        }
        // A starting loss of 0.1 (a fine-tuned model): 4 x 0.1 is noise, so the floor 2 ln 10 = 4.6 applies.
        RunawayDetector floor = new RunawayDetector(DivergenceRule.DEFAULT, TinyTask.model(Parameterization.WN, 1), 10);
        for (int i = 1; i <= 100; i++) {
            floor.observe(i, 1, i <= 10 ? 0.1 : 4.5, null);
        }
    }

    private static TrainConfig sgd(double lr, int epochs) {
        return TrainConfig.builder().epochs(epochs).batchSize(16).optimizer("sgd", lr).initBatch(64).logEverySteps(5)
                .seed(3).build();
    }

    /**
     * A constructed exploding run: plain SGD on the unnormalized model at a rate far too large. The
     * loss grows finite before it could overflow, and the rule stops it.
     */
    @Test
    void aConstructedExplodingRunStops() {
        Trainer t = TinyTask.trainer(TinyTask.mlp(), Parameterization.NORMAL, TRAIN, TEST, sgd(10.0, 3), null);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, t::run);
        assertTrue(e.getMessage().contains("consecutive steps") && e.getMessage().contains("grew most"), e.getMessage());
        assertTrue(e.step() >= 21 && e.step() < 3 * 20, "step " + e.step()); // 20 steps of 20 per epoch: before the end
    }

    /**
     * The rule's state is saved in each checkpoint: a run resumed before the rule fires (and given
     * its rule again after the restore, as the CLI does) stops at the same step as one never stopped.
     */
    @Test
    void aResumedRunStopsAtTheSameStep() {
        TrainConfig config = TrainConfig.builder().epochs(3).batchSize(16).optimizer("sgd", 10.0).initBatch(64)
                .logEverySteps(5).checkpointEvery(1, 4).seed(3).build();
        long straight = assertThrows(TrainingDivergedException.class,
                () -> TinyTask.trainer(TinyTask.mlp(), Parameterization.NORMAL, TRAIN, TEST, config, null).run()).step();
        Path out = tmp.resolve("run");
        Trainer first = TinyTask.trainer(TinyTask.mlp(), Parameterization.NORMAL, TRAIN, TEST, config, out);
        first.addListener(new TrainingListener() {
            @Override
            public void onStep(StepRecord r) {
                if (r.step() == 17) {
                    first.requestStop(); // as a kill would: the checkpoint of step 16 is on disk, mid-streak
                }
            }
        });
        first.run();
        Trainer resumed = TinyTask.trainer(TinyTask.mlp(), Parameterization.NORMAL, TRAIN, TEST, config, out);
        resumed.restore(out);
        resumed.divergenceRule(DivergenceRule.DEFAULT);
        assertEquals(16, resumed.step());
        assertEquals(straight, assertThrows(TrainingDivergedException.class, resumed::run).step());
    }

    /** The reference workloads' recipes on the tiny task, mlp and cnn-like, every parameterization: never fires. */
    @Test
    void normalRunsNeverTripIt() {
        for (Parameterization p : Parameterization.values()) {
            TrainConfig adam = TrainConfig.builder().epochs(2).batchSize(16).optimizer("adam", 0.003).initBatch(64)
                    .logEverySteps(5).seed(4).build();
            assertDoesNotThrow(() -> TinyTask.trainer(TinyTask.mlp(), p, TRAIN, TEST, adam, null).run(), "mlp " + p);
            assertDoesNotThrow(() -> TinyTask.trainer(TinyTask.cnn(), p, CNN_TRAIN, CNN_TEST, adam, null).run(), "cnn " + p);
        }
    }

    /**
     * lr-sweep records a runaway run as diverged, with the rule's message, as it records a non-finite
     * one (SGD at 50 on the sweep's tiny workload: the loss sits at 10-25, finite, until the rule stops it).
     */
    @Test
    void lrSweepRecordsARunawayRunAsDiverged() {
        LrSweep.Settings settings = new LrSweep.Settings(java.util.List.of(Parameterization.NORMAL), java.util.List.of(50.0),
                new TrainSettings(3, 16, new OptimizerSpec.Sgd(50.0, 0, false, 0), 64, 3));
        LrSweepResult r = new LrSweep(TinyTask.workload(320, 64), settings, new java.io.PrintWriter(java.io.Writer.nullWriter()),
                false).run();
        LrSweep.Point pt = r.points().get(0);
        assertTrue(pt.diverged(), r.status(pt));
        assertNotNull(pt.message());
        assertTrue(pt.message().contains("consecutive steps"), pt.message());
    }
}
