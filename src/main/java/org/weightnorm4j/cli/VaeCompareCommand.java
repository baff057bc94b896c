package org.weightnorm4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.weightnorm4j.experiments.GridRunner;
import org.weightnorm4j.experiments.VaeCompare;
import org.weightnorm4j.experiments.VaeCompareReport;
import org.weightnorm4j.experiments.VaeExperiment;
import org.weightnorm4j.experiments.VaeGridRun;
import org.weightnorm4j.generative.VaeSettings;
import org.weightnorm4j.train.checkpoint.CheckpointException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weightnorm vae compare}: {@code weightnorm vae} for every (parameterization, seed), each in
 * {@code OUT/<param>-s<seed>}, then {@code OUT/report/report.html}. Rerunning the same command skips
 * finished runs and resumes the unfinished one.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Train the VAE for every --params x --seeds and write a report: test-bound curves per seed and their"
                + " spread, the importance-sampled log p(x), samples and reconstructions.",
                "Resumable: finished runs are skipped, an unfinished one continues from its checkpoint."})
public final class VaeCompareCommand implements java.util.concurrent.Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    VaeCommand.VaeOptions options = new VaeCommand.VaeOptions();

    @Option(names = "--params", split = ",", defaultValue = "normal,wn", description = "Parameterizations (default: ${DEFAULT-VALUE}).")
    List<String> params;

    @Option(names = "--seeds", split = ",", defaultValue = "1,2,3", description = "Seeds (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Grid directory.")
    Path out;

    @CommandLine.Mixin
    SparkOption spark = new SparkOption();

    @Override
    public Integer call() throws IOException {
        options.threads.apply(spec, spark.enabled());
        GridRunner runner = spark.enabled() ? spark.runner(spec) : null;
        CommandLine cl = spec.commandLine();
        List<Boolean> wn = new ArrayList<>();
        for (String p : params) {
            wn.add(VaeCommand.VaeOptions.weightNorm(cl, p));
        }
        if (seeds.isEmpty() || wn.isEmpty()) {
            throw new CommandLine.ParameterException(cl, "--params and --seeds need at least one value each");
        }
        VaeExperiment.Data data = options.load(cl, runner != null);
        VaeSettings base = options.settings(cl, true, seeds.get(0), data.train().size());
        List<VaeSettings> grid = VaeCompare.grid(base, wn, seeds);
        PrintWriter err = cl.getErr();
        // The cells as Spark tasks first (as compare --spark); VaeCompare.run then finds them finished and reads them back.
        Set<String> ranOnSpark = runner == null ? Set.of()
                : spark.runAll(runner, VaeGridRun.grid(grid, options.source(), out, options.progressSeconds), err);
        List<VaeCompare.Cell> cells;
        try (Interrupts interrupts = Interrupts.install(err)) {
            AtomicBoolean stop = new AtomicBoolean();
            interrupts.target(() -> stop.set(true));
            cells = VaeCompare.run(grid, data, out, err, stop::get, options.progressSeconds);
            if (cells == null) {
                err.printf(Locale.ROOT, "vae compare: interrupted by %s; the running cell wrote its checkpoint. Continue with the"
                        + " same command:%n  weightnorm %s%n", interrupts.describe(),
                        String.join(" ", cl.getParseResult().originalArgs()));
                err.flush();
                return interrupts.exitCode();
            }
        } catch (IllegalArgumentException | CheckpointException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        // What Spark ran now is not an earlier run: the report is the one without Spark.
        cells = cells.stream().map(c -> ranOnSpark.contains(c.dir().toAbsolutePath().toString())
                ? new VaeCompare.Cell(c.settings(), c.dir(), c.summary(), false) : c).toList();
        List<String> argv = new ArrayList<>(List.of("weightnorm"));
        argv.addAll(cl.getParseResult().originalArgs());
        Path report = VaeCompareReport.write(cells, "vae compare: " + String.join(", ", params) + " over seeds " + seeds
                + ", " + base.epochs() + " epoch(s)", argv, out.resolve("report"));
        cl.getOut().println("report: " + report.toAbsolutePath());
        cl.getOut().flush();
        return 0;
    }
}
