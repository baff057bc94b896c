package org.weightnorm4j.nn;

import java.util.Arrays;
import org.weightnorm4j.tensor.Tensor;

/**
 * Turns an encoder's {@code [μ, s]} (rows {@code [N, 2D]}) into {@code [μ, log σ]} with
 * {@code σ = softplus(s) + floor}: the σ of most PyTorch VAEs (the reference {@code vae} peer's is
 * {@code F.softplus(s) + 1e-4}), put in front of a {@link GaussianLatent}, whose {@code σ = exp(ρ)}.
 *
 * <p>Why a layer and not an option of {@link GaussianLatent}: the latent layer and the KL term
 * ({@code generative.GaussianKl}) both read {@code ρ = log σ}, so giving them
 * {@code ρ = log(softplus(s) + floor)} makes the model exactly the softplus one (σ = exp(ρ) is the
 * same σ) without a second parameterization in either; it costs one log and one exp per latent
 * dimension. {@code μ} passes through unchanged.
 *
 * <pre>
 *   softplus(s) = max(s, 0) + log1p(e^{−|s|})           (no overflow for large |s|)
 *   ∂ρ/∂s = sigmoid(s) / (softplus(s) + floor)
 * </pre>
 * No parameters.
 */
public final class SoftplusLogSigma implements Layer {
    private final int latent;
    private final double floor;
    private Tensor x;
    private Tensor out;
    private Tensor dx;

    /** For a latent of {@code latent} dimensions and {@code σ = softplus(s) + floor}, {@code floor > 0}. */
    public SoftplusLogSigma(int latent, double floor) {
        if (latent < 1 || !(floor > 0)) {
            throw new IllegalArgumentException("SoftplusLogSigma: expected latent >= 1 and floor > 0, got " + latent + ", " + floor);
        }
        this.latent = latent;
        this.floor = floor;
    }

    /** {@code D}; the input and output have {@code 2D} columns. */
    public int latent() {
        return latent;
    }

    public double floor() {
        return floor;
    }

    static double softplus(double s) {
        return Math.max(s, 0) + Math.log1p(Math.exp(-Math.abs(s)));
    }

    @Override
    public Tensor forward(Tensor input, Mode mode) {
        if (input.rank() != 2 || input.dim(1) != 2 * latent) {
            throw new IllegalArgumentException(describe() + ": expected an input [N, " + 2 * latent + "] (μ then s) but got "
                    + Arrays.toString(input.shape()));
        }
        x = input;
        int n = input.dim(0);
        out = Buffers.ensure(out, input, n, 2 * latent);
        for (int i = 0; i < n; i++) {
            int row = i * 2 * latent;
            for (int j = 0; j < latent; j++) {
                out.set(row + j, input.get(row + j));                                          // μ
                out.set(row + latent + j, Math.log(softplus(input.get(row + latent + j)) + floor)); // ρ = log σ
            }
        }
        return out;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (x == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        int n = x.dim(0);
        dy.requireShape(describe() + " backward", n, 2 * latent);
        dx = Buffers.ensure(dx, x, n, 2 * latent);
        for (int i = 0; i < n; i++) {
            int row = i * 2 * latent;
            for (int j = 0; j < latent; j++) {
                dx.set(row + j, dy.get(row + j));
                double s = x.get(row + latent + j);
                double sig = 1 / (1 + Math.exp(-s));
                dx.set(row + latent + j, dy.get(row + latent + j) * sig / (softplus(s) + floor)); // ∂ρ/∂s = sigmoid(s)/σ
            }
        }
        return dx;
    }

    @Override
    public String describe() {
        return "SoftplusLogSigma(" + latent + ", floor " + floor + ")";
    }
}
