package org.weightnorm4j.generative;

import java.util.SplittableRandom;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.tensor.Tensor;

/**
 * What people look at before any number: images a {@link Vae} makes. Both are Bernoulli means
 * {@code σ(logits)} (the pixel probabilities), not binary draws, as VAE papers show them.
 */
public final class VaeImages {
    private VaeImages() {
    }

    /** {@code count} samples from the prior: {@code z ~ N(0, I)} (seeded), decoded. {@code [count, 1, H, W]}. */
    public static Tensor priorSamples(Vae vae, int count, long seed) {
        int d = vae.latent().latent();
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor z = vae.params().get(0).value().zerosLike(count, d);      // the model's dtype
        for (int i = 0; i < z.size(); i++) {
            z.set(i, rng.nextGaussian());
        }
        return means(vae.decoder().forward(z, Mode.EVAL));
    }

    /**
     * For each of {@code images [N, 1, H, W]} (binarized), its reconstruction through the posterior
     * mean: {@code z = μ(x)}, decoded. Returns {@code [2N, 1, H, W]}: the images then their
     * reconstructions, so a grid of {@code N} columns shows each above its reconstruction.
     */
    public static Tensor reconstructions(Vae vae, Tensor images) {
        int n = images.dim(0), d = vae.latent().latent();
        Tensor h = vae.encoder().forward(images, Mode.EVAL);
        Tensor mu = h.zerosLike(n, d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mu.set(i * d + j, h.get(i * 2 * d + j));
            }
        }
        Tensor rec = means(vae.decoder().forward(mu, Mode.EVAL));
        int[] shape = images.shape();
        shape[0] = 2 * n;
        Tensor out = images.zerosLike(shape);
        int p = images.sizeFrom(1);
        for (int i = 0; i < n * p; i++) {
            out.set(i, images.get(i));
            out.set(n * p + i, rec.get(i));
        }
        return out;
    }

    /** {@code σ(logits)} element-wise, as a new tensor. */
    private static Tensor means(Tensor logits) {
        Tensor out = logits.zerosLike();
        for (int i = 0; i < out.size(); i++) {
            out.set(i, BernoulliLogits.sigmoid(logits.get(i)));
        }
        return out;
    }
}
