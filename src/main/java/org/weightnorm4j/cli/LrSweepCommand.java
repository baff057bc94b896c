package org.weightnorm4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.weightnorm4j.experiments.ListArgs;
import org.weightnorm4j.experiments.LrSweep;
import org.weightnorm4j.experiments.LrSweepReport;
import org.weightnorm4j.experiments.LrSweepResult;
import org.weightnorm4j.experiments.TrainSettings;
import org.weightnorm4j.experiments.Workload;
import org.weightnorm4j.model.Recipe;
import org.weightnorm4j.optim.OptimizerSpec;
import org.weightnorm4j.tensor.Parallel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code weightnorm lr-sweep}: final loss and accuracy versus learning rate for each parameterization. */
@Command(name = "lr-sweep",
        mixinStandardHelpOptions = true,
        modelTransformer = RecipeHelp.class,
        description = {"Train each parameterization at each learning rate of a grid (the rest of the recipe fixed) and"
                + " report final loss and accuracy versus learning rate; a run that diverges (NaN/Inf) is recorded as"
                + " diverged and the sweep goes on."})
public final class LrSweepCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ParamGridOptions grid;

    @CommandLine.Mixin
    DatasetOptions input;

    @Option(names = "--lrs", paramLabel = "LIST", defaultValue = "1e-4,1e-3,1e-2,1e-1,1",
            description = "Learning rates (a log grid over >= 3 decades is advised). Default: ${DEFAULT-VALUE}.")
    String lrs;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "1", description = "Epochs per run. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "128", description = "Minibatch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--optimizer", paramLabel = "sgd|adam", defaultValue = "sgd", description = "Default: ${DEFAULT-VALUE}.")
    String optimizer;

    @CommandLine.Mixin
    MomentumOption momentum;

    @CommandLine.Mixin
    SeedOption seed;

    @CommandLine.Mixin
    ThreadsOption threads;

    @Option(names = "--out", paramLabel = "DIR", description = "Report directory (default: runs/lr-sweep-MODEL-DATASET-sSEED).")
    Path out;

    @Override
    public Integer call() throws Exception {
        threads.apply(spec);
        PrintWriter o = spec.commandLine().getOut();
        LrSweep.Settings settings = CompareCommand.Shared.usage(spec, () -> new LrSweep.Settings(
                ListArgs.params("--params", grid.params), ListArgs.doubles("--lrs", lrs),
                // the grid replaces the learning rate of 1e-3 (run by run)
                new TrainSettings(epochs, batch, OptimizerSpec.parse(optimizer, 1e-3, Recipe.BETA1, momentum.momentum, false, 0),
                        batch, seed.seed)));
        Workload w = CompareCommand.Shared.usage(spec, () -> Workload.load(grid.model, input.dataset, input.data, null,
                grid.trainLimit, grid.testLimit));
        if (settings.decades() < 3) {
            o.printf(Locale.ROOT, "note: the grid spans %.1f decades; the issue asks for >= 3 to see where runs diverge%n",
                    settings.decades());
        }
        Path dir = out != null ? out : Path.of("runs", "lr-sweep-" + grid.model + "-" + w.datasetName() + "-s" + seed.seed);
        o.println("lr-sweep: " + w.describe() + "; " + settings.params().size() + " parameterizations x "
                + settings.lrs().size() + " learning rates; " + Parallel.threads() + " threads; output " + dir);
        o.flush();
        LrSweepResult r = new LrSweep(w, settings, o, !grid.quiet).run();
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
