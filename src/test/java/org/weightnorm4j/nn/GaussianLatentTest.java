package org.weightnorm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weightnorm4j.nn.TestTensors.uniform;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Parallel;
import org.weightnorm4j.tensor.Tensor;

/** {@link GaussianLatent} (z = μ + exp(ρ) ⊙ ε) and {@link Unflatten}. */
class GaussianLatentTest {

    @ParameterizedTest
    @EnumSource(Mode.class)
    void gradientsMatchFiniteDifferencesWithTheSameEpsilon(Mode mode) {
        SplittableRandom rng = new SplittableRandom(1);
        GaussianLatent latent = new GaussianLatent(3, 42);
        GradientCheck.create().mode(mode).check(latent, uniform(rng, DType.FLOAT64, 4, 6)).assertPassed();
    }

    @Test
    void theSampleIsMuPlusSigmaTimesEpsilon() {
        GaussianLatent latent = new GaussianLatent(2, 7);
        Tensor h = uniform(new SplittableRandom(2), DType.FLOAT64, 3, 4);
        Tensor z = latent.forward(h, Mode.TRAIN);
        Tensor eps = latent.epsilon();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                double expected = h.get(i * 4 + j) + Math.exp(h.get(i * 4 + 2 + j)) * eps.get(i * 2 + j);
                assertEquals(expected, z.get(i * 2 + j), 1e-15);
            }
        }
    }

    @Test
    void epsilonIsSeededResumableAndNewEachCall() {
        Tensor h = Tensor.zeros(DType.FLOAT64, 5, 8);
        GaussianLatent a = new GaussianLatent(4, 9);
        Tensor first = a.forward(h, Mode.TRAIN).copy();
        Tensor second = a.forward(h, Mode.EVAL).copy();
        assertEquals(2, a.randomCounter(), "every forward samples, in evaluation too");
        assertNotEquals(first.get(0), second.get(0));
        GaussianLatent b = new GaussianLatent(4, 9);
        b.setRandomCounter(1);                                          // resume at call 1
        assertArrayEquals(second.data64(), b.forward(h, Mode.TRAIN).data64());
        GaussianLatent other = new GaussianLatent(4, 10);
        assertNotEquals(first.get(0), other.forward(h, Mode.TRAIN).get(0), "another seed, another stream");
    }

    @Test
    void epsilonIsStandardNormalAndTheSameForAnyThreadCount() {
        Tensor h = Tensor.zeros(DType.FLOAT64, 3000, 20);                // 30000 draws: several blocks
        int before = Parallel.threads();
        Tensor one;
        try {
            Parallel.setThreads(1);
            one = new GaussianLatent(10, 5).forward(h, Mode.TRAIN).copy();
            Parallel.setThreads(3);
            assertArrayEquals(one.data64(), new GaussianLatent(10, 5).forward(h, Mode.TRAIN).data64());
        } finally {
            Parallel.setThreads(before);
        }
        double sum = 0, sq = 0;
        for (int i = 0; i < one.size(); i++) {
            sum += one.get(i);
            sq += one.get(i) * one.get(i);
        }
        double mean = sum / one.size(), var = sq / one.size() - mean * mean;
        // The standard error of the mean is 1/√30000 ≈ 0.006, of the variance √(2/30000) ≈ 0.008.
        assertEquals(0, mean, 0.03);
        assertEquals(1, var, 0.04);
    }

    @Test
    void rejectsAWrongInput() {
        GaussianLatent latent = new GaussianLatent(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> latent.forward(Tensor.zeros(DType.FLOAT64, 2, 5), Mode.TRAIN));
        assertTrue(e.getMessage().contains("[N, 6]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GaussianLatent(0));
        assertThrows(IllegalStateException.class, latent::epsilon);
    }

    @Test
    void unflattenIsAViewBothWays() {
        Unflatten u = new Unflatten(2, 3, 2);
        Tensor x = uniform(new SplittableRandom(3), DType.FLOAT64, 4, 12);
        Tensor y = u.forward(x, Mode.TRAIN);
        assertArrayEquals(new int[] {4, 2, 3, 2}, y.shape());
        assertArrayEquals(x.data64(), y.data64());
        assertArrayEquals(new int[] {4, 12}, u.backward(y).shape());
        GradientCheck.create().check(new Sequential(java.util.List.of(u, new Flatten())), x).assertPassed();
        assertThrows(IllegalArgumentException.class, () -> u.forward(Tensor.zeros(DType.FLOAT64, 4, 11), Mode.TRAIN));
        assertEquals("Unflatten(2, 3, 2)", u.describe());
    }
}
