package org.weightnorm4j.experiments;

import com.google.gson.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.weightnorm4j.data.Dataset;
import org.weightnorm4j.data.DatasetSplits;
import org.weightnorm4j.data.Datasets;
import org.weightnorm4j.generative.VaeEvaluation;
import org.weightnorm4j.generative.VaeImages;
import org.weightnorm4j.generative.VaeRun;
import org.weightnorm4j.generative.VaeSettings;
import org.weightnorm4j.io.AtomicFiles;
import org.weightnorm4j.norm.WeightNormStats;
import org.weightnorm4j.report.ImageGrid;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.train.checkpoint.Checkpoint;
import org.weightnorm4j.train.checkpoint.RunLock;

/**
 * One VAE run in its own directory, start to finish: what {@code weightnorm vae} runs, what each
 * cell of {@code weightnorm vae compare} runs ({@link #runOne}, the unit a cluster would schedule
 * as one task: it needs only its settings, the data and its directory), and what the demo runs.
 * <pre>
 *   metrics.csv          one row per epoch: train and test ELBO with their parts (nats per image),
 *                        ‖v‖, g and g/‖v‖ per weight-normed layer; no timings, so that a resumed
 *                        run's file is byte-identical to an uninterrupted one's
 *   model.safetensors …  the checkpoint ({@link VaeRun#save}), after every epoch and on a stop
 *   summary.json         at the end: test ELBO, importance-sampled log p(x) and K, the settings
 *   samples.png          64 samples from the prior, with the averaged parameters
 *   reconstructions.png  16 test images above their reconstructions (averaged parameters)
 * </pre>
 */
public final class VaeExperiment {
    public static final String METRICS = "metrics.csv";
    public static final String SUMMARY = EpochRuns.SUMMARY;
    public static final String SAMPLES = "samples.png";
    public static final String RECONSTRUCTIONS = "reconstructions.png";
    /** Images in {@link #SAMPLES} and pairs in {@link #RECONSTRUCTIONS}. */
    static final int SAMPLE_COUNT = 64;
    static final int RECONSTRUCTION_COUNT = 16;

    /** The images of a run: training intensities (binarized per epoch by the run) and test intensities (binarized once). */
    public record Data(Dataset train, Tensor test) {
        /** MNIST (located as {@code weightnorm data} does), its first {@code trainLimit} / {@code testLimit} images (0 = all). */
        public static Data mnist(Path dataDir, int trainLimit, int testLimit) throws IOException {
            DatasetSplits s = Datasets.load("mnist", dataDir);
            Dataset train = trainLimit > 0 && trainLimit < s.train().size() ? s.train().head(trainLimit) : s.train();
            Dataset test = testLimit > 0 && testLimit < s.test().size() ? s.test().head(testLimit) : s.test();
            return new Data(train, test.images());
        }
    }


    private VaeExperiment() {
    }



    /**
     * Runs {@code settings} into {@code dir}: fresh, or from its checkpoint when {@code resume};
     * after each step {@code stop} may end it (a checkpoint is then written and the outcome is
     * not finished). Holds {@code dir}'s {@link RunLock} throughout.
     *
     * @throws IllegalArgumentException if {@code dir} already holds a run and {@code resume} is false,
     *                                  or {@code resume} and it holds none
     */
    public static EpochRuns.Outcome runOne(VaeSettings settings, Data data, Path dir, boolean resume, PrintWriter log,
                                 BooleanSupplier stop, double progressSeconds) throws IOException {
        Files.createDirectories(dir);
        try (RunLock lock = RunLock.acquire(dir, log::println)) {
            return run(settings, data, dir, resume, log, stop, progressSeconds);
        }
    }

    private static EpochRuns.Outcome run(VaeSettings settings, Data data, Path dir, boolean resume, PrintWriter log, BooleanSupplier stop,
                               double progressSeconds) throws IOException {
        VaeRun run = new VaeRun(settings, data.train(), data.test());
        Path metrics = dir.resolve(METRICS);
        String name = settings.param() + " seed " + settings.seed();
        if (resume) {
            if (!EpochRuns.hasCheckpoint(dir)) {
                throw new IllegalArgumentException("--resume: " + dir + " holds no VAE checkpoint (" + Checkpoint.STATE_FILE + ")");
            }
            run.restore(dir);
            EpochRuns.refusePastTarget("VAE", dir, run.step(), run.stepsPerEpoch(), settings.epochs());
            EpochRuns.keepRowsUpTo(metrics, run.completedEpochs());
            log.printf(Locale.ROOT, "vae %s: resumed %s at epoch %d, step %d%n", name, dir, run.completedEpochs(), run.step());
        } else {
            if (EpochRuns.hasCheckpoint(dir) || Files.exists(metrics)) {
                throw new IllegalArgumentException(dir + " already holds a VAE run: add --resume to continue it, or choose another --out");
            }
            AtomicFiles.write(metrics, header(run.weightNormKeys()).getBytes(StandardCharsets.UTF_8));
        }
        log.printf(Locale.ROOT, "vae %s: %d epochs of %d steps (batch %d, %d training images, %d test), Adamax %s, EMA decay %.6f -> %s%n",
                name, settings.epochs(), run.stepsPerEpoch(), settings.batch(), data.train().size(), data.test().dim(0),
                settings.lr(), settings.emaDecay(), dir);
        log.flush();
        boolean done;
        try (BufferedWriter csv = Files.newBufferedWriter(metrics, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
            long[] lastReport = {System.nanoTime()};
            long startStep = run.step();
            long started = System.nanoTime();
            done = run.run(new VaeRun.Listener() {
                @Override
                public void onStep(VaeRun r) {
                    long now = System.nanoTime();
                    if ((now - lastReport[0]) * 1e-9 >= progressSeconds) {
                        lastReport[0] = now;
                        double rate = (r.step() - startStep) * settings.batch() / ((now - started) * 1e-9);
                        log.printf(Locale.ROOT, "vae %s: epoch %d, step %d/%d, %.0f images/s%n", name, r.completedEpochs() + 1,
                                r.step() - (long) r.completedEpochs() * r.stepsPerEpoch(), r.stepsPerEpoch(), rate);
                        log.flush();
                    }
                }

                @Override
                public void onEpoch(VaeRun r, VaeRun.Epoch e) {
                    try {
                        csv.write(row(e));
                        csv.flush();
                    } catch (IOException ex) {
                        throw new java.io.UncheckedIOException(ex);
                    }
                    log.printf(Locale.ROOT, "vae %s: epoch %d: train ELBO %.2f, test ELBO %.2f (recon %.2f, KL %.2f) nats, %.0f s%n",
                            name, e.epoch(), e.trainElbo(), e.test().elbo(), e.test().reconstruction(), e.test().kl(), e.trainSeconds());
                    log.flush();
                    r.save(dir);
                }
            }, stop);
        }
        if (!done) {
            run.save(dir);
            return new EpochRuns.Outcome(false, null, run.completedEpochs(), run.step());
        }
        return new EpochRuns.Outcome(true, finish(run, dir, log, name), run.completedEpochs(), run.step());
    }

    /** The end of a run: the importance-sampled log-likelihood, the images, summary.json. */
    private static JsonObject finish(VaeRun run, Path dir, PrintWriter log, String name) throws IOException {
        VaeSettings s = run.settings();
        long t0 = System.nanoTime();
        if (s.isSamples() > 0) {
            log.printf(Locale.ROOT, "vae %s: importance-sampled log p(x), K = %d, on %s test images ...%n", name, s.isSamples(),
                    s.isLimit() == 0 ? "all " + run.testImages().dim(0) : Integer.toString(Math.min(s.isLimit(), run.testImages().dim(0))));
            log.flush();
        }
        VaeEvaluation test = run.evaluate(run.testImages(), s.isSamples(), s.isLimit());
        double isSeconds = (System.nanoTime() - t0) * 1e-9;
        writeImages(run, dir);
        JsonObject o = new JsonObject();
        o.addProperty("finished", true);
        o.addProperty("param", s.param());
        o.addProperty("seed", s.seed());
        o.addProperty("epochs", run.completedEpochs());
        o.addProperty("steps", run.step());
        o.addProperty("test_images", test.examples());
        o.addProperty("test_elbo", test.elbo());
        o.addProperty("test_reconstruction", test.reconstruction());
        o.addProperty("test_kl", test.kl());
        if (Double.isFinite(test.logLikelihood())) {
            o.addProperty("test_log_likelihood_is", test.logLikelihood());
        }
        o.addProperty("is_samples", test.isSamples());
        o.addProperty("is_images", test.isExamples());
        VaeRun.Epoch last = run.lastEpoch();
        if (last != null) {
            o.addProperty("train_elbo_last_epoch", last.trainElbo());
        }
        o.addProperty("units", "nats per image (sums over the 784 pixels and the latent dimensions)");
        o.addProperty("evaluated_with", "the Polyak (exponential moving) average of the parameters");
        o.addProperty("train_seconds", run.trainSeconds());
        o.addProperty("train_images_per_s", run.trainSeconds() > 0 ? run.step() * s.batch() / run.trainSeconds() : 0);
        o.addProperty("final_evaluation_seconds", isSeconds);
        o.add("config", s.toJson());
        JsonFiles.write(dir.resolve(SUMMARY), o);
        log.printf(Locale.ROOT, "vae %s: test ELBO %.2f nats%s -> %s%n", name, test.elbo(),
                Double.isFinite(test.logLikelihood()) ? String.format(Locale.ROOT, ", log p(x) ≈ %.2f (K = %d, %d images)",
                        test.logLikelihood(), test.isSamples(), test.isExamples()) : "", dir.resolve(SUMMARY));
        log.flush();
        return o;
    }

    /** {@link #SAMPLES} and {@link #RECONSTRUCTIONS}, with the averaged parameters. */
    static void writeImages(VaeRun run, Path dir) throws IOException {
        int side = run.settings().sizes().image();
        Tensor samples = run.withAverage(() -> VaeImages.priorSamples(run.model(), SAMPLE_COUNT, run.settings().seed()));
        int n = Math.min(RECONSTRUCTION_COUNT, run.testImages().dim(0));
        Tensor first = run.testImages().zerosLike(n, 1, side, side);
        for (int i = 0; i < first.size(); i++) {
            first.set(i, run.testImages().get(i));
        }
        Tensor rec = run.withAverage(() -> VaeImages.reconstructions(run.model(), first));
        AtomicFiles.write(dir.resolve(SAMPLES), ImageGrid.png(samples.data(), SAMPLE_COUNT, side, side, 8, 2));
        AtomicFiles.write(dir.resolve(RECONSTRUCTIONS), ImageGrid.png(rec.data(), 2 * n, side, side, n, 2));
    }

    static String header(List<String> wnKeys) {
        StringBuilder h = new StringBuilder("epoch,step,train_elbo,train_reconstruction,train_kl,test_elbo,test_reconstruction,test_kl");
        for (String k : wnKeys) {
            h.append(',').append(k).append("_v_norm,").append(k).append("_g,").append(k).append("_g_over_v_norm");
        }
        return h.append('\n').toString();
    }

    static String row(VaeRun.Epoch e) {
        StringBuilder r = new StringBuilder();
        r.append(e.epoch()).append(',').append(e.step());
        for (double v : new double[] {e.trainElbo(), e.trainReconstruction(), e.trainKl(), e.test().elbo(), e.test().reconstruction(),
                e.test().kl()}) {
            r.append(',').append(v);
        }
        for (WeightNormStats s : e.weightNorm().values()) {
            r.append(',').append(s.meanVNorm()).append(',').append(s.meanG()).append(',').append(s.meanScale());
        }
        return r.append('\n').toString();
    }

}
