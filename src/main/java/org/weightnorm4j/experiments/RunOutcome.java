package org.weightnorm4j.experiments;

import java.util.List;
import java.util.OptionalDouble;
import org.weightnorm4j.norm.Parameterization;

/**
 * How one parameterization's run of an experiment ended.
 *
 * @param param           the parameterization
 * @param diverged        whether training stopped on a non-finite loss or gradient
 * @param message         why it diverged (the trainer's message), else empty
 * @param epochs          the metrics of every completed epoch
 * @param segments        mean training loss over each tenth of an epoch (see {@link EpochHistory})
 * @param parameters      trainable parameter count of the model
 * @param imagesPerSecond training throughput over the completed epochs
 * @param reused          whether this run had already finished in an earlier invocation and was not rerun
 */
public record RunOutcome(Parameterization param, boolean diverged, String message, List<EpochHistory.Point> epochs,
                         List<EpochHistory.Segment> segments, long parameters, double imagesPerSecond, boolean reused) {

    public RunOutcome {
        epochs = List.copyOf(epochs);
        segments = List.copyOf(segments);
    }

    /** The last completed epoch, or null when none completed. */
    public EpochHistory.Point last() {
        return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
    }

    /** The lowest segment-mean training loss reached, or NaN when no segment completed. */
    public double bestTrainLoss() {
        double best = Double.NaN;
        for (EpochHistory.Segment s : segments) {
            if (Double.isFinite(s.meanLoss()) && !(s.meanLoss() >= best)) {
                best = s.meanLoss();
            }
        }
        return best;
    }

    /**
     * When the training loss first fell to {@code target} or below: the end, in epochs, of the first
     * segment (a tenth of an epoch) whose mean minibatch loss is at or below it, if any.
     */
    public OptionalDouble firstReached(double target) {
        for (EpochHistory.Segment s : segments) {
            if (s.meanLoss() <= target) {
                return OptionalDouble.of(s.epoch());
            }
        }
        return OptionalDouble.empty();
    }
}
