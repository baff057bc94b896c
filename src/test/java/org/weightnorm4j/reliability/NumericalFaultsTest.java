package org.weightnorm4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.data.Dataset;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.testing.TinyTask;
import org.weightnorm4j.train.Evaluation;
import org.weightnorm4j.train.StepRecord;
import org.weightnorm4j.train.TrainConfig;
import org.weightnorm4j.train.Trainer;
import org.weightnorm4j.train.TrainingDivergedException;
import org.weightnorm4j.train.TrainingListener;
import org.weightnorm4j.train.checkpoint.Checkpoint;

/**
 * Issue 7, item 3: numerical faults stop training with a message naming the step, the layer and
 * the unit or parameter, and the last checkpoint on disk is a good one that loads.
 */
class NumericalFaultsTest {
    private static final Dataset TRAIN = TinyTask.data("tiny/train", 600, 1, 4, 1);
    private static final Dataset TEST = TinyTask.data("tiny/test", 300, 1, 4, 2);
    private static final int STEPS_PER_EPOCH = 600 / 32;

    @TempDir
    Path tmp;

    private static TrainConfig.Builder config() {
        return TrainConfig.builder().epochs(3).batchSize(32).optimizer("adam", 0.01).initBatch(100).logEverySteps(5)
                .evalBatch(100).seed(5);
    }

    /** Runs {@code action} on the model when step {@code at} has been reported to the listeners. */
    private static void atStep(Trainer t, long at, Runnable action) {
        t.addListener(new TrainingListener() {
            @Override
            public void onStep(StepRecord r) {
                if (r.step() == at) {
                    action.run();
                }
            }
        });
    }

    private static void zeroRow(Tensor t, int row) {
        int n = t.sizeFrom(1);
        for (int i = row * n; i < (row + 1) * n; i++) {
            t.set(i, 0);
        }
    }

    private static boolean rowIsZero(Tensor t, int row) {
        int n = t.sizeFrom(1);
        for (int i = row * n; i < (row + 1) * n; i++) {
            if (t.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The checkpoint in {@code dir} loads into a fresh model that still classifies the task. */
    private static Sequential loadsAndWorks(Path dir, Parameterization p) {
        Sequential fresh = TinyTask.mlp().build(p, 99, DType.FLOAT32);
        Checkpoint.loadModel(dir, fresh);
        double acc = Evaluation.of(fresh, TEST, 100).accuracy();
        assertTrue(acc > 0.5, "the last good checkpoint classifies at " + acc);
        return fresh;
    }

    @Test
    void aVRowZeroedMidTrainingIsReportedWithStepLayerAndUnit() {
        Path out = tmp.resolve("zeroed");
        Trainer t = TinyTask.trainer(TinyTask.mlp(), Parameterization.WN, TRAIN, TEST, config().checkpointEvery(1, 5).build(),
                out);
        Sequential model = (Sequential) t.model();
        atStep(t, 7, () -> zeroRow(model.namedParams().get("4.weight_v").value(), 2));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, t::run);
        String msg = e.getMessage();
        assertEquals(8, e.step());
        assertTrue(msg.contains("step 8") && msg.contains("in the forward pass") && msg.contains("unit 2 of layer 4")
                && msg.contains(model.layers().get(4).describe()) && msg.contains("'4.weight_v' row 2")
                && msg.contains("v exactly zero") && msg.contains("last good checkpoint is " + out), msg);
        assertEquals(5, Checkpoint.readSidecar(out).step());
        Sequential restored = loadsAndWorks(out, Parameterization.WN);
        assertTrue(!rowIsZero(restored.namedParams().get("4.weight_v").value(), 2), "the checkpoint predates the fault");
    }

    /**
     * SGD with learning rate 1 and weight decay 1 maps v to v - (∇v + v) = -∇v, and a unit whose
     * ReLU is dead on the whole minibatch has ∇v exactly zero (Eq. 3: ∇v = g/||v|| M_w ∇w, ∇w = 0):
     * its update sets v to exactly zero. This happens by itself here in epoch 2, where the rate
     * steps up to 1. The guard must stop at that step, naming the unit, before the end-of-epoch
     * checkpoint could save it.
     */
    @Test
    void anUpdateThatCollapsesVIsCaughtBeforeACheckpointSavesIt() {
        Path out = tmp.resolve("collapsed");
        // Learning rate 0.05 in epoch 1, 0.05 x 20 = 1 from epoch 2; checkpoint at each epoch's end.
        TrainConfig c = config().sgd(0.05, 0, false).weightDecay(1).stepSchedule(1, 20).initBatch(0).checkpointEvery(1, 0)
                .build();
        Trainer t = TinyTask.trainer(TinyTask.mlp(), Parameterization.WN, TRAIN, TEST, c, out);
        Sequential model = (Sequential) t.model();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, t::run);
        String msg = e.getMessage();
        assertTrue(e.step() > STEPS_PER_EPOCH && e.step() <= 2 * STEPS_PER_EPOCH, msg);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "at step (\\d+) \\(epoch 2\\), after its update, unit (\\d+) of layer (\\d+) of the model \\(module (\\d+), (.+)\\)"
                        + " has v exactly zero \\('(\\d+)\\.weight_v' row (\\d+)\\)").matcher(msg);
        assertTrue(m.find(), msg);
        int layer = Integer.parseInt(m.group(3)), unit = Integer.parseInt(m.group(2));
        assertEquals(e.step(), Long.parseLong(m.group(1)));
        assertEquals(model.layers().get(layer).describe(), m.group(5));
        assertEquals(m.group(4), m.group(6));
        assertEquals(m.group(2), m.group(7));
        String v = m.group(6) + ".weight_v";
        assertTrue(rowIsZero(model.namedParams().get(v).value(), unit), "the named row is the zero one");
        assertTrue(msg.contains("last good checkpoint is " + out), msg);
        assertEquals(STEPS_PER_EPOCH, Checkpoint.readSidecar(out).step());
        Sequential fresh = TinyTask.mlp().build(Parameterization.WN, 99, DType.FLOAT32);
        Checkpoint.loadModel(out, fresh);
        for (int u = 0; u < fresh.namedParams().get(v).value().dim(0); u++) {
            assertTrue(!rowIsZero(fresh.namedParams().get(v).value(), u), "the checkpoint predates the collapse");
        }
    }

    /**
     * A learning rate that makes {@code normal} diverge: 0.05 for the first epoch, then 0.05 x 10^30.
     * The guard stops at the first non-finite loss or gradient, names a layer, and the epoch-1
     * checkpoint loads and works.
     */
    @Test
    void divergenceNamesTheLayerAndLeavesTheLastGoodCheckpoint() {
        Path out = tmp.resolve("diverged");
        TrainConfig c = config().sgd(0.05, 0, false).stepSchedule(1, 1e30).initBatch(0).checkpointEvery(1, 0).build();
        Trainer t = TinyTask.trainer(TinyTask.mlp(), Parameterization.NORMAL, TRAIN, TEST, c, out);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, t::run);
        String msg = e.getMessage();
        assertTrue(e.step() > STEPS_PER_EPOCH, "diverged at step " + e.step());
        assertTrue(msg.contains("step " + e.step()) && msg.contains("last good checkpoint is " + out), msg);
        assertTrue(msg.matches("(?s).*(of layer \\d+ \\S|output of layer \\d+ \\S).*"), "names a layer: " + msg);
        assertEquals(STEPS_PER_EPOCH, Checkpoint.readSidecar(out).step());
        loadsAndWorks(out, Parameterization.NORMAL);
    }

    /** A loss that is non-finite because a parameter overflowed names that parameter and its layer. */
    @Test
    void aNonFiniteLossNamesTheOverflowedParameter() {
        Path out = tmp.resolve("overflow");
        Trainer t = TinyTask.trainer(TinyTask.mlp(), Parameterization.NORMAL, TRAIN, TEST, config().build(), out);
        Sequential model = (Sequential) t.model();
        atStep(t, 3, () -> model.namedParams().get("1.weight").value().set(17, Float.POSITIVE_INFINITY));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, t::run);
        String msg = e.getMessage();
        assertEquals(4, e.step());
        assertTrue(msg.contains("loss of step 4") && msg.contains("parameter '1.weight' of layer 1 "
                + model.layers().get(1).describe()) && msg.contains("element 17")
                && msg.contains("no checkpoint was written yet"), msg);
        assertNotEquals(-1, msg.indexOf("Infinity"), msg);
    }
}
