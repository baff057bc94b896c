package org.weightnorm4j.generative;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.weightnorm4j.nn.ActivationLayer;
import org.weightnorm4j.nn.Conv2d;
import org.weightnorm4j.nn.ConvTranspose2d;
import org.weightnorm4j.nn.Dense;
import org.weightnorm4j.nn.Flatten;
import org.weightnorm4j.nn.GaussianLatent;
import org.weightnorm4j.nn.GradientCheck;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.nn.ModelTree;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.nn.PlainWeights;
import org.weightnorm4j.nn.Residual;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.nn.Unflatten;
import org.weightnorm4j.norm.WeightNorm;
import org.weightnorm4j.tensor.ConvSpec;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * The ELBO end to end: a tiny VAE's gradient of {@code −ELBO} against float64 central differences
 * (ε fixed by the latent layer's seed and counter, which the checker replays), for a dense VAE and a
 * convolutional one with a residual block, weight norm (dim 0 on the encoder, dim 1 on the decoder's
 * transposed convolution); and the ELBO's value against a reference computed another way.
 */
class ElboTest {

    private static Dense dense(int in, int out, SplittableRandom rng) {
        return new Dense(PlainWeights.pytorchDefault(new int[] {out, in}, true, DType.FLOAT64, rng));
    }

    private static Vae denseVae(SplittableRandom rng) {
        Layer encoder = new Sequential(List.of(dense(6, 5, rng), ActivationLayer.elu(1), dense(5, 4, rng)));
        Layer decoder = new Sequential(List.of(dense(2, 5, rng), ActivationLayer.elu(1), dense(5, 6, rng)));
        return new Vae(encoder, new GaussianLatent(2, 17), decoder);
    }

    /** x [N, 1, 4, 4] → conv (stride 2) → residual block → dense → latent 2 → dense → [2, 2, 2] → convT (stride 2) → [1, 4, 4]. */
    private static Vae convVae(SplittableRandom rng) {
        Conv2d conv = new Conv2d(PlainWeights.pytorchDefault(new int[] {2, 1, 3, 3}, true, DType.FLOAT64, rng), new ConvSpec(2, 1));
        Conv2d inner = new Conv2d(PlainWeights.pytorchDefault(new int[] {2, 2, 3, 3}, true, DType.FLOAT64, rng), new ConvSpec(1, 1));
        Layer encoder = WeightNorm.apply(new Sequential(List.of(conv, ActivationLayer.elu(1),
                new Residual(new Sequential(List.of(inner, ActivationLayer.elu(1)))), new Flatten(), dense(8, 4, rng))));
        Tensor w = Tensor.zeros(DType.FLOAT64, 2, 1, 3, 3);
        Tensor b = Tensor.zeros(DType.FLOAT64, 1);
        for (int i = 0; i < w.size(); i++) {
            w.set(i, rng.nextDouble(-0.5, 0.5));
        }
        b.set(0, 0.1);
        ConvTranspose2d up = WeightNorm.apply(new ConvTranspose2d(new PlainWeights(w, null), b, new ConvSpec(2, 1), 1), 1);
        Layer decoder = new Sequential(List.of(dense(2, 8, rng), ActivationLayer.elu(1), new Unflatten(2, 2, 2), up));
        return new Vae(encoder, new GaussianLatent(2, 23), decoder);
    }

    private static Tensor binary(SplittableRandom rng, int... shape) {
        Tensor x = Tensor.zeros(DType.FLOAT64, shape);
        for (int i = 0; i < x.size(); i++) {
            x.set(i, rng.nextBoolean() ? 1 : 0);
        }
        return x;
    }

    private static GradientCheck.Loss elbo(ElboObjective objective, Tensor x) {
        return new GradientCheck.Loss() {
            @Override
            public double loss(Tensor output) {
                return objective.loss(output, x);
            }

            @Override
            public Tensor gradient() {
                return objective.gradient();
            }
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"dense", "conv"})
    void elboGradientMatchesFiniteDifferences(String kind) {
        SplittableRandom rng = new SplittableRandom(kind.length());
        Vae vae = kind.equals("dense") ? denseVae(rng) : convVae(rng);
        Tensor x = kind.equals("dense") ? binary(rng, 3, 6) : binary(rng, 3, 1, 4, 4);
        // The targets are a copy: the checker perturbs the model's input x, not the images the likelihood scores.
        GradientCheck.Report r = GradientCheck.create().checkWithLoss(vae, x, elbo(new ElboObjective(2), x.copy())).assertPassed();
        assertEquals(1 + vae.params().size(), r.tensors().size(), "the input and every parameter were checked");
        if (kind.equals("conv")) {
            assertEquals(true, ModelTree.namedParams(vae).containsKey("decoder.3.weight_g"),
                    "the transposed convolution is weight-normed, named as PyTorch would: " + ModelTree.namedParams(vae).keySet());
        }
    }

    @Test
    void elboEqualsAReferenceComputedAnotherWay() {
        SplittableRandom rng = new SplittableRandom(5);
        Vae vae = denseVae(rng);
        Tensor x = binary(rng, 4, 6);
        ElboObjective objective = new ElboObjective(2);
        double loss = objective.loss(vae.forward(x, Mode.TRAIN), x);
        double[] totals = new double[3];
        objective.metricTotals(totals);
        Tensor eps = vae.latent().epsilon().copy();

        // Reference: the encoder and decoder run on their own, z formed by hand, the log-likelihood
        // from log σ(l) and log(1 − σ(l)), the KL from the Gaussians' log-densities' closed form per dimension.
        Tensor h = vae.encoder().forward(x, Mode.TRAIN).copy();
        Tensor z = Tensor.zeros(DType.FLOAT64, 4, 2);
        double klSum = 0;
        for (int n = 0; n < 4; n++) {
            for (int j = 0; j < 2; j++) {
                double mu = h.get(n * 4 + j), sigma = Math.exp(h.get(n * 4 + 2 + j));
                z.set(n * 2 + j, mu + sigma * eps.get(n * 2 + j));
                klSum += Math.log(1 / sigma) + (sigma * sigma + mu * mu) / 2 - 0.5;   // KL(N(μ, σ²) ‖ N(0, 1))
            }
        }
        Tensor logits = vae.decoder().forward(z, Mode.TRAIN);
        double reconSum = 0;
        for (int i = 0; i < logits.size(); i++) {
            double p = 1 / (1 + Math.exp(-logits.get(i)));
            reconSum += x.get(i) == 1 ? Math.log(p) : Math.log(1 - p);
        }
        assertEquals(reconSum, totals[1], 1e-12, "reconstruction: log p(x|z) summed over pixels and examples");
        assertEquals(klSum, totals[2], 1e-12, "KL summed over examples");
        assertEquals(reconSum - klSum, totals[0], 1e-12, "ELBO = log p(x|z) − KL");
        assertEquals(-(reconSum - klSum) / 4, loss, 1e-12, "the loss is the mean −ELBO per image");
        assertEquals(List.of("elbo", "reconstruction", "kl"), objective.metricNames());
    }

    @Test
    void theOutputHoldsLogitsThenH() {
        SplittableRandom rng = new SplittableRandom(6);
        Vae vae = convVae(rng);
        Tensor x = binary(rng, 2, 1, 4, 4);
        Tensor out = vae.forward(x, Mode.EVAL);
        assertArrayEquals(new int[] {2, 16 + 4}, out.shape());
        assertEquals(List.of("encoder", "latent", "decoder"), List.copyOf(vae.children().keySet()));
        for (Param p : vae.params()) {
            assertEquals(DType.FLOAT64, p.value().dtype());
        }
        assertThrows(IllegalArgumentException.class, () -> new ElboObjective(2).loss(out, binary(rng, 2, 1, 4, 3)));
    }
}
