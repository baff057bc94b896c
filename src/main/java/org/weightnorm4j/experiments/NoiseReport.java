package org.weightnorm4j.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.weightnorm4j.report.ChartSpec;
import org.weightnorm4j.report.Report;
import org.weightnorm4j.report.Section;
import org.weightnorm4j.report.Series;
import org.weightnorm4j.report.Table;

/**
 * The report of {@code weightnorm noise}: per weight-normalized layer, {@code ||v||}, {@code g/||v||}
 * and the angle between successive updates over the steps, one curve per batch size; a table of the
 * measured growth; the norm-growth identity's deviation; and the conclusion in plain words.
 */
public final class NoiseReport {
    /** Steps averaged in the update-angle curves (the raw angle is very noisy). */
    static final int ANGLE_WINDOW = 25;
    /**
     * The growth is also reported from this step on: in the first steps the freshly initialised
     * network gets large, consistent gradients that make ||v|| jump whatever the batch size.
     */
    static final int EARLY_STEPS = 10;

    private NoiseReport() {
    }

    /** Writes the report directory {@code dir} and returns the path of its {@code report.html}. */
    public static Path write(NoiseResult r, List<String> command, Path dir) throws IOException {
        return build(r, command).writeTo(dir);
    }

    static Report build(NoiseResult r, List<String> command) {
        Report.Builder report = Report.builder("noise: ||v|| growth under gradient noise, " + r.workload().modelName()
                + " on " + r.workload().datasetName())
                .conclusions(conclusions(r))
                .command(command);
        for (int l = 0; l < r.layerCount(); l++) {
            String name = r.runs().get(0).layers().get(l).name();
            ChartSpec.Builder norm = ChartSpec.builder("Layer " + (l + 1) + ": mean ||v|| over steps").xLabel("step")
                    .yLabel("mean ||v|| over units");
            ChartSpec.Builder scale = ChartSpec.builder("Layer " + (l + 1) + ": mean g/||v|| over steps").xLabel("step")
                    .yLabel("mean g/||v|| over units");
            ChartSpec.Builder angle = ChartSpec.builder("Layer " + (l + 1) + ": angle between successive updates")
                    .xLabel("step").yLabel("angle(Δv_t, Δv_t−1), degrees");
            for (NoiseExperiment.BatchRun run : r.runs()) {
                List<NormGrowthProbe.Sample> s = run.layers().get(l).samples();
                double[] x = new double[s.size() + 1];
                double[] vn = new double[s.size() + 1];
                double[] sc = new double[s.size() + 1];
                x[0] = 0;
                vn[0] = run.layers().get(l).initialMeanVNorm();
                sc[0] = run.layers().get(l).initialMeanScale();
                // The angle needs two updates: it starts at step 2.
                int angles = Math.max(0, s.size() - 1);
                double[] ax = new double[angles];
                double[] raw = new double[angles];
                for (int i = 0; i < s.size(); i++) {
                    x[i + 1] = s.get(i).step();
                    vn[i + 1] = s.get(i).meanVNorm();
                    sc[i + 1] = s.get(i).meanScale();
                    if (i > 0) {
                        ax[i - 1] = s.get(i).step();
                        raw[i - 1] = s.get(i).updateAngle();
                    }
                }
                String label = "batch " + run.batch();
                norm.series(new Series(label, x, vn));
                scale.series(new Series(label, x, sc));
                angle.series(new Series(label, ax, movingAverage(raw, ANGLE_WINDOW)));
            }
            report.section(Section.builder(name)
                    .chart(norm.build(), "Mean over the layer's units of ||v||, step 0 = after data-dependent init.")
                    .chart(scale.build(), "Mean over units of g/||v||: the factor Eq. 4 puts on the gradient of v.")
                    .chart(angle.build(), "Angle between the whole layer's successive updates Δv_t and Δv_t−1,"
                            + " averaged over " + ANGLE_WINDOW + " steps; 90° means unrelated directions.")
                    .build());
        }
        Table.Builder t = Table.builder("layer", "batch", "steps", "||v|| start", "||v|| end", "growth ×",
                "growth × after step " + EARLY_STEPS, "g/||v|| start", "g/||v|| end", "mean update angle °", "mean ||Δv||²/||v||² per step",
                "max rel. deviation of identity");
        t.caption("||v|| and g/||v||: means over the layer's units. Identity: ||v_t+1||² = ||v_t||² + ||Δv_t||², checked per"
                + " unit at every step; deviation relative to ||v_t+1||².");
        for (int l = 0; l < r.layerCount(); l++) {
            for (NoiseExperiment.BatchRun run : r.runs()) {
                NormGrowthProbe.Layer layer = run.layers().get(l);
                List<NormGrowthProbe.Sample> s = layer.samples();
                NormGrowthProbe.Sample last = s.isEmpty() ? null : s.get(s.size() - 1);
                t.row(l + 1, run.batch(), run.steps(), layer.initialMeanVNorm(), last == null ? null : last.meanVNorm(),
                        layer.growthFactor(), layer.growthFactorAfter(EARLY_STEPS), layer.initialMeanScale(), last == null ? null : last.meanScale(),
                        layer.meanUpdateAngle(), layer.meanGrowthPerStep(), layer.maxDeviation());
            }
        }
        NoiseExperiment.Settings s = r.settings();
        report.section(Section.builder("Measured numbers").table(t.build()).build());
        report.section(Section.builder("Settings")
                .paragraph("Model and data: " + r.workload().modelName() + " on " + r.workload().datasetName() + " ("
                        + r.workload().data().train().size() + " training images, preprocessing " + r.workload().preprocessing()
                        + "); parameterization wn (weight norm with data-dependent init); no test evaluation.")
                .paragraph(String.format(Locale.ROOT, "Batch sizes %s, %d steps each; optimizer %s, learning rate %s,"
                                + " momentum %s, weight decay %s; label noise %s (%d labels changed); seed %d.",
                        s.batches(), s.steps(), s.train().optimizer().name(), s.train().lr(), s.train().momentum(),
                        s.train().weightDecay(), s.labelNoise(), r.labelsChanged(), s.train().seed()))
                .paragraph("Per-step values are in noise-bB.csv beside this report (one file per batch size).")
                .build());
        return report.build();
    }

    /** Trailing mean over up to {@code window} finite values ending at each index (NaN if none). */
    static double[] movingAverage(double[] y, int window) {
        double[] out = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            double sum = 0;
            int n = 0;
            for (int k = Math.max(0, i - window + 1); k <= i; k++) {
                if (Double.isFinite(y[k])) {
                    sum += y[k];
                    n++;
                }
            }
            out[i] = n > 0 ? sum / n : Double.NaN;
        }
        return out;
    }

    /** The conclusion, in plain words with the measured numbers. */
    static String conclusions(NoiseResult r) {
        NoiseExperiment.Settings s = r.settings();
        List<String> paragraphs = new ArrayList<>();
        String optimizer = s.plainSgd() ? "plain SGD (no momentum, no weight decay)"
                : (s.train().optimizer() instanceof org.weightnorm4j.optim.OptimizerSpec.Sgd ? "SGD (momentum " + s.train().momentum() + ")" : "Adam")
                  + (s.train().weightDecay() > 0 ? " with weight decay " + s.train().weightDecay() : "");
        for (int l = 0; l < r.layerCount(); l++) {
            List<String> growth = new ArrayList<>();
            List<String> scale = new ArrayList<>();
            List<String> angle = new ArrayList<>();
            for (NoiseExperiment.BatchRun run : r.runs()) {
                NormGrowthProbe.Layer layer = run.layers().get(l);
                List<NormGrowthProbe.Sample> samples = layer.samples();
                growth.add(String.format(Locale.ROOT, "×%.3g at batch %d", layer.growthFactor(), run.batch()));
                scale.add(String.format(Locale.ROOT, "%.3g → %.3g at batch %d", layer.initialMeanScale(),
                        samples.isEmpty() ? layer.initialMeanScale() : samples.get(samples.size() - 1).meanScale(), run.batch()));
                angle.add(String.format(Locale.ROOT, "%.1f° at batch %d", layer.meanUpdateAngle(), run.batch()));
            }
            String name = r.runs().get(0).layers().get(l).name();
            final int layer = l;
            boolean allGrew = r.runs().stream().allMatch(run -> run.layers().get(layer).growthFactor() >= 1);
            StringBuilder p = new StringBuilder(String.format(Locale.ROOT, "%s%s: over %d steps of %s, ||v|| %s %s.",
                    Character.toUpperCase(name.charAt(0)), name.substring(1), s.steps(), optimizer,
                    allGrew ? "grew" : "changed by", String.join(", ", growth)));
            if (r.runs().size() > 1) {
                p.append(r.growthDecreasesWithBatch(l)
                        ? (allGrew ? " The smaller the batch (the noisier the gradient), the more ||v|| grew, as §2.1 predicts."
                                   : " The smaller the batch (the noisier the gradient), the larger the factor: the noise"
                                     + " pushed ||v|| up against the decay, as §2.1 predicts.")
                        : " Here the factor did not strictly decrease with the batch size.");
            }
            if (s.steps() >= 2L * EARLY_STEPS) {
                List<String> late = new ArrayList<>();
                for (NoiseExperiment.BatchRun run : r.runs()) {
                    late.add(String.format(Locale.ROOT, "×%.4g at batch %d", run.layers().get(l).growthFactorAfter(EARLY_STEPS),
                            run.batch()));
                }
                p.append(String.format(Locale.ROOT, " From step %d on (after the large gradients of the first steps):"
                        + " %s", EARLY_STEPS, String.join(", ", late)));
                p.append(r.runs().size() > 1 && r.growthAfterDecreasesWithBatch(l, EARLY_STEPS)
                        ? ", again more at smaller batches." : ".");
            }
            p.append(" The scale g/||v|| went ").append(String.join(", ", scale)).append(".");
            p.append(" Mean angle between successive updates: ").append(String.join(", ", angle)).append(".");
            paragraphs.add(p.toString());
        }
        double dev = r.maxDeviation();
        double growth = 0;
        for (NoiseExperiment.BatchRun run : r.runs()) {
            for (NormGrowthProbe.Layer layer : run.layers()) {
                growth = Math.max(growth, layer.meanGrowthPerStep());
            }
        }
        if (s.plainSgd()) {
            paragraphs.add(String.format(Locale.ROOT, "The norm-growth identity ||v_t+1||² = ||v_t||² + ||Δv_t||² held at"
                    + " every step, unit and layer to a relative deviation of at most %.2g (float32 rounding), while the"
                    + " relative growth it describes, ||Δv||²/||v||² per step, was up to %.2g on average. So under plain"
                    + " SGD ||v|| can only grow, and it grows faster when the updates are large and noisy; as it grows,"
                    + " g/||v|| and the step on the direction v/||v|| (about η g/||v||²) shrink: the layer lowers its own"
                    + " effective learning rate.", dev, growth));
        } else {
            paragraphs.add(String.format(Locale.ROOT, "With %s the identity ||v_t+1||² = ||v_t||² + ||Δv_t||² is not"
                    + " expected to hold, and it did not: the relative deviation reached %.2g (for comparison, the mean"
                    + " relative change ||Δv||²/||v||² per step was up to %.2g). %s", optimizer, dev, growth,
                    s.train().weightDecay() > 0
                            ? String.format(Locale.ROOT, "Weight decay adds −ηλv to every update, pulling ||v|| back down:"
                              + " it changes ||v||² by about −2ηλ||v||² per step (2ηλ = %.3g here), so ||v|| no longer"
                              + " only grows, and where the decay outweighs the noise it shrinks.",
                              2 * s.train().lr() * s.train().weightDecay())
                            : s.train().optimizer() instanceof org.weightnorm4j.optim.OptimizerSpec.Adam
                            ? "Adam rescales each coordinate of the update, so Δv is no longer orthogonal to v; ||v|| can"
                              + " grow or shrink, and Adam's normalised steps make its size depend little on the gradient's scale."
                            : "Momentum adds earlier updates, computed at other v, so Δv is no longer orthogonal to v."));
        }
        for (NoiseExperiment.BatchRun run : r.runs()) {
            if (!run.divergence().isEmpty()) {
                paragraphs.add("Batch " + run.batch() + " diverged after " + run.steps() + " steps: " + run.divergence());
            }
        }
        return String.join("\n\n", paragraphs);
    }
}
