package org.weightnorm4j.nn;

import org.weightnorm4j.tensor.Tensor;

/**
 * Reuse of a layer's work tensors across calls: reallocates only when type or shape change.
 *
 * <p>Internal: public only so that the layers of other packages ({@code norm}) can use it; not
 * part of the public API, and may change without notice.
 */
public final class Buffers {
    private Buffers() {
    }

    /** {@code current} when it already has the type and shape of {@code like}/{@code shape}, else a new zero tensor. */
    public static Tensor ensure(Tensor current, Tensor like, int... shape) {
        if (current != null && current.dtype() == like.dtype() && current.hasShape(shape)) {
            return current;
        }
        return like.zerosLike(shape);
    }

    /**
     * One tensor per step ({@code steps} of them, each {@link #ensure}d to {@code shape}): the
     * per-step outputs a step-driven recurrent layer hands out ({@link LstmCell}, {@link StepDense}).
     */
    public static Tensor[] ensurePerStep(Tensor[] current, Tensor like, int steps, int... shape) {
        Tensor[] out = current != null && current.length >= steps ? current : new Tensor[steps];
        for (int t = 0; t < steps; t++) {
            out[t] = ensure(out[t], like, shape);
        }
        return out;
    }
}
