package org.weightnorm4j.experiments;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import org.weightnorm4j.data.Dataset;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.train.ProgressListener;
import org.weightnorm4j.train.Trainer;
import org.weightnorm4j.train.TrainingDivergedException;

/**
 * {@code weightnorm noise}: why noisy gradients shrink the effective learning rate (§2.1). The
 * same weight-normalized model is trained for the same number of steps at several minibatch sizes
 * (smaller batches, noisier gradients), optionally with label noise, while a
 * {@link NormGrowthProbe} records per step and per layer {@code ||v||}, {@code g/||v||}, the angle
 * between successive updates and the deviation from {@code ||v_{t+1}||² = ||v_t||² + ||Δv_t||²}.
 *
 * <p>The identity is exact only for plain SGD (no momentum, no weight decay): then
 * {@code Δv = −η ∇v L} is orthogonal to {@code v} (Eq. 4). Momentum adds earlier gradients, taken
 * at other {@code v}; weight decay adds {@code −ηλv}, which shrinks {@code ||v||}; Adam rescales
 * each coordinate, so {@code Δv} is no longer orthogonal to {@code v}. The report says which case it
 * measured.
 */
public final class NoiseExperiment {

    /**
     * @param batches     minibatch sizes, no repeats
     * @param labelNoise  probability of corrupting each training label (0 = none)
     * @param steps       optimizer steps per batch size (the same number of updates for each)
     * @param train       the recipe; its batch size and epochs are replaced per run
     */
    public record Settings(List<Integer> batches, double labelNoise, long steps, TrainSettings train) {
        public Settings {
            if (batches.isEmpty()) {
                throw new IllegalArgumentException("--batches is empty: give at least one minibatch size");
            }
            for (int b : batches) {
                if (b < 1) {
                    throw new IllegalArgumentException("--batches: every size must be >= 1, got " + batches);
                }
            }
            if (new LinkedHashSet<>(batches).size() != batches.size()) {
                throw new IllegalArgumentException("--batches lists a size twice: " + batches);
            }
            if (!(labelNoise >= 0 && labelNoise <= 1)) {
                throw new IllegalArgumentException("--label-noise must be a probability in [0, 1], got " + labelNoise);
            }
            if (steps < 1) {
                throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
            }
            batches = List.copyOf(batches);
        }

        /** Whether the norm-growth identity should hold exactly: plain SGD, no momentum, no weight decay. */
        public boolean plainSgd() {
            return train.optimizer() instanceof org.weightnorm4j.optim.OptimizerSpec.Sgd && train.momentum() == 0
                    && train.weightDecay() == 0;
        }
    }

    /** One batch size's run: the probe's layers, the steps done, and why it stopped early if it did. */
    public record BatchRun(int batch, long steps, List<NormGrowthProbe.Layer> layers, String divergence) {
        public BatchRun {
            layers = List.copyOf(layers);
        }
    }

    private final Workload workload;
    private final Settings settings;
    private final Path out;
    private final PrintWriter log;
    private final boolean progress;

    /** @param out where the per-step CSV files go (created if missing) */
    public NoiseExperiment(Workload workload, Settings settings, Path out, PrintWriter log, boolean progress) {
        this.workload = workload;
        this.settings = settings;
        this.out = out;
        this.log = log;
        this.progress = progress;
    }

    /** Runs every batch size in turn and writes {@code noise-bB.csv} per batch size. */
    public NoiseResult run() {
        Dataset train = LabelNoise.apply(workload.data().train(), settings.labelNoise(), settings.train().seed() ^ 0x6c6162L);
        int changed = LabelNoise.changed(workload.data().train(), train);
        createDirectories(out);
        List<BatchRun> runs = new ArrayList<>();
        int i = 0;
        for (int batch : settings.batches()) {
            i++;
            int stepsPerEpoch = train.size() / batch;
            if (stepsPerEpoch == 0) {
                throw new IllegalArgumentException("batch size " + batch + " is larger than the " + train.size()
                        + " training images; use smaller --batches or more data");
            }
            int epochs = (int) Math.min(Integer.MAX_VALUE, (settings.steps() + stepsPerEpoch - 1) / stepsPerEpoch);
            TrainSettings t = settings.train();
            TrainSettings recipe = t.with(epochs, batch, Math.min(t.initBatch(), train.size()));
            log.printf(Locale.ROOT, "[noise %d/%d] batch %d: %d steps (%d epoch(s) of %d steps)%n", i,
                    settings.batches().size(), batch, settings.steps(), epochs, stepsPerEpoch);
            log.flush();
            Sequential net = workload.model().build(Parameterization.WN, t.seed(), DType.FLOAT32);
            Trainer trainer = new Trainer(net, train, null, recipe.config(false, 1_000_000), workload.info(Parameterization.WN),
                    null);
            NormGrowthProbe probe = new NormGrowthProbe(settings.steps());
            trainer.addListener(probe);
            if (progress) {
                trainer.addListener(ProgressListener.forConsole(log));
            }
            String divergence = "";
            try {
                trainer.run();
            } catch (TrainingDivergedException e) {
                divergence = e.getMessage();
                log.println("  diverged: " + divergence);
            }
            if (progress) {
                log.println();
            }
            log.flush();
            BatchRun run = new BatchRun(batch, trainer.step(), probe.layers(), divergence);
            writeCsv(out.resolve("noise-b" + batch + ".csv"), run);
            runs.add(run);
        }
        return new NoiseResult(workload, settings, runs, changed);
    }

    private static void writeCsv(Path file, BatchRun run) {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("step,layer,v_norm,g_over_v_norm,update_angle_deg,max_rel_deviation,rel_growth\n");
            for (int l = 0; l < run.layers().size(); l++) {
                for (NormGrowthProbe.Sample s : run.layers().get(l).samples()) {
                    w.write(s.step() + "," + (l + 1) + "," + s.meanVNorm() + "," + s.meanScale() + "," + s.updateAngle()
                            + "," + s.maxDeviation() + "," + s.meanGrowth() + "\n");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + " (" + e.getMessage() + "); choose a writable --out", e);
        }
    }
}
