package org.weightnorm4j.experiments;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.weightnorm4j.generative.DrawRun;

/**
 * One cell of {@code weightnorm draw compare} as a {@link GridRun}: what a Spark task runs
 * ({@code draw compare --spark}). It runs {@link DrawExperiment#runOne} into its directory, resuming
 * from the checkpoint a failed attempt left; the driver then reads every cell back with
 * {@link DrawCompare#run}, which finds them finished, and writes the report as without Spark.
 *
 * @param settings          the cell's settings, its parameterization and seed included
 * @param epochs            epochs to train
 * @param data              the images, loaded once per JVM ({@link GridData#cached})
 * @param dir               the cell's directory ({@link DrawCompare#cellDir}), absolute
 * @param progressSeconds   seconds between progress lines
 * @param checkpointSeconds seconds between checkpoints within an epoch
 */
public record DrawGridRun(DrawRun.Settings settings, int epochs, GridData<DrawExperiment.Data> data, String dir,
                          double progressSeconds, double checkpointSeconds) implements GridRun {

    /** MNIST as {@link DrawExperiment.Data#mnist} reads it; {@code dataDir} absolute, or null for the usual search order. */
    public record Mnist(String dataDir, int trainLimit, int testLimit) implements GridData<DrawExperiment.Data> {
        /** The source of {@code dataDir} (made absolute: a task may run elsewhere) and the limits (0 = all). */
        public static Mnist of(Path dataDir, int trainLimit, int testLimit) {
            return new Mnist(dataDir == null ? null : dataDir.toAbsolutePath().toString(), trainLimit, testLimit);
        }

        @Override
        public DrawExperiment.Data load() throws IOException {
            return DrawExperiment.Data.mnist(dataDir == null ? null : Path.of(dataDir), trainLimit, testLimit);
        }
    }

    /** The grid's cells in {@code out}, in the order of {@code settings} ({@link DrawCompare#grid}). */
    public static List<DrawGridRun> grid(List<DrawRun.Settings> settings, int epochs, GridData<DrawExperiment.Data> data,
                                         Path out, double progressSeconds, double checkpointSeconds) {
        return settings.stream().map(s -> new DrawGridRun(s, epochs, data,
                DrawCompare.cellDir(out.toAbsolutePath(), s.param(), s.seed()).toString(), progressSeconds, checkpointSeconds))
                .toList();
    }

    @Override
    public String id() {
        return "draw " + settings.param() + " seed " + settings.seed();
    }

    @Override
    public boolean finished() {
        return EpochRuns.finished(Path.of(dir), epochs);
    }

    @Override
    public void run(PrintWriter log) {
        run(log, () -> false);
    }

    /**
     * Runs the cell to its end, or resumes it: as {@link #run(PrintWriter)}, with {@code stop} asked
     * before every step (a stop writes a checkpoint and throws {@link RunInterruptedException}).
     */
    public void run(PrintWriter log, BooleanSupplier stop) {
        Path d = Path.of(dir);
        EpochRuns.runCell(id(), d, finished(), DrawExperiment.METRICS, log, resume -> DrawExperiment.runOne(settings, epochs,
                GridData.cached(data), d, resume, log, stop, progressSeconds, checkpointSeconds));
    }
}
