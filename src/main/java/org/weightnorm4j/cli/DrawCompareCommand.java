package org.weightnorm4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.weightnorm4j.experiments.DrawCompare;
import org.weightnorm4j.experiments.DrawCompareReport;
import org.weightnorm4j.experiments.DrawExperiment;
import org.weightnorm4j.experiments.DrawGridRun;
import org.weightnorm4j.experiments.GridRunner;
import org.weightnorm4j.generative.DrawRun;
import org.weightnorm4j.train.checkpoint.CheckpointException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weightnorm draw compare}: {@code weightnorm draw} for every (parameterization, seed), each in
 * {@code OUT/<param>-s<seed>}, then {@code OUT/report/report.html}. Rerunning the same command skips
 * finished runs and resumes the unfinished one.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Train DRAW for every --params x --seeds and write a report: test-bound curves, g/‖v‖ of the LSTMs' gate"
                + " rows over training, and the canvas drawn glimpse by glimpse for test digits and samples.",
                "Resumable: finished runs are skipped, an unfinished one continues from its checkpoint."})
public final class DrawCompareCommand implements java.util.concurrent.Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    DrawCommand.DrawOptions options = new DrawCommand.DrawOptions();

    @Option(names = "--params", split = ",", defaultValue = "normal,wn", description = "Parameterizations (default: ${DEFAULT-VALUE}).")
    List<String> params;

    @Option(names = "--seeds", split = ",", defaultValue = "1", description = "Seeds (default: ${DEFAULT-VALUE}).")
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
            wn.add(DrawCommand.DrawOptions.weightNorm(cl, p));
        }
        if (seeds.isEmpty() || wn.isEmpty()) {
            throw new CommandLine.ParameterException(cl, "--params and --seeds need at least one value each");
        }
        DrawRun.Settings base = options.settings(cl, true, seeds.get(0));
        DrawExperiment.Data data = options.load(cl, runner != null);
        List<DrawRun.Settings> grid = DrawCompare.grid(base, wn, seeds);
        PrintWriter err = cl.getErr();
        // The cells as Spark tasks first (as compare --spark); DrawCompare.run then finds them finished and reads them back.
        Set<String> ranOnSpark = runner == null ? Set.of() : spark.runAll(runner, DrawGridRun.grid(grid, options.epochs,
                options.source(), out, options.progressSeconds, options.checkpointMinutes * 60), err);
        List<DrawCompare.Cell> cells;
        try (Interrupts interrupts = Interrupts.install(err)) {
            AtomicBoolean stop = new AtomicBoolean();
            interrupts.target(() -> stop.set(true));
            cells = DrawCompare.run(grid, options.epochs, data, out, err, stop::get,
                    options.progressSeconds, options.checkpointMinutes * 60);
            if (cells == null) {
                err.printf(Locale.ROOT, "draw compare: interrupted by %s; the running cell wrote its checkpoint. Continue with the"
                        + " same command:%n  weightnorm %s%n", interrupts.describe(), String.join(" ", cl.getParseResult().originalArgs()));
                err.flush();
                return interrupts.exitCode();
            }
        } catch (IllegalArgumentException | CheckpointException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        // What Spark ran now is not an earlier run: the report is the one without Spark.
        cells = cells.stream().map(c -> ranOnSpark.contains(c.dir().toAbsolutePath().toString())
                ? new DrawCompare.Cell(c.settings(), c.dir(), c.summary(), false) : c).toList();
        List<String> argv = new ArrayList<>(List.of("weightnorm"));
        argv.addAll(cl.getParseResult().originalArgs());
        Path report = DrawCompareReport.write(cells, "draw compare: " + String.join(", ", params) + " over seeds " + seeds
                + ", " + options.epochs + " epoch(s)", argv, out.resolve("report"));
        cl.getOut().println("report: " + report.toAbsolutePath());
        cl.getOut().flush();
        return 0;
    }
}
