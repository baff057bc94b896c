package org.weightnorm4j.experiments;

import static org.weightnorm4j.experiments.DerivationSteps.dot;
import static org.weightnorm4j.experiments.DerivationSteps.norm;
import static org.weightnorm4j.experiments.DerivationSteps.scale;

/**
 * The numbers behind the picture of §2.1's norm growth for a unit with two inputs: a plain SGD
 * step {@code Δv = −η ∇v L} is perpendicular to {@code v} (Eq. 4: {@code ∇v L ⊥ w ∥ v}), so it is
 * tangent to the circle of radius {@code ‖v‖}, and {@code v' = v + Δv} lies outside it:
 * {@code ‖v'‖² = ‖v‖² + ‖Δv‖²} (Pythagoras).
 *
 * @param v       {@code v}
 * @param step    {@code Δv = −η ∇v L}
 * @param next    {@code v' = v + Δv}
 * @param lr      {@code η}, chosen so that {@code ‖Δv‖} is the given share of {@code ‖v‖} and visible
 */
public record TangentStepFigure(double[] v, double[] step, double[] next, double lr) {

    /**
     * @param v          the unit's {@code v}
     * @param gradV      its {@code ∇v L}
     * @param stepShare  {@code ‖Δv‖/‖v‖} to draw (the identity holds for any step; a visible one is chosen)
     */
    public static TangentStepFigure of(double[] v, double[] gradV, double stepShare) {
        if (v.length != 2 || gradV.length != 2) {
            throw new IllegalArgumentException("the tangent-step figure is two-dimensional");
        }
        if (!(stepShare > 0) || norm(gradV) == 0) {
            throw new IllegalArgumentException("the tangent-step figure needs a positive step share and ∇v L ≠ 0");
        }
        double lr = stepShare * norm(v) / norm(gradV);
        double[] step = scale(-lr, gradV);                                  // Δv = −η ∇v L, plain SGD
        double[] next = {v[0] + step[0], v[1] + step[1]};                   // v' = v + Δv
        return new TangentStepFigure(v, step, next, lr);
    }

    public double normV() {
        return norm(v);
    }

    public double normStep() {
        return norm(step);
    }

    public double normNext() {
        return norm(next);
    }

    /** {@code Δv · v / (‖Δv‖ ‖v‖)}: 0 when the step is tangent to the circle. */
    public double cosineStepV() {
        return dot(step, v) / (normStep() * normV());
    }

    /** {@code ‖v'‖² − (‖v‖² + ‖Δv‖²)}: 0 by Pythagoras. */
    public double pythagorasGap() {
        return dot(next, next) - (dot(v, v) + dot(step, step));
    }
}
