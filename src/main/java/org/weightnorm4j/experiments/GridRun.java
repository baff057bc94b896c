package org.weightnorm4j.experiments;

import java.io.PrintWriter;
import java.io.Serializable;

/**
 * One run of an experiment grid (one parameterization and seed of {@code compare}, one
 * parameterization and learning rate of {@code lr-sweep} ({@link CompareRun}); one game,
 * parameterization and seed of {@code dqn compare} ({@link DqnGridRun}); one cell of
 * {@code vae compare} or {@code draw compare} ({@link VaeGridRun}, {@link DrawGridRun})), described
 * by a serializable value so that it can be shipped to another JVM and run there: the unit a
 * {@link GridRunner} schedules.
 *
 * <p>The contract every implementation keeps, and that makes a grid safe to distribute and to
 * retry:
 * <ul>
 *   <li>a run owns its directory {@link #dir()} and writes nothing outside it;</li>
 *   <li>{@link #finished()} is true once the run has ended (its result file exists), and a
 *       finished run is never run again;</li>
 *   <li>{@link #run} on a run that was stopped part-way resumes it from its last checkpoint in
 *       {@link #dir()}, and ends with the same metrics, bit for bit, as a run that never stopped
 *       (same thread count: the kernels' reductions are ordered by it);</li>
 *   <li>everything the run needs (model, data, recipe, seed) is in the value, so running it in a
 *       Spark task or alone gives the same result.</li>
 * </ul>
 */
public interface GridRun extends Serializable {

    /** A short name, unique within its grid, for logs: e.g. {@code wn s2} or {@code bn lr 0.01}. */
    String id();

    /** The run's directory: an absolute path, on a filesystem every worker sees when run on a cluster. */
    String dir();

    /** Whether the run has ended (finished or diverged) and left its result in {@link #dir()}. */
    boolean finished();

    /**
     * Runs the run, or resumes it from its checkpoint, until it ends; writes its result into
     * {@link #dir()}. Does nothing if it has {@link #finished()}.
     *
     * @param log one line per run and event (resumed, skipped, diverged)
     */
    void run(PrintWriter log);
}
