package org.weightnorm4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.weightnorm4j.experiments.DrawCompare;
import org.weightnorm4j.experiments.DrawCompareReport;
import org.weightnorm4j.experiments.DrawExperiment;
import org.weightnorm4j.experiments.DrawGridRun;
import org.weightnorm4j.experiments.GridRun;
import org.weightnorm4j.generative.DrawRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code weightnorm draw compare}: {@code weightnorm draw} for every (parameterization, seed), each in
 * {@code OUT/<param>-s<seed>}, then {@code OUT/report/report.html} ({@link GenerativeCompareCommand}).
 * Rerunning the same command skips finished runs and resumes the unfinished one.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, modelTransformer = RecipeHelp.class,
        description = {"Train DRAW for every --params x --seeds and write a report: test-bound curves, g/‖v‖ of the LSTMs' gate"
                + " rows over training, and the canvas drawn glimpse by glimpse for test digits and samples.",
                "Resumable: finished runs are skipped, an unfinished one continues from its checkpoint."})
public final class DrawCompareCommand extends GenerativeCompareCommand<DrawRun.Settings, DrawExperiment.Data, DrawCompare.Cell> {

    @CommandLine.Mixin
    DrawCommand.DrawOptions options = new DrawCommand.DrawOptions();

    public DrawCompareCommand() {
        super("1");
    }

    @Override
    String name() {
        return "draw compare";
    }

    @Override
    GenerativeOptions common() {
        return options.common;
    }

    @Override
    Grid<DrawRun.Settings, DrawExperiment.Data> grid(CommandLine cl, List<Boolean> weightNorm, List<Long> seeds, boolean keep)
            throws IOException {
        DrawRun.Settings base = options.settings(cl, true, seeds.get(0));
        return new Grid<>(DrawCompare.grid(base, weightNorm, seeds), options.load(cl, keep));
    }

    @Override
    List<? extends GridRun> sparkRuns(List<DrawRun.Settings> cells, Path out) throws IOException {
        return DrawGridRun.grid(cells, options.common.epochs, options.source(), out, options.common.progress.seconds(),
                options.checkpointMinutes * 60);
    }

    @Override
    List<DrawCompare.Cell> run(Grid<DrawRun.Settings, DrawExperiment.Data> grid, Path out, PrintWriter log, BooleanSupplier stop)
            throws IOException {
        return DrawCompare.run(grid.cells(), options.common.epochs, grid.data(), out, log, stop,
                options.common.progress.seconds(), options.checkpointMinutes * 60);
    }

    @Override
    Path dir(DrawCompare.Cell cell) {
        return cell.dir();
    }

    @Override
    DrawCompare.Cell ranNow(DrawCompare.Cell c) {
        return new DrawCompare.Cell(c.settings(), c.dir(), c.summary(), false);
    }

    @Override
    Path report(List<DrawCompare.Cell> cells, String title, List<String> argv, Path dir) throws IOException {
        return DrawCompareReport.write(cells, title, argv, dir);
    }
}
