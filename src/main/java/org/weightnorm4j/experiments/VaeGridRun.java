package org.weightnorm4j.experiments;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.weightnorm4j.generative.VaeSettings;

/**
 * One cell of {@code weightnorm vae compare} as a {@link GridRun}: what a Spark task runs
 * ({@code vae compare --spark}). It runs {@link VaeExperiment#runOne} into its directory, resuming
 * from the checkpoint a failed attempt left; the driver then reads every cell back with
 * {@link VaeCompare#run}, which finds them finished, and writes the report as without Spark.
 *
 * @param settings        the cell's settings, its parameterization and seed included
 * @param data            the images, loaded once per JVM ({@link GridData#cached})
 * @param dir             the cell's directory ({@link VaeCompare#cellDir}), absolute
 * @param progressSeconds seconds between progress lines
 */
public record VaeGridRun(VaeSettings settings, GridData<VaeExperiment.Data> data, String dir, double progressSeconds)
        implements GridRun {

    /** MNIST as {@link VaeExperiment.Data#mnist} reads it; {@code dataDir} absolute, or null for the usual search order. */
    public record Mnist(String dataDir, int trainLimit, int testLimit) implements GridData<VaeExperiment.Data> {
        /** The source of {@code dataDir} (made absolute: a task may run elsewhere) and the limits (0 = all). */
        public static Mnist of(Path dataDir, int trainLimit, int testLimit) {
            return new Mnist(dataDir == null ? null : dataDir.toAbsolutePath().toString(), trainLimit, testLimit);
        }

        @Override
        public VaeExperiment.Data load() throws IOException {
            return VaeExperiment.Data.mnist(dataDir == null ? null : Path.of(dataDir), trainLimit, testLimit);
        }
    }

    /** The grid's cells in {@code out}, in the order of {@code settings} ({@link VaeCompare#grid}). */
    public static List<VaeGridRun> grid(List<VaeSettings> settings, GridData<VaeExperiment.Data> data, Path out,
                                        double progressSeconds) {
        return settings.stream().map(s -> new VaeGridRun(s, data,
                VaeCompare.cellDir(out.toAbsolutePath(), s.param(), s.seed()).toString(), progressSeconds)).toList();
    }

    @Override
    public String id() {
        return "vae " + settings.param() + " seed " + settings.seed();
    }

    @Override
    public boolean finished() {
        return EpochRuns.finished(Path.of(dir), settings.epochs());
    }

    @Override
    public void run(PrintWriter log) {
        run(log, () -> false);
    }

    /**
     * Runs the cell to its end, or resumes it: as {@link #run(PrintWriter)}, with {@code stop} asked
     * after every step (a stop writes a checkpoint and throws {@link RunInterruptedException}).
     */
    public void run(PrintWriter log, BooleanSupplier stop) {
        Path d = Path.of(dir);
        EpochRuns.runCell(id(), d, finished(), VaeExperiment.METRICS, log,
                resume -> VaeExperiment.runOne(settings, GridData.cached(data), d, resume, log, stop, progressSeconds));
    }
}
