package org.weightnorm4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.weightnorm4j.experiments.GridRun;
import org.weightnorm4j.experiments.VaeCompare;
import org.weightnorm4j.experiments.VaeCompareReport;
import org.weightnorm4j.experiments.VaeExperiment;
import org.weightnorm4j.experiments.VaeGridRun;
import org.weightnorm4j.generative.VaeSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code weightnorm vae compare}: {@code weightnorm vae} for every (parameterization, seed), each in
 * {@code OUT/<param>-s<seed>}, then {@code OUT/report/report.html} ({@link GenerativeCompareCommand}).
 * Rerunning the same command skips finished runs and resumes the unfinished one.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, modelTransformer = RecipeHelp.class,
        description = {"Train the VAE for every --params x --seeds and write a report: test-bound curves per seed and their"
                + " spread, the importance-sampled log p(x), samples and reconstructions.",
                "Resumable: finished runs are skipped, an unfinished one continues from its checkpoint."})
public final class VaeCompareCommand extends GenerativeCompareCommand<VaeSettings, VaeExperiment.Data, VaeCompare.Cell> {

    @CommandLine.Mixin
    VaeCommand.VaeOptions options = new VaeCommand.VaeOptions();

    public VaeCompareCommand() {
        super("1,2,3");
    }

    @Override
    String name() {
        return "vae compare";
    }

    @Override
    GenerativeOptions common() {
        return options.common;
    }

    @Override
    Grid<VaeSettings, VaeExperiment.Data> grid(CommandLine cl, List<Boolean> weightNorm, List<Long> seeds, boolean keep)
            throws IOException {
        VaeExperiment.Data data = options.load(cl, keep); // the default EMA decay depends on its size
        VaeSettings base = options.settings(cl, true, seeds.get(0), data.train().size());
        return new Grid<>(VaeCompare.grid(base, weightNorm, seeds), data);
    }

    @Override
    List<? extends GridRun> sparkRuns(List<VaeSettings> cells, Path out) throws IOException {
        return VaeGridRun.grid(cells, options.source(), out, options.common.progress.seconds());
    }

    @Override
    List<VaeCompare.Cell> run(Grid<VaeSettings, VaeExperiment.Data> grid, Path out, PrintWriter log, BooleanSupplier stop)
            throws IOException {
        return VaeCompare.run(grid.cells(), grid.data(), out, log, stop, options.common.progress.seconds());
    }

    @Override
    Path dir(VaeCompare.Cell cell) {
        return cell.dir();
    }

    @Override
    VaeCompare.Cell ranNow(VaeCompare.Cell c) {
        return new VaeCompare.Cell(c.settings(), c.dir(), c.summary(), false);
    }

    @Override
    Path report(List<VaeCompare.Cell> cells, String title, List<String> argv, Path dir) throws IOException {
        return VaeCompareReport.write(cells, title, argv, dir);
    }
}
