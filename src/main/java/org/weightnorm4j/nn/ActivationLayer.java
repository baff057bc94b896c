package org.weightnorm4j.nn;

import java.util.OptionalDouble;
import org.weightnorm4j.tensor.Activation;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Tensor;

/**
 * An element-wise non-linearity as a layer: {@code y = f(x)} forward, {@code dx = f'(x) ⊙ dy}
 * backward, both through {@link Kernels} (so float64 inputs run on the reference kernels).
 * One class for all of them; build one with the static factories, e.g. {@link #relu()} or
 * {@link #leakyRelu(double) leakyRelu(0.1)} (the paper's CIFAR model). No parameters.
 */
public final class ActivationLayer implements Layer {
    private final Activation f;
    private Tensor x;
    private Tensor y;
    private Tensor dx;

    public ActivationLayer(Activation f) {
        if (f == null) {
            throw new IllegalArgumentException("activation must not be null");
        }
        this.f = f;
    }

    /** ReLU: {@code max(x, 0)}; PyTorch {@code nn.ReLU}. */
    public static ActivationLayer relu() {
        return new ActivationLayer(Activation.RELU);
    }

    /** LeakyReLU: {@code x} for {@code x > 0}, else {@code slope x}; PyTorch {@code nn.LeakyReLU(slope)}. */
    public static ActivationLayer leakyRelu(double slope) {
        return new ActivationLayer(Activation.leakyRelu(slope));
    }

    /** ELU: {@code x} for {@code x > 0}, else {@code alpha (e^x − 1)}; PyTorch {@code nn.ELU(alpha)}. */
    public static ActivationLayer elu(double alpha) {
        return new ActivationLayer(Activation.elu(alpha));
    }

    /** Softplus: {@code log(1 + e^x)}; PyTorch {@code nn.Softplus()} (beta 1). */
    public static ActivationLayer softplus() {
        return new ActivationLayer(Activation.SOFTPLUS);
    }

    /** Hyperbolic tangent; PyTorch {@code nn.Tanh}. */
    public static ActivationLayer tanh() {
        return new ActivationLayer(Activation.TANH);
    }

    /** Logistic sigmoid {@code 1 / (1 + e^-x)}; PyTorch {@code nn.Sigmoid}. */
    public static ActivationLayer sigmoid() {
        return new ActivationLayer(Activation.SIGMOID);
    }

    /** The wrapped function. */
    public Activation activation() {
        return f;
    }

    /**
     * The slope when this is a ReLU (0) or a leaky ReLU with a slope ≥ 0, else empty. For these the
     * derivative can be read from the sign of the output (it is positive exactly when the input is),
     * which is what lets a {@link Sequential} fuse this layer with a {@link LeakyReluFusable} one
     * before it.
     */
    public OptionalDouble leakyReluSlope() {
        return switch (f.kind()) {
            case RELU -> OptionalDouble.of(0);
            case LEAKY_RELU -> f.param() >= 0 ? OptionalDouble.of(f.param()) : OptionalDouble.empty();
            default -> OptionalDouble.empty();
        };
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        this.x = x;
        y = Buffers.ensure(y, x, x.shape());
        Kernels.activationForward(f, x, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (x == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        dy.requireShape(describe() + " backward: gradient must have the shape of the last output", y.shape());
        dx = Buffers.ensure(dx, dy, dy.shape());
        Kernels.activationBackward(f, x, y, dy, dx);
        return dx;
    }

    /**
     * {@code f'(x) ⊙ dy + addend}: {@link #backward} with a tensor added to the result, in one pass
     * over memory for ELU ({@link Kernels#activationBackwardPlus}); the bits of {@link #backward}
     * followed by {@link Kernels#plus}. A {@link Residual} whose body starts with this activation
     * adds its shortcut's gradient here instead of in a pass of its own. The result is this layer's
     * input-gradient buffer, as {@link #backward}'s is.
     */
    public Tensor backwardPlus(Tensor dy, Tensor addend) {
        if (x == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        dy.requireShape(describe() + " backward: gradient must have the shape of the last output", y.shape());
        addend.requireShape(describe() + " backward: the added gradient must have the shape of the last output", y.shape());
        dx = Buffers.ensure(dx, dy, dy.shape());
        Kernels.activationBackwardPlus(f, x, y, dy, addend, dx);
        return dx;
    }

    @Override
    public String describe() {
        return switch (f.kind()) {
            case IDENTITY -> "Identity";
            case RELU -> "ReLU";
            case LEAKY_RELU -> "LeakyReLU(" + f.param() + ")";
            case ELU -> "ELU(" + f.param() + ")";
            case SOFTPLUS -> "Softplus";
            case TANH -> "Tanh";
            case SIGMOID -> "Sigmoid";
        };
    }
}
