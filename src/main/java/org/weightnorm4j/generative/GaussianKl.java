package org.weightnorm4j.generative;

import org.weightnorm4j.tensor.Tensor;

/**
 * The analytic KL divergence of a diagonal Gaussian {@code q = N(μ, diag σ²)} to the prior
 * {@code p = N(0, I)}, per example, in the layout of {@link org.weightnorm4j.nn.GaussianLatent}:
 * rows {@code [μ (D), ρ (D)]} with {@code σ = exp(ρ)}. (Kingma &amp; Welling 2014, appendix B:)
 * <pre>
 *   KL(q ‖ p) = ½ Σ_j (μ_j² + σ_j² − 1 − log σ_j²) = ½ Σ_j (μ_j² + e^{2ρ_j} − 1 − 2ρ_j)
 *   ∂KL/∂μ_j = μ_j,   ∂KL/∂ρ_j = e^{2ρ_j} − 1
 * </pre>
 */
public final class GaussianKl {
    private GaussianKl() {
    }

    /** {@code KL(q_n ‖ N(0, I))} for each row {@code n} of {@code h [N, 2D]}, into {@code out[n]}. */
    public static void perExample(Tensor h, int latent, double[] out) {
        int n = requireLayout(h, latent, out.length);
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < latent; j++) {
                double mu = h.get(i * 2 * latent + j);
                double rho = h.get(i * 2 * latent + latent + j);
                sum += mu * mu + Math.exp(2 * rho) - 1 - 2 * rho;        // μ² + σ² − 1 − log σ²
            }
            out[i] = 0.5 * sum;
        }
    }

    /** Adds {@code weight · ∂KL/∂h} into {@code grad [N, 2D]}: {@code weight μ} and {@code weight (e^{2ρ} − 1)}. */
    public static void addGradient(Tensor h, int latent, double weight, Tensor grad) {
        int n = requireLayout(h, latent, h.dim(0));
        h.requireSameShape("KL gradient (h vs gradient)", grad);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < latent; j++) {
                int mu = i * 2 * latent + j, rho = mu + latent;
                grad.set(mu, grad.get(mu) + weight * h.get(mu));                           // ∂KL/∂μ = μ
                grad.set(rho, grad.get(rho) + weight * (Math.exp(2 * h.get(rho)) - 1));   // ∂KL/∂ρ = e^{2ρ} − 1
            }
        }
    }

    private static int requireLayout(Tensor h, int latent, int rows) {
        if (h.rank() != 2 || h.dim(1) != 2 * latent || h.dim(0) != rows) {
            throw new IllegalArgumentException("Gaussian KL: expected h [" + rows + ", " + 2 * latent + "] (μ then log σ) but got "
                    + java.util.Arrays.toString(h.shape()));
        }
        return rows;
    }
}
