package org.weightnorm4j.generative;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.nn.GradientCheck;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.ModelTree;
import org.weightnorm4j.nn.SoftplusLogSigma;
import org.weightnorm4j.optim.Adamax;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.train.TrainStep;

/**
 * The benchmark's reference VAE: the peer's parameter counts (the one number that shows the
 * architecture was transcribed layer for layer), the output layout, that Adamax through
 * {@link TrainStep} trains it, and a float64 gradient check of a reduced copy (8×8, 2 channels) of
 * the same architecture, softplus σ included.
 */
class ReferenceVaeTest {

    private static Tensor binary(SplittableRandom rng, DType dtype, int... shape) {
        Tensor x = Tensor.zeros(dtype, shape);
        for (int i = 0; i < x.size(); i++) {
            x.set(i, rng.nextBoolean() ? 1 : 0);
        }
        return x;
    }

    @Test
    void parameterCountsAreThePeers() {
        // torch_vae_peer.py prints these counts (README-peers.md): the weight-normed model adds one g per output unit.
        assertEquals(1_662_277L, ModelTree.parameterCount(ReferenceVae.build(false, 1)));
        assertEquals(1_665_578L, ModelTree.parameterCount(ReferenceVae.build(true, 1)));
    }

    @Test
    void outputIsLogitsThenMuAndLogSigma() {
        Vae vae = ReferenceVae.build(true, 2);
        Tensor x = binary(new SplittableRandom(3), DType.FLOAT32, 2, 1, 28, 28);
        Tensor out = vae.forward(x, Mode.TRAIN);
        assertArrayEquals(new int[] {2, 784 + 64}, out.shape(), "784 logits, then μ (32) and log σ (32)");
        for (int n = 0; n < 2; n++) {
            for (int j = 0; j < 32; j++) {
                // log σ = log(softplus(s) + 1e-4) >= log 1e-4: the floor holds
                assertTrue(out.get(n * 848 + 784 + 32 + j) >= Math.log(ReferenceVae.SIGMA_FLOOR) - 1e-6);
            }
        }
    }

    @Test
    void adamaxStepsLowerTheLossOnAFixedBatch() {
        ReferenceVae.Sizes small = new ReferenceVae.Sizes(4, 8, 32, 4, 28);
        Vae vae = ReferenceVae.build(small, true, DType.FLOAT32, 4);
        Tensor x = binary(new SplittableRandom(5), DType.FLOAT32, 4, 1, 28, 28);
        TrainStep<Tensor> step = new TrainStep<>(vae, new Adamax(ModelTree.namedParams(vae), 2e-3, 0.9, 0.999, 1e-8),
                new ElboObjective(small.latent()), null);
        double first = step.run(x, x, 1, 1, null);
        double last = first;
        for (int k = 2; k <= 40; k++) {
            last = step.run(x, x, k, 1, null);
        }
        // −ELBO starts near 784·log 2 ≈ 543 nats; a single sample of ε per step makes it noisy, so the
        // check is a clear drop over 40 steps rather than a drop at every step.
        assertTrue(last < first - 20, "−ELBO " + first + " → " + last);
    }

    @Test
    void reducedCopyGradientMatchesFiniteDifferences() {
        ReferenceVae.Sizes tiny = new ReferenceVae.Sizes(2, 2, 3, 2, 8);
        for (boolean wn : new boolean[] {false, true}) {
            Vae vae = ReferenceVae.build(tiny, wn, DType.FLOAT64, 6);
            Tensor x = binary(new SplittableRandom(7), DType.FLOAT64, 2, 1, 8, 8);
            ElboObjective objective = new ElboObjective(tiny.latent());
            Tensor targets = x.copy();   // the checker perturbs the input, not the images the likelihood scores
            GradientCheck.Report r = GradientCheck.create().checkWithLoss(vae, x, new GradientCheck.Loss() {
                @Override
                public double loss(Tensor output) {
                    return objective.loss(output, targets);
                }

                @Override
                public Tensor gradient() {
                    return objective.gradient();
                }
            }).assertPassed();
            assertEquals(1 + vae.params().size(), r.tensors().size(), "the input and every parameter were checked (wn " + wn + ")");
        }
    }

    @Test
    void softplusLogSigmaGradientMatchesFiniteDifferences() {
        // Large |s| too: softplus is evaluated in its overflow-free form, and σ hits the 1e-4 floor for s ≪ 0.
        Tensor h = Tensor.zeros(DType.FLOAT64, 2, 6);
        double[] values = {0.3, -1.2, 2.0, -30, 40, 0.0, 1.5, 0.7, -0.4, -8, 3, -2};
        for (int i = 0; i < values.length; i++) {
            h.set(i, values[i]);
        }
        SoftplusLogSigma layer = new SoftplusLogSigma(3, ReferenceVae.SIGMA_FLOOR);
        Tensor out = layer.forward(h, Mode.TRAIN).copy();
        assertEquals(0.3, out.get(0), 0, "μ passes through");
        assertEquals(Math.log(Math.log1p(Math.exp(-30)) + 1e-4), out.get(3), 1e-15);
        assertEquals(Math.log(40 + Math.log1p(Math.exp(-40)) + 1e-4), out.get(4), 1e-12);
        Tensor dy = Tensor.zeros(DType.FLOAT64, 2, 6);
        SplittableRandom rng = new SplittableRandom(8);
        for (int i = 0; i < dy.size(); i++) {
            dy.set(i, rng.nextDouble(-1, 1));
        }
        Tensor dx = layer.backward(dy).copy();
        double step = 1e-6;
        for (int i = 0; i < h.size(); i++) {
            double keep = h.get(i);
            h.set(i, keep + step);
            double plus = dot(layer.forward(h, Mode.TRAIN), dy);
            h.set(i, keep - step);
            double minus = dot(layer.forward(h, Mode.TRAIN), dy);
            h.set(i, keep);
            assertEquals((plus - minus) / (2 * step), dx.get(i), 1e-7 * Math.max(1, Math.abs(dx.get(i))), "element " + i);
        }
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += a.get(i) * b.get(i);
        }
        return s;
    }
}
