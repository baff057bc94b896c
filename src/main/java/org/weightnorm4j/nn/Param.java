package org.weightnorm4j.nn;

import org.weightnorm4j.tensor.Tensor;

/**
 * A trainable tensor and its gradient. Layers accumulate into {@link #grad()} during backward;
 * zeroing is an explicit step ({@link #zeroGrad()}), taken once per optimizer step.
 *
 * <p>The name is the PyTorch state-dict name used in checkpoints, e.g. {@code "0.weight_v"}.
 */
public final class Param {
    private final String name;
    private final Tensor value;
    private final Tensor grad;

    public Param(String name, Tensor value) {
        this.name = name;
        this.value = value;
        this.grad = value.zerosLike();
    }

    public String name() {
        return name;
    }

    public Tensor value() {
        return value;
    }

    public Tensor grad() {
        return grad;
    }

    public void zeroGrad() {
        grad.fill(0);
    }

    @Override
    public String toString() {
        return name + value;
    }
}
