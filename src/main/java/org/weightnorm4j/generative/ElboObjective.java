package org.weightnorm4j.generative;

import java.util.List;
import org.weightnorm4j.nn.Buffers;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.train.Objective;

/**
 * The negative evidence lower bound of a {@link Vae} with a Bernoulli decoder, as a training
 * objective: for each example, with one sample {@code z ~ q(z|x)} (drawn by the model's
 * {@link org.weightnorm4j.nn.GaussianLatent}),
 * <pre>
 *   ELBO(x) = log p(x | z) − KL(q(z|x) ‖ N(0, I))          (nats per image)
 *   loss    = −(1/N) Σ_n ELBO(x_n)
 * </pre>
 * The reconstruction term is {@link BernoulliLogits} summed over the pixels, the KL
 * {@link GaussianKl} summed over the latent dimensions: sums, not means, so the numbers are the
 * nats per image that VAE papers report.
 *
 * <p><b>Output and targets.</b> The output is the {@link Vae}'s {@code [N, P + 2D]} (logits, then
 * {@code h = [μ, log σ]}); the targets are the binarized images the encoder saw, {@code N} examples
 * of {@code P} pixels in any shape. The gradient is {@code −(1/N)(x − σ(l))} on the logits and
 * {@code (1/N) ∂KL/∂h} on {@code h}.
 *
 * <p><b>Metrics</b> (totals over the minibatch's examples): {@code elbo}, {@code reconstruction}
 * ({@code log p(x|z)}) and {@code kl}, in nats.
 */
public final class ElboObjective implements Objective<Tensor> {
    /** Names of the metrics, in {@link #metricTotals} order. */
    public static final String ELBO = "elbo";
    public static final String RECONSTRUCTION = "reconstruction";
    public static final String KL = "kl";

    private final int latent;
    private double[] recon;
    private double[] kl;
    private Tensor grad;
    private Tensor logits;
    private Tensor h;
    private Tensor gLogits;
    private Tensor gH;
    private int batch;

    /** For a model whose latent has {@code latent} dimensions. */
    public ElboObjective(int latent) {
        if (latent < 1) {
            throw new IllegalArgumentException("ELBO: the latent needs at least 1 dimension, got " + latent);
        }
        this.latent = latent;
    }

    @Override
    public double loss(Tensor output, Tensor x) {
        int n = output.dim(0), twoD = 2 * latent;
        if (output.rank() != 2 || output.dim(1) <= twoD || x.dim(0) != n || x.size() != n * (output.dim(1) - twoD)) {
            throw new IllegalArgumentException("ELBO: output " + java.util.Arrays.toString(output.shape())
                    + " must be [N, P + " + twoD + "] (logits, μ, log σ) for images " + java.util.Arrays.toString(x.shape())
                    + " of P pixels each");
        }
        int p = output.dim(1) - twoD;
        if (recon == null || recon.length != n) {
            recon = new double[n];
            kl = new double[n];
        }
        logits = Buffers.ensure(logits, output, n, p);                    // buffers reused across steps
        h = Buffers.ensure(h, output, n, twoD);
        split(output, logits, h);
        BernoulliLogits.logLikelihood(logits, x.reshape(n, p), recon);   // log p(x|z), summed over pixels
        GaussianKl.perExample(h, latent, kl);                             // KL(q ‖ N(0, I)), summed over dimensions

        // ∂loss/∂logits = −(1/N)(x − σ(l)); ∂loss/∂h = (1/N) ∂KL/∂h
        gLogits = Buffers.ensure(gLogits, output, n, p);
        gLogits.fill(0);
        BernoulliLogits.addGradient(logits, x.reshape(n, p), -1.0 / n, gLogits);
        gH = Buffers.ensure(gH, output, n, twoD);
        gH.fill(0);
        GaussianKl.addGradient(h, latent, 1.0 / n, gH);
        grad = Buffers.ensure(grad, output, output.shape());
        join(gLogits, gH, grad);
        batch = n;

        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += recon[i] - kl[i];                                      // ELBO = log p(x|z) − KL
        }
        return -sum / n;
    }

    @Override
    public Tensor gradient() {
        if (grad == null) {
            throw new IllegalStateException("ELBO: gradient() before loss()");
        }
        return grad;
    }

    @Override
    public List<String> metricNames() {
        return List.of(ELBO, RECONSTRUCTION, KL);
    }

    @Override
    public void metricTotals(double[] into) {
        double r = 0, k = 0;
        for (int i = 0; i < batch; i++) {
            r += recon[i];
            k += kl[i];
        }
        into[0] = r - k;
        into[1] = r;
        into[2] = k;
    }

    /** The last minibatch's {@code log p(x_n | z_n)} per example (a copy). */
    public double[] reconstructionPerExample() {
        return java.util.Arrays.copyOf(recon, batch);
    }

    /** The last minibatch's {@code KL(q(z|x_n) ‖ N(0, I))} per example (a copy). */
    public double[] klPerExample() {
        return java.util.Arrays.copyOf(kl, batch);
    }

    private static void split(Tensor output, Tensor logits, Tensor h) {
        int n = output.dim(0), p = logits.dim(1), twoD = h.dim(1);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                logits.set(i * p + j, output.get(i * (p + twoD) + j));
            }
            for (int j = 0; j < twoD; j++) {
                h.set(i * twoD + j, output.get(i * (p + twoD) + p + j));
            }
        }
    }

    private static void join(Tensor logits, Tensor h, Tensor out) {
        int n = out.dim(0), p = logits.dim(1), twoD = h.dim(1);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                out.set(i * (p + twoD) + j, logits.get(i * p + j));
            }
            for (int j = 0; j < twoD; j++) {
                out.set(i * (p + twoD) + p + j, h.get(i * twoD + j));
            }
        }
    }
}
