package org.weightnorm4j.nn;

import java.util.List;
import java.util.Map;
import org.weightnorm4j.tensor.Tensor;

/**
 * A layer with an explicit forward and backward pass (no autograd tape: every gradient is
 * written out by hand, as in the paper).
 *
 * <p>Lifecycle: {@code forward(x, mode)} caches what backward needs; {@code backward(dy)} returns
 * {@code dx} and <em>accumulates</em> into each {@link Param#grad()}; zeroing gradients is the
 * caller's explicit step. The returned tensors belong to the layer and are overwritten by the
 * next call (layers reuse their buffers); copy them to keep them.
 */
public interface Layer {

    /** Computes the output for a batch. */
    Tensor forward(Tensor x, Mode mode);

    /** Given the gradient of the loss with respect to the last output, returns the one with respect to its input. */
    Tensor backward(Tensor dy);

    /**
     * Accumulates the parameter gradients exactly as {@link #backward} does, for a layer whose
     * input gradient nobody needs (the first trainable layer of a model, whose input is the data).
     * Layers that can then skip work override it; the default runs {@link #backward}.
     */
    default void backwardParamsOnly(Tensor dy) {
        backward(dy);
    }

    /** Trainable parameters, with local PyTorch names such as {@code "weight_v"}, {@code "bias"}. */
    default List<Param> params() {
        return List.of();
    }

    /** Non-trainable state saved in checkpoints, e.g. {@code "running_mean"}. */
    default Map<String, Tensor> buffers() {
        return Map.of();
    }

    /** One line for logs and summaries, e.g. {@code "Conv2d(64->64, 3x3, pad 1, wn)"}. */
    String describe();
}
