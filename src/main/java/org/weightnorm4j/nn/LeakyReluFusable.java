package org.weightnorm4j.nn;

import org.weightnorm4j.tensor.Tensor;

/**
 * A layer that can pass its output through a following ReLU or leaky ReLU in the same sweep over
 * memory. When such a layer is followed in a {@link Sequential} by an {@link ActivationLayer} with
 * a {@link ActivationLayer#leakyReluSlope() slope ≥ 0}, the Sequential runs the pair through these
 * two methods instead of the two layers' own forward and backward: the results are the same bits,
 * but the layer's own output is never written out and read back (docs/ARCHITECTURE.md, "Fused
 * layer pairs").
 *
 * <p>A pair run this way must also be run back this way: after {@link #forwardLeakyRelu},
 * {@link #backwardLeakyRelu} is the backward to call (the layer refuses its plain {@link #backward}).
 */
public interface LeakyReluFusable extends Layer {

    /**
     * {@code z = leakyRelu(forward(x, mode))} with the given slope (0 for ReLU): {@code z} for
     * {@code z > 0}, else {@code slope · z}. The returned tensor belongs to this layer.
     */
    Tensor forwardLeakyRelu(Tensor x, Mode mode, double slope);

    /**
     * Given ∂L/∂z for the {@code z} of the last {@link #forwardLeakyRelu}: accumulates the parameter
     * gradients and returns ∂L/∂x, as the activation's backward followed by this layer's would.
     */
    Tensor backwardLeakyRelu(Tensor dz);
}
