package org.weightnorm4j.train;

import org.weightnorm4j.data.BatchIterator;
import org.weightnorm4j.data.Dataset;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.SoftmaxCrossEntropy;

/**
 * Loss and accuracy of a model on a whole dataset, in evaluation mode (no dropout or noise; batch
 * norms use their running statistics), visiting the examples in order.
 *
 * @param loss     mean cross-entropy over the examples
 * @param accuracy fraction classified correctly
 * @param examples number of examples
 */
public record Evaluation(double loss, double accuracy, int examples) {

    /** Evaluates {@code model} on every example of {@code data}, {@code batchSize} at a time. */
    public static Evaluation of(Layer model, Dataset data, int batchSize) {
        BatchIterator it = new BatchIterator(data, Math.min(batchSize, data.size()), false, 0,
                BatchIterator.LastBatch.KEEP, org.weightnorm4j.data.Augmentation.NONE);
        it.startEpoch(0);
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        double lossSum = 0;
        long correct = 0;
        while (it.hasNext()) {
            BatchIterator.Batch b = it.next();
            lossSum += ce.forward(model.forward(b.images(), Mode.EVAL), b.labels()) * b.size();
            correct += ce.correctCount();
        }
        return new Evaluation(lossSum / data.size(), (double) correct / data.size(), data.size());
    }
}
