package org.weightnorm4j.nn;

import java.util.Arrays;
import java.util.List;

/**
 * What the two fully connected layers, {@link Dense} (a whole batch at once) and {@link StepDense}
 * (one step of a recurrent loop at a time), share: the {@code [out, in]} weights from a
 * {@link LinearWeights}, their scale and shift ({@code y = s ⊙ u + b}, {@link ScaleShift}), and the
 * checks and names around them. The arithmetic is each subclass's own.
 */
abstract sealed class AbstractDense implements LinearLayer permits Dense, StepDense {
    private final String name;
    final LinearWeights weights;
    final ScaleShift scaleShift;
    final int in;
    final int out;

    /** {@code name}: the class as errors and {@link #describe()} name it. */
    AbstractDense(String name, LinearWeights weights) {
        int[] shape = weights.shape();
        if (shape.length != 2) {
            throw new IllegalArgumentException(name + ": weights must be [out, in] but are " + Arrays.toString(shape));
        }
        this.name = name;
        this.weights = weights;
        this.scaleShift = new ScaleShift(weights);
        this.out = shape[0];
        this.in = shape[1];
    }

    public final int in() {
        return in;
    }

    public final int out() {
        return out;
    }

    @Override
    public final LinearWeights weights() {
        return weights;
    }

    /** {@code other}, once checked to have this layer's shape (for {@link #withWeights(LinearWeights)}). */
    final LinearWeights sameShape(LinearWeights other) {
        if (!Arrays.equals(other.shape(), weights.shape())) {
            throw new IllegalArgumentException(describe() + ": new weights " + Arrays.toString(other.shape())
                    + " do not match " + Arrays.toString(weights.shape()));
        }
        return other;
    }

    @Override
    public final List<Param> params() {
        return weights.params();
    }

    @Override
    public final String describe() {
        return name + "(" + in + "->" + out + ", " + weights.kind() + (weights.bias() == null ? ", no bias" : "") + ")";
    }
}
