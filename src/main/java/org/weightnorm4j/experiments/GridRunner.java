package org.weightnorm4j.experiments;

import java.io.PrintWriter;
import java.util.List;

/**
 * Runs the {@link GridRun}s of an experiment grid somewhere else than one after another in this
 * JVM: the service interface through which the core finds the Spark module
 * ({@code weightnorm4j-spark}) at run time, with {@link java.util.ServiceLoader}, without depending
 * on it at compile time. {@link GridRunners#find} looks it up.
 *
 * <p>An implementation runs every unfinished run once to its end (retrying a failed one, which
 * then resumes from its checkpoint), each with {@code threadsPerRun} compute threads, and returns
 * when all have ended; the caller then builds its report from the run directories exactly as it
 * does after running them itself.
 */
public interface GridRunner {

    /** The runner's name for messages, e.g. {@code spark}. */
    String name();

    /**
     * Runs {@code runs} on {@code master} and returns when every one has ended.
     *
     * @param master        where to run, e.g. {@code local[*]}, {@code local[2,3]}, {@code spark://host:7077}
     * @param threadsPerRun compute threads each run uses ({@code --threads}); the runs' results depend on it
     * @param log           progress lines
     * @throws IllegalArgumentException if {@code master} is not one this runner understands
     * @throws RuntimeException         if a run still failed after the runner's retries
     */
    void runAll(String master, List<? extends GridRun> runs, int threadsPerRun, PrintWriter log);
}
