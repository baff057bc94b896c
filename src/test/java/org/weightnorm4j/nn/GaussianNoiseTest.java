package org.weightnorm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

class GaussianNoiseTest {

    @Test
    void gradientCheckInTrainAndEval() {
        SplittableRandom rng = new SplittableRandom(500);
        GaussianNoise noise = new GaussianNoise(0.15, 3);
        Tensor x = TestTensors.uniform(rng, DType.FLOAT64, 2, 3, 4, 4);
        GradientCheck.assertLayer(noise, x, Mode.TRAIN);
        GradientCheck.assertLayer(noise, x, Mode.EVAL);
    }

    @Test
    void noiseOnlyInTraining() {
        GaussianNoise noise = new GaussianNoise(0.15, 1);
        Tensor x = Tensor.zeros(3, 8);
        assertSame(x, noise.forward(x, Mode.EVAL));
        assertEquals(0, noise.randomCounter());
        Tensor y = noise.forward(x, Mode.TRAIN);
        assertNotEquals(0.0, y.get(0));
        assertEquals(1, noise.randomCounter());
    }

    @Test
    void noiseHasZeroMeanAndStandardDeviationSigma() {
        double sigma = 0.15;
        int n = 100_000;
        Tensor y = new GaussianNoise(sigma, 5).forward(Tensor.zeros(DType.FLOAT64, 1, n), Mode.TRAIN);
        double sum = 0, sumSq = 0;
        for (int i = 0; i < n; i++) {
            sum += y.get(i);
            sumSq += y.get(i) * y.get(i);
        }
        double mean = sum / n;
        // std of the mean is sigma/sqrt(n) ≈ 4.7e-4, of the sample std about sigma/sqrt(2n) ≈ 3.4e-4; 5 sigma.
        assertEquals(0, mean, 0.0025);
        assertEquals(sigma, Math.sqrt(sumSq / n - mean * mean), 0.0017);
    }

    @Test
    void backwardIsTheIdentity() {
        GaussianNoise noise = new GaussianNoise(0.5);
        noise.forward(Tensor.zeros(2, 2), Mode.TRAIN);
        Tensor dy = Tensor.wrap(new float[] {1, 2, 3, 4}, 2, 2);
        assertSame(dy, noise.backward(dy));
        assertThrows(IllegalArgumentException.class, () -> noise.backward(Tensor.zeros(4)));
    }

    @Test
    void reproducibleAndResumableFromTheCounter() {
        GaussianNoise a = new GaussianNoise(1.0, 77);
        Tensor x = Tensor.zeros(DType.FLOAT64, 4, 4);
        a.forward(x, Mode.TRAIN);
        Tensor second = a.forward(x, Mode.TRAIN).copy();
        GaussianNoise b = new GaussianNoise(1.0, 77);
        b.setRandomCounter(1);
        assertArrayEquals(second.data64(), b.forward(x, Mode.TRAIN).data64(), 0);
    }

    @Test
    void invalidSigmaIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new GaussianNoise(-1));
        assertThrows(IllegalArgumentException.class, () -> new GaussianNoise(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new GaussianNoise(Double.POSITIVE_INFINITY));
    }
}
