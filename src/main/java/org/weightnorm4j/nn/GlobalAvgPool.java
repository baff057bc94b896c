package org.weightnorm4j.nn;

import java.util.Arrays;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Tensor;

/**
 * Global average pooling followed by flattening: {@code [N, C, H, W] → [N, C]}, each output the
 * mean of one channel over all positions. The last step of the paper's CIFAR model (and of the
 * {@code cnn} preset) before the classifier.
 *
 * <p>This one layer is PyTorch's <em>two</em> modules {@code nn.AdaptiveAvgPool2d(1)} and
 * {@code nn.Flatten()}; it says so through {@link PyTorchModules}, so that {@link Sequential}
 * gives the layers after it the same state-dict indices as PyTorch.
 */
public final class GlobalAvgPool implements Layer, PyTorchModules {
    private int[] inputShape;
    private Tensor y;
    private Tensor dx;

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException(describe() + ": expected an input [N, C, H, W] but got "
                    + Arrays.toString(x.shape()));
        }
        if (x.dim(2) == 0 || x.dim(3) == 0) {
            throw new IllegalArgumentException(describe() + ": input " + Arrays.toString(x.shape())
                    + " has no spatial positions to average");
        }
        inputShape = x.shape();
        y = Buffers.ensure(y, x, x.dim(0), x.dim(1));
        Kernels.globalAvgPoolForward(x, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (inputShape == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        dy.requireShape(describe() + " backward: gradient for the output of input " + Arrays.toString(inputShape),
                inputShape[0], inputShape[1]);
        dx = Buffers.ensure(dx, dy, inputShape);
        Kernels.globalAvgPoolBackward(dy, dx);
        return dx;
    }

    /** AdaptiveAvgPool2d(1) and Flatten. */
    @Override
    public int pyTorchModuleCount() {
        return 2;
    }

    @Override
    public String describe() {
        return "GlobalAvgPool (AdaptiveAvgPool2d(1) + Flatten)";
    }
}
