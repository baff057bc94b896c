package org.weightnorm4j.nn;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.weightnorm4j.tensor.Tensor;

/**
 * Additive Gaussian noise in training only: {@code y = x + σ ε}, {@code ε ~ N(0, 1)} element-wise;
 * the identity in evaluation. The paper's CIFAR-10 model applies it to the input with
 * {@code σ = 0.15} (appendix of Salimans &amp; Kingma 2016; {@code GaussianNoise} in
 * {@code ../shared/bench/torch_peer.py}). Since the noise does not depend on {@code x},
 * {@code ∂y/∂x = I} and backward passes the gradient through unchanged.
 *
 * <p><b>Randomness.</b> Training call {@code k} draws its noise in blocks of
 * {@value RandomBlocks#BLOCK} elements, block {@code b} from its own generator
 * ({@link RandomBlocks#blockStream}, fixed by the seed, {@code k} and {@code b}), so the blocks run
 * on several threads and the noise is bit-identical for any thread count. (Earlier versions drew
 * the whole call from one sequential stream, {@link RandomStreams#forCall(long, long)}; the noise of
 * a given (seed, {@code k}) has changed since, its reproducibility has not.) A restored
 * {@link #randomCounter() counter} resumes the sequence exactly. In {@link Mode#EVAL} forward
 * returns its input itself; backward always returns its gradient itself.
 */
public final class GaussianNoise extends RandomLayer {
    private final double sigma;
    /** Bound once, so that a training call allocates no task object. */
    private final IntConsumer drawBlock = this::drawBlock;
    private Tensor y;
    private int[] inputShape;

    /** Noise of standard deviation {@code sigma} ≥ 0 and seed 0 (a {@link Sequential.Builder} reseeds it). */
    public GaussianNoise(double sigma) {
        this(sigma, 0);
    }

    /** Noise of standard deviation {@code sigma} ≥ 0 with an explicit seed. */
    public GaussianNoise(double sigma, long seed) {
        super(seed);
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("GaussianNoise sigma must be finite and >= 0, got " + sigma);
        }
        this.sigma = sigma;
    }

    /** The standard deviation of the noise. */
    public double sigma() {
        return sigma;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        inputShape = x.shape();
        if (mode != Mode.TRAIN || sigma == 0) {
            return x;
        }
        y = Buffers.ensure(y, x, inputShape);
        drawInBlocks(x, drawBlock);
        return y;
    }

    /** {@code y = x + σ ε} on block {@code b}, ε from the block's own generator. */
    private void drawBlock(int b) {
        int n = y.size();
        int from = RandomBlocks.start(b), to = RandomBlocks.end(b, n);
        SplittableRandom rng = RandomBlocks.blockStream(key(), b);
        if (y.isFloat32()) {
            float[] in = input().data(), out = y.data();
            for (int i = from; i < to; i++) {
                out[i] = (float) (in[i] + sigma * rng.nextGaussian());
            }
        } else {
            double[] in = input().data64(), out = y.data64();
            for (int i = from; i < to; i++) {
                out[i] = in[i] + sigma * rng.nextGaussian();
            }
        }
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (inputShape == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        dy.requireShape(describe() + " backward: gradient must have the shape of the last input " + Arrays.toString(inputShape),
                inputShape);
        return dy;
    }

    @Override
    public String describe() {
        return "GaussianNoise(sigma=" + sigma + ")";
    }
}
