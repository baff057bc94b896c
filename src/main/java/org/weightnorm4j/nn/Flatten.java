package org.weightnorm4j.nn;

import java.util.Arrays;
import org.weightnorm4j.tensor.Tensor;

/**
 * {@code [N, d1, d2, ...] → [N, d1·d2·...]}, as PyTorch's {@code nn.Flatten()}. The output is a
 * view sharing the input's data (no copy), and so is the gradient. No parameters.
 */
public final class Flatten implements Layer {
    private int[] inputShape;

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (x.rank() < 2) {
            throw new IllegalArgumentException(describe() + ": expected an input [N, ...] of rank at least 2 but got "
                    + Arrays.toString(x.shape()));
        }
        inputShape = x.shape();
        return x.reshape(x.dim(0), x.sizeFrom(1));
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (inputShape == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        dy.requireShape(describe() + " backward: gradient for the output of input " + Arrays.toString(inputShape),
                inputShape[0], Tensor.sizeOf(Arrays.copyOfRange(inputShape, 1, inputShape.length)));
        return dy.reshape(inputShape);
    }

    @Override
    public String describe() {
        return "Flatten";
    }
}
