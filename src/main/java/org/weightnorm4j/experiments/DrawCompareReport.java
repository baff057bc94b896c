package org.weightnorm4j.experiments;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.weightnorm4j.generative.DrawGateStats;
import org.weightnorm4j.report.ChartSpec;
import org.weightnorm4j.report.Report;
import org.weightnorm4j.report.Section;
import org.weightnorm4j.report.Series;
import org.weightnorm4j.report.Table;

/**
 * The report of {@code weightnorm draw compare} (and of the demo's DRAW section): the test bound per
 * epoch of every (parameterization, seed) run (the paper's Figure 4), a table of final bounds, the
 * scale {@code g/‖v‖} of the LSTMs' gate rows over training for the weight-normed runs and the row
 * norms {@code ‖w‖} for both, and the canvas being drawn glimpse by glimpse (animated) for test
 * digits and for samples from the prior, with still strips beside.
 */
public final class DrawCompareReport {
    private DrawCompareReport() {
    }

    /** Writes the report into {@code dir} and returns its {@code report.html}. */
    public static Path write(List<DrawCompare.Cell> cells, String title, List<String> command, Path dir) throws IOException {
        return build(cells, title, command).writeTo(dir);
    }

    static Report build(List<DrawCompare.Cell> cells, String title, List<String> command) throws IOException {
        ChartSpec.Builder test = ChartSpec.builder("Test bound per epoch (negative ELBO, lower is better)").xLabel("epoch")
                .yLabel("test bound (nats per image)");
        ChartSpec.Builder train = ChartSpec.builder("Training bound per epoch (dynamic binarization)").xLabel("epoch")
                .yLabel("train bound (nats per image)");
        Table.Builder table = Table.builder("parameterization", "seed", "epochs", "test bound", "reconstruction", "KL",
                "parameters", "last epoch (s)");
        table.caption("Final one-sample test bound on the fixed-binarized test set, in nats per image. The paper's Figure 4 reads"
                + " about 85 (wn) against 89.5 (normal) at 100 epochs; runs here are far shorter.");
        for (DrawCompare.Cell c : cells) {
            Map<String, double[]> m = DrawExperiment.readMetrics(c.dir());
            String name = c.settings().param() + " seed " + c.settings().seed();
            test.series(new Series(name, m.get("epoch"), m.get("test_bound")));
            train.series(new Series(name, m.get("epoch"), m.get("train_bound")));
            var s = c.summary();
            table.row(c.settings().param(), c.settings().seed(), s.get("epochs").getAsInt(),
                    fmt(s.get("test_bound").getAsDouble()), fmt(s.get("test_reconstruction").getAsDouble()),
                    fmt(s.get("test_kl").getAsDouble()), s.get("parameters").getAsLong(),
                    s.has("last_epoch_seconds") && !s.get("last_epoch_seconds").isJsonNull()
                            ? fmt(s.get("last_epoch_seconds").getAsDouble()) : "");
        }
        Section.Builder bound = Section.builder("The bound")
                .paragraph("DRAW (" + cells.get(0).settings().model() + "), Adam " + cells.get(0).settings().lr()
                        + ", gradient norm clipped at " + cells.get(0).settings().clip() + ", batch " + cells.get(0).settings().batch()
                        + ". Weight normalization on every weight, both LSTMs' included (one g per gate row), without"
                        + " data-dependent initialisation; normal and wn start from the same function.")
                .chart(test.build(), "Test bound after each epoch.")
                .chart(train.build(), "Mean training bound over each epoch.")
                .table(table.build());

        Section.Builder gates = Section.builder("The LSTMs' gate rows")
                .paragraph("For each LSTM weight and each gate block (i, f, g, o: PyTorch's row order), the mean over its rows of"
                        + " g/‖v‖ (weight-normed runs: how far the direction v has grown against the norm g, Eq. 2) and of the row"
                        + " norm ‖w‖ (both runs; |g| with weight norm).");
        List<String> weights = List.of("enc.weight_ih", "enc.weight_hh", "dec.weight_ih", "dec.weight_hh");
        for (String w : weights) {
            ChartSpec.Builder scale = ChartSpec.builder("g/‖v‖ per gate, " + w).xLabel("epoch").yLabel("mean g/‖v‖");
            ChartSpec.Builder norm = ChartSpec.builder("‖w‖ per gate, " + w).xLabel("epoch").yLabel("mean row norm ‖w‖");
            boolean anyScale = false;
            Set<String> seen = new LinkedHashSet<>();
            for (DrawCompare.Cell c : cells) {
                if (!seen.add(c.settings().param())) {
                    continue;                                              // the first seed of each parameterization
                }
                Map<String, double[]> m = DrawExperiment.readMetrics(c.dir());
                for (String g : DrawGateStats.GATES) {
                    String label = c.settings().param() + " " + g;
                    norm.series(new Series(label, m.get("epoch"), m.get(w + "." + g + ".w_norm")));
                    if (c.settings().weightNorm()) {
                        scale.series(new Series(label, m.get("epoch"), m.get(w + "." + g + ".g_over_v_norm")));
                        anyScale = true;
                    }
                }
            }
            if (anyScale) {
                gates.chart(scale.build(), "g/‖v‖ of " + w + ", gate by gate (the first seed's wn run).");
            }
            gates.chart(norm.build(), "‖w‖ of " + w + ", gate by gate (the first seed of each parameterization).");
        }

        Section.Builder canvas = Section.builder("The canvas, glimpse by glimpse")
                .paragraph("σ(c_t) after each glimpse t: the model adds to its canvas through a 5×5 grid of Gaussian filters"
                        + " whose centre, spacing and width it chooses at each step. Animated (APNG: any current browser plays it);"
                        + " the strips show 8 glimpses spread over T, the test digit last.");
        Set<String> shown = new LinkedHashSet<>();
        for (DrawCompare.Cell c : cells) {
            if (!shown.add(c.settings().param())) {
                continue;
            }
            String p = c.settings().param() + " seed " + c.settings().seed();
            picture(canvas, c.dir().resolve(DrawExperiment.CANVAS_TEST), "canvas test " + p, "Test digits being drawn (" + p + ").");
            picture(canvas, c.dir().resolve(DrawExperiment.STRIP_TEST), "strip test " + p,
                    "Test digits: 8 glimpses across, the binarized digit last (" + p + ").");
            picture(canvas, c.dir().resolve(DrawExperiment.CANVAS_SAMPLES), "canvas samples " + p,
                    "Samples from the prior being drawn (" + p + ").");
            picture(canvas, c.dir().resolve(DrawExperiment.STRIP_SAMPLES), "strip samples " + p, "Samples: 8 glimpses across (" + p + ").");
        }
        return Report.builder(title).command(command).section(bound.build()).section(gates.build()).section(canvas.build()).build();
    }

    private static void picture(Section.Builder s, Path file, String title, String caption) throws IOException {
        if (!Files.isRegularFile(file)) {
            s.paragraph("(missing: " + file + ")");
            return;
        }
        byte[] png = Files.readAllBytes(file);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        s.picture(title, png, img.getWidth(), img.getHeight(), caption);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
