package org.weightnorm4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.weightnorm4j.data.DatasetLocator;
import org.weightnorm4j.data.KnownDataset;
import org.weightnorm4j.data.MnistFetcher;
import org.weightnorm4j.experiments.VaeCompare;
import org.weightnorm4j.experiments.VaeCompareReport;
import org.weightnorm4j.experiments.VaeExperiment;
import org.weightnorm4j.generative.ReferenceVae;
import org.weightnorm4j.generative.VaeSettings;

/**
 * The demo's VAE section (docs/VAE.md): a weight-normed convolutional VAE, the paper's architecture
 * at reduced width (8 and 16 feature maps, a dense layer of 128, latent 32), trained for
 * {@value #EPOCHS} epochs on the first {@value #TRAIN_IMAGES} MNIST training images, then a report
 * with its samples, reconstructions, test ELBO and importance-sampled {@code log p(x)}. Sized for
 * well under a minute on two quiet cores. MNIST is fetched when missing; when it cannot be, the
 * section is skipped with the reason, and the rest of the demo goes on.
 */
final class DemoVaeSection {
    static final int TRAIN_IMAGES = 5000;
    static final int TEST_IMAGES = 500;
    static final int EPOCHS = 2;
    static final int IS_SAMPLES = 32;
    static final int IS_IMAGES = 100;

    /** The report and a one-line summary, or a line saying why the section was skipped (report null). */
    record Result(Path report, String summary) {
    }

    private DemoVaeSection() {
    }

    static Result run(Path out, Path dataDir, long seed, List<String> command, PrintWriter o) throws IOException {
        String missing = ensureMnist(dataDir, o);
        if (missing != null) {
            o.println("== vae: skipped: " + missing);
            o.flush();
            return new Result(null, "skipped (" + missing + ")");
        }
        VaeExperiment.Data data = VaeExperiment.Data.mnist(dataDir, TRAIN_IMAGES, TEST_IMAGES);
        ReferenceVae.Sizes sizes = new ReferenceVae.Sizes(8, 16, 128, 32, 28);
        VaeSettings s = new VaeSettings(true, EPOCHS, seed, sizes, VaeSettings.PAPER_BATCH, VaeSettings.PAPER_LR,
                VaeSettings.defaultEmaDecay(TRAIN_IMAGES, VaeSettings.PAPER_BATCH), 500, TRAIN_IMAGES, TEST_IMAGES, IS_SAMPLES, IS_IMAGES);
        o.printf(Locale.ROOT, "== vae: wn convolutional VAE (reduced width 8/16, dense 128, latent 32) on %d MNIST images, %d epochs,"
                + " Adamax 0.002, batch 100%n", TRAIN_IMAGES, EPOCHS);
        o.flush();
        List<VaeCompare.Cell> cells = VaeCompare.run(List.of(s), data, out, o, () -> false, 15);
        Path report = VaeCompareReport.write(cells, "demo: a weight-normed convolutional VAE on MNIST (reduced)", command,
                out.resolve("report"));
        var sum = cells.get(0).summary();
        return new Result(report, String.format(Locale.ROOT, "test ELBO %.2f nats, log p(x) ≈ %.2f (K = %d, %d images)",
                sum.get("test_elbo").getAsDouble(), sum.get("test_log_likelihood_is").getAsDouble(), IS_SAMPLES, IS_IMAGES));
    }

    /** Null when MNIST is found or fetched; else why not. */
    private static String ensureMnist(Path dataDir, PrintWriter o) {
        DatasetLocator locator = DatasetLocator.standard(dataDir);
        if (locator.probe(KnownDataset.MNIST).stream().anyMatch(DatasetLocator.Probe::found)) {
            return null;
        }
        if (dataDir != null) {
            return "--data " + dataDir + " does not hold MNIST (weightnorm data fetch mnist --dest " + dataDir + ")";
        }
        Path target = locator.cacheDir(KnownDataset.MNIST);
        o.println("MNIST not found; fetching it into " + target + " (as 'weightnorm data fetch mnist')");
        o.flush();
        try {
            MnistFetcher.standard(null, line -> {
                o.println("  " + line);
                o.flush();
            }).fetch(target, MnistFetcher.Source.AUTO);
            return null;
        } catch (IOException | RuntimeException e) {
            return "MNIST could not be fetched: " + e.getMessage();
        }
    }
}
