package org.weightnorm4j.experiments;

import java.util.List;

/**
 * What {@code weightnorm compare} measured.
 *
 * @param workload   the model and data
 * @param settings   the recipe shared by every run
 * @param outcomes   one per parameterization, in the order asked
 * @param lossTarget the training loss whose first crossing is compared (given, or chosen by {@link #autoTarget})
 * @param targetGiven whether the user gave the target
 */
public record CompareResult(Workload workload, CompareExperiment.Settings settings, List<RunOutcome> outcomes,
                            double lossTarget, boolean targetGiven) {

    public CompareResult {
        outcomes = List.copyOf(outcomes);
    }

    /**
     * The target used when none is given: the highest of the runs' best training losses (segment
     * means, see {@link RunOutcome#bestTrainLoss}), i.e. the lowest loss that every run which did not
     * diverge reached. When each run reached it can then always be compared. NaN when no run
     * completed a segment.
     */
    public static double autoTarget(List<RunOutcome> outcomes) {
        double target = Double.NaN;
        for (RunOutcome o : outcomes) {
            double best = o.bestTrainLoss();
            if (!o.diverged() && Double.isFinite(best) && !(best <= target)) {
                target = best;
            }
        }
        return target;
    }
}
