package org.weightnorm4j.nn;

import java.util.List;
import org.weightnorm4j.tensor.Tensor;

/**
 * How a linear layer ({@link Dense}, {@link Conv2d}) gets its weights: the layer is composed
 * with one of these, it never switches behaviour on a flag.
 *
 * <p>Every parameterization in this library is of the form {@code w = s ⊙ d} per output unit,
 * where {@code d} is a stored tensor of the weight's shape and {@code s} a per-unit scale:
 * <ul>
 *   <li>plain weights: {@code d = w}, no scale;</li>
 *   <li>weight normalization (Eq. 2 of Salimans &amp; Kingma): {@code d = v}, {@code s = g/||v||}.</li>
 * </ul>
 * So a layer computes {@code u = d · x} with its ordinary GEMM or convolution, then
 * {@code y = s ⊙ u + b}, and the full weight {@code w} is never built in the hot path.
 *
 * <p>Call order per step: {@link #prepareScale} (once per forward), then, in backward,
 * {@link #accumulateGradients} with {@code ∇w L}.
 */
public interface LinearWeights {

    /** Shape of the weight: {@code [out, in]} for dense, {@code [out, in, kh, kw]} for conv. */
    int[] shape();

    /** The stored tensor {@code d} the layer multiplies by: {@code w} (plain) or {@code v} (weight norm). */
    Tensor direction();

    /**
     * Computes the per-unit scale for this forward pass and returns it ({@code [out]}), or
     * {@code null} when the parameterization has no scale (plain weights).
     *
     * @param layer names the layer in error messages (e.g. a zero {@code v} row)
     */
    Tensor prepareScale(String layer);

    /** The bias parameter ({@code [out]}), or {@code null} when the layer has none. */
    Param bias();

    /**
     * Given {@code G = ∇w L} (shape {@link #shape()}, computed by the layer's usual
     * weight-gradient GEMM or convolution), accumulates the gradients of the stored parameters.
     * The bias gradient is accumulated by the layer itself.
     */
    void accumulateGradients(Tensor gradW);

    /**
     * Where the layer may add {@code ∇w L} itself, as its weight-gradient product's output, instead
     * of handing it to {@link #accumulateGradients}: the gradient of the stored weight when it takes
     * {@code ∇w L} as it is (plain weights), {@code null} when {@link #accumulateGradients}
     * transforms it (weight norm's Eq. 3). Saves the product's scratch and a pass over it: for the
     * 128 x 1024 hidden layer of the DQN, a 512 KiB buffer written, then read again by the add.
     */
    default Tensor gradientTarget() {
        return null;
    }

    /** All trainable parameters with their local PyTorch names, in PyTorch's state-dict order: {@code weight, bias} or {@code bias, weight_g, weight_v}. */
    List<Param> params();

    /** Short name for descriptions: {@code "normal"} or {@code "wn"}. */
    String kind();
}
