package org.weightnorm4j.train;

import org.weightnorm4j.data.BatchIterator;
import org.weightnorm4j.data.Dataset;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.nn.Mode;

/**
 * Loss and accuracy of a model on a whole dataset, in evaluation mode (no dropout or noise; batch
 * norms use their running statistics), visiting the examples in order.
 *
 * @param loss     mean loss over the examples (cross-entropy unless another objective was given):
 *                 each batch's loss weighted by its size
 * @param accuracy fraction classified correctly (NaN if the objective reports no {@link Objective#ACCURACY})
 * @param examples number of examples
 */
public record Evaluation(double loss, double accuracy, int examples) {

    /** Evaluates {@code model} on every example of {@code data}, {@code batchSize} at a time, by softmax cross-entropy. */
    public static Evaluation of(Layer model, Dataset data, int batchSize) {
        return of(model, data, batchSize, Objective.softmaxCrossEntropy());
    }

    /**
     * Evaluates {@code model} on every example of {@code data}, {@code batchSize} at a time, by
     * {@code objective} (its {@link Objective#loss} and {@link Objective#metricTotals} only).
     */
    public static Evaluation of(Layer model, Dataset data, int batchSize, Objective<int[]> objective) {
        BatchIterator it = new BatchIterator(data, Math.min(batchSize, data.size()), false, 0,
                BatchIterator.LastBatch.KEEP, org.weightnorm4j.data.Augmentation.NONE);
        it.startEpoch(0);
        int accuracy = objective.metricNames().indexOf(Objective.ACCURACY);
        double[] totals = new double[objective.metricNames().size()];
        double lossSum = 0;
        long correct = 0;
        while (it.hasNext()) {
            BatchIterator.Batch b = it.next();
            lossSum += objective.loss(model.forward(b.images(), Mode.EVAL), b.labels()) * b.size();
            if (accuracy >= 0) {
                objective.metricTotals(totals);
                correct += (long) totals[accuracy];
            }
        }
        return new Evaluation(lossSum / data.size(), accuracy < 0 ? Double.NaN : (double) correct / data.size(),
                data.size());
    }
}
