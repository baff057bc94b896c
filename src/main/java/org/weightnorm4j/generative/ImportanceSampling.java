package org.weightnorm4j.generative;

import java.util.SplittableRandom;
import org.weightnorm4j.nn.RandomStreams;
import org.weightnorm4j.tensor.Tensor;

/**
 * The importance-sampled marginal likelihood, the number VAE papers report (Burda et al. 2016,
 * "Importance weighted autoencoders", Eq. 8; the weight-normalization paper's §5.2 reports it for
 * MNIST): with {@code K} samples {@code z_k ~ q(z | x)},
 * <pre>
 *   log p(x) ≈ log (1/K) Σ_k exp(w_k),   w_k = log p(x | z_k) + log p(z_k) − log q(z_k | x)
 * </pre>
 * a lower bound in expectation that tightens as {@code K} grows ({@code K = 1} is the one-sample
 * ELBO) and equals {@code log p(x)} for every sample when {@code q} is the exact posterior.
 * {@code p(z) = N(0, I)}; {@code q(z | x) = N(μ, diag σ²)} with {@code h = [μ, ρ = log σ]}, the
 * {@link org.weightnorm4j.nn.GaussianLatent}'s layout:
 * <pre>
 *   log p(z)     = −½ Σ_j (z_j² + log 2π)
 *   log q(z | x) = −½ Σ_j (ε_j² + log 2π) − Σ_j ρ_j,   ε = (z − μ)/σ
 * </pre>
 * The log-mean-exp subtracts the largest weight first ({@link #logMeanExp}), so weights of −10⁴
 * nats (a bad model on a whole image) neither underflow to {@code −∞} nor lose precision.
 *
 * <p><b>Randomness.</b> Sample {@code k} of example {@code e} uses its own generator, fixed by
 * ({@code seed}, {@code e}, {@code k}) alone: the estimate of an example does not depend on the
 * evaluation batch size, the thread count or the other examples.
 */
public final class ImportanceSampling {
    /** The usual {@code K} (Burda et al., and the paper's MNIST numbers, use thousands; 128 is a common budget). */
    public static final int DEFAULT_SAMPLES = 128;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    /** The decoder's side: {@code log p(x_n | z_n)} for each row {@code n} of {@code z [N, D]}, into {@code out[n]}. */
    @FunctionalInterface
    public interface LogLikelihood {
        void of(Tensor z, double[] out);
    }

    private ImportanceSampling() {
    }

    /** {@code log((1/n) Σ_{i<n} exp(a_i))}, stable: {@code m + log((1/n) Σ exp(a_i − m))} with {@code m = max a}. */
    public static double logMeanExp(double[] a, int n) {
        if (n < 1 || n > a.length) {
            throw new IllegalArgumentException("log-mean-exp of " + n + " of " + a.length + " values");
        }
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(a[i])) {
                return Double.NaN;
            }
            m = Math.max(m, a[i]);
        }
        if (m == Double.NEGATIVE_INFINITY || m == Double.POSITIVE_INFINITY) {
            return m;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(a[i] - m);                                     // every term ≤ 1, the largest exactly 1
        }
        return m + Math.log(sum / n);
    }

    /**
     * The estimate of {@code log p(x_n)} for each row of {@code h [N, 2D]} (the encoder's
     * {@code [μ, log σ]} of the examples {@code firstExample, firstExample + 1, ...}), with
     * {@code samples} draws each; {@code decoder} scores the same examples.
     */
    public static double[] logMarginal(Tensor h, int latent, int samples, LogLikelihood decoder, long seed, long firstExample) {
        if (samples < 1) {
            throw new IllegalArgumentException("importance sampling needs at least 1 sample per example, got " + samples);
        }
        if (h.rank() != 2 || h.dim(1) != 2 * latent) {
            throw new IllegalArgumentException("importance sampling: expected h [N, " + 2 * latent + "] (μ then log σ), got "
                    + java.util.Arrays.toString(h.shape()));
        }
        int n = h.dim(0);
        double[][] w = new double[n][samples];
        double[] logPrior = new double[n];
        double[] logQ = new double[n];
        double[] ll = new double[n];
        Tensor z = h.zerosLike(n, latent);
        for (int k = 0; k < samples; k++) {
            for (int i = 0; i < n; i++) {
                SplittableRandom rng = new SplittableRandom(RandomStreams.derive(RandomStreams.derive(seed, firstExample + i), k));
                double lp = 0, lq = 0;
                for (int j = 0; j < latent; j++) {
                    double mu = h.get(i * 2 * latent + j);
                    double rho = h.get(i * 2 * latent + latent + j);
                    double sigma = Math.exp(rho);
                    z.set(i * latent + j, mu + sigma * rng.nextGaussian());   // z = μ + σ ε
                    double zj = z.get(i * latent + j);                     // as stored (float32 rounds it): score what the decoder sees
                    double eps = (zj - mu) / sigma;
                    lp += -0.5 * (zj * zj + LOG_2PI);                       // log N(z; 0, 1)
                    lq += -0.5 * (eps * eps + LOG_2PI) - rho;               // log N(z; μ, σ²)
                }
                logPrior[i] = lp;
                logQ[i] = lq;
            }
            decoder.of(z, ll);
            for (int i = 0; i < n; i++) {
                w[i][k] = ll[i] + logPrior[i] - logQ[i];                    // log p(x, z_k) − log q(z_k | x)
            }
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = logMeanExp(w[i], samples);
        }
        return out;
    }
}
