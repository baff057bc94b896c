package org.weightnorm4j.nn;

import java.util.Arrays;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Tensor;

/**
 * 2x2 max pooling with stride 2 over NCHW images: {@code [N, C, H, W] → [N, C, H/2, W/2]}, as
 * PyTorch's {@code nn.MaxPool2d(2)} (an odd last row or column is dropped). Forward records
 * which input won each window; backward routes each output gradient to that input (the first
 * maximum on ties, as PyTorch does). No parameters.
 */
public final class MaxPool2d implements Layer {
    private int[] inputShape;
    private int[] argmax = new int[0];
    private Tensor y;
    private Tensor dx;

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException(describe() + ": expected an input [N, C, H, W] but got "
                    + Arrays.toString(x.shape()) + " (flatten after pooling, not before)");
        }
        if (x.dim(2) < 2 || x.dim(3) < 2) {
            throw new IllegalArgumentException(describe() + ": input " + Arrays.toString(x.shape())
                    + " is smaller than the 2x2 window; it needs H >= 2 and W >= 2");
        }
        inputShape = x.shape();
        y = Buffers.ensure(y, x, x.dim(0), x.dim(1), x.dim(2) / 2, x.dim(3) / 2);
        if (argmax.length != y.size()) {
            argmax = new int[y.size()];
        }
        Kernels.maxPool2x2Forward(x, y, argmax);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (inputShape == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        dy.requireShape(describe() + " backward: gradient for the output of input " + Arrays.toString(inputShape), y.shape());
        dx = Buffers.ensure(dx, dy, inputShape);
        Kernels.maxPool2x2Backward(dy, argmax, dx);
        return dx;
    }

    @Override
    public String describe() {
        return "MaxPool2d(2x2, stride 2)";
    }
}
