package org.weightnorm4j.experiments;

import java.util.List;
import java.util.OptionalInt;
import org.weightnorm4j.norm.Parameterization;

/**
 * How one parameterization's run of an experiment ended.
 *
 * @param param           the parameterization
 * @param diverged        whether training stopped on a non-finite loss or gradient
 * @param message         why it diverged (the trainer's message), else empty
 * @param epochs          the metrics of every completed epoch
 * @param parameters      trainable parameter count of the model
 * @param imagesPerSecond training throughput over the completed epochs
 * @param reused          whether this run had already finished in an earlier invocation and was not rerun
 */
public record RunOutcome(Parameterization param, boolean diverged, String message, List<EpochHistory.Point> epochs,
                         long parameters, double imagesPerSecond, boolean reused) {

    public RunOutcome {
        epochs = List.copyOf(epochs);
    }

    /** The last completed epoch, or null when none completed. */
    public EpochHistory.Point last() {
        return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
    }

    /** The lowest epoch-mean training loss reached, or NaN when no epoch completed. */
    public double bestTrainLoss() {
        double best = Double.NaN;
        for (EpochHistory.Point p : epochs) {
            if (Double.isFinite(p.trainLoss()) && !(p.trainLoss() >= best)) {
                best = p.trainLoss();
            }
        }
        return best;
    }

    /** The first epoch (from 1) whose mean training loss is at or below {@code target}, if any. */
    public OptionalInt firstEpochAtOrBelow(double target) {
        for (EpochHistory.Point p : epochs) {
            if (p.trainLoss() <= target) {
                return OptionalInt.of(p.epoch());
            }
        }
        return OptionalInt.empty();
    }
}
