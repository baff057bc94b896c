package org.weightnorm4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Writes a sample report shaped like the experiments' (curves per parameterisation, a
 * learning-rate sweep where {@code normal} diverges, norm growth over steps, a table with the
 * paper's numbers) from synthetic, seeded data, into {@code <build dir>/report-sample/}. It
 * checks the page as a test, and leaves it for {@code scripts/check-report-render.sh}, which
 * renders it in headless Chromium (see docs/REPORTS.md).
 */
class ReportSampleTest {
    static final List<String> PARAMS = List.of("normal", "bn", "wn", "wn-mobn", "mobn");

    /** {@code <build dir>/report-sample}, found from where the test classes were loaded. */
    static Path sampleDir() throws Exception {
        Path testClasses = Path.of(ReportSampleTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return testClasses.getParent().resolve("report-sample");
    }

    static Report sample() {
        SplittableRandom rnd = new SplittableRandom(42);
        int epochs = 20;
        ChartSpec.Builder loss = ChartSpec.builder("Training loss per epoch").xLabel("epoch").yLabel("cross-entropy").logY();
        ChartSpec.Builder error = ChartSpec.builder("Test error per epoch").xLabel("epoch").yLabel("test error (%)");
        Table.Builder table = Table.builder("parameterisation", "final loss", "test error %", "images/s",
                "paper, CIFAR-10 test error %").caption("After " + epochs + " epochs (synthetic numbers for this sample)");
        double[] rates = {0.9, 0.75, 0.7, 0.6, 0.8};
        double[] paper = {8.43, 8.05, 8.46, 7.31, 8.52};
        for (int p = 0; p < PARAMS.size(); p++) {
            double[] l = new double[epochs];
            double[] e = new double[epochs];
            for (int t = 0; t < epochs; t++) {
                l[t] = 0.05 + 2.2 * Math.pow(rates[p], t) * (1 + 0.05 * rnd.nextGaussian());
                e[t] = 8 + 60 * Math.pow(rates[p], t + 1) + 0.3 * rnd.nextGaussian();
            }
            loss.series(Series.ofY(PARAMS.get(p), l));
            error.series(Series.ofY(PARAMS.get(p), e));
            table.row(PARAMS.get(p), l[epochs - 1], e[epochs - 1], 2000 + 300 * rnd.nextDouble(), paper[p]);
        }

        double[] lrs = new double[9];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = Math.pow(10, -4 + 0.5 * i);
        }
        ChartSpec.Builder sweep = ChartSpec.builder("Final training loss vs learning rate").xLabel("learning rate")
                .yLabel("final loss").logX().logY();
        for (String param : List.of("normal", "wn")) {
            double[] y = new double[lrs.length];
            for (int i = 0; i < lrs.length; i++) {
                double lr = lrs[i];
                y[i] = param.equals("normal")
                        ? (lr > 0.05 ? Double.NaN : 0.12 + 3e-4 / lr + 2 * lr)
                        : 0.1 + 2e-4 / lr + 0.4 * lr;
            }
            sweep.series(new Series(param, lrs, y));
        }

        int steps = 400;
        ChartSpec.Builder norm = ChartSpec.builder("||v|| of layer 1 over steps").xLabel("step").yLabel("||v||");
        for (int batch : new int[] {16, 64, 256}) {
            double[] x = new double[steps];
            double[] y = new double[steps];
            double sq = 1;
            for (int t = 0; t < steps; t++) {
                double dv = 0.02 * Math.sqrt(256.0 / batch) * (1 + 0.2 * rnd.nextGaussian());
                sq += dv * dv;
                x[t] = t + 1;
                y[t] = Math.sqrt(sq);
            }
            norm.series(new Series("batch " + batch, x, y));
        }

        return Report.builder("compare: mlp on Fashion-MNIST (sample)")
                .conclusions("This is a sample report drawn from synthetic data, to check the layout. wn-mobn reached "
                        + "a training loss of 0.1 first; normal diverged for learning rates above 0.05, wn did not.\n\n"
                        + "||v|| grew fastest at batch size 16, as the norm-growth argument predicts (Eq. 4 makes every "
                        + "update orthogonal to v).")
                .section(Section.builder("Training curves")
                        .paragraph("The same model, data, seed and schedule under each parameterisation.")
                        .chart(loss.build(), "Mean training loss per epoch, log scale.")
                        .chart(error.build())
                        .table(table.build())
                        .build())
                .section(Section.builder("Robustness to the learning rate")
                        .chart(sweep.build(), "Final loss after 5 epochs for each learning rate of the grid.")
                        .build())
                .section(Section.builder("Norm growth under noisy gradients")
                        .chart(norm.size(800, 400).build(), "||v|| grows faster when gradients are noisier.")
                        .preformatted("Step-by-step check, plain SGD (first steps)",
                                "step  ||v_t||^2     ||v_t+1||^2   ||v_t||^2+||dv_t||^2  rel. error\n"
                                        + "   1  1.000000    1.000412      1.000412             2.1e-16\n"
                                        + "   2  1.000412    1.000797      1.000797             0.0e+00")
                        .build())
                .command(List.of("weightnorm", "compare", "--model", "mlp", "--epochs", "20", "--out", "runs/compare mlp"))
                .timestamp(Instant.parse("2026-11-25T09:00:00Z"))
                .build();
    }

    @Test
    void writesASampleReportForTheRenderCheck() throws Exception {
        Path page = sample().writeTo(sampleDir());
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertEquals(4, html.split("data:image/png;base64,", -1).length - 1, "four inline charts");
        assertTrue(html.contains("&#39;normal&#39;: 3 of 9 points are NaN or infinite"), "the diverged run is noted");
        assertTrue(html.contains("<td class=\"num\">8.43</td>"), "the paper's numbers are in the table");
    }
}
