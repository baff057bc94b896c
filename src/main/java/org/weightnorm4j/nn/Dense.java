package org.weightnorm4j.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.GemmBlocking;
import org.weightnorm4j.tensor.KernelProvider;
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
    /** The direction laid out for the GEMM while the weights are held ({@link #holdWeights}), else unused. */
    private PassWeight held;
    private boolean holding;

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
        u = Buffers.ensure(u, input, n, out);
        if (!holding) {
            scaleShift.prepare(describe());                                  // held: s computed at holdWeights
        }
        if (holding && input.isFloat32()) {
            input.requireSameType(describe(), weights.direction());
            held.multiply(n, input, 0, in, u, 0, out, false);                // u = x dᵀ, d laid out at holdWeights
        } else {
            Kernels.matmul(input, false, weights.direction(), true, u, false);    // u = x dᵀ
        }
        return scaleShift.forward(u);                                        // y = s ⊙ u + b
    }

    /**
     * Declares the weights constant until {@link #releaseWeights}: the scale {@code s = g/||v||}
     * (Eq. 2) is computed and the direction laid out for the GEMM ({@link PassWeight}) now, once,
     * instead of at every forward. For a network that is only read between rare changes, such as
     * DQN's target network between syncs: laying out the 128 x 1024 weight of MinAtar's hidden layer
     * took 70-100 µs of every target forward. Forwards give the same bits as without holding.
     *
     * <p>The caller must not change the weights while they are held (nothing could notice: the
     * forward reads the copy made here); to change them, {@link #releaseWeights} (or hold again
     * after the change, which takes the new values).
     */
    public void holdWeights() {
        if (held == null) {
            held = new PassWeight(describe() + " (weights held constant)");
        }
        scaleShift.prepare(describe());
        if (weights.direction().isFloat32()) {
            held.pack(weights.direction(), true, in, out, in);      // float64 products stay Kernels.matmul's
        }
        holding = true;
    }

    /** Ends {@link #holdWeights}: forwards read the weights as they are again. Does nothing when not holding. */
    public void releaseWeights() {
        if (holding) {
            held.release();
            holding = false;
        }
    }

    /** Whether the weights are held ({@link #holdWeights}). */
    public boolean holdsWeights() {
        return holding;
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

    /** Whether a product {@code depth} deep is one depth block of the float32 GEMM (which then adds C once). */
    private static boolean oneDepthBlock(int depth) {
        GemmBlocking blocking = KernelProvider.gemmBlocking();
        return blocking != null && depth <= blocking.kc();
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
        Tensor target = weights.gradientTarget();
        if (target != null && target.isFloat32() && dy.isFloat32() && oneDepthBlock(x.dim(0))) {
            // ∇w L added by the GEMM as it writes each tile, instead of written to a scratch and added
            // after: the same bits, since over one depth block the GEMM adds each finished tile to C
            // exactly as the add did (deeper, it would add block by block; docs/RELIABILITY.md).
            Kernels.matmul(dy, true, x, false, target, true);              // ∇w += ∇yᵀ x
            return scaleShift.backward(dy, null, forInput);
        }
        gradW = Buffers.ensure(gradW, dy, out, in);
        Kernels.matmul(dy, true, x, false, gradW, false);                  // ∇w L = ∇yᵀ x
        return scaleShift.backward(dy, gradW, forInput);                 // Eq. 3, ∇b, s ⊙ ∇y
    }
}
