package org.weightnorm4j.nn;

import java.util.function.IntConsumer;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Tensor;

/**
 * Inverted dropout (Srivastava et al. 2014), as PyTorch's {@code nn.Dropout(p)}: in training each
 * element is zeroed with probability {@code p} and the survivors are scaled by {@code 1/(1−p)}, so
 * the expected output equals the input and evaluation is the identity.
 *
 * <p>Forward in training draws a mask {@code m} (entries 0 or {@code 1/(1−p)}) and returns
 * {@code y = m ⊙ x}, drawing and applying the mask in one pass; backward returns
 * {@code dx = m ⊙ dy} with the same mask.
 *
 * <p><b>Randomness.</b> Element {@code i} of training call {@code k} is dropped when
 * {@link RandomBlocks#bits53 its 53 uniform bits}, a hash of (seed, {@code k}, {@code i}), read as a
 * number in [0, 1), are below {@code p}. These are exactly the numbers the
 * {@code i}-th {@code nextDouble()} of {@link RandomStreams#forCall(long, long) RandomStreams.forCall(seed, k)}
 * gives (the sequential stream of earlier versions, so their checkpoints resume to the same masks),
 * but each element can be drawn on its own: the mask is drawn in blocks spread over the
 * {@link org.weightnorm4j.tensor.Parallel} threads, bit-identical for any thread count. Runs are
 * reproducible and a restored {@link #setRandomCounter counter} resumes them exactly.
 *
 * <p>In {@link Mode#EVAL} (or with {@code p = 0}) forward returns its input itself and backward its
 * gradient itself, without copying.
 */
public final class Dropout extends RandomLayer {
    private final double p;
    /** An element is dropped when its 53 random bits are below this: {@code u < p} with {@code u = bits·2^-53}. */
    private final long dropBelow;
    /** Bound once, so that a training call allocates nothing. */
    private final IntConsumer drawBlock = this::drawBlock;
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
        super(seed);
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("Dropout probability must be in [0, 1), got " + p
                    + " (p = 1 would drop everything and scale by infinity)");
        }
        this.p = p;
        // bits < p·2^53 ⇔ bits < ⌈p·2^53⌉ for an integer bits; p·2^53 is exact (a power-of-two scaling).
        this.dropBelow = (long) Math.ceil(p * 0x1p53);
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
        y = Buffers.ensure(y, x, inputShape);
        drawInBlocks(x, drawBlock);
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

    /**
     * Draws block {@code b} of the mask (0 with probability p, else 1/(1−p)) and applies it: {@code y = m ⊙ x}.
     * The keep-or-drop choice is a coin flip the branch predictor cannot learn, so it is made without a
     * branch: {@code keep} is all ones when the element's bits are at or above {@link #dropBelow}
     * (their difference is then non-negative; both are below 2^53, so it cannot overflow) and zero
     * otherwise, and masks the bits of the scale. 6.5 → 1.4 ms for 1.25 million elements on one thread.
     */
    private void drawBlock(int b) {
        int n = mask.size();
        int from = RandomBlocks.start(b), to = RandomBlocks.end(b, n);
        double keepScale = 1.0 / (1.0 - p);
        long state = RandomBlocks.state(key(), from);
        if (mask.isFloat32()) {
            float[] in = input().data(), m = mask.data(), out = y.data();
            int scaleBits = Float.floatToRawIntBits((float) keepScale);
            for (int i = from; i < to; i++, state = RandomBlocks.nextState(state)) {
                long keep = ~((RandomBlocks.bits53OfState(state) - dropBelow) >> 63);
                float mi = Float.intBitsToFloat(scaleBits & (int) keep);
                m[i] = mi;
                out[i] = in[i] * mi;
            }
        } else {
            double[] in = input().data64(), m = mask.data64(), out = y.data64();
            long scaleBits = Double.doubleToRawLongBits(keepScale);
            for (int i = from; i < to; i++, state = RandomBlocks.nextState(state)) {
                long keep = ~((RandomBlocks.bits53OfState(state) - dropBelow) >> 63);
                double mi = Double.longBitsToDouble(scaleBits & keep);
                m[i] = mi;
                out[i] = in[i] * mi;
            }
        }
    }

    @Override
    public String describe() {
        return "Dropout(p=" + p + ")";
    }
}
