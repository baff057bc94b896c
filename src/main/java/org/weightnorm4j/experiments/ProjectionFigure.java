package org.weightnorm4j.experiments;

import static org.weightnorm4j.experiments.DerivationSteps.dot;
import static org.weightnorm4j.experiments.DerivationSteps.minus;
import static org.weightnorm4j.experiments.DerivationSteps.norm;
import static org.weightnorm4j.experiments.DerivationSteps.scale;

/**
 * The numbers behind the picture of Eq. 4 for a unit with two inputs: {@code ∇w L} splits into
 * its component along {@code w}, which {@code M_w} removes, and the rest, {@code M_w ∇w L};
 * {@code ∇v L} is the rest scaled by {@code g/‖v‖}, so it is perpendicular to {@code w}.
 *
 * @param w       the weight, Eq. 2
 * @param gradW   {@code ∇w L}
 * @param removed {@code (w · ∇w L / ‖w‖²) w}: the component along w that M_w removes
 * @param kept    {@code M_w ∇w L = ∇w L − removed}
 * @param gradV   {@code ∇v L} by Eq. 3 (the library's), which Eq. 4 says is {@code (g/‖v‖) kept}
 * @param gOverNormV {@code g/‖v‖}
 */
public record ProjectionFigure(double[] w, double[] gradW, double[] removed, double[] kept, double[] gradV,
                               double gOverNormV) {

    /**
     * @param r an {@link Explain} result of one unit with two inputs
     * @return the figure's vectors
     */
    public static ProjectionFigure of(ExplainResult r) {
        if (r.instance().in() != 2 || r.instance().out() != 1) {
            throw new IllegalArgumentException("the projection figure is of one unit with two inputs, not "
                    + r.instance().out() + "x" + r.instance().in());
        }
        double[] w = r.w();
        double[] gradW = r.gradW();
        double[] removed = scale(dot(w, gradW) / dot(w, w), w);           // (w wᵀ/‖w‖²) ∇w L
        double[] kept = minus(gradW, removed);                             // (I − w wᵀ/‖w‖²) ∇w L = M_w ∇w L
        return new ProjectionFigure(w, gradW, removed, kept, r.gradVEq3(), r.g()[0] / r.normV()[0]);
    }

    /** {@code |removed × w| / (‖removed‖ ‖w‖)}: the sine of the angle between them, 0 when parallel. */
    public double sineRemovedW() {
        double n = norm(removed) * norm(w);
        return n == 0 ? 0 : Math.abs(removed[0] * w[1] - removed[1] * w[0]) / n;
    }

    /** {@code ∇v L · w}: 0 by Eq. 4. */
    public double gradVDotW() {
        return dot(gradV, w);
    }

    /** {@code max|∇v L − (g/‖v‖) M_w ∇w L|}: Eq. 4 on the picture's numbers. */
    public double eq4Gap() {
        return DerivationSteps.maxAbsDiff(gradV, scale(gOverNormV, kept));
    }
}
