package org.weightnorm4j.train;

import java.util.List;
import org.weightnorm4j.nn.SoftmaxCrossEntropy;
import org.weightnorm4j.tensor.Tensor;

/**
 * The default {@link Objective}: mean softmax cross-entropy of class logits {@code [N, classes]}
 * against integer labels ({@link SoftmaxCrossEntropy}, PyTorch's {@code F.cross_entropy}), with one
 * metric, {@link Objective#ACCURACY}: the number of rows whose arg max is the label. It delegates to
 * a {@link SoftmaxCrossEntropy}, so its loss and gradient are those of that class, bit for bit.
 */
public final class SoftmaxCrossEntropyObjective implements Objective<int[]> {
    private static final List<String> METRICS = List.of(ACCURACY);
    private final SoftmaxCrossEntropy crossEntropy = new SoftmaxCrossEntropy();

    @Override
    public double loss(Tensor output, int[] labels) {
        return crossEntropy.forward(output, labels);
    }

    @Override
    public Tensor gradient() {
        return crossEntropy.backward();
    }

    @Override
    public List<String> metricNames() {
        return METRICS;
    }

    /** {@code into[0]}: how many rows of the last minibatch were classified correctly. */
    @Override
    public void metricTotals(double[] into) {
        into[0] = crossEntropy.correctCount();
    }

    /** The underlying loss, for its probabilities and predictions of the last minibatch. */
    public SoftmaxCrossEntropy crossEntropy() {
        return crossEntropy;
    }
}
