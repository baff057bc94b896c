package org.weightnorm4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.weightnorm4j.experiments.DqnCompare;
import org.weightnorm4j.experiments.DqnCompareReport;
import org.weightnorm4j.experiments.DqnGridRun;
import org.weightnorm4j.experiments.DqnRunRecord;
import org.weightnorm4j.experiments.GridRunner;
import org.weightnorm4j.experiments.ListArgs;
import org.weightnorm4j.rl.DqnJob;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weightnorm dqn compare}: the grid of issue 18 (games × parameterizations × seeds), each run
 * in {@code DIR/GAME-PARAM-sSEED}, then the report in {@code DIR/report.html} ({@link DqnCompareReport}).
 * Resumable: finished runs are skipped, an interrupted one resumes from its checkpoint.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, modelTransformer = RecipeHelp.class,
        description = {"Run DQN on a grid of MinAtar games, parameterizations and seeds, one run per directory"
                + " DIR/GAME-PARAM-sSEED, and write DIR/report.html: learning curves, g/‖v‖ per weight-normed layer, and"
                + " our returns beside MinAtar's published DQN and the paper's Atari table.",
                "Resumable: rerun the same command to skip finished runs and resume an interrupted one. Ctrl-C or SIGTERM"
                        + " checkpoints the current run and exits 130 / 143."})
final class DqnCompareCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--games", paramLabel = "LIST", defaultValue = "breakout",
            description = "Games, comma-separated, or 'all' (default: ${DEFAULT-VALUE}).")
    String games;

    @Option(names = "--report-only", description = "Train nothing: (re)write DIR/report.html from the run directories in DIR.")
    boolean reportOnly;

    @CommandLine.Mixin
    DqnSettingsOptions settings = new DqnSettingsOptions();

    @CommandLine.Mixin
    ThreadsOption threads = new ThreadsOption();

    @CommandLine.Mixin
    GridOptions grid = new GridOptions("normal, wn, wn-mobn", "1");

    @Override
    public Integer call() throws Exception {
        threads.apply(spec, grid.spark.enabled());
        GridRunner runner = grid.spark.enabled() && !reportOnly ? grid.spark.runner(spec) : null;
        PrintWriter o = spec.commandLine().getOut();
        List<String> argv = new ArrayList<>(CompareCommand.Shared.argv(spec, "compare"));
        argv.add(1, "dqn");
        if (!reportOnly) {
            List<DqnJob> jobs = CompareCommand.Shared.usage(spec, () -> {
                if (settings.frames < 1) {
                    throw new IllegalArgumentException("--frames must be >= 1");
                }
                return DqnCompare.grid(ListArgs.games("--games", games), grid.params(), grid.seeds(), settings.frames,
                        settings::config, settings.window, settings.checkpointEvery);
            });
            o.printf(Locale.ROOT, "dqn compare: %d run(s) of %,d frames into %s%n", jobs.size(), settings.frames, grid.out);
            o.flush();
            if (runner != null) {
                // The runs as Spark tasks first (as compare --spark); the loop below then finds them finished.
                grid.spark.runAll(runner, DqnGridRun.grid(jobs, grid.out, settings.progress.seconds()), o);
            }
            PrintWriter err = spec.commandLine().getErr();
            try (Interrupts interrupts = Interrupts.install(err)) {
                AtomicBoolean stop = new AtomicBoolean();
                interrupts.target(() -> stop.set(true));
                for (DqnJob job : jobs) {
                    DqnCompare.Status s = DqnCompare.runOne(job, grid.out, line -> {
                        err.println(line);
                        err.flush();
                    }, settings.progress.seconds(), stop::get);
                    o.println(DqnCompare.describe(job, s));
                    o.flush();
                    if (s == DqnCompare.Status.INTERRUPTED) {
                        o.println("interrupted by " + interrupts.describe() + "; " + job.directoryName() + " is checkpointed"
                                + " and the finished runs are kept. Continue with the same command:");
                        o.println("  " + CompareCommand.Shared.commandLine(argv));
                        writeReport(argv, o);
                        return interrupts.exitCode();
                    }
                }
            }
        }
        writeReport(argv, o);
        return 0;
    }

    private void writeReport(List<String> argv, PrintWriter o) {
        try {
            List<DqnRunRecord> runs = DqnCompare.readRuns(grid.out);
            if (runs.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no DQN run directories (with summary.json and"
                        + " metrics.csv) in " + grid.out + "; run the grid first (without --report-only)");
            }
            Path page = DqnCompareReport.write(runs, argv, grid.out);
            o.println("report: " + page);
            o.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("dqn compare: cannot write the report of " + grid.out + ": " + e.getMessage(), e);
        }
    }
}
