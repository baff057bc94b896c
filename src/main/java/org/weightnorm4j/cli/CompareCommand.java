package org.weightnorm4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.weightnorm4j.experiments.CompareExperiment;
import org.weightnorm4j.experiments.CompareReport;
import org.weightnorm4j.experiments.CompareResult;
import org.weightnorm4j.experiments.GridData;
import org.weightnorm4j.experiments.GridRunner;
import org.weightnorm4j.experiments.ListArgs;
import org.weightnorm4j.experiments.RunInterruptedException;
import org.weightnorm4j.experiments.TrainSettings;
import org.weightnorm4j.experiments.Workload;
import org.weightnorm4j.experiments.WorkloadSource;
import org.weightnorm4j.model.Recipe;
import org.weightnorm4j.tensor.Parallel;
import org.weightnorm4j.train.checkpoint.RunLock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code weightnorm compare}: the paper's Figure 1, one model under several parameterizations, one report. */
@Command(name = "compare",
        mixinStandardHelpOptions = true,
        modelTransformer = RecipeHelp.class,
        description = {"Train the same model, data, seed and recipe under several parameterizations (data-dependent"
                + " init for the weight-normalized ones) and write one report (training loss and test error per epoch,"
                + " final numbers, images/s, first epoch to a training-loss target, the paper's CIFAR-10 numbers).",
                "Resumable: each parameterization runs in OUT/NAME with checkpoints; rerunning with the same --out skips"
                        + " finished runs and resumes the others. Ctrl-C or SIGTERM checkpoints the current run at its step"
                        + " and exits 130 / 143; one process per --out (run.lock)."})
public final class CompareCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Adam, momentum 0.9 for SGD, the recipe's learning rates (one for every parameterization), constant. */
    static final OptimizerOptions.Defaults OPTIMIZER = new OptimizerOptions.Defaults("adam", 0.9,
            "Learning rate (constant). Default: adam {recipe:adam-lr-plain}; sgd {recipe:sgd-lr}.");

    @CommandLine.Mixin
    PresetOptions preset = new PresetOptions();

    @CommandLine.Mixin
    ParamGridOptions grid;

    @CommandLine.Mixin
    DatasetOptions input;

    @CommandLine.Mixin
    BatchOptions length = new BatchOptions(10, null, "--epochs", "--batch");

    @CommandLine.Mixin
    OptimizerOptions optimizer = new OptimizerOptions(OPTIMIZER, "--optimizer", "--lr", "--momentum");

    @Option(names = "--loss-target", paramLabel = "L",
            description = "Report the first epoch each run's training loss is at or below L. Default: the lowest loss every run reached.")
    Double lossTarget;

    @CommandLine.Mixin
    PreprocessOptions inputs = new PreprocessOptions("--preprocess");

    @CommandLine.Mixin
    SeedOption seed;

    @Option(names = "--seeds", paramLabel = "LIST",
            description = "Train every parameterization once per seed (comma-separated; replaces --seed) and report the"
                    + " mean and spread over them. Runs go to OUT/PARAM-sSEED.")
    String seeds;

    @CommandLine.Mixin
    ThreadsOption threads;

    @CommandLine.Mixin
    SparkOption spark = new SparkOption();

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: runs/compare-MODEL-DATASET-sSEED).")
    Path out;

    @Override
    public Integer call() throws Exception {
        threads.apply(spec, spark.enabled());
        GridRunner runner = spark.enabled() ? spark.runner(spec) : null;
        PrintWriter o = spec.commandLine().getOut();
        CompareExperiment.Settings settings = Shared.usage(spec, this::settings);
        WorkloadSource source = WorkloadSource.preset(preset.model, input.dataset, input.data, inputs.preprocess,
                preset.trainLimit, preset.testLimit);
        // Under --spark kept in this JVM's cache, which local-mode tasks read instead of loading the data again.
        Workload w = Shared.usage(spec, () -> runner != null ? GridData.loadCached(source) : source.load());
        Path dir = out != null ? out : Path.of("runs", "compare-" + preset.model + "-" + w.datasetName() + "-s"
                + settings.seeds().get(0));
        o.println("compare: " + w.describe() + "; " + settings.train().describe() + "; " + Parallel.threads()
                + " threads; output " + dir);
        o.flush();
        CompareResult r;
        // One writer per directory (docs/CHECKPOINTS.md); Ctrl-C checkpoints the current run (docs/RELIABILITY.md).
        try (RunLock lock = RunLock.acquire(dir, line -> spec.commandLine().getErr().println(line))) {
            CompareExperiment experiment = new CompareExperiment(w, settings, dir, o, !grid.quiet);
            if (runner != null) {
                // The runs as Spark tasks first (Ctrl-C here stops the JVM as usual: a rerun resumes every run from its
                // checkpoint); the loop below then finds them ended and reads them back.
                experiment.ranElsewhere(spark.runAll(runner, experiment.runs(source), o));
            }
            try (Interrupts interrupts = Interrupts.install(spec.commandLine().getErr())) {
                try {
                    r = experiment.onTrainer(t -> interrupts.target(t::requestCheckpointAndStop)).run();
                } catch (RunInterruptedException e) {
                    o.println("interrupted by " + interrupts.describe() + " at step " + e.step() + " of the run in "
                            + e.runDir() + "; its checkpoint is there and the finished runs are kept. Continue with the same"
                            + " command:");
                    o.println("  " + Shared.commandLine(Shared.argv(spec, "compare")));
                    o.flush();
                    return interrupts.exitCode();
                }
            }
        }
        Path report = CompareReport.write(r, Shared.argv(spec, "compare"), dir);
        o.println(CompareSummary.table(r));
        o.println("report: " + report);
        o.flush();
        return 0;
    }

    /** The grid: parameterizations, recipe, loss target and seeds ({@code --seeds}, else {@code --seed}). */
    CompareExperiment.Settings settings() {
        TrainSettings recipe = train();
        List<Long> seedList = seeds == null ? List.of(seed.seed) : ListArgs.longs("--seeds", seeds);
        return new CompareExperiment.Settings(ListArgs.params("--params", grid.params), recipe.withSeed(seedList.get(0)),
                lossTarget == null ? Double.NaN : lossTarget, seedList);
    }

    /** The training recipe of every run, from the options and the defaults ({@link #recipe}). */
    TrainSettings train() {
        Recipe r = Recipe.of(preset.model);
        return recipe(r, length.epochs(r), length.batch(r), optimizer, seed.seed);
    }

    /**
     * The recipe {@code compare} and {@code demo} use: the model's {@link Recipe} batch, Adam rate
     * (one for every parameterization, so only the parameterization differs) and init batch, at a
     * constant rate.
     */
    static TrainSettings recipe(Recipe r, int epochs, int batch, OptimizerOptions optimizer, long seed) {
        return new TrainSettings(epochs, batch, optimizer.toSpec(OptimizerOptions.DefaultLr.of(r, null)), r.initBatch(batch),
                seed);
    }

    /** The final-numbers table printed at the end of {@code compare} and {@code demo}. */
    static final class CompareSummary {
        private CompareSummary() {
        }

        static String table(CompareResult r) {
            List<String> lines = new ArrayList<>();
            lines.add(String.format(Locale.ROOT, "%-9s %-9s %6s %11s %13s %9s %14s", "param", "status", "epochs",
                    "train loss", "test error %", "images/s", "epochs to " + String.format(Locale.ROOT, "%.3g", r.lossTarget())));
            for (int k = 0; k < r.outcomes().size(); k++) {
                var o = r.outcomes().get(k);
                var last = o.last();
                var e = Double.isFinite(r.lossTarget()) ? o.firstReached(r.lossTarget()) : java.util.OptionalDouble.empty();
                lines.add(String.format(Locale.ROOT, "%-9s %-9s %6d %11s %13s %9.0f %14s", r.label(k),
                        o.diverged() ? "diverged" : "finished", o.epochs().size(),
                        last == null ? "-" : String.format(Locale.ROOT, "%.4f", last.trainLoss()),
                        last == null ? "-" : String.format(Locale.ROOT, "%.2f", last.testErrorPercent()),
                        o.imagesPerSecond(), e.isPresent() ? String.format(Locale.ROOT, "%.1f", e.getAsDouble()) : "not reached"));
            }
            if (r.settings().multiSeed()) {
                lines.add("");
                lines.add(String.format(Locale.ROOT, "%-9s %5s %8s %-34s %s", "param", "seeds", "diverged",
                        "train loss mean ± std (min-max)", "test error % mean ± std (min-max)"));
                for (var s : r.spreads()) {
                    lines.add(String.format(Locale.ROOT, "%-9s %5d %8d %-34s %s", s.param().cliName(), s.runs(), s.diverged(),
                            s.trainLoss().describe("%.4f"), s.testError().describe("%.2f")));
                }
            }
            return String.join("\n", lines);
        }
    }

    /** Helpers shared by the experiment commands (compare, noise, lr-sweep, demo). */
    static final class Shared {
        private Shared() {
        }

        /** Runs {@code body}, turning a bad value (IllegalArgumentException) into a usage error (exit code 2). */
        static <T> T usage(CommandLine.Model.CommandSpec spec, Callable<T> body) throws Exception {
            try {
                return body.call();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }

        /** {@code argv} as one line a shell reads back unchanged. */
        static String commandLine(List<String> argv) {
            return String.join(" ", argv.stream().map(TrainCommand::shellQuote).toList());
        }

        /** The command line for a report: {@code weightnorm NAME ARGS...}. */
        static List<String> argv(CommandLine.Model.CommandSpec spec, String name) {
            List<String> argv = new ArrayList<>(List.of("weightnorm", name));
            CommandLine.ParseResult pr = spec.commandLine().getParseResult();
            if (pr != null) {
                List<String> args = pr.expandedArgs();
                int at = args.indexOf(name);                  // the parse result may hold the whole line
                argv.addAll(at >= 0 ? args.subList(at + 1, args.size()) : args);
            }
            return argv;
        }
    }
}
