package org.weightnorm4j.nn;

import java.util.Arrays;
import org.weightnorm4j.tensor.Tensor;

/**
 * A layer run one step at a time by a recurrent loop outside it, with backpropagation through time
 * driven from outside too ({@link LstmCell}, {@link StepDense}): for a model whose input at step
 * {@code t} depends on its own output at {@code t − 1}, so that no whole sequence exists up front.
 *
 * <p>Call order for a pass of at most {@code T} steps: {@link #begin} (the weights are fixed for the
 * pass), {@link #step} for {@code t = 0, 1, ...}, {@link #backwardStep} for the steps run (an
 * {@link LstmCell} needs them from the last back), then {@link #finishBackward}, which accumulates
 * the parameter gradients of the whole pass (one GEMM over all steps). As a plain {@link Layer} it
 * is one step from nothing: {@code forward(x)} is {@code begin(1, N, x); step(0, x)}.
 */
public interface StepLayer extends Layer {

    /** Width of each step's input {@code [N, in]}. */
    int stepInputSize();

    /** Starts a pass of at most {@code steps} steps over {@code batch} rows, in {@code like}'s dtype. */
    void begin(int steps, int batch, Tensor like);

    /** Step {@code t} (the next one) on {@code x [N, in]}; returns the layer's output tensor for that step, valid until the next {@link #begin}. */
    Tensor step(int t, Tensor x);

    /** Given the gradient reaching step {@code t}'s output from outside the layer, returns {@code ∂L/∂x_t} (the layer's buffer, overwritten by the next call). */
    Tensor backwardStep(int t, Tensor dy);

    /** Accumulates the parameter gradients of every step gone back through since {@link #begin}. */
    void finishBackward();

    /** One step from nothing. */
    @Override
    default Tensor forward(Tensor x, Mode mode) {
        if (x.rank() != 2 || x.dim(1) != stepInputSize()) {
            throw new IllegalArgumentException(describe() + ": expected input [N, " + stepInputSize() + "] but got "
                    + Arrays.toString(x.shape()));
        }
        begin(1, x.dim(0), x);
        return step(0, x);
    }

    /** The backward of {@link #forward}: one step, then the parameter gradients. */
    @Override
    default Tensor backward(Tensor dy) {
        Tensor dx = backwardStep(0, dy);
        finishBackward();
        return dx;
    }
}
