package org.weightnorm4j.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Tensor;

/**
 * A fully connected layer, {@code x [N, in] → y [N, out]}, whose weights come from a
 * {@link LinearWeights} (plain or weight-normalized). Images must be flattened first
 * ({@code Flatten}).
 *
 * <p>Forward: {@code u = x dᵀ} (one GEMM with the stored direction {@code d}), then
 * {@code y = s ⊙ u + b} per output unit. Backward, given {@code ∇y}: {@code ∇w L = ∇yᵀ x}
 * (one GEMM) handed to the weights, {@code ∇b = Σ_n ∇y}, and {@code ∇x = (s ⊙ ∇y) d}.
 */
public final class Dense extends AbstractDense {
    private Tensor x;
    private Tensor u;
    private Tensor gradW;
    private Tensor dx;

    /**
     * A dense layer {@code in → out} with a bias and PyTorch's default initialisation (as
     * {@code nn.Linear(in, out)}); put weight norm on it with {@code WeightNorm.apply(layer)}.
     */
    public Dense(int in, int out, RandomGenerator rng) {
        this(in, out, true, rng);
    }

    /** A dense layer {@code in → out}, with or without a bias, PyTorch's default initialisation in float32. */
    public Dense(int in, int out, boolean bias, RandomGenerator rng) {
        this(PlainWeights.pytorchDefault(new int[] {out, in}, bias, DType.FLOAT32, rng));
    }

    /** A dense layer with these weights ({@code [out, in]}). */
    public Dense(LinearWeights weights) {
        super("Dense", weights);
    }

    @Override
    public Dense withWeights(LinearWeights other) {
        return new Dense(sameShape(other));
    }

    @Override
    public Tensor forward(Tensor input, Mode mode) {
        if (input.rank() != 2 || input.dim(1) != in) {
            throw new IllegalArgumentException(describe() + ": expected input [N, " + in + "] but got "
                    + Arrays.toString(input.shape()) + (input.rank() > 2 ? "; add a Flatten layer before it" : ""));
        }
        x = input;
        int n = input.dim(0);
        scaleShift.prepare(describe());
        u = Buffers.ensure(u, input, n, out);
        Kernels.matmul(input, false, weights.direction(), true, u, false);    // u = x dᵀ
        return scaleShift.forward(u);                                        // y = s ⊙ u + b
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor g = parameterGradients(dy, true);
        dx = Buffers.ensure(dx, dy, x.dim(0), in);
        Kernels.matmul(g, false, weights.direction(), false, dx, false);    // ∇x = (s ⊙ ∇y) d
        return dx;
    }

    /** Skips the ∇x GEMM (for 784 inputs, a fifth of the mlp's arithmetic per step). */
    @Override
    public void backwardParamsOnly(Tensor dy) {
        parameterGradients(dy, false);
    }

    /**
     * Accumulates ∇w and ∇b; returns the gradient that ∇x multiplies into {@code d}
     * ({@code s ⊙ ∇y}, formed only when {@code forInput}).
     */
    private Tensor parameterGradients(Tensor dy, boolean forInput) {
        if (x == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        dy.requireShape(describe() + " output gradient", x.dim(0), out);
        gradW = Buffers.ensure(gradW, dy, out, in);
        Kernels.matmul(dy, true, x, false, gradW, false);                  // ∇w L = ∇yᵀ x
        return scaleShift.backward(dy, gradW, forInput);                 // Eq. 3, ∇b, s ⊙ ∇y
    }
}
