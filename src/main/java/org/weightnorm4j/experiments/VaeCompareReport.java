package org.weightnorm4j.experiments;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.weightnorm4j.report.ChartSpec;
import org.weightnorm4j.report.Report;
import org.weightnorm4j.report.Section;
import org.weightnorm4j.report.Series;
import org.weightnorm4j.report.Table;

/**
 * The report of {@code weightnorm vae compare} (and of the demo's VAE section): the test bound per
 * epoch of every (parameterization, seed) run and its spread over seeds (the paper's Figure 3 is
 * about the spread as much as the mean), a table with the final test ELBO and the
 * importance-sampled {@code log p(x)}, and each run's samples from the prior and test
 * reconstructions (averaged parameters).
 */
public final class VaeCompareReport {
    private VaeCompareReport() {
    }

    /** Writes the report into {@code dir} and returns its {@code report.html}. */
    public static Path write(List<VaeCompare.Cell> cells, String title, List<String> command, Path dir) throws IOException {
        return build(cells, title, command).writeTo(dir);
    }

    static Report build(List<VaeCompare.Cell> cells, String title, List<String> command) throws IOException {
        ChartSpec.Builder perSeed = ChartSpec.builder("Test ELBO per epoch, every seed").xLabel("epoch")
                .yLabel("test ELBO (nats per image, higher is better)");
        ChartSpec.Builder spread = ChartSpec.builder("Test ELBO over seeds: mean, min and max").xLabel("epoch")
                .yLabel("test ELBO (nats per image)");
        Map<String, List<double[]>> byParam = new LinkedHashMap<>();
        for (VaeCompare.Cell c : cells) {
            double[][] curve = testCurve(c.dir().resolve(VaeExperiment.METRICS));
            perSeed.series(new Series(c.settings().param() + " seed " + c.settings().seed(), curve[0], curve[1]));
            byParam.computeIfAbsent(c.settings().param(), k -> new ArrayList<>()).add(curve[1]);
        }
        Table.Builder spreadTable = Table.builder("parameterization", "seeds", "final test ELBO mean", "min", "max", "max − min");
        spreadTable.caption("Final test ELBO (one-sample bound, averaged parameters) over seeds: the paper's Figure 3 shows wn"
                + " both higher and with less spread.");
        for (Map.Entry<String, List<double[]>> e : byParam.entrySet()) {
            int n = e.getValue().stream().mapToInt(a -> a.length).min().orElse(0);
            double[] x = new double[n], mean = new double[n], lo = new double[n], hi = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = i + 1;
                lo[i] = Double.POSITIVE_INFINITY;
                hi[i] = Double.NEGATIVE_INFINITY;
                for (double[] y : e.getValue()) {
                    mean[i] += y[i] / e.getValue().size();
                    lo[i] = Math.min(lo[i], y[i]);
                    hi[i] = Math.max(hi[i], y[i]);
                }
            }
            if (n > 0) {
                spread.series(new Series(e.getKey() + " mean", x, mean));
                spread.series(new Series(e.getKey() + " min", x, lo));
                spread.series(new Series(e.getKey() + " max", x, hi));
                spreadTable.row(e.getKey(), e.getValue().size(), mean[n - 1], lo[n - 1], hi[n - 1], hi[n - 1] - lo[n - 1]);
            }
        }
        Table.Builder finals = Table.builder("run", "epochs", "test ELBO", "reconstruction", "KL", "log p(x) (IS)", "K", "IS images",
                "train images/s");
        finals.caption("Nats per image on the fixed binarization of the test set, with the averaged parameters. log p(x):"
                + " importance-sampled with K samples per image (a tighter bound than the ELBO).");
        Section.Builder pictures = Section.builder("Samples and reconstructions");
        pictures.paragraph("Each run with its averaged parameters. Samples: decoded z ~ N(0, I), shown as the pixel"
                + " probabilities. Reconstructions: the first 16 test images (binarized, top row) and the decoding of their"
                + " posterior mean (bottom row).");
        for (VaeCompare.Cell c : cells) {
            var s = c.summary();
            String name = c.settings().param() + " seed " + c.settings().seed();
            finals.row(name + (c.reused() ? " (earlier run)" : ""), s.get("epochs").getAsInt(), s.get("test_elbo").getAsDouble(),
                    s.get("test_reconstruction").getAsDouble(), s.get("test_kl").getAsDouble(),
                    s.has("test_log_likelihood_is") ? s.get("test_log_likelihood_is").getAsDouble() : null,
                    s.get("is_samples").getAsInt(), s.get("is_images").getAsInt(), s.get("train_images_per_s").getAsDouble());
            picture(pictures, c.dir().resolve(VaeExperiment.SAMPLES), "samples " + name, "Samples from the prior, " + name + ".");
            picture(pictures, c.dir().resolve(VaeExperiment.RECONSTRUCTIONS), "reconstructions " + name,
                    "Test images (top) and reconstructions (bottom), " + name + ".");
        }
        VaeCompare.Cell first = cells.get(0);
        Section curves = Section.builder("Test bound per epoch")
                .chart(perSeed.build(), "One-sample test ELBO after each epoch, averaged parameters, every run.")
                .chart(spread.build(), "Mean, lowest and highest test ELBO over the seeds of each parameterization.")
                .table(spreadTable.build())
                .build();
        Section numbers = Section.builder("Final numbers").table(finals.build()).build();
        Section how = Section.builder("Settings")
                .paragraph("Every run: " + first.settings().toJson() + " (param and seed vary). Training images are binarized"
                        + " afresh each epoch, the test images once (seeded); this is not the Larochelle split (docs/VAE.md).")
                .paragraph("Each run lives in its own directory (checkpoint, metrics.csv, summary.json, samples.png,"
                        + " reconstructions.png); rerunning the same command skips finished runs and resumes unfinished ones.")
                .build();
        return Report.builder(title).conclusions(conclusions(byParam))
                .section(curves).section(numbers).section(pictures.build()).section(how)
                .command(command).build();
    }

    private static String conclusions(Map<String, List<double[]>> byParam) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, List<double[]>> e : byParam.entrySet()) {
            double sum = 0, lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            int count = 0;
            for (double[] y : e.getValue()) {
                if (y.length > 0) {
                    double v = y[y.length - 1];
                    sum += v;
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                    count++;
                }
            }
            if (count > 0) {
                b.append(String.format(Locale.ROOT, "%s: final test ELBO %.2f nats (mean of %d run%s, spread %.2f). ", e.getKey(),
                        sum / count, count, count == 1 ? "" : "s", hi - lo));
            }
        }
        return b.append("Paper (MNIST, Figure 3, 300 epochs, read off the figure): about −85.3 with wn against −85.8 without.")
                .toString();
    }

    /** Epochs and test ELBO from a run's metrics.csv. */
    static double[][] testCurve(Path metrics) throws IOException {
        List<String> lines = Files.readAllLines(metrics, StandardCharsets.UTF_8);
        List<String> header = List.of(lines.get(0).split(","));
        int ep = header.indexOf("epoch"), te = header.indexOf("test_elbo");
        double[] x = new double[lines.size() - 1], y = new double[lines.size() - 1];
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            x[i - 1] = Double.parseDouble(cells[ep]);
            y[i - 1] = Double.parseDouble(cells[te]);
        }
        return new double[][] {x, y};
    }

    private static void picture(Section.Builder section, Path png, String title, String caption) throws IOException {
        if (!Files.isRegularFile(png)) {
            section.paragraph(title + ": " + png + " is missing.");
            return;
        }
        byte[] bytes = Files.readAllBytes(png);
        BufferedImage img = ImageIO.read(png.toFile());
        section.picture(title, bytes, img.getWidth(), img.getHeight(), caption);
    }
}
