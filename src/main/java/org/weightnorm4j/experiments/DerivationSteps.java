package org.weightnorm4j.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.weightnorm4j.norm.WeightNorm;
import org.weightnorm4j.tensor.Tensor;

/**
 * The algebra from Eq. 3's second line to Eq. 4, one step at a time, each step a formula of its
 * own evaluated on numbers: a wrong step gives a different value, and {@link #firstBrokenStep}
 * says which. Every formula computes {@code ∇v L} for all units of a dense layer (rows of
 * {@code v}, {@code [out, in]}) from {@code ∇w L}, {@code g}, {@code v} and {@code ∇g L}.
 *
 * <p>The steps are those docs/THEORY.md §3 writes in four; here none is skipped.
 */
public final class DerivationSteps {

    private DerivationSteps() {
    }

    /**
     * The numbers a step works on, rows are units.
     *
     * @param out   units
     * @param in    inputs per unit
     * @param gradW {@code ∇w L}, {@code [out, in]} row-major
     * @param g     {@code g}, one per unit
     * @param v     {@code v}, {@code [out, in]} row-major
     * @param gradG {@code ∇g L}, one per unit, as Eq. 3's first line gives it (the library's {@link WeightNorm#gradients})
     */
    public record Instance(int out, int in, double[] gradW, double[] g, double[] v, double[] gradG) {
        public Instance {
            if (gradW.length != out * in || v.length != out * in || g.length != out || gradG.length != out) {
                throw new IllegalArgumentException("derivation instance: expected ∇w L and v of " + out + "x" + in
                        + " and g, ∇g L of " + out + "; got " + gradW.length + ", " + v.length + ", " + g.length
                        + ", " + gradG.length);
            }
        }

        /** An instance whose {@code ∇g L} comes from the library's Eq. 3 ({@link WeightNorm#gradients}). */
        public static Instance of(int out, int in, double[] gradW, double[] g, double[] v) {
            WeightNorm.Gradients eq3 = WeightNorm.gradients(Tensor.wrap(gradW.clone(), out, in), Tensor.wrap(g.clone(), out),
                    Tensor.wrap(v.clone(), out, in), WeightNorm.PER_UNIT, "derivation");
            double[] gradG = new double[out];
            for (int u = 0; u < out; u++) {
                gradG[u] = eq3.gradG().get(u);
            }
            return new Instance(out, in, gradW, g, v, gradG);
        }

        double[] row(double[] a, int u) {
            double[] r = new double[in];
            System.arraycopy(a, u * in, r, 0, in);
            return r;
        }
    }

    /** How one step computes {@code ∇v L} for the whole layer. */
    @FunctionalInterface
    public interface Formula {
        double[] apply(Instance x);
    }

    /** How one step computes {@code ∇v L} of one unit from that unit's {@code ∇w L}, {@code g}, {@code v}, {@code ∇g L}. */
    @FunctionalInterface
    public interface UnitFormula {
        double[] apply(double[] gradW, double g, double[] v, double gradG);
    }

    /**
     * One line of the derivation.
     *
     * @param expression the right-hand side, as printed
     * @param why        why the step is allowed
     * @param formula    the expression, as code
     */
    public record Step(String expression, String why, Formula formula) {
        public Step {
            Objects.requireNonNull(expression, "expression");
            Objects.requireNonNull(why, "why");
            Objects.requireNonNull(formula, "formula");
        }

        /** A step whose formula is applied to each unit (row) on its own. */
        public static Step perUnit(String expression, String why, UnitFormula f) {
            return new Step(expression, why, x -> {
                double[] out = new double[x.out() * x.in()];
                for (int u = 0; u < x.out(); u++) {
                    double[] r = f.apply(x.row(x.gradW(), u), x.g()[u], x.row(x.v(), u), x.gradG()[u]);
                    System.arraycopy(r, 0, out, u * x.in(), x.in());
                }
                return out;
            });
        }
    }

    /**
     * A step with its value on an instance.
     *
     * @param expression             as {@link Step#expression()}
     * @param why                    as {@link Step#why()}
     * @param value                  {@code ∇v L} by this step's formula, {@code [out, in]} row-major
     * @param maxAbsDiffFromPrevious {@code max|value − previous value|}; NaN for the first step
     */
    public record Evaluated(String expression, String why, double[] value, double maxAbsDiffFromPrevious) {
    }

    /** The derivation, Eq. 3's second line first, Eq. 4 last. */
    public static List<Step> eq3ToEq4() {
        return List.of(
                Step.perUnit("∇v L = (g/‖v‖) ∇w L − (g ∇g L/‖v‖²) v",
                        "Eq. 3, second line: the chain rule through w = g v/‖v‖ (Eq. 2), with ∇g L from Eq. 3's first line.",
                        // Eq. 3 (second line) with the number ∇g L as given.
                        (gw, g, v, gradG) -> {
                            double r = norm(v);
                            return minus(scale(g / r, gw), scale(g * gradG / (r * r), v));
                        }),
                Step.perUnit("= (g/‖v‖) ∇w L − (g (∇w L · v/‖v‖)/‖v‖²) v",
                        "Substitute Eq. 3's first line, ∇g L = ∇w L · v/‖v‖, for ∇g L.",
                        (gw, g, v, gradG) -> {
                            double r = norm(v);
                            double gradGEq3 = dot(gw, v) / r;                    // Eq. 3, first line
                            return minus(scale(g / r, gw), scale(g * gradGEq3 / (r * r), v));
                        }),
                Step.perUnit("= (g/‖v‖) ∇w L − (g/‖v‖³) (∇w L · v) v",
                        "Numbers multiply in any order: 1/‖v‖ times 1/‖v‖² is 1/‖v‖³, and the dot product ∇w L · v is one"
                                + " number that scales the vector v.",
                        (gw, g, v, gradG) -> {
                            double r = norm(v);
                            return minus(scale(g / r, gw), scale(g / (r * r * r) * dot(gw, v), v));
                        }),
                Step.perUnit("= (g/‖v‖) [∇w L − (∇w L · v/‖v‖) v/‖v‖]",
                        "Factor out g/‖v‖: what is left of g/‖v‖³ is 1/‖v‖², and one 1/‖v‖ goes to each v, making the"
                                + " unit vector v/‖v‖ twice.",
                        (gw, g, v, gradG) -> {
                            double r = norm(v);
                            double[] dir = scale(1 / r, v);                      // v/‖v‖
                            return scale(g / r, minus(gw, scale(dot(gw, dir), dir)));
                        }),
                Step.perUnit("= (g/‖v‖) [∇w L − (∇w L · w/g) w/g]",
                        "Eq. 2 divided by g (g ≠ 0): v/‖v‖ = w/g, the direction of w.",
                        (gw, g, v, gradG) -> {
                            double r = norm(v);
                            double[] w = scale(g / r, v);                        // Eq. 2
                            double[] dir = scale(1 / g, w);                      // w/g
                            return scale(g / r, minus(gw, scale(dot(gw, dir), dir)));
                        }),
                Step.perUnit("= (g/‖v‖) [∇w L − (w · ∇w L) w/‖w‖²]",
                        "The two 1/g make 1/g², and g² = ‖w‖² because ‖w‖ = |g| (Eq. 2: v/‖v‖ has length 1);"
                                + " the dot product is symmetric, ∇w L · w = w · ∇w L.",
                        (gw, g, v, gradG) -> {
                            double r = norm(v);
                            double[] w = scale(g / r, v);                        // Eq. 2
                            return scale(g / r, minus(gw, scale(dot(w, gw) / dot(w, w), w)));
                        }),
                Step.perUnit("= (g/‖v‖) [∇w L − (w wᵀ/‖w‖²) ∇w L]",
                        "With column vectors, w wᵀ is an n×n matrix (column times row; wᵀ w would be the 1×1 number ‖w‖²,"
                                + " so the order decides the rows and columns), and (w wᵀ) ∇w L = w (wᵀ ∇w L) because matrix"
                                + " products associate, where wᵀ ∇w L = w · ∇w L is a number that may stand on either side"
                                + " of w: the value is unchanged.",
                        (gw, g, v, gradG) -> {
                            double r = norm(v);
                            double[] w = scale(g / r, v);                        // Eq. 2
                            double[] wwT = times(outer(w, w), gw);               // (w wᵀ) ∇w L, an n×n matrix times a vector
                            return scale(g / r, minus(gw, scale(1 / dot(w, w), wwT)));
                        }),
                Step.perUnit("= (g/‖v‖) (I − w wᵀ/‖w‖²) ∇w L = (g/‖v‖) M_w ∇w L   (Eq. 4)",
                        "∇w L = I ∇w L, and a matrix product distributes over the difference: I ∇w L − (w wᵀ/‖w‖²) ∇w L"
                                + " = (I − w wᵀ/‖w‖²) ∇w L.",
                        (gw, g, v, gradG) -> {
                            double r = norm(v);
                            double[] w = scale(g / r, v);                        // Eq. 2
                            double[][] mw = WeightNorm.projectionMatrix(w);      // M_w = I − w wᵀ/‖w‖², Eq. 4
                            return scale(g / r, times(mw, gw));
                        }));
    }

    /** Evaluates every step on the instance and measures each against the one before. */
    public static List<Evaluated> evaluate(List<Step> steps, Instance x) {
        List<Evaluated> out = new ArrayList<>(steps.size());
        double[] previous = null;
        for (Step s : steps) {
            double[] value = s.formula().apply(x);
            if (value.length != x.out() * x.in()) {
                throw new IllegalStateException("step '" + s.expression() + "' gave " + value.length + " numbers, not "
                        + x.out() * x.in());
            }
            out.add(new Evaluated(s.expression(), s.why(), value, previous == null ? Double.NaN : maxAbsDiff(previous, value)));
            previous = value;
        }
        return out;
    }

    /**
     * The check a reader does by eye: does each step give the same numbers as the one before?
     *
     * @param steps     evaluated steps
     * @param tolerance the largest {@code max|Δ|} a correct step may show (rounding only)
     * @return the index of the first step whose value is more than {@code tolerance} from the previous
     *         step's (or not a number), or −1 when every step agrees
     */
    public static int firstBrokenStep(List<Evaluated> steps, double tolerance) {
        for (int i = 1; i < steps.size(); i++) {
            // "!(d <= tol)" so that a NaN difference counts as broken.
            if (!(steps.get(i).maxAbsDiffFromPrevious() <= tolerance)) {
                return i;
            }
        }
        return -1;
    }

    static double maxAbsDiff(double[] a, double[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
            if (Double.isNaN(a[i]) != Double.isNaN(b[i])) {
                return Double.NaN;
            }
        }
        return d;
    }

    // Small vector algebra on double[], written out so that each step's formula reads as its expression.

    static double dot(double[] a, double[] b) {
        return WeightNorm.dot(a, b);
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    static double[] scale(double c, double[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = c * a[i];
        }
        return out;
    }

    static double[] minus(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] - b[i];
        }
        return out;
    }

    /** The outer product {@code a bᵀ}: {@code a.length} rows, {@code b.length} columns. */
    static double[][] outer(double[] a, double[] b) {
        double[][] m = new double[a.length][b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                m[i][j] = a[i] * b[j];
            }
        }
        return m;
    }

    /** The matrix-vector product {@code m x}. */
    static double[] times(double[][] m, double[] x) {
        if (m.length == 0 || m[0].length != x.length) {
            throw new IllegalArgumentException("times: a matrix of " + m.length + "x" + (m.length == 0 ? 0 : m[0].length)
                    + " cannot multiply a vector of " + x.length);
        }
        double[] out = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < x.length; j++) {
                out[i] += m[i][j] * x[j];
            }
        }
        return out;
    }
}
