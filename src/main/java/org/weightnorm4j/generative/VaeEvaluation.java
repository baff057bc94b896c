package org.weightnorm4j.generative;

import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.tensor.Tensor;

/**
 * A {@link Vae} scored on a set of binarized images, in nats per image (means over the images):
 * the one-sample ELBO and its two parts, and, when asked, the importance-sampled
 * {@code log p(x)} ({@link ImportanceSampling}) on the first {@code isExamples} of them.
 *
 * @param examples      images scored
 * @param elbo          mean {@code log p(x|z) − KL}
 * @param reconstruction mean {@code log p(x|z)}
 * @param kl            mean {@code KL(q(z|x) ‖ N(0, I))}
 * @param logLikelihood mean importance-sampled {@code log p(x)}, NaN when not computed
 * @param isSamples     K of that estimate (0 when not computed)
 * @param isExamples    images it covers (0 when not computed)
 */
public record VaeEvaluation(int examples, double elbo, double reconstruction, double kl, double logLikelihood,
                            int isSamples, int isExamples) {

    /**
     * Scores {@code vae} (as it is: swap a parameter average in first to score that) on
     * {@code images [N, ...]} in batches of {@code batch}. The ELBO's ε come from the model's latent
     * layer (its counter advances); the importance samples from ({@code isSeed}, example, k).
     *
     * @param isSamples  K, or 0 for no importance-sampled estimate
     * @param isExamples how many of the first images the estimate covers (0 = all)
     */
    public static VaeEvaluation of(Vae vae, Tensor images, int batch, int isSamples, int isExamples, long isSeed) {
        int n = images.dim(0);
        if (n == 0 || batch < 1) {
            throw new IllegalArgumentException("VAE evaluation needs images and a batch >= 1, got " + n + " images, batch " + batch);
        }
        int isN = isSamples == 0 ? 0 : isExamples == 0 ? n : Math.min(isExamples, n);
        int latent = vae.latent().latent();
        int p = images.sizeFrom(1);
        ElboObjective objective = new ElboObjective(latent);
        double[] totals = new double[3];
        double elbo = 0, recon = 0, kl = 0, ll = 0;
        Tensor x = null;
        for (int start = 0; start < n; start += batch) {
            int b = Math.min(batch, n - start);
            x = rows(images, start, b, x);
            Tensor out = vae.forward(x, Mode.EVAL);
            objective.loss(out, x);
            objective.metricTotals(totals);
            elbo += totals[0];
            recon += totals[1];
            kl += totals[2];
            if (start < isN) {
                int m = Math.min(b, isN - start);
                Tensor h = out.zerosLike(m, 2 * latent);
                int width = out.dim(1);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < 2 * latent; j++) {
                        h.set(i * 2 * latent + j, out.get(i * width + width - 2 * latent + j));
                    }
                }
                Tensor xs = m == b ? x : rows(images, start, m, null);
                Tensor target = xs.reshape(m, p);
                double[] est = ImportanceSampling.logMarginal(h, latent, isSamples,
                        (z, into) -> BernoulliLogits.logLikelihood(vae.decoder().forward(z, Mode.EVAL), target, into), isSeed, start);
                for (double e : est) {
                    ll += e;
                }
            }
        }
        return new VaeEvaluation(n, elbo / n, recon / n, kl / n, isN == 0 ? Double.NaN : ll / isN, isN == 0 ? 0 : isSamples, isN);
    }

    /** Rows {@code [start, start + count)} of {@code images}, into {@code reuse} when it has that shape. */
    static Tensor rows(Tensor images, int start, int count, Tensor reuse) {
        int[] shape = images.shape();
        shape[0] = count;
        Tensor out = reuse != null && reuse.hasShape(shape) ? reuse : images.zerosLike(shape);
        int p = images.sizeFrom(1);
        if (images.isFloat32() && out.isFloat32()) {
            System.arraycopy(images.data(), start * p, out.data(), 0, count * p);
        } else {
            for (int i = 0; i < count * p; i++) {
                out.set(i, images.get(start * p + i));
            }
        }
        return out;
    }
}
