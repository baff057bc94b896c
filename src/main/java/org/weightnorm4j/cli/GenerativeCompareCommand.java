package org.weightnorm4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.weightnorm4j.experiments.GridRun;
import org.weightnorm4j.experiments.GridRunner;
import org.weightnorm4j.train.checkpoint.CheckpointException;
import picocli.CommandLine;

/**
 * What {@code draw compare} and {@code vae compare} do: train their model for every
 * {@code --params} × {@code --seeds} ({@link GridOptions}), each cell in its own directory (as
 * Spark tasks first under {@code --spark}), then write the report. Rerunning the same command skips
 * finished cells and resumes the unfinished one; Ctrl-C or SIGTERM checkpoints the running cell.
 * A subclass says how its model builds, runs and reports the grid.
 *
 * @param <S> a cell's settings
 * @param <D> the data every cell trains on
 * @param <C> a finished cell as the report reads it
 */
abstract class GenerativeCompareCommand<S, D, C> implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    GridOptions grid;

    /** {@code defaultSeeds}: the seeds of a grid when {@code --seeds} is not given. */
    GenerativeCompareCommand(String defaultSeeds) {
        this.grid = new GridOptions("normal, wn", defaultSeeds);
    }

    /** The grid's settings and the data its cells train on. */
    record Grid<S, D>(List<S> cells, D data) {
    }

    /** The command as messages and the report's title name it, e.g. {@code draw compare}. */
    abstract String name();

    /** The options of the model that the command shares with the one-run command. */
    abstract GenerativeOptions common();

    /**
     * The settings of every cell of {@code weightNorm} × {@code seeds} and the data ({@code keep}: in this
     * JVM's grid-data cache, which local-mode Spark tasks read); bad options are usage errors.
     */
    abstract Grid<S, D> grid(CommandLine cl, List<Boolean> weightNorm, List<Long> seeds, boolean keep) throws IOException;

    /** The cells as {@code --spark} tasks, each into its directory under {@code out}. */
    abstract List<? extends GridRun> sparkRuns(List<S> cells, Path out) throws IOException;

    /** Trains the unfinished cells into {@code out} and reads all back; null when {@code stop} stopped one (checkpointed). */
    abstract List<C> run(Grid<S, D> grid, Path out, PrintWriter log, BooleanSupplier stop) throws IOException;

    /** The cell's run directory. */
    abstract Path dir(C cell);

    /** {@code cell} as a run of this invocation (trained now on Spark), not one reused from an earlier invocation. */
    abstract C ranNow(C cell);

    /** Writes the report of {@code cells} into {@code dir}; returns its page. */
    abstract Path report(List<C> cells, String title, List<String> argv, Path dir) throws IOException;

    @Override
    public Integer call() throws IOException {
        common().threads.apply(spec, grid.spark.enabled());
        GridRunner runner = grid.spark.enabled() ? grid.spark.runner(spec) : null;
        CommandLine cl = spec.commandLine();
        List<Boolean> wn = grid.weightNorm(cl);
        List<Long> seeds;
        try {
            seeds = grid.seeds();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        Grid<S, D> g = grid(cl, wn, seeds, runner != null);
        PrintWriter err = cl.getErr();
        // The cells as Spark tasks first (as compare --spark); run() then finds them finished and reads them back.
        Set<String> ranOnSpark = runner == null ? Set.of() : grid.spark.runAll(runner, sparkRuns(g.cells(), grid.out), err);
        List<C> cells;
        try (Interrupts interrupts = Interrupts.install(err)) {
            AtomicBoolean stop = new AtomicBoolean();
            interrupts.target(() -> stop.set(true));
            cells = run(g, grid.out, err, stop::get);
            if (cells == null) {
                err.printf(Locale.ROOT, "%s: interrupted by %s; the running cell wrote its checkpoint. Continue with the"
                        + " same command:%n  weightnorm %s%n", name(), interrupts.describe(),
                        String.join(" ", cl.getParseResult().originalArgs()));
                err.flush();
                return interrupts.exitCode();
            }
        } catch (IllegalArgumentException | CheckpointException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        // What Spark ran now is not an earlier run: the report is the one without Spark.
        cells = cells.stream().map(c -> ranOnSpark.contains(dir(c).toAbsolutePath().toString()) ? ranNow(c) : c).toList();
        List<String> argv = new ArrayList<>(List.of("weightnorm"));
        argv.addAll(cl.getParseResult().originalArgs());
        Path report = report(cells, name() + ": " + String.join(", ", grid.params().stream().map(String::valueOf).toList()) + " over seeds " + seeds + ", "
                + common().epochs + " epoch(s)", argv, grid.out.resolve("report"));
        cl.getOut().println("report: " + report.toAbsolutePath());
        cl.getOut().flush();
        return 0;
    }
}
