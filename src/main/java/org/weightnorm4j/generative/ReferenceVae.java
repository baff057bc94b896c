package org.weightnorm4j.generative;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.weightnorm4j.nn.ActivationLayer;
import org.weightnorm4j.nn.Conv2d;
import org.weightnorm4j.nn.ConvTranspose2d;
import org.weightnorm4j.nn.Dense;
import org.weightnorm4j.nn.Flatten;
import org.weightnorm4j.nn.GaussianLatent;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.nn.PlainWeights;
import org.weightnorm4j.nn.Residual;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.nn.SoftplusLogSigma;
import org.weightnorm4j.nn.Unflatten;
import org.weightnorm4j.norm.WeightNorm;
import org.weightnorm4j.tensor.ConvSpec;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * The benchmark peers' reference {@code vae} ({@code shared/bench/torch_vae_peer.py}), layer for
 * layer, so that {@code weightnorm bench vae} times the same model:
 * <pre>
 *   ResBlock(c): y = x + conv3x3(ELU(conv3x3(ELU(x))))                  (padding 1)
 *   encoder: conv(1→16) R16 R16, conv(16→32, s2) R32 R32, conv(32→32, s2) R32 R32, ELU, Flatten 1568,
 *            Linear(1568, 450), ELU, Linear(450, 64), then [μ, s] → [μ, log(softplus(s) + 1e-4)]
 *   latent:  z = μ + σ ε, σ = softplus(s) + 1e-4                          ({@link SoftplusLogSigma} then
 *            {@link GaussianLatent}, whose σ = exp(log σ) is the same σ)
 *   decoder: Linear(32, 450), ELU, Linear(450, 1568), reshape 32×7×7, R32 R32, ConvT(32→32, 4, s2, p1),
 *            R32 R32, ConvT(32→16, 4, s2, p1), R16 R16, ELU, conv(16→1) → logits [N, 1, 28, 28]
 * </pre>
 * With weight norm, every Conv2d and Linear is normalized over dim 0 and every ConvTranspose2d over
 * dim 1 (its output channels), as the peer's {@code torch.nn.utils.weight_norm} calls are. 1,662,277
 * parameters, 1,665,578 with weight norm (the peer's counts). The loss is {@link ElboObjective}.
 *
 * <p>{@link #build(Sizes, boolean, DType, long)} takes the sizes so that tests can gradient-check a
 * reduced copy of the same architecture (8×8 images, a few channels) in float64.
 */
public final class ReferenceVae {
    /** {@code σ = softplus(s) + SIGMA_FLOOR}, the peer's. */
    public static final double SIGMA_FLOOR = 1e-4;

    /**
     * The sizes: channels {@code c1} (the first stage and the last) and {@code c2}, the dense
     * layer's {@code hidden}, the {@code latent} dimensions and the square image side, which must
     * be divisible by 4 (two stride-2 stages).
     */
    public record Sizes(int c1, int c2, int hidden, int latent, int image) implements java.io.Serializable {
        public Sizes {
            if (c1 < 1 || c2 < 1 || hidden < 1 || latent < 1 || image < 4 || image % 4 != 0) {
                throw new IllegalArgumentException("ReferenceVae: sizes must be positive and the image side divisible by 4, got "
                        + c1 + ", " + c2 + ", " + hidden + ", " + latent + ", " + image);
            }
        }

        /** The peer's: 16, 32 channels, 450 hidden, 32 latent, 28×28. */
        public static Sizes reference() {
            return new Sizes(16, 32, 450, 32, 28);
        }

        int flat() {
            return c2 * (image / 4) * (image / 4);
        }
    }

    private ReferenceVae() {
    }

    /** The peer's model in float32, weight-normed if {@code weightNorm}; {@code seed} sets the weights and ε's stream. */
    public static Vae build(boolean weightNorm, long seed) {
        return build(Sizes.reference(), weightNorm, DType.FLOAT32, seed);
    }

    public static Vae build(Sizes s, boolean weightNorm, DType dtype, long seed) {
        Factory f = new Factory(weightNorm, dtype, new java.util.SplittableRandom(seed));
        List<Layer> enc = new ArrayList<>();
        enc.add(f.conv(1, s.c1, 1));
        enc.add(f.res(s.c1));
        enc.add(f.res(s.c1));
        enc.add(f.conv(s.c1, s.c2, 2));
        enc.add(f.res(s.c2));
        enc.add(f.res(s.c2));
        enc.add(f.conv(s.c2, s.c2, 2));
        enc.add(f.res(s.c2));
        enc.add(f.res(s.c2));
        enc.add(ActivationLayer.elu(1));
        enc.add(new Flatten());
        enc.add(f.dense(s.flat(), s.hidden));
        enc.add(ActivationLayer.elu(1));
        enc.add(f.dense(s.hidden, 2 * s.latent));
        enc.add(new SoftplusLogSigma(s.latent, SIGMA_FLOOR));

        List<Layer> dec = new ArrayList<>();
        dec.add(f.dense(s.latent, s.hidden));
        dec.add(ActivationLayer.elu(1));
        dec.add(f.dense(s.hidden, s.flat()));
        dec.add(new Unflatten(s.c2, s.image / 4, s.image / 4));
        dec.add(f.res(s.c2));
        dec.add(f.res(s.c2));
        dec.add(f.convT(s.c2, s.c2));
        dec.add(f.res(s.c2));
        dec.add(f.res(s.c2));
        dec.add(f.convT(s.c2, s.c1));
        dec.add(f.res(s.c1));
        dec.add(f.res(s.c1));
        dec.add(ActivationLayer.elu(1));
        dec.add(f.conv(s.c1, 1, 1));
        return new Vae(new Sequential(enc), new GaussianLatent(s.latent, seed + 1), new Sequential(dec));
    }

    /** Builds each weighted layer with PyTorch's default initialisation, weight-normed as the peer does. */
    private record Factory(boolean weightNorm, DType dtype, RandomGenerator rng) {
        Layer conv(int in, int out, int stride) {
            Conv2d c = new Conv2d(PlainWeights.pytorchDefault(new int[] {out, in, 3, 3}, true, dtype, rng), new ConvSpec(stride, 1));
            return weightNorm ? WeightNorm.apply(c, 0) : c;
        }

        Layer dense(int in, int out) {
            Dense d = new Dense(PlainWeights.pytorchDefault(new int[] {out, in}, true, dtype, rng));
            return weightNorm ? WeightNorm.apply(d, 0) : d;
        }

        /** ConvT(in → out, 4, stride 2, padding 1): doubles the side. PyTorch's fan-in for [in, out, k, k] is out·k·k. */
        Layer convT(int in, int out) {
            int fanIn = out * 16;
            double bound = 1 / Math.sqrt(fanIn);              // kaiming_uniform(a=√5) and the bias both give U(±1/√fan_in)
            Tensor w = Tensor.zeros(dtype, in, out, 4, 4);
            Tensor b = Tensor.zeros(dtype, out);
            for (int i = 0; i < w.size(); i++) {
                w.set(i, rng.nextDouble(-bound, bound));
            }
            for (int i = 0; i < b.size(); i++) {
                b.set(i, rng.nextDouble(-bound, bound));
            }
            ConvTranspose2d t = new ConvTranspose2d(new PlainWeights(w, null), b, new ConvSpec(2, 1), 0);
            return weightNorm ? WeightNorm.apply(t, 1) : t;  // dim 1: one norm per output channel
        }

        /** y = x + conv(ELU(conv(ELU(x)))), c → c, padding 1. */
        Layer res(int c) {
            return new Residual(new Sequential(List.of(ActivationLayer.elu(1), conv(c, c, 1), ActivationLayer.elu(1), conv(c, c, 1))));
        }
    }
}
