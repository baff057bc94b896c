package org.weightnorm4j.nn;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.weightnorm4j.tensor.Tensor;

/**
 * A VAE's diagonal-Gaussian latent layer with the reparameterization trick (Kingma &amp; Welling
 * 2014): {@code h [N, 2D] → z [N, D]}, {@code z = μ + σ ⊙ ε}, {@code ε ~ N(0, I)}.
 *
 * <p><b>Input layout.</b> Columns {@code 0..D−1} of each row are {@code μ}, columns {@code D..2D−1}
 * are {@code ρ = log σ}: <b>σ = exp(ρ)</b>. We chose exp over softplus because {@code log σ = ρ}
 * exactly, so the KL term ({@code ½ Σ (μ² + e^{2ρ} − 1 − 2ρ)}) and the density
 * {@code log q(z|x)} of the importance-sampled likelihood need no logarithm of a possibly tiny σ, and
 * because it is the parameterization of the IAF code the paper's §5.2 builds on. Its risk, σ
 * overflowing for a very large ρ, is what the trainer's non-finite guard reports.
 *
 * <p><b>Backward</b>, given {@code ∇z}: {@code ∇μ = ∇z}, {@code ∇ρ = ∇z ⊙ ε ⊙ σ} (as
 * {@code ∂σ/∂ρ = σ}). The KL term's gradient is not added here: the KL is a function of {@code h}
 * alone, so an objective that sees {@code h} adds it (see {@code generative.Vae}).
 *
 * <p><b>Randomness.</b> Every forward pass samples, in evaluation as well as in training (the
 * test ELBO is a one-sample estimate too): call {@code k} draws {@code ε} in blocks of
 * {@value RandomBlocks#BLOCK} elements, block {@code b} from its own generator fixed by the seed,
 * {@code k} and {@code b} ({@link RandomBlocks#blockStream}), exactly as {@link GaussianNoise}; so
 * {@code ε} is bit-identical for any thread count, a restored {@link #randomCounter() counter}
 * resumes the sequence, and a gradient checker that resets the counter replays the same {@code ε}.
 */
public final class GaussianLatent extends RandomLayer {
    private final int latent;
    private final IntConsumer drawBlock = this::drawBlock;
    private Tensor h;
    private Tensor eps;
    private Tensor sigma;
    private Tensor z;
    private Tensor dh;

    /** A latent of {@code latent} dimensions, seed 0 (a {@link Sequential.Builder} or the caller reseeds it). */
    public GaussianLatent(int latent) {
        this(latent, 0);
    }

    /** A latent of {@code latent} dimensions with an explicit seed. */
    public GaussianLatent(int latent, long seed) {
        super(seed);
        if (latent < 1) {
            throw new IllegalArgumentException("GaussianLatent: the latent needs at least 1 dimension, got " + latent);
        }
        this.latent = latent;
    }

    /** {@code D}, the number of latent dimensions; the input has {@code 2D} columns. */
    public int latent() {
        return latent;
    }

    /** The {@code ε [N, D]} of the last forward pass (belongs to the layer; copy to keep). */
    public Tensor epsilon() {
        if (eps == null) {
            throw new IllegalStateException(describe() + ": no forward pass yet");
        }
        return eps;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (x.rank() != 2 || x.dim(1) != 2 * latent) {
            throw new IllegalArgumentException(describe() + ": expected an input [N, " + 2 * latent + "] (μ then log σ) but got "
                    + Arrays.toString(x.shape()));
        }
        h = x;
        int n = x.dim(0);
        eps = Buffers.ensure(eps, x, n, latent);
        sigma = Buffers.ensure(sigma, x, n, latent);
        z = Buffers.ensure(z, x, n, latent);
        drawInBlocks(eps, drawBlock);                                    // ε ~ N(0, I), stream (seed, call)
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < latent; j++) {
                double mu = x.get(i * 2 * latent + j);
                double s = Math.exp(x.get(i * 2 * latent + latent + j));   // σ = exp(ρ)
                sigma.set(i * latent + j, s);
                z.set(i * latent + j, mu + s * eps.get(i * latent + j)); // z = μ + σ ⊙ ε
            }
        }
        return z;
    }

    /** Fills block {@code b} of {@code ε} from the block's own generator. */
    private void drawBlock(int b) {
        int n = eps.size();
        SplittableRandom rng = RandomBlocks.blockStream(key(), b);
        for (int i = RandomBlocks.start(b), to = RandomBlocks.end(b, n); i < to; i++) {
            eps.set(i, rng.nextGaussian());
        }
    }

    @Override
    public Tensor backward(Tensor dz) {
        if (h == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        int n = h.dim(0);
        dz.requireShape(describe() + " backward: gradient of z", n, latent);
        dh = Buffers.ensure(dh, dz, n, 2 * latent);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < latent; j++) {
                int at = i * latent + j;
                double g = dz.get(at);
                dh.set(i * 2 * latent + j, g);                                   // ∂z/∂μ = 1
                dh.set(i * 2 * latent + latent + j, g * eps.get(at) * sigma.get(at)); // ∂z/∂ρ = ε σ
            }
        }
        return dh;
    }

    @Override
    public String describe() {
        return "GaussianLatent(" + latent + ", σ = exp(ρ))";
    }
}
