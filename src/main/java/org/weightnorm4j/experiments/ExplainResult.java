package org.weightnorm4j.experiments;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * Everything {@link Explain} computed, with the errors between the ways of computing each
 * gradient. Vectors of a layer's parameters are flattened row-major ({@code v} is {@code [out, in]}).
 */
public record ExplainResult(
        Explain instance,
        double loss,
        double lossFused,
        double[] v,
        double[] g,
        double[] b,
        double[] normV,
        double[] w,
        double[] gradW,
        double[] gradGEq3,
        double[] gradVEq3,
        double[] gradVEq4,
        double[] gradGLayer,
        double[] gradVLayer,
        double[] gradGFiniteDiff,
        double[] gradVFiniteDiff,
        Projection projection,
        double[] gradVDotW,
        SgdStep sgd,
        List<DerivationSteps.Evaluated> steps) {

    /** A correct step differs from the one before by rounding only: a few ulps of numbers near 1. */
    public static final double STEP_TOLERANCE = 1e-12;

    /** {@code M_w} of unit 0 and its properties. */
    public record Projection(double[][] matrix, double maxAsymmetry, double maxIdempotencyError, double normMw,
                             double[] eigenvalues) {
    }

    /** One SGD step {@code v' = v − η ∇v L}, per unit. */
    public record SgdStep(double lr, double[] normBefore, double[] normAfter, double[] normPredicted,
                          double[] growthFactor) {
    }

    /** {@code max|a − b| / max(max|a|, max|b|)}: a relative error over the whole vector. */
    public static double relativeError(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("relativeError: lengths differ, " + a.length + " vs " + b.length);
        }
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.max(Math.abs(a[i]), Math.abs(b[i])));
        }
        return scale == 0 ? diff : diff / scale;
    }

    /** Eq. 3 vs Eq. 4 for ∇v L. */
    public double errorEq3VsEq4() {
        return relativeError(gradVEq3, gradVEq4);
    }

    /** Eq. 3 vs finite differences, the worse of g and v. */
    public double errorEq3VsFiniteDiff() {
        return Math.max(relativeError(gradGEq3, gradGFiniteDiff), relativeError(gradVEq3, gradVFiniteDiff));
    }

    /** Eq. 4 vs finite differences for ∇v L. */
    public double errorEq4VsFiniteDiff() {
        return relativeError(gradVEq4, gradVFiniteDiff);
    }

    /** The fused layer's backward vs Eq. 3, the worse of g and v. */
    public double errorLayerVsEq3() {
        return Math.max(relativeError(gradGLayer, gradGEq3), relativeError(gradVLayer, gradVEq3));
    }

    /** Largest |∇v L · w| relative to ||∇v L|| ||w|| over the units. */
    public double maxCosineGradVW() {
        int in = instance.in();
        double worst = 0;
        for (int u = 0; u < gradVDotW.length; u++) {
            double gv = 0;
            double ww = 0;
            for (int j = u * in; j < (u + 1) * in; j++) {
                gv += gradVEq3[j] * gradVEq3[j];
                ww += w[j] * w[j];
            }
            double denom = Math.sqrt(gv * ww);
            worst = Math.max(worst, denom == 0 ? 0 : Math.abs(gradVDotW[u]) / denom);
        }
        return worst;
    }

    /** Largest relative gap between the measured {@code ||v'||} and {@code sqrt(||v||² + ||Δv||²)}. */
    public double maxNormGrowthError() {
        double worst = 0;
        for (int u = 0; u < sgd.normAfter().length; u++) {
            worst = Math.max(worst, Math.abs(sgd.normAfter()[u] - sgd.normPredicted()[u]) / sgd.normPredicted()[u]);
        }
        return worst;
    }

    /** The walk-through as one JSON object. */
    public String toJson() {
        JsonObject o = new JsonObject();
        JsonObject inst = new JsonObject();
        inst.addProperty("seed", instance.seed());
        inst.addProperty("in", instance.in());
        inst.addProperty("out", instance.out());
        inst.addProperty("batch", instance.batch());
        inst.addProperty("lr", instance.lr());
        inst.addProperty("finite_difference_step", Explain.FD_STEP);
        inst.addProperty("precision", "float64");
        o.add("instance", inst);
        o.addProperty("loss", loss);
        o.add("v", array(v));
        o.add("g", array(g));
        o.add("b", array(b));
        o.add("norm_v", array(normV));
        o.add("w", array(w));
        o.add("grad_w", array(gradW));
        o.add("grad_g", array(gradGEq3));
        o.add("grad_v", array(gradVEq3));
        o.add("grad_v_eq4", array(gradVEq4));
        o.add("grad_g_layer", array(gradGLayer));
        o.add("grad_v_layer", array(gradVLayer));
        o.add("grad_g_finite_difference", array(gradGFiniteDiff));
        o.add("grad_v_finite_difference", array(gradVFiniteDiff));
        JsonObject errors = new JsonObject();
        errors.addProperty("eq3_vs_eq4", errorEq3VsEq4());
        errors.addProperty("eq3_vs_finite_difference", errorEq3VsFiniteDiff());
        errors.addProperty("eq4_vs_finite_difference", errorEq4VsFiniteDiff());
        errors.addProperty("layer_vs_eq3", errorLayerVsEq3());
        errors.addProperty("fused_loss_vs_plain_loss", Math.abs(lossFused - loss) / Math.abs(loss));
        o.add("relative_errors", errors);
        JsonObject m = new JsonObject();
        JsonArray rows = new JsonArray();
        for (double[] row : projection.matrix()) {
            rows.add(array(row));
        }
        m.add("matrix_unit0", rows);
        m.addProperty("max_asymmetry", projection.maxAsymmetry());
        m.addProperty("max_idempotency_error", projection.maxIdempotencyError());
        m.addProperty("norm_M_w_w", projection.normMw());
        m.add("eigenvalues", array(projection.eigenvalues()));
        o.add("projection", m);
        o.add("grad_v_dot_w", array(gradVDotW));
        JsonObject step = new JsonObject();
        step.addProperty("lr", sgd.lr());
        step.add("norm_v_before", array(sgd.normBefore()));
        step.add("norm_v_after", array(sgd.normAfter()));
        step.add("norm_v_predicted", array(sgd.normPredicted()));
        step.add("growth_factor", array(sgd.growthFactor()));
        step.addProperty("max_relative_error", maxNormGrowthError());
        o.add("sgd_step", step);
        JsonArray derivation = new JsonArray();
        for (DerivationSteps.Evaluated e : steps) {
            JsonObject j = new JsonObject();
            j.addProperty("expression", e.expression());
            j.addProperty("why", e.why());
            j.add("value", array(e.value()));
            // The first step has nothing before it: null rather than NaN, which is not JSON.
            if (Double.isNaN(e.maxAbsDiffFromPrevious())) {
                j.add("max_abs_diff_from_previous", JsonNull.INSTANCE);
            } else {
                j.addProperty("max_abs_diff_from_previous", e.maxAbsDiffFromPrevious());
            }
            derivation.add(j);
        }
        o.add("steps", derivation);
        o.addProperty("first_broken_step", DerivationSteps.firstBrokenStep(steps, STEP_TOLERANCE));
        return new GsonBuilder().serializeSpecialFloatingPointValues().serializeNulls().create().toJson(o);
    }

    /** The walk-through as text for a terminal: each step names its equation and says what it means. */
    public String toText() {
        StringBuilder s = new StringBuilder();
        int in = instance.in();
        s.append(String.format(Locale.ROOT,
                "Weight normalization, step by step, on one random dense layer (seed %d, %d units x %d inputs,"
                        + " batch %d, softmax cross-entropy, float64)%n%n",
                instance.seed(), instance.out(), in, instance.batch()));
        step(s, "Parameters", "v is each unit's direction, g its length, b its bias.");
        matrix(s, "v", v, in);
        vector(s, "g", g);
        vector(s, "||v||", normV);
        step(s, "Eq. 2: w = g v/||v||", "the weight of each unit has length |g| and the direction of v.");
        matrix(s, "w", w, in);
        line(s, "loss L = %.10f (the fused layer y = (g/||v||)(x vᵀ) + b gives %.10f)", loss, lossFused);
        step(s, "The gradient in w", "what a plain layer would use: ∇w L = ∇yᵀ x.");
        matrix(s, "∇w L", gradW, in);
        step(s, "Eq. 3: ∇g L = ∇w L · v/||v||", "the length moves by the part of ∇w L along the direction.");
        vector(s, "∇g L (Eq. 3)", gradGEq3);
        vector(s, "∇g L (finite differences)", gradGFiniteDiff);
        step(s, "Eq. 3: ∇v L = (g/||v||) ∇w L − (g ∇g L/||v||²) v",
                "the direction moves by ∇w L, scaled by g/||v||, minus its part along v.");
        matrix(s, "∇v L (Eq. 3)", gradVEq3, in);
        step(s, "Eq. 4: ∇v L = (g/||v||) M_w ∇w L, M_w = I − w wᵀ/||w||²",
                "the same gradient, written as a projection that removes the component along w.");
        derivation(s, in);
        matrix(s, "∇v L (Eq. 4)", gradVEq4, in);
        matrix(s, "∇v L (finite differences)", gradVFiniteDiff, in);
        line(s, "relative errors: Eq. 3 vs Eq. 4 %.2e | Eq. 3 vs finite differences %.2e | Eq. 4 vs finite"
                        + " differences %.2e | fused layer backward vs Eq. 3 %.2e",
                errorEq3VsEq4(), errorEq3VsFiniteDiff(), errorEq4VsFiniteDiff(), errorLayerVsEq3());
        step(s, "M_w is a projection", "symmetric, idempotent, it sends w to 0 and keeps everything orthogonal to w.");
        line(s, "unit 0: max|M − Mᵀ| = %.2e, max|M² − M| = %.2e, ||M_w w|| = %.2e",
                projection.maxAsymmetry(), projection.maxIdempotencyError(), projection.normMw());
        vector(s, "eigenvalues of M_w (one 0, the rest 1)", projection.eigenvalues());
        step(s, "∇v L ⊥ w", "so a gradient step on v never changes its length to first order.");
        line(s, "∇v L · w per unit = %s", scientific(gradVDotW));
        line(s, "largest |cos(∇v L, w)| = %.2e", maxCosineGradVW());
        step(s, String.format(Locale.ROOT, "One SGD step v' = v − %.3g ∇v L", sgd.lr()),
                "by Pythagoras ||v'||² = ||v||² + ||Δv||²: plain gradient descent can only grow ||v||,"
                        + " which shrinks the effective step g/||v||.");
        vector(s, "||v|| before", sgd.normBefore());
        vector(s, "||v'|| after", sgd.normAfter());
        vector(s, "sqrt(||v||² + ||Δv||²)", sgd.normPredicted());
        vector(s, "growth factor sqrt(1 + C²)", sgd.growthFactor());
        line(s, "largest relative gap between ||v'|| and sqrt(||v||² + ||Δv||²): %.2e", maxNormGrowthError());
        return s.toString();
    }

    /** Eq. 3 → Eq. 4 one algebra step at a time, each with its own value and its gap to the step before. */
    private void derivation(StringBuilder s, int in) {
        line(s, "From Eq. 3 to Eq. 4, one step at a time; each line is computed by its own formula:");
        for (int i = 0; i < steps.size(); i++) {
            DerivationSteps.Evaluated e = steps.get(i);
            s.append(System.lineSeparator()).append(String.format(Locale.ROOT, "   (%d) %s%n", i + 1, e.expression()))
                    .append("       why: ").append(e.why()).append(System.lineSeparator());
            matrix(s, "   value", e.value(), in);
            if (i > 0) {
                line(s, "    max |difference| from step (%d): %.2e", i, e.maxAbsDiffFromPrevious());
            }
        }
        int broken = DerivationSteps.firstBrokenStep(steps, STEP_TOLERANCE);
        line(s, "");
        line(s, broken < 0 ? "every step agrees with the one before to %.0e: Eq. 3 and Eq. 4 are the same gradient."
                : "STEP (" + (broken + 1) + ") DOES NOT FOLLOW from the one before (tolerance %.0e).", STEP_TOLERANCE);
    }

    private static void step(StringBuilder s, String title, String meaning) {
        s.append(System.lineSeparator()).append("== ").append(title).append(System.lineSeparator())
                .append("   ").append(meaning).append(System.lineSeparator());
    }

    private static void line(StringBuilder s, String format, Object... args) {
        s.append("   ").append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
    }

    private static void vector(StringBuilder s, String name, double[] values) {
        s.append("   ").append(name).append(" = ").append(format(values, 0, values.length)).append(System.lineSeparator());
    }

    private static void matrix(StringBuilder s, String name, double[] values, int cols) {
        s.append("   ").append(name).append(" =").append(System.lineSeparator());
        for (int r = 0; r < values.length / cols; r++) {
            s.append("      ").append(format(values, r * cols, cols)).append(System.lineSeparator());
        }
    }

    private static String format(double[] values, int from, int len) {
        StringBuilder b = new StringBuilder("[");
        for (int i = from; i < from + len; i++) {
            b.append(i > from ? ", " : "").append(String.format(Locale.ROOT, "% .6f", values[i]));
        }
        return b.append(']').toString();
    }

    private static String scientific(double[] values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            b.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.2e", values[i]));
        }
        return b.append(']').toString();
    }

    private static JsonArray array(double[] values) {
        JsonArray a = new JsonArray();
        for (double x : values) {
            a.add(x);
        }
        return a;
    }
}
