package org.weightnorm4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.weightnorm4j.data.DatasetLocator;
import org.weightnorm4j.data.KnownDataset;
import org.weightnorm4j.experiments.DrawCompare;
import org.weightnorm4j.experiments.DrawCompareReport;
import org.weightnorm4j.experiments.DrawExperiment;
import org.weightnorm4j.generative.DrawConfig;
import org.weightnorm4j.generative.DrawRun;

/**
 * The demo's DRAW section (docs/DRAW.md): a weight-normed DRAW at reduced size ({@value #GLIMPSES}
 * glimpses, LSTMs of {@value #HIDDEN}, latent {@value #LATENT}, the paper's read 2×2 and write 5×5),
 * {@value #EPOCHS} epochs on the first {@value #TRAIN_IMAGES} MNIST training images with a larger
 * step than the paper's (so that something is drawn after a few hundred steps), then the report
 * with the canvas animated glimpse by glimpse. Needs MNIST (an earlier section or
 * {@code weightnorm data fetch mnist} puts it in place); without it the section is skipped with
 * the reason.
 */
final class DemoDrawSection {
    static final int GLIMPSES = 8;
    static final int HIDDEN = 64;
    static final int LATENT = 10;
    static final int TRAIN_IMAGES = 5000;
    static final int TEST_IMAGES = 500;
    static final int EPOCHS = 4;
    /** Ten times the paper's 3e-4: a demo has a few hundred steps, not a hundred epochs. */
    static final double LR = 3e-3;

    /** The report and a one-line summary, or a line saying why the section was skipped (report null). */
    record Result(Path report, String summary) {
    }

    private DemoDrawSection() {
    }

    static Result run(Path out, Path dataDir, long seed, List<String> command, PrintWriter o) throws IOException {
        if (DatasetLocator.standard(dataDir).probe(KnownDataset.MNIST).stream().noneMatch(DatasetLocator.Probe::found)) {
            String why = "MNIST not found (weightnorm data fetch mnist)";
            o.println("== draw: skipped: " + why);
            o.flush();
            return new Result(null, "skipped (" + why + ")");
        }
        DrawExperiment.Data data = DrawExperiment.Data.mnist(dataDir, TRAIN_IMAGES, TEST_IMAGES);
        DrawConfig cfg = new DrawConfig(28, 28, GLIMPSES, HIDDEN, LATENT, 2, 5);
        DrawRun.Settings s = new DrawRun.Settings(cfg, true, seed, 100, LR, 10, 0.01);
        o.printf(Locale.ROOT, "== draw: wn DRAW (%d glimpses, LSTMs of %d, latent %d, read 2x2, write 5x5) on %d MNIST images,"
                + " %d epochs, Adam %s, clip 10, batch 100%n", GLIMPSES, HIDDEN, LATENT, TRAIN_IMAGES, EPOCHS, LR);
        o.flush();
        List<DrawCompare.Cell> cells = DrawCompare.run(List.of(s), EPOCHS, data, out, o, () -> false, 15, 600);
        Path report = DrawCompareReport.write(cells, "demo: a weight-normed DRAW on MNIST (reduced), drawn glimpse by glimpse",
                command, out.resolve("report"));
        return new Result(report, String.format(Locale.ROOT, "test bound %.2f nats per image",
                cells.get(0).summary().get("test_bound").getAsDouble()));
    }
}
