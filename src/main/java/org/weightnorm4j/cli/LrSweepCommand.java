package org.weightnorm4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.weightnorm4j.experiments.CompareRun;
import org.weightnorm4j.experiments.GridData;
import org.weightnorm4j.experiments.GridRunner;
import org.weightnorm4j.experiments.ListArgs;
import org.weightnorm4j.experiments.LrSweep;
import org.weightnorm4j.experiments.LrSweepReport;
import org.weightnorm4j.experiments.LrSweepResult;
import org.weightnorm4j.experiments.TrainSettings;
import org.weightnorm4j.experiments.Workload;
import org.weightnorm4j.experiments.WorkloadSource;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.tensor.Parallel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code weightnorm lr-sweep}: final loss and accuracy versus learning rate for each parameterization. */
@Command(name = "lr-sweep",
        mixinStandardHelpOptions = true,
        modelTransformer = RecipeHelp.class,
        description = {"Train each parameterization at each learning rate of a grid (the rest of the recipe fixed) and"
                + " report final loss and accuracy versus learning rate; a run that diverges (NaN/Inf, or a runaway loss:"
                + " docs/RELIABILITY.md) is recorded as diverged and the sweep goes on.",
                "Ctrl-C or SIGTERM: lists the finished runs, drops the unfinished one (no checkpoints) and exits"
                        + " 130 / 143 without a report."})
public final class LrSweepCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** SGD with momentum 0.9; the learning rates come from --lrs. */
    static final OptimizerOptions.Defaults OPTIMIZER = new OptimizerOptions.Defaults("sgd", 0.9, "");

    /** The learning rate the recipe holds until the grid replaces it, run by run. */
    private static final double PLACEHOLDER_LR = 1e-3;

    @CommandLine.Mixin
    PresetOptions preset = new PresetOptions();

    @CommandLine.Mixin
    ParamGridOptions grid;

    @CommandLine.Mixin
    DatasetOptions input;

    @Option(names = "--lrs", paramLabel = "LIST", defaultValue = "1e-4,1e-3,1e-2,1e-1,1",
            description = "Learning rates (a log grid over >= 3 decades is advised). Default: ${DEFAULT-VALUE}.")
    String lrs;

    @CommandLine.Mixin
    BatchOptions length = new BatchOptions(1, 128, "--epochs", "--batch");

    @CommandLine.Mixin
    OptimizerOptions optimizer = new OptimizerOptions(OPTIMIZER, "--optimizer", "--momentum");

    @CommandLine.Mixin
    SeedOption seed;

    @CommandLine.Mixin
    ThreadsOption threads;

    @CommandLine.Mixin
    SparkOption spark = new SparkOption();

    @Option(names = "--out", paramLabel = "DIR", description = "Report directory (default: runs/lr-sweep-MODEL-DATASET-sSEED); with --spark also the runs,"
                    + " in OUT/runs.")
    Path out;

    /** The grid and the recipe held fixed, from the options and the defaults; the init batch is the batch. */
    LrSweep.Settings settings() {
        List<Parameterization> params = ListArgs.params("--params", grid.params);
        List<Double> rates = ListArgs.doubles("--lrs", lrs);
        int batch = length.batch(null);
        return new LrSweep.Settings(params, rates, new TrainSettings(length.epochs(null), batch,
                optimizer.toSpec(sgd -> PLACEHOLDER_LR), batch, seed.seed));
    }

    @Override
    public Integer call() throws Exception {
        threads.apply(spec, spark.enabled());
        GridRunner runner = spark.enabled() ? spark.runner(spec) : null;
        PrintWriter o = spec.commandLine().getOut();
        LrSweep.Settings settings = CompareCommand.Shared.usage(spec, this::settings);
        WorkloadSource source = WorkloadSource.preset(preset.model, input.dataset, input.data, null, preset.trainLimit,
                preset.testLimit);
        Workload w = CompareCommand.Shared.usage(spec,
                () -> runner != null ? GridData.loadCached(source) : source.load()); // as in compare
        if (settings.decades() < 3) {
            o.printf(Locale.ROOT, "note: the grid spans %.1f decades; the issue asks for >= 3 to see where runs diverge%n",
                    settings.decades());
        }
        Path dir = out != null ? out : Path.of("runs", "lr-sweep-" + preset.model + "-" + w.datasetName() + "-s" + seed.seed);
        o.println("lr-sweep: " + w.describe() + "; " + settings.params().size() + " parameterizations x "
                + settings.lrs().size() + " learning rates; " + Parallel.threads() + " threads; output " + dir);
        o.flush();
        LrSweepResult r;
        if (runner != null) {
            // One Spark task per run, each in OUT/runs/PARAM-lrLR with checkpoints: a rerun skips the ended runs.
            LrSweep sweep = new LrSweep(w, settings, o, false);
            List<CompareRun> runs = sweep.runs(source, dir);
            spark.runAll(runner, runs, o);
            r = sweep.collect(runs);
            return finish(r, dir, o);
        }
        try (Interrupts interrupts = Interrupts.install(spec.commandLine().getErr())) {
            r = new LrSweep(w, settings, o, !grid.quiet).onTrainer(t -> interrupts.target(t::requestCheckpointAndStop)).run();
            if (interrupts.received() != null) {
                // The sweep's runs are short and write no checkpoints: the unfinished one is dropped.
                for (LrSweep.Point p : r.points()) {
                    o.printf(Locale.ROOT, "%-8s lr %-8s %s%n", p.param().cliName(), p.lr(), r.status(p));
                }
                o.println("interrupted by " + interrupts.describe() + " after " + r.points().size() + " of "
                        + settings.params().size() * settings.lrs().size() + " runs (listed above; the unfinished run is"
                        + " dropped, no report written). lr-sweep keeps no checkpoints: run the same command again to redo it:");
                o.println("  " + CompareCommand.Shared.commandLine(CompareCommand.Shared.argv(spec, "lr-sweep")));
                o.flush();
                return interrupts.exitCode();
            }
        }
        return finish(r, dir, o);
    }

    /** Writes the report and prints one line per run. */
    private int finish(LrSweepResult r, Path dir, PrintWriter o) throws java.io.IOException {
        Path report = LrSweepReport.write(r, CompareCommand.Shared.argv(spec, "lr-sweep"), dir);
        for (LrSweep.Point p : r.points()) {
            o.printf(Locale.ROOT, "%-8s lr %-8s %s%n", p.param().cliName(), p.lr(), p.diverged() ? r.status(p)
                    : String.format(Locale.ROOT, "%s: train loss %.4g, test accuracy %.4f", r.status(p), p.trainLoss(),
                    p.testAccuracy()));
        }
        o.println("report: " + report);
        o.flush();
        return 0;
    }
}
