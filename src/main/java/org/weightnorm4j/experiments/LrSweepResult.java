package org.weightnorm4j.experiments;

import java.util.List;
import java.util.OptionalDouble;
import org.weightnorm4j.norm.Parameterization;

/**
 * What {@code weightnorm lr-sweep} measured: one point per parameterization and learning rate.
 *
 * <p>A run <em>failed</em> when it diverged (non-finite loss or gradient) or when it blew up without
 * overflowing: its final training loss is above twice the chance level {@code ln K} (K classes;
 * {@code ln K} is the loss of predicting the uniform distribution). A slow run that is still near
 * {@code ln K} at a tiny learning rate is not a failure in this sense.
 */
public record LrSweepResult(Workload workload, LrSweep.Settings settings, List<LrSweep.Point> points) {

    public LrSweepResult {
        points = List.copyOf(points);
    }

    /** The points of one parameterization, learning rates increasing. */
    public List<LrSweep.Point> of(Parameterization p) {
        return points.stream().filter(x -> x.param() == p).toList();
    }

    /** {@code ln K}: the cross-entropy of predicting the uniform distribution over the K classes. */
    public double chanceLoss() {
        return Math.log(workload.data().train().classes());
    }

    /** The final training loss above which a finite run counts as blown up: {@code 2 ln K}. */
    public double blowUpLoss() {
        return 2 * chanceLoss();
    }

    /** Whether a point diverged or blew up (final training loss above {@link #blowUpLoss()}). */
    public boolean failed(LrSweep.Point p) {
        return p.diverged() || !(p.trainLoss() <= blowUpLoss());
    }

    /** The smallest learning rate at which {@code p} failed, if any. */
    public OptionalDouble smallestFailing(Parameterization p) {
        return of(p).stream().filter(this::failed).mapToDouble(LrSweep.Point::lr).min();
    }

    /** The largest learning rate at which {@code p} trained (did not fail), if any. */
    public OptionalDouble largestStable(Parameterization p) {
        return of(p).stream().filter(x -> !failed(x)).mapToDouble(LrSweep.Point::lr).max();
    }

    /** {@code "diverged at step N"}, {@code "blew up: final loss above 2 ln K"} or {@code "trained"}. */
    public String status(LrSweep.Point p) {
        return p.diverged() ? "diverged at step " + p.divergedAtStep()
                : failed(p) ? "blew up: final loss above 2 ln K" : "trained";
    }
}
