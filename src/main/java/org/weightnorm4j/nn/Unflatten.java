package org.weightnorm4j.nn;

import java.util.Arrays;
import org.weightnorm4j.tensor.Tensor;

/**
 * {@code [N, d1·d2·...] → [N, d1, d2, ...]}, as PyTorch's {@code nn.Unflatten(1, (d1, d2, ...))}:
 * what a decoder needs between its dense layer and its first transposed convolution. The output is
 * a view sharing the input's data (no copy), and so is the gradient. No parameters.
 */
public final class Unflatten implements Layer {
    private final int[] shape;
    private int[] inputShape;

    /** Each example's shape after the layer, e.g. {@code (32, 7, 7)}. */
    public Unflatten(int... shape) {
        if (shape.length == 0 || Arrays.stream(shape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("Unflatten: expected positive sizes, got " + Arrays.toString(shape));
        }
        this.shape = shape.clone();
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (x.rank() != 2 || x.dim(1) != Tensor.sizeOf(shape)) {
            throw new IllegalArgumentException(describe() + ": expected an input [N, " + Tensor.sizeOf(shape) + "] but got "
                    + Arrays.toString(x.shape()));
        }
        inputShape = x.shape();
        int[] out = new int[shape.length + 1];
        out[0] = x.dim(0);
        System.arraycopy(shape, 0, out, 1, shape.length);
        return x.reshape(out);
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (inputShape == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        if (dy.size() != Tensor.sizeOf(inputShape) || dy.dim(0) != inputShape[0]) {
            throw new IllegalArgumentException(describe() + " backward: gradient " + Arrays.toString(dy.shape())
                    + " does not fit the input " + Arrays.toString(inputShape));
        }
        return dy.reshape(inputShape);
    }

    @Override
    public String describe() {
        return "Unflatten" + Arrays.toString(shape).replace('[', '(').replace(']', ')');
    }
}
