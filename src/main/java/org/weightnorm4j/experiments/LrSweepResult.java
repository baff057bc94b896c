package org.weightnorm4j.experiments;

import java.util.List;
import java.util.OptionalDouble;
import org.weightnorm4j.norm.Parameterization;

/**
 * What {@code weightnorm lr-sweep} measured: one point per parameterization and learning rate.
 */
public record LrSweepResult(Workload workload, LrSweep.Settings settings, List<LrSweep.Point> points) {

    public LrSweepResult {
        points = List.copyOf(points);
    }

    /** The points of one parameterization, learning rates increasing. */
    public List<LrSweep.Point> of(Parameterization p) {
        return points.stream().filter(x -> x.param() == p).toList();
    }

    /** The smallest learning rate at which {@code p} diverged, if any. */
    public OptionalDouble smallestDiverging(Parameterization p) {
        return of(p).stream().filter(LrSweep.Point::diverged).mapToDouble(LrSweep.Point::lr).min();
    }

    /** The largest learning rate at which {@code p} trained without diverging, if any. */
    public OptionalDouble largestStable(Parameterization p) {
        return of(p).stream().filter(x -> !x.diverged()).mapToDouble(LrSweep.Point::lr).max();
    }
}
