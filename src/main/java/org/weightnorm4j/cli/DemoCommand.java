package org.weightnorm4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.weightnorm4j.data.DatasetLocator;
import org.weightnorm4j.data.FashionMnistFetcher;
import org.weightnorm4j.data.KnownDataset;
import org.weightnorm4j.experiments.CompareExperiment;
import org.weightnorm4j.experiments.CompareReport;
import org.weightnorm4j.experiments.CompareResult;
import org.weightnorm4j.experiments.Explain;
import org.weightnorm4j.experiments.ExplainReport;
import org.weightnorm4j.experiments.NoiseExperiment;
import org.weightnorm4j.experiments.NoiseReport;
import org.weightnorm4j.experiments.NoiseResult;
import org.weightnorm4j.experiments.Workload;
import org.weightnorm4j.model.Recipe;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.tensor.Parallel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weightnorm demo}: the first thing to run. Gets Fashion-MNIST if it is missing, compares
 * the five parameterizations on the {@code mlp} for a couple of epochs, runs a short {@code noise}
 * experiment, writes the {@code explain} page, trains a short VAE on MNIST ({@link DemoVaeSection}),
 * and prints a summary and where the reports are. Sized to finish within about
 * five minutes on two cores.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The main demo: fetch Fashion-MNIST if missing, 'compare' the five parameterizations on the mlp"
                + " for a few epochs, a short 'noise' run, a short VAE on MNIST (samples, reconstructions), then a summary table"
                + " and the reports' paths.",
                "Rerunning with the same --out skips the compare runs that already finished."})
public final class DemoCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/demo", description = "Output directory. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--data", paramLabel = "DIR", description = "Directory holding Fashion-MNIST (else found or fetched as 'weightnorm data' does).")
    Path data;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "2", description = "Epochs of each compare run. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--train-limit", paramLabel = "N", defaultValue = "" + DemoCommand.TRAIN_LIMIT,
            description = "Training images used by compare (0 = all 60000). Default: ${DEFAULT-VALUE}.")
    int trainLimit;

    @Option(names = "--noise-steps", paramLabel = "N", defaultValue = "300", description = "Steps per batch size of the noise run. Default: ${DEFAULT-VALUE}.")
    long noiseSteps;

    @Option(names = "--dqn-frames", paramLabel = "N", defaultValue = "" + DemoDqnSection.FRAMES,
            description = "Frames of each DQN run (Breakout, normal and wn). Default: ${DEFAULT-VALUE}.")
    long dqnFrames;

    @CommandLine.Mixin
    SeedOption seed;

    @CommandLine.Mixin
    ThreadsOption threads;

    @Option(names = "--quiet", description = "No progress bars.")
    boolean quiet;

    /** Training images of the demo's compare: enough to separate the curves, small enough for 5 minutes on 2 cores. */
    static final int TRAIN_LIMIT = 30000;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        threads.apply(spec);
        PrintWriter o = spec.commandLine().getOut();
        ensureFashionMnist(o);
        Workload compareData = CompareCommand.Shared.usage(spec,
                () -> Workload.load("mlp", "fashion-mnist", data, null, trainLimit, 0));
        CompareExperiment.Settings cs = CompareCommand.Shared.usage(spec, () -> new CompareExperiment.Settings(
                List.of(Parameterization.values()),
                CompareCommand.recipe(Recipe.of("mlp"), epochs, Recipe.of("mlp").batchSize(),
                        new OptimizerOptions(CompareCommand.OPTIMIZER), seed.seed), Double.NaN));
        Path compareDir = out.resolve("compare");
        o.println("== 1/2 compare: " + compareData.describe() + ", " + cs.params().size() + " parameterizations; "
                + cs.train().describe() + "; " + Parallel.threads() + " threads");
        o.flush();
        CompareResult cr = new CompareExperiment(compareData, cs, compareDir, o, !quiet).run();
        Path compareReport = CompareReport.write(cr, CompareCommand.Shared.argv(spec, "demo"), compareDir);

        NoiseExperiment.Settings ns = CompareCommand.Shared.usage(spec, () -> NoiseCommand.settings(List.of(16, 64, 256), 0,
                noiseSteps, new OptimizerOptions(NoiseCommand.OPTIMIZER), seed.seed));
        Workload noiseData = compareData;
        Path noiseDir = out.resolve("noise");
        o.println("== 2/2 noise: wn mlp on " + noiseData.data().train().size() + " training images, plain SGD lr " + ns.train().lr() + ", batches " + ns.batches() + ", " + noiseSteps
                + " steps each");
        o.flush();
        NoiseResult nr = new NoiseExperiment(noiseData, ns, noiseDir, o, !quiet).run();
        Path noiseReport = NoiseReport.write(nr, CompareCommand.Shared.argv(spec, "demo"), noiseDir);

        o.println();
        o.println("== summary: compare (" + compareData.describe() + ", " + epochs + " epoch(s))");
        o.println(CompareCommand.CompareSummary.table(cr));
        o.println();
        o.println("== summary: noise (||v|| growth of the wn mlp under plain SGD, by batch size)");
        o.println(NoiseCommand.summary(nr));
        // The explain page (Eq. 3 → Eq. 4 step by step, pictures of the projection): a fraction of a second.
        Path explainReport = ExplainReport.write(Explain.standard(seed.seed).run(), CompareCommand.Shared.argv(spec, "demo"),
                out.resolve("explain"));

        // The DQN section (§5.4 on MinAtar Breakout): its own class, about a minute on two cores.
        DemoDqnSection.Outcome dqn = DemoDqnSection.run(out.resolve("dqn"), seed.seed, dqnFrames,
                CompareCommand.Shared.argv(spec, "demo"), o, System.console() != null);
        o.println();
        o.println("== summary: dqn (Breakout, normal against wn)");
        o.println(dqn.summary());
        DemoVaeSection.Result vae = DemoVaeSection.run(out.resolve("vae"), null, seed.seed, CompareCommand.Shared.argv(spec, "demo"), o);

        DemoDrawSection.Result draw = DemoDrawSection.run(out.resolve("draw"), null, seed.seed, CompareCommand.Shared.argv(spec, "demo"), o);

        o.println();
        o.println("reports:");
        o.println("  compare: " + compareReport.toAbsolutePath());
        o.println("  noise:   " + noiseReport.toAbsolutePath());
        o.println("  explain: " + explainReport.toAbsolutePath() + "  (from Eq. 3 to Eq. 4 step by step, with pictures)");
        o.println("  dqn:     " + dqn.report().toAbsolutePath());
        o.println("  draw:    " + (draw.report() == null ? "" : draw.report().toAbsolutePath() + "  ") + "(" + draw.summary() + ")");
        o.println("  vae:     " + (vae.report() == null ? "" : vae.report().toAbsolutePath() + "  ") + "(" + vae.summary() + ")");
        o.printf(Locale.ROOT, "demo finished in %.0f s%n", (System.nanoTime() - started) * 1e-9);
        o.flush();
        return 0;
    }

    /** Fetches Fashion-MNIST into the user cache when no standard place (or --data) holds it. */
    private void ensureFashionMnist(PrintWriter o) throws Exception {
        DatasetLocator locator = DatasetLocator.standard(data);
        boolean found = locator.probe(KnownDataset.FASHION_MNIST).stream().anyMatch(DatasetLocator.Probe::found);
        if (found) {
            return;
        }
        if (data != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--data " + data + " does not hold Fashion-MNIST;"
                    + " leave --data out to fetch it, or run 'weightnorm data fetch fashion-mnist --dest " + data + "'");
        }
        Path target = locator.cacheDir(KnownDataset.FASHION_MNIST);
        o.println("Fashion-MNIST not found; fetching it into " + target + " (as 'weightnorm data fetch fashion-mnist')");
        o.flush();
        FashionMnistFetcher.standard(null, line -> {
            o.println("  " + line);
            o.flush();
        }).fetch(target, FashionMnistFetcher.Source.AUTO);
    }
}
