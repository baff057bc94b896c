package org.weightnorm4j.nn;

import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Tensor;

/**
 * What every linear layer ({@link Dense}, {@link Conv2d}) does around its own GEMM or
 * convolution with the stored direction {@code d}, per output unit and with the scale
 * {@code s = g/||v||} of weight normalization (Eq. 2; plain weights have no scale).
 * <ul>
 *   <li>{@link Dense} scales its outputs, {@code y = s ⊙ u + b}, and its output gradient,
 *       {@code s ⊙ ∇y}: a batch of outputs is smaller than the weights, so {@code w} is never
 *       built.</li>
 *   <li>{@link Conv2d} does the opposite: its outputs are far larger than its filters, so it
 *       convolves with {@link #scaledDirection} ({@code w = s ⊙ d}) and adds the bias inside the
 *       convolution.</li>
 * </ul>
 * Backward, given {@code ∇w L} from the layer's weight-gradient product, both hand it to the
 * weights (Eq. 3) and accumulate the bias gradient here. Holds the per-pass scale and reuses its
 * buffers.
 */
final class ScaleShift {
    private final LinearWeights weights;
    private Tensor scale;
    private Tensor y;
    private Tensor scaledDy;
    private Tensor scaledDirection;

    ScaleShift(LinearWeights weights) {
        this.weights = weights;
    }

    /** Computes this pass's scale {@code s} (null for plain weights); call before the layer's product. */
    void prepare(String layer) {
        scale = weights.prepareScale(layer);
    }

    /** {@code y = s ⊙ u + b}; returns {@code u} itself when there is neither scale nor bias. */
    Tensor forward(Tensor u) {
        Param b = weights.bias();
        if (scale == null && b == null) {
            return u;
        }
        y = Buffers.ensure(y, u, u.shape());
        Kernels.channelScaleShift(u, scale, b == null ? null : b.value(), y);  // y = s ⊙ u + b
        return y;
    }

    /**
     * Hands {@code ∇w L} to the weights (Eq. 3 for weight norm), accumulates {@code ∇b L = Σ ∇y}
     * over batch and space, and returns the gradient the layer's input gradient is formed from:
     * {@code s ⊙ ∇y} when {@code forInput}, else {@code ∇y} (not needed). A null {@code gradW}
     * says the layer already added {@code ∇w L} into {@link LinearWeights#gradientTarget}.
     */
    Tensor backward(Tensor dy, Tensor gradW, boolean forInput) {
        if (gradW != null) {
            weights.accumulateGradients(gradW);
        }
        Param b = weights.bias();
        if (b != null) {
            Kernels.channelSums(dy, b.grad(), true);                            // ∇b L = Σ ∇y
        }
        if (scale == null || !forInput) {
            return dy;
        }
        scaledDy = Buffers.ensure(scaledDy, dy, dy.shape());
        Kernels.channelScaleShift(dy, scale, null, scaledDy);                  // s ⊙ ∇y
        return scaledDy;
    }

    /**
     * The direction scaled unit by unit, {@code s ⊙ d}: with weight normalization that is
     * {@code w = g v/||v||} itself (Eq. 2); without a scale, {@code d}. A convolution's input
     * gradient uses it instead of {@code s ⊙ ∇y}: the same sum, with the scale applied to the
     * filters ({@code O·C·KH·KW} values) rather than to the output gradient
     * ({@code N·O·OH·OW}, a thousand times more in the cnn).
     */
    Tensor scaledDirection(Tensor d) {
        if (scale == null) {
            return d;
        }
        scaledDirection = Buffers.ensure(scaledDirection, d, d.shape());
        int units = d.dim(0), fanIn = d.size() / units;
        Kernels.channelScaleShift(d.reshape(1, units, fanIn), scale, null, scaledDirection.reshape(1, units, fanIn));
        return scaledDirection;                                                 // s ⊙ d = w
    }
}
