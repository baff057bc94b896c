package org.weightnorm4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.tensor.Tensor;

class ZcaWhiteningTest {
    /** N samples of D = 2*3*3 correlated values: x = A z + offset, z standard normal. */
    private static Tensor correlated(int n, long seed, double[] mixing) {
        int d = 18;
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(n, 2, 3, 3);
        float[] x = t.data();
        double[] z = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                z[j] = r.nextGaussian();
            }
            for (int a = 0; a < d; a++) {
                double s = 0.5 + 0.1 * a;
                for (int b = 0; b < d; b++) {
                    s += mixing[a * d + b] * z[b];
                }
                x[i * d + a] = (float) s;
            }
        }
        return t;
    }

    /**
     * A well-conditioned but strongly correlating mixing: x_a = (1 + 0.3a) (z_a + 0.8 z_{a-1} + c z_{a+2}),
     * with small random c, so neighbouring values are correlated and the smallest eigenvalue stays
     * far above float32 rounding.
     */
    private static double[] mixing(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] m = new double[18 * 18];
        for (int a = 0; a < 18; a++) {
            double s = 1 + 0.3 * a;
            m[a * 18 + a] = s;
            if (a > 0) {
                m[a * 18 + a - 1] = 0.8 * s;
            }
            if (a + 2 < 18) {
                m[a * 18 + a + 2] = 0.1 * r.nextGaussian() * s;
            }
        }
        return m;
    }

    private static double[] covariance(Tensor t) {
        int n = t.dim(0), d = t.sizeFrom(1);
        float[] x = t.data();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[i * d + j] / (double) n;
            }
        }
        double[] c = new double[d * d];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    c[a * d + b] += (x[i * d + a] - mean[a]) * (x[i * d + b] - mean[b]) / n;
                }
            }
        }
        return c;
    }

    @Test
    void whitenedTrainingDataHasIdentityCovariance() {
        double[] mix = mixing(3);
        Tensor train = correlated(3000, 1, mix);
        double[] before = covariance(train);
        assertTrue(Math.abs(before[1]) > 0.5, "the test data must be strongly correlated, cov[0][1] = " + before[1]);
        ZcaWhitening zca = ZcaWhitening.fit(train, 1e-9);
        zca.apply(train);
        double[] after = covariance(train);
        for (int a = 0; a < 18; a++) {
            for (int b = 0; b < 18; b++) {
                assertEquals(a == b ? 1 : 0, after[a * 18 + b], 2e-3, "cov[" + a + "][" + b + "]");
            }
        }
        // Mean removed too.
        double m0 = 0;
        for (int i = 0; i < 3000; i++) {
            m0 += train.data()[i * 18];
        }
        assertEquals(0, m0 / 3000, 1e-4);
    }

    @Test
    void matrixIsSymmetricAndTestDataIsWhitenedWithTrainStatistics() {
        double[] mix = mixing(4);
        Tensor train = correlated(4000, 2, mix);
        Tensor test = correlated(4000, 9, mix);
        ZcaWhitening zca = ZcaWhitening.fit(train, 1e-9);
        float[] w = zca.matrix();
        for (int a = 0; a < 18; a++) {
            for (int b = 0; b < 18; b++) {
                assertEquals(w[a * 18 + b], w[b * 18 + a], 1e-6 * Math.abs(w[a * 18 + b]) + 1e-9);
            }
        }
        zca.apply(test);
        double[] c = covariance(test);
        // Same distribution, independent sample: whitened by the train fit, ~identity up to sampling error.
        for (int a = 0; a < 18; a++) {
            assertEquals(1, c[a * 18 + a], 0.15, "var[" + a + "]");
        }
    }

    @Test
    void epsilonShrinksLowVarianceDirections() {
        // Two strongly correlated pixels: along (1,-1)/√2 the variance is λ = 1e-4 (noise 1e-2 per pixel).
        SplittableRandom r = new SplittableRandom(7);
        Tensor t = Tensor.zeros(2000, 1, 1, 2);
        for (int i = 0; i < 2000; i++) {
            double s = r.nextGaussian();
            t.data()[2 * i] = (float) (s + 1e-2 * r.nextGaussian());
            t.data()[2 * i + 1] = (float) (s + 1e-2 * r.nextGaussian());
        }
        double[] c0 = covariance(t);
        double lambda = (c0[0] - 2 * c0[1] + c0[3]) / 2;
        Tensor copy = t.copy();
        ZcaWhitening.fit(t, 1e-2).apply(t);
        double[] c = covariance(t);
        // Whitened variance along that direction is λ/(λ+ε) ≈ 0.01: ε damps it instead of blowing it up to 1.
        double diffVar = c[0] - 2 * c[1] + c[3];
        assertEquals(2 * lambda / (lambda + 1e-2), diffVar, 1e-3, "difference variance, lambda " + lambda);
        ZcaWhitening.fit(copy, 1e-12).apply(copy);
        double[] c2 = covariance(copy);
        assertEquals(2, c2[0] - 2 * c2[1] + c2[3], 0.2);
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> ZcaWhitening.fit(Tensor.zeros(1, 1, 2, 2)));
        assertThrows(IllegalArgumentException.class, () -> ZcaWhitening.fit(Tensor.zeros(3, 1, 2, 2), 0));
        ZcaWhitening z = ZcaWhitening.fit(Tensor.wrap(new float[] {1, 2, 3, 4, 5, 7, 1, 1}, 4, 1, 1, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> z.apply(Tensor.zeros(2, 1, 2, 1)));
        assertTrue(e.getMessage().contains("[1, 1, 2]"), e.getMessage());
    }
}
