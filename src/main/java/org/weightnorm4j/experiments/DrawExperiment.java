package org.weightnorm4j.experiments;

import com.google.gson.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.weightnorm4j.data.Binarization;
import org.weightnorm4j.data.Dataset;
import org.weightnorm4j.data.DatasetSplits;
import org.weightnorm4j.data.Datasets;
import org.weightnorm4j.generative.Draw;
import org.weightnorm4j.generative.DrawGateStats;
import org.weightnorm4j.generative.DrawRun;
import org.weightnorm4j.io.AtomicFiles;
import org.weightnorm4j.nn.ModelTree;
import org.weightnorm4j.report.AnimatedPng;
import org.weightnorm4j.report.ImageGrid;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.train.checkpoint.Checkpoint;
import org.weightnorm4j.train.checkpoint.RunLock;

/**
 * One DRAW run in its own directory, start to finish: what {@code weightnorm draw} runs, what each
 * cell of {@code weightnorm draw compare} runs ({@link #runOne}: it needs only its settings, the data
 * and its directory, so a cluster could run it as one task), and what the demo runs.
 * <pre>
 *   metrics.csv             one row per epoch: train and test bound with their parts (nats per image),
 *                           the mean gradient norm before clipping, and per LSTM weight and gate block
 *                           the mean ‖w‖ and g/‖v‖ ({@link DrawGateStats}); no timings, so that a
 *                           resumed run's file is byte-identical to an uninterrupted one's
 *   model.safetensors …     the checkpoint ({@link DrawRun#save}): every epoch, every
 *                           {@code checkpointSeconds} within one, and on a stop
 *   summary.json            at the end: test_bound (the negative ELBO, nats per image), the settings
 *   canvas-test.png         animated (APNG): the canvas σ(c_t) of 8 test digits, glimpse by glimpse
 *   canvas-samples.png      animated: 8 samples from the prior being drawn
 *   canvas-test-strip.png   the same as still frames: one row per digit, 8 glimpses across, then the digit
 *   canvas-samples-strip.png
 * </pre>
 */
public final class DrawExperiment {
    public static final String METRICS = "metrics.csv";
    public static final String SUMMARY = EpochRuns.SUMMARY;
    public static final String CANVAS_TEST = "canvas-test.png";
    public static final String CANVAS_SAMPLES = "canvas-samples.png";
    public static final String STRIP_TEST = "canvas-test-strip.png";
    public static final String STRIP_SAMPLES = "canvas-samples-strip.png";
    /** Digits (and samples) in the canvas images. */
    public static final int CANVAS_COUNT = 8;
    /** The test set's one fixed binarization: the same for every run and seed, so bounds compare. */
    public static final long TEST_BINARIZATION_SEED = 0;
    /** Pixels per image pixel in the canvas pictures. */
    static final int SCALE = 3;

    /** The images of a run: training intensities {@code [N, P]} (binarized per epoch) and the binarized test set {@code [M, P]}. */
    public record Data(Tensor train, Tensor testBinary) {
        /** MNIST (located as {@code weightnorm data} does), its first {@code trainLimit} / {@code testLimit} images (0 = all). */
        public static Data mnist(Path dataDir, int trainLimit, int testLimit) throws IOException {
            DatasetSplits s = Datasets.load("mnist", dataDir);
            Dataset train = trainLimit > 0 && trainLimit < s.train().size() ? s.train().head(trainLimit) : s.train();
            Dataset test = testLimit > 0 && testLimit < s.test().size() ? s.test().head(testLimit) : s.test();
            return of(train.images(), test.images());
        }

        /** From images {@code [N, 1, H, W]} or {@code [N, P]} with intensities in [0, 1]. */
        public static Data of(Tensor train, Tensor test) {
            Tensor flatTrain = train.reshape(train.dim(0), train.size() / train.dim(0));
            Tensor flatTest = test.reshape(test.dim(0), test.size() / test.dim(0));
            return new Data(flatTrain, Binarization.fixed(flatTest, TEST_BINARIZATION_SEED));
        }
    }


    private DrawExperiment() {
    }



    /**
     * Runs {@code settings} for {@code epochs} epochs into {@code dir}: fresh, or from its checkpoint
     * when {@code resume}; before each step {@code stop} may end it (a checkpoint is then written).
     * Holds {@code dir}'s {@link RunLock} throughout.
     *
     * @throws IllegalArgumentException if {@code dir} already holds a run and {@code resume} is false,
     *                                  or {@code resume} and it holds none
     */
    public static EpochRuns.Outcome runOne(DrawRun.Settings settings, int epochs, Data data, Path dir, boolean resume, PrintWriter log,
                                 BooleanSupplier stop, double progressSeconds, double checkpointSeconds) throws IOException {
        if (epochs < 1) {
            throw new IllegalArgumentException("DRAW: --epochs must be at least 1, got " + epochs);
        }
        Files.createDirectories(dir);
        try (RunLock lock = RunLock.acquire(dir, log::println)) {
            return run(settings, epochs, data, dir, resume, log, stop, progressSeconds, checkpointSeconds);
        }
    }

    private static EpochRuns.Outcome run(DrawRun.Settings settings, int epochs, Data data, Path dir, boolean resume, PrintWriter log,
                               BooleanSupplier stop, double progressSeconds, double checkpointSeconds) throws IOException {
        DrawRun run = new DrawRun(settings, data.train(), data.testBinary());
        Path metrics = dir.resolve(METRICS);
        String name = "draw " + settings.param() + " seed " + settings.seed();
        if (resume) {
            if (!EpochRuns.hasCheckpoint(dir)) {
                throw new IllegalArgumentException("--resume: " + dir + " holds no DRAW checkpoint (" + Checkpoint.STATE_FILE + ")");
            }
            run.restore(dir);
            EpochRuns.refusePastTarget("DRAW", dir, run.step(), run.stepsPerEpoch(), epochs);
            EpochRuns.keepRowsUpTo(metrics, run.epoch());
            log.printf(Locale.ROOT, "%s: resumed %s at epoch %d, step %d%n", name, dir, run.epoch(), run.step());
        } else {
            if (EpochRuns.hasCheckpoint(dir) || Files.exists(metrics)) {
                throw new IllegalArgumentException(dir + " already holds a DRAW run: add --resume to continue it, or choose another --out");
            }
            AtomicFiles.write(metrics, header().getBytes(StandardCharsets.UTF_8));
        }
        log.printf(Locale.ROOT, "%s: %s, %d parameters; %d epochs of %d steps (batch %d, %d training images, %d test), "
                        + "Adam %s, clip %s -> %s%n", name, settings.model(), ModelTree.parameterCount(run.model()), epochs,
                run.stepsPerEpoch(), settings.batch(), data.train().dim(0), data.testBinary().dim(0), settings.lr(), settings.clip(), dir);
        log.flush();
        long sessionStart = System.nanoTime();
        long sessionSteps = 0;
        double lastEpochSeconds = Double.NaN;
        DrawRun.Evaluation lastTest = null;
        long epochWallStart = System.nanoTime();                               // of the epoch under way (across time-based checkpoints)
        try (BufferedWriter csv = Files.newBufferedWriter(metrics, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
            while (run.epoch() < epochs) {
                long epochStart = System.nanoTime();
                long stepAtStart = run.step();
                long[] lastReport = {epochStart};
                long[] lastCheckpoint = {epochStart};
                boolean[] pause = {false};
                DrawRun.EpochStats stats = run.trainEpoch(() -> {
                    if (stop.getAsBoolean()) {
                        return true;
                    }
                    long now = System.nanoTime();
                    if ((now - lastReport[0]) * 1e-9 >= progressSeconds) {
                        lastReport[0] = now;
                        double rate = (run.step() - stepAtStart) * settings.batch() / ((now - epochStart) * 1e-9);
                        log.printf(Locale.ROOT, "%s: epoch %d, step %d/%d, %.1f images/s%n", name, run.epoch() + 1,
                                run.step() % run.stepsPerEpoch(), run.stepsPerEpoch(), rate);
                        log.flush();
                    }
                    // at least one step since this call began, so that a short interval cannot stall the run
                    if (run.step() > stepAtStart && (now - lastCheckpoint[0]) * 1e-9 >= checkpointSeconds) {
                        lastCheckpoint[0] = now;
                        pause[0] = true;
                        return true;
                    }
                    return false;
                });
                sessionSteps += run.step() - stepAtStart;
                if (stats == null) {
                    run.save(dir);
                    if (pause[0] && !stop.getAsBoolean()) {
                        log.printf(Locale.ROOT, "%s: checkpoint at step %d%n", name, run.step());
                        log.flush();
                        continue;                                              // a time-based checkpoint within the epoch
                    }
                    return new EpochRuns.Outcome(false, null, run.epoch(), run.step());
                }
                DrawRun.Evaluation test = run.evaluate();
                lastEpochSeconds = (System.nanoTime() - epochWallStart) * 1e-9;
                csv.write(row(run.epoch(), run.step(), stats, test, DrawGateStats.values(run.model())));
                csv.flush();
                lastTest = test;
                log.printf(Locale.ROOT, "%s: epoch %d: train bound %.2f, test bound %.2f (reconstruction %.2f, KL %.2f) nats, "
                        + "grad norm %.1f, %.0f s%n", name, run.epoch(), stats.bound(), test.bound(), test.reconstruction(), test.kl(),
                        stats.gradNorm(), lastEpochSeconds);
                log.flush();
                run.save(dir);
                epochWallStart = System.nanoTime();
            }
        }
        if (lastTest == null) {
            lastTest = run.evaluate();                                         // resumed a run whose epochs were all done
        }
        double seconds = (System.nanoTime() - sessionStart) * 1e-9;
        writeCanvases(run, dir);
        JsonObject o = new JsonObject();
        o.addProperty("finished", true);
        o.addProperty("param", settings.param());
        o.addProperty("seed", settings.seed());
        o.addProperty("epochs", run.epoch());
        o.addProperty("steps", run.step());
        o.addProperty("test_bound", lastTest.bound());
        o.addProperty("test_reconstruction", lastTest.reconstruction());
        o.addProperty("test_kl", lastTest.kl());
        o.addProperty("test_images", data.testBinary().dim(0));
        o.addProperty("train_images", data.train().dim(0));
        o.addProperty("units", "nats per image: the negative ELBO, reconstruction (BCE summed over pixels) + KL summed over glimpses");
        o.addProperty("parameters", ModelTree.parameterCount(run.model()));
        o.addProperty("last_epoch_seconds", lastEpochSeconds);
        o.addProperty("train_images_per_s_this_session", seconds > 0 && sessionSteps > 0 ? sessionSteps * settings.batch() / seconds : 0);
        JsonObject cfg = new JsonObject();
        settings.model().toMap().forEach((k, v) -> cfg.addProperty(k, (Number) v));
        cfg.addProperty("param", settings.param());
        cfg.addProperty("batch", settings.batch());
        cfg.addProperty("lr", settings.lr());
        cfg.addProperty("clip", settings.clip());
        cfg.addProperty("init_std", settings.initStd());
        cfg.addProperty("read_init", settings.readInit().label());
        cfg.addProperty("optimizer", "adam (0.9, 0.999, 1e-8)");
        o.add("config", cfg);
        JsonFiles.write(dir.resolve(SUMMARY), o);
        log.printf(Locale.ROOT, "%s: test bound %.2f nats per image -> %s%n", name, lastTest.bound(), dir.resolve(SUMMARY));
        log.flush();
        return new EpochRuns.Outcome(true, o, run.epoch(), run.step());
    }

    /** The animated and still canvases of {@link #CANVAS_COUNT} test digits and as many samples. */
    static void writeCanvases(DrawRun run, Path dir) throws IOException {
        Draw model = run.model();
        var cfg = model.config();
        int n = Math.min(CANVAS_COUNT, run.testImages().dim(0)), pix = cfg.pixels();
        Tensor x = Tensor.zeros(n, pix);
        System.arraycopy(run.testImages().data(), 0, x.data(), 0, n * pix);
        Tensor eps = Tensor.zeros(cfg.glimpses(), n, cfg.latent());
        Draw.drawNoise(eps, new SplittableRandom(run.settings().seed()));
        model.bound(x, eps);
        double[][] test = copy(model.canvasSteps());
        double[][] samples = model.sample(CANVAS_COUNT, new SplittableRandom(run.settings().seed() + 1), DType.FLOAT32);
        double[] digits = new double[n * pix];
        for (int i = 0; i < digits.length; i++) {
            digits[i] = x.data()[i];
        }
        AtomicFiles.write(dir.resolve(CANVAS_TEST), animation(test, n, cfg.height(), cfg.width()));
        AtomicFiles.write(dir.resolve(CANVAS_SAMPLES), animation(samples, CANVAS_COUNT, cfg.height(), cfg.width()));
        AtomicFiles.write(dir.resolve(STRIP_TEST), strip(test, digits, n, cfg.height(), cfg.width()));
        AtomicFiles.write(dir.resolve(STRIP_SAMPLES), strip(samples, null, CANVAS_COUNT, cfg.height(), cfg.width()));
    }

    private static double[][] copy(double[][] a) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }

    /**
     * An APNG of the canvases: frame t shows the {@code count} images of {@code frames[t]} side by
     * side, each pixel a {@link #SCALE}² block, with a gutter; the last frame is held 1.5 s.
     */
    public static byte[] animation(double[][] frames, int count, int height, int width) {
        int cellW = width * SCALE + 1, w = count * cellW + 1, h = height * SCALE + 2;
        List<byte[]> out = new ArrayList<>();
        for (double[] f : frames) {
            byte[] img = new byte[w * h];
            byte[] g = AnimatedPng.grayLevels(f);
            for (int k = 0; k < count; k++) {
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        byte v = g[k * height * width + y * width + x];
                        for (int dy = 0; dy < SCALE; dy++) {
                            for (int dx = 0; dx < SCALE; dx++) {
                                img[(1 + y * SCALE + dy) * w + 1 + k * cellW + x * SCALE + dx] = v;
                            }
                        }
                    }
                }
            }
            out.add(img);
        }
        int delay = Math.max(20, Math.min(200, 4000 / frames.length));
        return AnimatedPng.gray(out, w, h, delay, 1500);
    }

    /** Still frames: one row per image, 8 glimpses spread over T (the last included), then {@code originals} when given. */
    public static byte[] strip(double[][] frames, double[] originals, int count, int height, int width) {
        int steps = Math.min(8, frames.length), cols = steps + (originals == null ? 0 : 1), pix = height * width;
        float[] grid = new float[count * cols * pix];
        for (int k = 0; k < count; k++) {
            for (int c = 0; c < steps; c++) {
                int t = (int) Math.round((c + 1) * (double) frames.length / steps) - 1;
                for (int i = 0; i < pix; i++) {
                    grid[(k * cols + c) * pix + i] = (float) frames[t][k * pix + i];
                }
            }
            if (originals != null) {
                for (int i = 0; i < pix; i++) {
                    grid[(k * cols + steps) * pix + i] = (float) originals[k * pix + i];
                }
            }
        }
        return ImageGrid.png(grid, count * cols, height, width, cols, SCALE);
    }

    static String header() {
        StringBuilder h = new StringBuilder("epoch,step,train_bound,train_reconstruction,train_kl,grad_norm,test_bound,test_reconstruction,test_kl");
        for (String c : DrawGateStats.columns()) {
            h.append(',').append(c);
        }
        return h.append('\n').toString();
    }

    static String row(int epoch, long step, DrawRun.EpochStats s, DrawRun.Evaluation test, Map<String, Double> gates) {
        StringBuilder r = new StringBuilder();
        r.append(epoch).append(',').append(step);
        for (double v : new double[] {s.bound(), s.reconstruction(), s.kl(), s.gradNorm(), test.bound(), test.reconstruction(), test.kl()}) {
            r.append(',').append(v);
        }
        for (double v : gates.values()) {
            r.append(',').append(Double.isNaN(v) ? "" : Double.toString(v));
        }
        return r.append('\n').toString();
    }


    /** Reads a run's metrics.csv: column name to values by epoch (empty cells are NaN). */
    public static Map<String, double[]> readMetrics(Path dir) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(METRICS), StandardCharsets.UTF_8);
            String[] head = lines.get(0).split(",", -1);
            Map<String, double[]> out = new java.util.LinkedHashMap<>();
            int rows = lines.size() - 1;
            for (String h : head) {
                out.put(h, new double[rows]);
            }
            for (int r = 0; r < rows; r++) {
                String[] cells = lines.get(r + 1).split(",", -1);
                for (int c = 0; c < head.length && c < cells.length; c++) {
                    out.get(head[c])[r] = cells[c].isEmpty() ? Double.NaN : Double.parseDouble(cells[c]);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + dir.resolve(METRICS) + ": " + e.getMessage(), e);
        }
    }
}
