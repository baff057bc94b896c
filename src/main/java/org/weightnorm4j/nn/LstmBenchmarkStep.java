package org.weightnorm4j.nn;

import org.weightnorm4j.tensor.Tensor;

/**
 * The timed step of {@code bench lstm} (the peer's {@code lstm-fwd-bwd}): zero the gradients,
 * forward over the sequence, backward from a fixed output gradient (the peer's loss is the sum
 * of all outputs, so ∂L/∂y = 1), no optimizer. Not a training step ({@code train.TrainStep} is the
 * only one); it lives here because only the layers and the training step zero gradients.
 */
public final class LstmBenchmarkStep {
    private LstmBenchmarkStep() {
    }

    /** One forward + backward; into the input too when {@code inputGrad}. */
    public static void run(Lstm lstm, Tensor x, Tensor dy, boolean inputGrad) {
        lstm.params().forEach(Param::zeroGrad);
        lstm.forward(x, Mode.TRAIN);
        if (inputGrad) {
            lstm.backward(dy);
        } else {
            lstm.backwardParamsOnly(dy);
        }
    }
}
