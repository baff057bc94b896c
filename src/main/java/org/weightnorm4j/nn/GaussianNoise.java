package org.weightnorm4j.nn;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.weightnorm4j.tensor.Tensor;

/**
 * Additive Gaussian noise in training only: {@code y = x + σ ε}, {@code ε ~ N(0, 1)} element-wise;
 * the identity in evaluation. The paper's CIFAR-10 model applies it to the input with
 * {@code σ = 0.15} (appendix of Salimans &amp; Kingma 2016; {@code GaussianNoise} in
 * {@code ../shared/bench/torch_peer.py}). Since the noise does not depend on {@code x},
 * {@code ∂y/∂x = I} and backward passes the gradient through unchanged.
 *
 * <p>The noise of training call {@code k} comes from
 * {@link RandomStreams#forCall(long, long) RandomStreams.forCall(seed, k)}: reproducible, and
 * resumable from the {@link #randomCounter() counter}. In {@link Mode#EVAL} forward returns its input
 * itself; backward always returns its gradient itself.
 */
public final class GaussianNoise implements Layer, RandomState {
    private final double sigma;
    private long seed;
    private long counter;
    private Tensor y;
    private int[] inputShape;

    /** Noise of standard deviation {@code sigma} ≥ 0 and seed 0 (a {@link Sequential.Builder} reseeds it). */
    public GaussianNoise(double sigma) {
        this(sigma, 0);
    }

    /** Noise of standard deviation {@code sigma} ≥ 0 with an explicit seed. */
    public GaussianNoise(double sigma, long seed) {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("GaussianNoise sigma must be finite and >= 0, got " + sigma);
        }
        this.sigma = sigma;
        this.seed = seed;
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
        SplittableRandom rng = RandomStreams.forCall(seed, counter++);
        y = Buffers.ensure(y, x, inputShape);
        int n = x.size();
        if (x.isFloat32()) {
            float[] in = x.data(), out = y.data();
            for (int i = 0; i < n; i++) {
                out[i] = (float) (in[i] + sigma * rng.nextGaussian());
            }
        } else {
            double[] in = x.data64(), out = y.data64();
            for (int i = 0; i < n; i++) {
                out[i] = in[i] + sigma * rng.nextGaussian();
            }
        }
        return y;
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
    public long randomSeed() {
        return seed;
    }

    @Override
    public void setRandomSeed(long seed) {
        this.seed = seed;
    }

    @Override
    public long randomCounter() {
        return counter;
    }

    @Override
    public void setRandomCounter(long counter) {
        if (counter < 0) {
            throw new IllegalArgumentException(describe() + ": random counter must be non-negative, got " + counter);
        }
        this.counter = counter;
    }

    @Override
    public String describe() {
        return "GaussianNoise(sigma=" + sigma + ")";
    }
}
