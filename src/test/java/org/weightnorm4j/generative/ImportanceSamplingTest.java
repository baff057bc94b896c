package org.weightnorm4j.generative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * The importance-sampled {@code log p(x)} against a model where it is analytic: a linear-Gaussian
 * "VAE" with {@code p(z) = N(0, I₂)} and {@code p(x | z) = N(W z + b, s² I₃)}, so
 * {@code p(x) = N(b, W Wᵀ + s² I)}. {@code W}'s columns are orthogonal ({@code W = Q diag(d)}), so
 * the exact posterior is diagonal and an encoder can give it exactly.
 */
class ImportanceSamplingTest {
    private static final double S = 0.6;
    private static final double[][] Q = {{1 / Math.sqrt(2), 1 / Math.sqrt(3)}, {1 / Math.sqrt(2), -1 / Math.sqrt(3)},
            {0, 1 / Math.sqrt(3)}};                                       // orthonormal columns, [3, 2]
    private static final double[] D = {1.5, 0.7};
    private static final double[] B = {0.2, -0.1, 0.3};
    private static final double[][] X = {{1.0, 0.5, -0.4}, {-2.0, 0.3, 1.1}, {0.0, 0.0, 0.0}};

    private static double w(int p, int j) {
        return Q[p][j] * D[j];
    }

    /** log N(x; b, W Wᵀ + s² I) from the eigen-decomposition: eigenvalues d_j² + s² along q_j, s² elsewhere. */
    private static double analyticLogP(double[] x) {
        double[] r = new double[3];
        double rr = 0;
        for (int p = 0; p < 3; p++) {
            r[p] = x[p] - B[p];
            rr += r[p] * r[p];
        }
        double quad = 0, logDet = 0, along = 0;
        for (int j = 0; j < 2; j++) {
            double c = 0;
            for (int p = 0; p < 3; p++) {
                c += Q[p][j] * r[p];
            }
            quad += c * c / (D[j] * D[j] + S * S);
            along += c * c;
            logDet += Math.log(D[j] * D[j] + S * S);
        }
        quad += (rr - along) / (S * S);
        logDet += Math.log(S * S);                                          // the one direction orthogonal to W
        return -0.5 * (3 * Math.log(2 * Math.PI) + logDet + quad);
    }

    /** The linear-Gaussian decoder: log N(x_n; W z_n + b, s² I). */
    private static ImportanceSampling.LogLikelihood decoder() {
        return (z, out) -> {
            for (int n = 0; n < out.length; n++) {
                double sum = 0;
                for (int p = 0; p < 3; p++) {
                    double mean = B[p];
                    for (int j = 0; j < 2; j++) {
                        mean += w(p, j) * z.get(n * 2 + j);
                    }
                    double e = X[n][p] - mean;
                    sum += -0.5 * (e * e / (S * S) + Math.log(2 * Math.PI * S * S));
                }
                out[n] = sum;
            }
        };
    }

    /** h = [μ, log σ] of the exact posterior: Σ = (I + WᵀW/s²)⁻¹ (diagonal here), μ = Σ Wᵀ(x − b)/s². */
    private static Tensor exactPosterior() {
        Tensor h = Tensor.zeros(DType.FLOAT64, 3, 4);
        for (int n = 0; n < 3; n++) {
            for (int j = 0; j < 2; j++) {
                double var = 1 / (1 + D[j] * D[j] / (S * S));
                double proj = 0;
                for (int p = 0; p < 3; p++) {
                    proj += w(p, j) * (X[n][p] - B[p]);
                }
                h.set(n * 4 + j, var * proj / (S * S));
                h.set(n * 4 + 2 + j, 0.5 * Math.log(var));
            }
        }
        return h;
    }

    @Test
    void withTheExactPosteriorEverySampleGivesTheAnalyticLogLikelihood() {
        for (int k : new int[] {1, 5}) {
            double[] est = ImportanceSampling.logMarginal(exactPosterior(), 2, k, decoder(), 3, 0);
            for (int n = 0; n < 3; n++) {
                assertEquals(analyticLogP(X[n]), est[n], 1e-10, "example " + n + ", K = " + k);
            }
        }
    }

    @Test
    void withAPoorPosteriorTheEstimateConvergesFromBelowAsKGrows() {
        Tensor poor = exactPosterior();
        for (int n = 0; n < 3; n++) {
            poor.set(n * 4, poor.get(n * 4) + 0.3);                       // μ off by 0.8 posterior σ
            poor.set(n * 4 + 3, poor.get(n * 4 + 3) + 0.5);               // σ 1.65× too wide
        }
        for (int n = 0; n < 3; n++) {
            double truth = analyticLogP(X[n]);
            // The mean over many seeds of the K = 1 estimate is the ELBO: strictly below log p(x) (q ≠ posterior).
            double elbo = 0, iwae8 = 0;
            int seeds = 400;
            for (int s = 0; s < seeds; s++) {
                elbo += ImportanceSampling.logMarginal(poor, 2, 1, decoder(), s, 0)[n] / seeds;
                iwae8 += ImportanceSampling.logMarginal(poor, 2, 8, decoder(), s, 0)[n] / seeds;
            }
            assertTrue(elbo < iwae8 && iwae8 < truth, "ELBO " + elbo + " < IWAE-8 " + iwae8 + " < log p(x) " + truth);
            double many = ImportanceSampling.logMarginal(poor, 2, 20000, decoder(), 11, 0)[n];
            assertEquals(truth, many, 0.03, "K = 20000, example " + n);
        }
    }

    @Test
    void anExampleGetsTheSameSamplesWhateverItsBatch() {
        Tensor h = exactPosterior();
        h.set(0, h.get(0) + 1);                                           // not exact, so the samples matter
        double[] all = ImportanceSampling.logMarginal(h, 2, 4, decoder(), 5, 10);
        Tensor second = Tensor.zeros(DType.FLOAT64, 1, 4);
        for (int j = 0; j < 4; j++) {
            second.set(j, h.get(4 + j));
        }
        double[] alone = ImportanceSampling.logMarginal(second, 2, 4, (z, out) -> {
            double[] both = new double[3];
            Tensor padded = Tensor.zeros(DType.FLOAT64, 3, 2);
            padded.set(2, z.get(0));
            padded.set(3, z.get(1));
            decoder().of(padded, both);
            out[0] = both[1];
        }, 5, 11);
        assertEquals(all[1], alone[0], 0);
    }

    @Test
    void logMeanExpIsStableAndExact() {
        assertEquals(Math.log((Math.exp(1) + Math.exp(2)) / 2), ImportanceSampling.logMeanExp(new double[] {1, 2}, 2), 1e-15);
        assertEquals(-10000 + Math.log((1 + Math.exp(-1)) / 2), ImportanceSampling.logMeanExp(new double[] {-10000, -10001}, 2), 1e-9);
        assertEquals(800 + Math.log(0.5), ImportanceSampling.logMeanExp(new double[] {800, Double.NEGATIVE_INFINITY}, 2), 1e-12);
        assertEquals(Double.NEGATIVE_INFINITY, ImportanceSampling.logMeanExp(new double[] {Double.NEGATIVE_INFINITY}, 1));
        assertTrue(Double.isNaN(ImportanceSampling.logMeanExp(new double[] {0, Double.NaN}, 2)));
        assertThrows(IllegalArgumentException.class, () -> ImportanceSampling.logMeanExp(new double[] {1}, 0));
        assertThrows(IllegalArgumentException.class,
                () -> ImportanceSampling.logMarginal(exactPosterior(), 2, 0, decoder(), 1, 0));
    }
}
