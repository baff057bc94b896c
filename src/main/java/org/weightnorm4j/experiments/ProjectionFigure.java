package org.weightnorm4j.experiments;

import static org.weightnorm4j.experiments.DerivationSteps.dot;
import static org.weightnorm4j.experiments.DerivationSteps.minus;
import static org.weightnorm4j.experiments.DerivationSteps.norm;
import static org.weightnorm4j.experiments.DerivationSteps.scale;

/**
 * The numbers behind the picture of Eq. 4 for a unit with two inputs (of a layer's units, the one
 * whose {@code ∇w L} is closest to 45° from {@code w}, where both parts are large enough to see): {@code ∇w L} splits into
 * its component along {@code w}, which {@code M_w} removes, and the rest, {@code M_w ∇w L};
 * {@code ∇v L} is the rest scaled by {@code g/‖v‖}, so it is perpendicular to {@code w}.
 *
 * @param unit    which unit of the layer is drawn
 * @param w       the weight, Eq. 2
 * @param gradW   {@code ∇w L}
 * @param removed {@code (w · ∇w L / ‖w‖²) w}: the component along w that M_w removes
 * @param kept    {@code M_w ∇w L = ∇w L − removed}
 * @param gradV   {@code ∇v L} by Eq. 3 (the library's), which Eq. 4 says is {@code (g/‖v‖) kept}
 * @param gOverNormV {@code g/‖v‖}
 */
public record ProjectionFigure(int unit, double[] w, double[] gradW, double[] removed, double[] kept, double[] gradV,
                               double gOverNormV) {

    /**
     * @param r an {@link Explain} result of units with two inputs (at least two units: with one, softmax
     *          cross-entropy is constant and every gradient is 0)
     * @return the vectors of the unit whose split is the easiest to see
     */
    public static ProjectionFigure of(ExplainResult r) {
        if (r.instance().in() != 2) {
            throw new IllegalArgumentException("the projection figure is of units with two inputs, not " + r.instance().in());
        }
        int unit = 0;
        double best = Double.POSITIVE_INFINITY;
        for (int u = 0; u < r.instance().out(); u++) {
            double[] w = row(r.w(), u);
            double[] gw = row(r.gradW(), u);
            double cos = Math.abs(dot(w, gw)) / (norm(w) * norm(gw));
            double off = Math.abs(cos - Math.sqrt(0.5));                    // 45°: removed and kept parts equally long
            if (off < best) {
                best = off;
                unit = u;
            }
        }
        double[] w = row(r.w(), unit);
        double[] gradW = row(r.gradW(), unit);
        double[] removed = scale(dot(w, gradW) / dot(w, w), w);           // (w wᵀ/‖w‖²) ∇w L
        double[] kept = minus(gradW, removed);                             // (I − w wᵀ/‖w‖²) ∇w L = M_w ∇w L
        return new ProjectionFigure(unit, w, gradW, removed, kept, row(r.gradVEq3(), unit), r.g()[unit] / r.normV()[unit]);
    }

    /** Row {@code u} of a {@code [out, 2]} array. */
    static double[] row(double[] rows, int u) {
        return new double[] {rows[2 * u], rows[2 * u + 1]};
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
