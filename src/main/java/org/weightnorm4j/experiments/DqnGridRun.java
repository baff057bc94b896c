package org.weightnorm4j.experiments;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.weightnorm4j.rl.DqnJob;
import org.weightnorm4j.rl.DqnTraining;

/**
 * One run of {@code weightnorm dqn compare} as a {@link GridRun}: what a Spark task runs
 * ({@code dqn compare --spark}). It is {@link DqnCompare#runOne} into {@code base/GAME-PARAM-sSEED}:
 * a finished run is skipped, one a failed attempt left is resumed from its checkpoint. The driver
 * then goes through the grid as without Spark, finds every run finished, and reports.
 *
 * @param job             the run: game, settings, seed, frames
 * @param base            the grid's directory, absolute; the run's is {@link DqnJob#directoryIn}
 * @param progressSeconds seconds between progress lines
 */
public record DqnGridRun(DqnJob job, String base, double progressSeconds) implements GridRun {

    /** The grid's runs in {@code out}, in the order of {@code jobs} ({@link DqnCompare#grid}). */
    public static List<DqnGridRun> grid(List<DqnJob> jobs, Path out, double progressSeconds) {
        String base = out.toAbsolutePath().toString();
        return jobs.stream().map(j -> new DqnGridRun(j, base, progressSeconds)).toList();
    }

    @Override
    public String id() {
        return job.directoryName();
    }

    @Override
    public String dir() {
        return job.directoryIn(Path.of(base)).toString();
    }

    @Override
    public boolean finished() {
        try {
            return DqnTraining.state(Path.of(dir()), job.frames()) == DqnTraining.State.FINISHED;
        } catch (IOException e) {
            throw new UncheckedIOException("dqn " + id() + ": cannot read " + dir() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void run(PrintWriter log) {
        run(log, () -> false);
    }

    /**
     * Runs the run to its end, or resumes it: as {@link #run(PrintWriter)}, with {@code stop} asked
     * every few frames (a stop writes a checkpoint and throws {@link RunInterruptedException}).
     */
    public void run(PrintWriter log, BooleanSupplier stop) {
        try {
            DqnCompare.Status s = DqnCompare.runOne(job, Path.of(base), line -> {
                log.println(line);
                log.flush();
            }, progressSeconds, stop);
            log.println(DqnCompare.describe(job, s));
            log.flush();
            if (s == DqnCompare.Status.INTERRUPTED) {
                Path summary = Path.of(dir(), DqnTraining.SUMMARY); // written with the checkpoint, at its frame
                throw new RunInterruptedException(Path.of(dir()), JsonFiles.readObject(summary).get("frames").getAsLong());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("dqn " + id() + " in " + dir() + ": " + e.getMessage(), e);
        }
    }
}
