package org.weightnorm4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.weightnorm4j.experiments.ListArgs;
import org.weightnorm4j.experiments.NoiseExperiment;
import org.weightnorm4j.experiments.NoiseReport;
import org.weightnorm4j.experiments.NoiseResult;
import org.weightnorm4j.experiments.NormGrowthProbe;
import org.weightnorm4j.experiments.TrainSettings;
import org.weightnorm4j.experiments.Workload;
import org.weightnorm4j.tensor.Parallel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code weightnorm noise}: how gradient noise makes ||v|| grow and shrinks the effective learning rate (§2.1). */
@Command(name = "noise",
        mixinStandardHelpOptions = true,
        modelTransformer = RecipeHelp.class,
        description = {"Train the same weight-normalized model for the same number of steps at several batch sizes"
                + " (smaller = noisier gradients), optionally with label noise; log per step and per layer ||v||, g/||v||"
                + " and the angle between successive updates; check ||v_t+1||² = ||v_t||² + ||Δv_t||² (exact for plain"
                + " SGD only) and write a report with the conclusion."})
public final class NoiseCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Plain SGD (no momentum) at {@link #SGD_LR}; Adam at {@link #ADAM_LR}. */
    static final OptimizerOptions.Defaults OPTIMIZER = new OptimizerOptions.Defaults("sgd", 0,
            "Learning rate. Default: sgd " + NoiseCommand.SGD_LR + ", adam " + NoiseCommand.ADAM_LR + ".");

    @CommandLine.Mixin
    PresetOptions preset = new PresetOptions("--model", "--train-limit");

    @CommandLine.Mixin
    DatasetOptions input;

    @Option(names = "--batches", paramLabel = "LIST", defaultValue = "16,64,256", description = "Batch sizes. Default: ${DEFAULT-VALUE}.")
    String batches;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "500", description = "Optimizer steps per batch size. Default: ${DEFAULT-VALUE}.")
    long steps;

    @Option(names = "--label-noise", paramLabel = "P", defaultValue = "0",
            description = "Replace each training label by another class with probability P. Default: ${DEFAULT-VALUE}.")
    double labelNoise;

    @CommandLine.Mixin
    OptimizerOptions optimizer = new OptimizerOptions(OPTIMIZER, "--optimizer", "--lr", "--momentum", "--weight-decay");

    @CommandLine.Mixin
    SeedOption seed;

    @CommandLine.Mixin
    ThreadsOption threads;

    @Option(names = "--out", paramLabel = "DIR", description = "Report directory (default: runs/noise-MODEL-DATASET-sSEED).")
    Path out;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    /** Plain SGD's default learning rate: large enough for ||v|| to move visibly in a few hundred steps. */
    static final double SGD_LR = 0.1;

    /** Adam's default learning rate here: the mlp's recipe (noise studies one rate, not a preset's). */
    static final double ADAM_LR = 1e-3;

    /** Images for the data-dependent initialisation, whatever the batch sizes compared. */
    static final int INIT_BATCH = 256;

    @Override
    public Integer call() throws Exception {
        threads.apply(spec);
        PrintWriter o = spec.commandLine().getOut();
        NoiseExperiment.Settings settings = CompareCommand.Shared.usage(spec, () -> settings(ListArgs.ints("--batches", batches),
                labelNoise, steps, optimizer, seed.seed));
        Workload w = CompareCommand.Shared.usage(spec, () -> Workload.load(preset.model, input.dataset, input.data, null, preset.trainLimit, 1));
        Path dir = out != null ? out : Path.of("runs", "noise-" + preset.model + "-" + w.datasetName() + "-s" + seed.seed);
        o.println("noise: " + w.modelName() + " (wn) on " + w.datasetName() + ", " + w.data().train().size()
                + " training images; batches " + settings.batches() + ", " + steps + " steps each; "
                + Parallel.threads() + " threads; output " + dir);
        o.flush();
        NoiseResult r = new NoiseExperiment(w, settings, dir, o, !quiet).run();
        Path report = NoiseReport.write(r, CompareCommand.Shared.argv(spec, "noise"), dir);
        o.println(summary(r));
        o.println("report: " + report);
        o.flush();
        return 0;
    }

    /** The settings {@code noise} and {@code demo} use: the optimizer's defaults are {@link #OPTIMIZER}'s, the init batch {@link #INIT_BATCH}. */
    static NoiseExperiment.Settings settings(java.util.List<Integer> batches, double labelNoise, long steps,
                                             OptimizerOptions optimizer, long seed) {
        TrainSettings t = new TrainSettings(1, batches.get(0), optimizer.toSpec(sgd -> sgd ? SGD_LR : ADAM_LR), INIT_BATCH, seed);
        return new NoiseExperiment.Settings(batches, labelNoise, steps, t);
    }

    /** ||v|| growth per layer and batch, and the identity's deviation, for the terminal. */
    static String summary(NoiseResult r) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-8s %6s %7s %11s %11s %9s %15s %12s%n", "layer", "batch",
                "steps", "||v|| start", "||v|| end", "growth", "from step 10", "max dev."));
        for (int l = 0; l < r.layerCount(); l++) {
            for (NoiseExperiment.BatchRun run : r.runs()) {
                NormGrowthProbe.Layer layer = run.layers().get(l);
                var samples = layer.samples();
                double end = samples.isEmpty() ? layer.initialMeanVNorm() : samples.get(samples.size() - 1).meanVNorm();
                s.append(String.format(Locale.ROOT, "%-8d %6d %7d %11.4f %11.4f %8.3fx %14.4fx %12.2e%n", l + 1, run.batch(),
                        run.steps(), layer.initialMeanVNorm(), end, layer.growthFactor(), layer.growthFactorAfter(10),
                        layer.maxDeviation()));
            }
        }
        return s.toString().stripTrailing();
    }
}
