package org.weightnorm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Tensor;

class SoftmaxCrossEntropyTest {

    @Test
    void uniformLogitsGiveLogKAndKnownGradient() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        double loss = ce.forward(Tensor.zeros(DType.FLOAT64, 2, 4), new int[] {1, 3});
        assertEquals(Math.log(4), loss, 1e-15);
        Tensor g = ce.backward();
        assertArrayEquals(new double[] {0.125, -0.375, 0.125, 0.125, 0.125, 0.125, 0.125, -0.375}, g.data64(), 1e-15);
    }

    @Test
    void matchesTheNaiveFormulaOnModerateLogits() {
        SplittableRandom rng = new SplittableRandom(1);
        Tensor z = TestTensors.uniform(rng, DType.FLOAT64, 5, 7);
        int[] labels = TestTensors.labels(rng, 5, 7);
        double expected = 0;
        for (int i = 0; i < 5; i++) {
            double sum = 0;
            for (int j = 0; j < 7; j++) {
                sum += Math.exp(z.get(i * 7 + j));
            }
            expected += -Math.log(Math.exp(z.get(i * 7 + labels[i])) / sum);
        }
        assertEquals(expected / 5, new SoftmaxCrossEntropy().forward(z, labels), 1e-13);
    }

    @Test
    void hugeLogitsStayFinite() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        Tensor z = Tensor.wrap(new float[] {1000, 0, -1000, 1e30f, -1e30f, 0}, 2, 3);
        double loss = ce.forward(z, new int[] {1, 0});
        assertEquals(500, loss, 1e-9, "row 0 costs 1000, row 1 costs 0");
        Tensor g = ce.backward();
        for (int i = 0; i < g.size(); i++) {
            assertTrue(Double.isFinite(g.get(i)), "gradient entry " + i + " is " + g.get(i));
        }
        assertEquals(0.5, g.get(0), 1e-7);
        assertEquals(-0.5, g.get(1), 1e-7);
        assertEquals(DType.FLOAT32, g.dtype());
    }

    @RepeatedTest(4)
    void gradientCheckOnRandomShapes(RepetitionInfo info) {
        SplittableRandom rng = new SplittableRandom(600 + info.getCurrentRepetition());
        int n = TestTensors.dim(rng, 1, 6), k = TestTensors.dim(rng, 2, 9);
        Tensor logits = TestTensors.uniform(rng, DType.FLOAT64, n, k);
        Kernels.scale(3, logits);
        // Flatten is the identity on [N, K], so this checks dL/dlogits alone.
        GradientCheck.assertModel(new Sequential(List.of(new Flatten())), logits, TestTensors.labels(rng, n, k), Mode.TRAIN);
    }

    @Test
    void labelOutOfRangeNamesTheLabelAndTheClassCount() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ce.forward(Tensor.zeros(3, 10), new int[] {0, 10, 2}));
        assertTrue(e.getMessage().contains("label 10") && e.getMessage().contains("10 classes")
                && e.getMessage().contains("position 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ce.forward(Tensor.zeros(1, 10), new int[] {-1}));
    }

    @Test
    void shapeErrorsAreClear() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> ce.forward(Tensor.zeros(3, 10), new int[] {0, 1}));
        assertTrue(count.getMessage().contains("2 labels") && count.getMessage().contains("[3, 10]"), count.getMessage());
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> ce.forward(Tensor.zeros(3, 10, 1, 1), new int[] {0, 1, 2}));
        assertTrue(rank.getMessage().contains("[3, 10, 1, 1]"), rank.getMessage());
        assertThrows(IllegalStateException.class, () -> new SoftmaxCrossEntropy().backward());
    }

    @Test
    void predictionsAndAccuracy() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        Tensor z = Tensor.wrap(new float[] {0.1f, 0.9f, 0f, 2f, 1f, 0f, 0f, 0f, 5f, 1f, 1f, 0f}, 4, 3);
        ce.forward(z, new int[] {1, 0, 0, 0});
        assertArrayEquals(new int[] {1, 0, 2, 0}, ce.predictions(), "ties go to the first class");
        assertArrayEquals(ce.predictions(), SoftmaxCrossEntropy.argmax(z));
        assertEquals(3, ce.correctCount());
        assertEquals(0.75, ce.accuracy());
        Tensor p = ce.probabilities();
        for (int i = 0; i < 4; i++) {
            assertEquals(1, p.get(3 * i) + p.get(3 * i + 1) + p.get(3 * i + 2), 1e-6);
        }
    }

    @Test
    void reusesItsGradientBuffer() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        ce.forward(Tensor.zeros(2, 3), new int[] {0, 1});
        Tensor g = ce.backward();
        ce.forward(Tensor.zeros(2, 3), new int[] {2, 2});
        Tensor again = ce.backward();
        assertTrue(g == again);
        assertEquals(-1.0 / 3, again.get(2), 1e-7);
    }
}
