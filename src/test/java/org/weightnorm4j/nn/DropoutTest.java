package org.weightnorm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

class DropoutTest {

    private static Tensor ones(DType dtype, int... shape) {
        Tensor t = Tensor.zeros(dtype, shape);
        t.fill(1);
        return t;
    }

    @RepeatedTest(4)
    void gradientCheckReplaysTheSameMask(RepetitionInfo info) {
        SplittableRandom rng = new SplittableRandom(400 + info.getCurrentRepetition());
        Dropout dropout = new Dropout(0.3 + 0.1 * info.getCurrentRepetition(), rng.nextLong());
        dropout.setRandomCounter(rng.nextInt(1000));
        Tensor x = TestTensors.uniform(rng, DType.FLOAT64, TestTensors.dim(rng, 1, 4), TestTensors.dim(rng, 2, 9));
        long before = dropout.randomCounter();
        GradientCheck.assertLayer(dropout, x, Mode.TRAIN);
        assertEquals(before, dropout.randomCounter(), "the checker restores the counter");
        GradientCheck.assertLayer(dropout, x, Mode.EVAL);
    }

    @Test
    void evalIsTheIdentityAndDrawsNothing() {
        Dropout dropout = new Dropout(0.5, 1);
        Tensor x = ones(DType.FLOAT32, 4, 5);
        assertSame(x, dropout.forward(x, Mode.EVAL));
        Tensor dy = ones(DType.FLOAT32, 4, 5);
        assertSame(dy, dropout.backward(dy));
        assertEquals(0, dropout.randomCounter());
    }

    @Test
    void trainZeroesAboutPAndScalesSurvivorsToKeepTheExpectation() {
        double p = 0.3;
        Dropout dropout = new Dropout(p, 42);
        int n = 200_000;
        Tensor y = dropout.forward(ones(DType.FLOAT32, 1, n), Mode.TRAIN);
        int zeros = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double v = y.get(i);
            if (v == 0) {
                zeros++;
            } else {
                assertEquals(1 / (1 - p), v, 1e-6, "survivors are scaled by 1/(1-p)");
            }
            sum += v;
        }
        // Binomial: std of the dropped fraction is sqrt(p(1-p)/n) ≈ 0.001; allow 5 sigma.
        assertEquals(p, (double) zeros / n, 0.005);
        // E[y] = 1; std of the mean is sqrt(p/(1-p)/n) ≈ 0.0015; allow 5 sigma.
        assertEquals(1.0, sum / n, 0.008);
        assertEquals(1, dropout.randomCounter());
    }

    @Test
    void backwardUsesTheForwardMask() {
        Dropout dropout = new Dropout(0.5, 7);
        Tensor y = dropout.forward(ones(DType.FLOAT64, 3, 10), Mode.TRAIN).copy();
        Tensor dy = ones(DType.FLOAT64, 3, 10);
        Tensor dx = dropout.backward(dy);
        assertArrayEquals(y.data64(), dx.data64(), 0);
    }

    @Test
    void sameSeedAndCounterGiveTheSameMaskInBothPrecisions() {
        Dropout a = new Dropout(0.5, 9);
        Dropout b = new Dropout(0.5, 9);
        Tensor first = a.forward(ones(DType.FLOAT32, 2, 50), Mode.TRAIN).copy();
        Tensor second = a.forward(ones(DType.FLOAT32, 2, 50), Mode.TRAIN).copy();
        assertFalse(sameZeros(first, second), "consecutive calls draw different masks");
        b.setRandomCounter(1);
        assertTrue(sameZeros(second, b.forward(ones(DType.FLOAT64, 2, 50), Mode.TRAIN)),
                "restoring the counter resumes the stream, whatever the element type");
        assertEquals(2, b.randomCounter());
        Dropout c = new Dropout(0.5, 10);
        assertFalse(sameZeros(first, c.forward(ones(DType.FLOAT32, 2, 50), Mode.TRAIN)), "another seed, another mask");
    }

    @Test
    void zeroProbabilityIsTheIdentityAndOneIsRejected() {
        Dropout none = new Dropout(0);
        Tensor x = ones(DType.FLOAT32, 2, 2);
        assertSame(x, none.forward(x, Mode.TRAIN));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dropout(1));
        assertTrue(e.getMessage().contains("[0, 1)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(Double.NaN));
    }

    @Test
    void gradientOfTheWrongShapeNamesBothShapes() {
        Dropout dropout = new Dropout(0.5);
        dropout.forward(ones(DType.FLOAT32, 2, 3), Mode.TRAIN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dropout.backward(Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[3, 2]"), e.getMessage());
    }

    private static boolean sameZeros(Tensor a, Tensor b) {
        for (int i = 0; i < a.size(); i++) {
            if ((a.get(i) == 0) != (b.get(i) == 0)) {
                return false;
            }
        }
        return true;
    }
}
