package org.weightnorm4j.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.weightnorm4j.report.ChartSpec;
import org.weightnorm4j.report.Diagram;
import org.weightnorm4j.report.Report;
import org.weightnorm4j.report.Section;
import org.weightnorm4j.report.Series;
import org.weightnorm4j.report.Table;

/**
 * The page of {@code weightnorm explain --report DIR}: Eq. 3 → Eq. 4 one algebra step at a time
 * on the instance's numbers, and three pictures of what the projection means for a unit with two
 * inputs — the projection itself, the tangent step that can only grow {@code ‖v‖}, and a small
 * run where that growth damps the effective learning rate (§2.1) — then where to learn the
 * linear algebra.
 */
public final class ExplainReport {
    /** {@code ‖Δv‖/‖v‖} drawn in the tangent-step figure: large enough to see the gap between the circles. */
    static final double DRAWN_STEP_SHARE = 0.6;
    /** Units of the two-input layer the figures are drawn from. */
    static final int PLANE_UNITS = 4;

    // Palette indices (Okabe–Ito, as the charts): the same quantity keeps its colour in every figure.
    private static final int BLUE = 0;
    private static final int VERMILLION = 1;
    private static final int GREEN = 2;
    private static final int PINK = 4;
    private static final int BLACK = 6;

    private ExplainReport() {
    }

    /**
     * The figures' data, computed once so that a test reads the numbers behind each picture.
     *
     * @param main       the instance of the derivation
     * @param plane      the same seed, units with two inputs (the figures draw one of them)
     * @param projection figure data of Eq. 4's projection
     * @param tangent    figure data of the tangent SGD step
     * @param toy        the clean and noisy two-input runs
     */
    public record Content(ExplainResult main, ExplainResult plane, ProjectionFigure projection, TangentStepFigure tangent,
                          NormGrowthToy.Result toy) {

        /** Everything the page shows, for the instance {@code main}. */
        public static Content of(ExplainResult main) {
            Explain e = main.instance();
            // Several units: with one, softmax cross-entropy is constant; the figures draw the clearest unit.
            ExplainResult plane = new Explain(e.seed(), 2, PLANE_UNITS, e.batch(), e.lr()).run();
            ProjectionFigure projection = ProjectionFigure.of(plane);
            int u = projection.unit();
            return new Content(main, plane, projection,
                    TangentStepFigure.of(ProjectionFigure.row(plane.v(), u), ProjectionFigure.row(plane.gradVEq3(), u),
                            DRAWN_STEP_SHARE),
                    NormGrowthToy.standard(e.seed()).run());
        }
    }

    /** Writes the page (and its figure files) into {@code dir}; returns the page's path. */
    public static Path write(ExplainResult main, List<String> command, Path dir) throws IOException {
        return build(Content.of(main), command).writeTo(dir);
    }

    static Report build(Content c, List<String> command) {
        Explain e = c.main().instance();
        return Report.builder("explain: from Eq. 3 to Eq. 4, step by step, and what the projection means")
                .conclusions(conclusions(c))
                .section(Section.builder("The instance")
                        .paragraph(String.format(Locale.ROOT, "A dense weight-normalized layer with %d units of %d inputs"
                                        + " (seed %d), a batch of %d random examples with random labels and the softmax"
                                        + " cross-entropy loss, all in double precision. w = g v/‖v‖ (Eq. 2) for each unit;"
                                        + " ∇w L is what a plain layer would compute. Eq. 3 gives ∇g L = ∇w L · v/‖v‖ and"
                                        + " ∇v L = (g/‖v‖) ∇w L − (g ∇g L/‖v‖²) v; Eq. 4 writes the same ∇v L as"
                                        + " (g/‖v‖) M_w ∇w L with M_w = I − w wᵀ/‖w‖². The paper goes from one to the other"
                                        + " in one line; the next section takes the steps it skips.",
                                e.out(), e.in(), e.seed(), e.batch()))
                        .table(Table.builder("check", "relative error")
                                .caption("The gradients agree however they are computed")
                                .row("Eq. 3 vs Eq. 4", c.main().errorEq3VsEq4())
                                .row("Eq. 3 vs finite differences", c.main().errorEq3VsFiniteDiff())
                                .row("the fused layer's backward vs Eq. 3", c.main().errorLayerVsEq3())
                                .build())
                        .build())
                .section(derivation(c.main()))
                .section(Section.builder("What M_w does: it removes the component along w")
                        .paragraph("A unit with two inputs (of a layer of " + PLANE_UNITS + " such units, same seed and batch; the one whose"
                                + " ∇w L is closest to 45° from w), so that the vectors can be drawn. ∇w L splits"
                                + " into two parts: its component along w, (w · ∇w L/‖w‖²) w, and the rest, which is"
                                + " perpendicular to w. M_w keeps the rest and removes the component along w; ∇v L is the"
                                + " rest scaled by g/‖v‖. So a gradient step on v never moves along w, only around it.")
                        .diagram(projectionDiagram(c.projection()), projectionCaption(c.projection()))
                        .build())
                .section(Section.builder("Why a plain SGD step can only grow ‖v‖")
                        .paragraph("v points the same way as w (Eq. 2), and ∇v L ⊥ w, so a plain gradient step"
                                + " Δv = −η ∇v L is perpendicular to v: it leaves the circle of radius ‖v‖ along its"
                                + " tangent. The new v' = v + Δv is the hypotenuse of a right triangle, so"
                                + " ‖v'‖ = √(‖v‖² + ‖Δv‖²) > ‖v‖, whatever the sign or size of the gradient. This holds"
                                + " for plain SGD only: weight decay pulls ‖v‖ back, momentum and Adam change Δv's direction.")
                        .diagram(tangentDiagram(c.tangent()), tangentCaption(c.tangent()))
                        .build())
                .section(toySection(c.toy()))
                .section(reading())
                .command(command)
                .build();
    }

    private static String conclusions(Content c) {
        int broken = DerivationSteps.firstBrokenStep(c.main().steps(), ExplainResult.STEP_TOLERANCE);
        double worst = 0;
        for (DerivationSteps.Evaluated s : c.main().steps().subList(1, c.main().steps().size())) {
            worst = Math.max(worst, s.maxAbsDiffFromPrevious());
        }
        NormGrowthToy.Run clean = c.toy().clean();
        NormGrowthToy.Run noisy = c.toy().noisy();
        int last = clean.normV().length - 1;
        return (broken < 0
                ? String.format(Locale.ROOT, "Each of the %d steps from Eq. 3 to Eq. 4 gives the same ∇v L as the one"
                        + " before, to %.1e at worst (rounding of double precision).", c.main().steps().size() - 1, worst)
                : "Step " + (broken + 1) + " of the derivation does not follow from the one before: see section 2.")
                + "\n\n" + String.format(Locale.ROOT, "M_w removes from ∇w L its component along w (∇v L · w = %.1e"
                        + " for the drawn unit), so a plain SGD step is tangent to the circle of constant ‖v‖ and can only"
                        + " grow it. In a small two-input run, ‖v‖ grew from %.3g to %.3g with clean gradients and to %.3g"
                        + " with noisy ones, and g/‖v‖ fell to %.3g and %.3g: noisy gradients damp their own effective"
                        + " learning rate (§2.1).", c.projection().gradVDotW(), clean.normV()[0], clean.normV()[last],
                noisy.normV()[last], clean.scale()[last], noisy.scale()[last]);
    }

    private static Section derivation(ExplainResult r) {
        Table.Builder t = Table.builder("step", "∇v L =", "why it is allowed", "max |Δ| from the step before");
        StringBuilder values = new StringBuilder();
        List<DerivationSteps.Evaluated> steps = r.steps();
        for (int i = 0; i < steps.size(); i++) {
            DerivationSteps.Evaluated s = steps.get(i);
            String expr = s.expression().startsWith("∇v L = ") ? s.expression().substring("∇v L = ".length())
                    : s.expression().substring(2);                                     // drop the leading "= "
            t.row(String.valueOf(i + 1), expr, s.why(),
                    i == 0 ? "(the start)" : String.format(Locale.ROOT, "%.1e", s.maxAbsDiffFromPrevious()));
            values.append(String.format(Locale.ROOT, "(%d) %s%n", i + 1, s.expression()));
            int in = r.instance().in();
            for (int u = 0; u < r.instance().out(); u++) {
                values.append("    [");
                for (int j = 0; j < in; j++) {
                    values.append(j > 0 ? ", " : "").append(String.format(Locale.ROOT, "% .15f", s.value()[u * in + j]));
                }
                values.append("]\n");
            }
        }
        return Section.builder("From Eq. 3 to Eq. 4, one algebra step at a time")
                .paragraph("Each line below is computed on the instance by its own formula — not copied from the line"
                        + " before — so a wrong step would show as a large difference. The differences are those of"
                        + " double-precision rounding, about 1e-16 for numbers near 1. Rows of ∇v L are units.")
                .table(t.caption("Eq. 3 (first row) to Eq. 4 (last row)").build())
                .preformatted("∇v L by each step, full precision (one row per unit)", values.toString())
                .build();
    }

    private static Diagram projectionDiagram(ProjectionFigure p) {
        double k = gradientScale(p);
        double[] w = p.w();
        double[] gw = times(k, p.gradW());
        double[] removed = times(k, p.removed());
        double[] kept = times(k, p.kept());
        double[] gv = times(k, p.gradV());
        double reach = 1.15 * Math.max(norm(w), Math.max(norm(gw), norm(gv)));
        double[] along = times(reach / norm(w), w);
        Diagram.Builder d = Diagram.builder("Eq. 4 for a unit with two inputs: ∇v L ⊥ w").size(720, 640)
                .line(-along[0], -along[1], along[0], along[1], BLUE, true)                // the line through w
                .line(gw[0], gw[1], kept[0], kept[1], GREEN, true);                        // ∇w L − removed, parallel to w
        if (norm(gv) > 0) {
            // A right-angle mark between w and ∇v L at the origin.
            double s = 0.07 * reach;
            double[] a = times(s / norm(w), w);
            double[] b = times(s / norm(gv), gv);
            d.line(a[0], a[1], a[0] + b[0], a[1] + b[1], BLACK, false)
                    .line(b[0], b[1], a[0] + b[0], a[1] + b[1], BLACK, false);
        }
        return d.vector(w[0], w[1], BLUE, "w", "w = g v/‖v‖ (Eq. 2)")
                .vector(gw[0], gw[1], VERMILLION, "∇w L", "∇w L, the gradient a plain layer would use")
                .vector(removed[0], removed[1], GREEN, "removed", "(w · ∇w L/‖w‖²) w: the component along w that M_w removes")
                .vector(gv[0], gv[1], PINK, "∇v L", "∇v L = (g/‖v‖) M_w ∇w L (Eq. 4), perpendicular to w")
                .build();
    }

    private static String projectionCaption(ProjectionFigure p) {
        return String.format(Locale.ROOT, "Unit %d: w = (%.4f, %.4f), ∇w L = (%.4f, %.4f), g/‖v‖ = %.4f. The dashed"
                        + " green line joins ∇w L to M_w ∇w L = ∇w L − removed: it is parallel to w (sine of the angle"
                        + " %.1e). ∇v L · w = %.1e. Gradients are drawn ×%.3g (weights and gradients have different"
                        + " units), so that the longest is 0.7 ‖w‖; the directions are exact.",
                p.unit(), p.w()[0], p.w()[1], p.gradW()[0], p.gradW()[1], p.gOverNormV(), p.sineRemovedW(), p.gradVDotW(),
                gradientScale(p));
    }

    /** Gradients and weights have different units: draw the gradients shorter than w, so that w shows beyond them. */
    private static double gradientScale(ProjectionFigure p) {
        double g = Math.max(norm(p.gradW()), norm(p.gradV()));
        return g == 0 ? 1 : 0.7 * norm(p.w()) / g;
    }

    private static Diagram tangentDiagram(TangentStepFigure t) {
        double[] v = t.v();
        double[] n = t.next();
        double[] mid = {(v[0] + n[0]) / 2, (v[1] + n[1]) / 2};
        return Diagram.builder("A plain SGD step is tangent to the circle of constant ‖v‖").size(720, 620)
                .circle(0, 0, t.normV(), BLUE, false, String.format(Locale.ROOT, "the circle ‖v‖ = %.4f", t.normV()))
                .circle(0, 0, t.normNext(), PINK, true, String.format(Locale.ROOT,
                        "the circle ‖v'‖ = √(‖v‖² + ‖Δv‖²) = %.4f", t.normNext()))
                .vector(v[0], v[1], BLUE, "v", "v")
                .arrow(v[0], v[1], n[0], n[1], VERMILLION, "", String.format(Locale.ROOT,
                        "Δv = −η ∇v L, perpendicular to v (‖Δv‖ = %.4f)", t.normStep()))
                .vector(n[0], n[1], PINK, "v'", "v' = v + Δv")
                // "Δv" beside the middle of the step, pushed away from the origin so it clears v' and the circle.
                .label(mid[0] * 1.08, mid[1] * 1.08, "Δv", VERMILLION)
                .build();
    }

    private static String tangentCaption(TangentStepFigure t) {
        return String.format(Locale.ROOT, "‖v‖ = %.4f, ‖Δv‖ = %.4f, ‖v'‖ = %.4f; ‖v'‖² − (‖v‖² + ‖Δv‖²) = %.1e and"
                        + " cos(Δv, v) = %.1e. The step is drawn with η = %.3g, chosen so that ‖Δv‖ = %.1f ‖v‖ is easy to"
                        + " see; for any η the new point lies on the larger circle.",
                t.normV(), t.normStep(), t.normNext(), t.pythagorasGap(), t.cosineStepV(), t.lr(), DRAWN_STEP_SHARE);
    }

    private static Section toySection(NormGrowthToy.Result r) {
        NormGrowthToy s = r.settings();
        // Every k-th step, about 100 points a curve: the curves look the same and the charts render in a fraction of the time.
        int k = Math.max(1, (s.steps() + 99) / 100);
        double[] x = everyKth(steps(s.steps()), k);
        String noisy = String.format(Locale.ROOT, "noisy gradients (σ = %.2g)", s.noise());
        ChartSpec norms = ChartSpec.builder("‖v‖ over SGD steps").xLabel("step").yLabel("‖v‖").size(720, 400)
                .series(new Series("clean gradients", x, everyKth(r.clean().normV(), k)))
                .series(new Series(noisy, x, everyKth(r.noisy().normV(), k)))
                .build();
        ChartSpec scales = ChartSpec.builder("g/‖v‖ over SGD steps").xLabel("step").yLabel("g/‖v‖").size(720, 400)
                .series(new Series("clean gradients", x, everyKth(r.clean().scale(), k)))
                .series(new Series(noisy, x, everyKth(r.noisy().scale(), k)))
                .build();
        int last = s.steps();
        Table numbers = Table.builder("gradients", "‖v‖ at step 0", "‖v‖ at the end", "g/‖v‖ at the end",
                        "loss ½‖w − w*‖² at the end")
                .caption("After " + s.steps() + " steps")
                .row("clean", r.clean().normV()[0], r.clean().normV()[last], r.clean().scale()[last], r.clean().loss()[last])
                .row("noisy", r.noisy().normV()[0], r.noisy().normV()[last], r.noisy().scale()[last], r.noisy().loss()[last])
                .build();
        return Section.builder("The effective learning rate stabilises itself (§2.1)")
                .paragraph(String.format(Locale.ROOT, "The smallest example: one unit with two inputs, w = g v/‖v‖, the"
                                + " loss ½‖w − w*‖² with ‖w*‖ = 1.5, plain SGD on v with η = %.2g for %d steps, from"
                                + " v = (1, 0), 40° away from w*; g is held at ‖w*‖, so only the direction learns and g/‖v‖"
                                + " moves through ‖v‖ alone. Once with the exact gradient ∇w L = w − w*, once with Gaussian noise of"
                                + " standard deviation %.2g added to each coordinate, as a small minibatch would (seed %d).",
                        s.lr(), s.steps(), s.noise(), s.seed()))
                .paragraph("Each step adds ‖Δv‖² to ‖v‖², so noisy gradients — large steps in random directions — grow"
                        + " ‖v‖ faster. The step on the direction v/‖v‖ is about ‖Δv‖/‖v‖, and ‖Δv‖ carries g/‖v‖ from"
                        + " Eq. 4, so the effective learning rate of the direction is η g/‖v‖²: as noise grows ‖v‖, the"
                        + " steps shrink by themselves. With clean gradients ∇v L vanishes as the direction is found,"
                        + " and ‖v‖ stops growing.")
                .chart(norms, "‖v‖ never decreases under plain SGD; noise makes it grow faster.")
                .chart(scales, "g/‖v‖, the factor Eq. 4 puts on the direction's gradient, falls as ‖v‖ grows.")
                .table(numbers)
                .build();
    }

    private static Section reading() {
        Section.Builder b = Section.builder("Where to learn this")
                .paragraph("The steps above use three ideas of first-year linear algebra: the dot product as a number"
                        + " (and that it is symmetric), the outer product w wᵀ as a matrix (column times row) and the"
                        + " associativity of matrix products, and orthogonal projections (a symmetric matrix P with"
                        + " P² = P). docs/THEORY.md derives Eq. 3 by the chain rule and shows why M_w is a projection;"
                        + " these are its standard references:");
        for (String ref : FurtherReading.references()) {
            b.paragraph("• " + ref);
        }
        return b.build();
    }

    /** {@code 0, 1, ..., steps}. */
    private static double[] steps(int steps) {
        double[] x = new double[steps + 1];
        for (int i = 0; i <= steps; i++) {
            x[i] = i;
        }
        return x;
    }

    /** Elements 0, k, 2k, ... and always the last. */
    private static double[] everyKth(double[] a, int k) {
        int n = (a.length - 1 + k - 1) / k + 1;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = a[Math.min(i * k, a.length - 1)];
        }
        return out;
    }

    private static double[] times(double k, double[] a) {
        return DerivationSteps.scale(k, a);
    }

    private static double norm(double[] a) {
        return DerivationSteps.norm(a);
    }
}
