package org.weightnorm4j.nn;

import java.util.SplittableRandom;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Tensor;

/**
 * Inverted dropout (Srivastava et al. 2014), as PyTorch's {@code nn.Dropout(p)}: in training each
 * element is zeroed with probability {@code p} and the survivors are scaled by {@code 1/(1−p)}, so
 * the expected output equals the input and evaluation is the identity.
 *
 * <p>Forward in training draws a mask {@code m} (entries 0 or {@code 1/(1−p)}) and returns
 * {@code y = m ⊙ x}; backward returns {@code dx = m ⊙ dy} with the same mask. The mask of training
 * call {@code k} comes from {@link RandomStreams#forCall(long, long) RandomStreams.forCall(seed, k)},
 * so runs are reproducible and a restored {@link #setRandomCounter counter} resumes them exactly.
 *
 * <p>In {@link Mode#EVAL} (or with {@code p = 0}) forward returns its input itself and backward its
 * gradient itself, without copying.
 */
public final class Dropout implements Layer, RandomState {
    private final double p;
    private long seed;
    private long counter;
    private Tensor mask;
    private Tensor y;
    private Tensor dx;
    private int[] inputShape;
    private boolean masked;

    /** Dropout with drop probability {@code p} in [0, 1) and seed 0 (a {@link Sequential.Builder} reseeds it). */
    public Dropout(double p) {
        this(p, 0);
    }

    /** Dropout with drop probability {@code p} in [0, 1) and an explicit seed. */
    public Dropout(double p, long seed) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("Dropout probability must be in [0, 1), got " + p
                    + " (p = 1 would drop everything and scale by infinity)");
        }
        this.p = p;
        this.seed = seed;
    }

    /** The drop probability. */
    public double p() {
        return p;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        inputShape = x.shape();
        masked = mode == Mode.TRAIN && p > 0;
        if (!masked) {
            return x;
        }
        mask = Buffers.ensure(mask, x, inputShape);
        drawMask(RandomStreams.forCall(seed, counter++));
        y = Buffers.ensure(y, x, inputShape);
        Kernels.mul(x, mask, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (inputShape == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        dy.requireShape(describe() + " backward: gradient must have the shape of the last input", inputShape);
        if (!masked) {
            return dy;
        }
        dx = Buffers.ensure(dx, dy, inputShape);
        Kernels.mul(dy, mask, dx);
        return dx;
    }

    /** Fills the mask: 0 with probability p, else 1/(1−p). */
    private void drawMask(SplittableRandom rng) {
        double keepScale = 1.0 / (1.0 - p);
        int n = mask.size();
        if (mask.isFloat32()) {
            float[] m = mask.data();
            float scale = (float) keepScale;
            for (int i = 0; i < n; i++) {
                m[i] = rng.nextDouble() < p ? 0f : scale;
            }
        } else {
            double[] m = mask.data64();
            for (int i = 0; i < n; i++) {
                m[i] = rng.nextDouble() < p ? 0.0 : keepScale;
            }
        }
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
        return "Dropout(p=" + p + ")";
    }
}
