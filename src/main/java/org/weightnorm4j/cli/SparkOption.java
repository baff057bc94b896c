package org.weightnorm4j.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.weightnorm4j.experiments.DataParallelRunner;
import org.weightnorm4j.experiments.GridRun;
import org.weightnorm4j.experiments.GridRunner;
import org.weightnorm4j.experiments.GridRunners;
import org.weightnorm4j.tensor.Parallel;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --spark [MASTER]}, as a picocli mixin: on the grid commands, run the grid's runs as Spark
 * tasks (one run per task, {@code --threads} per task); on {@code train}, train with
 * {@code --workers} data-parallel workers. Through the Spark module, found at run time
 * ({@link GridRunners}); the core has no compile-time dependency on Spark (docs/SCALE.md).
 */
final class SparkOption {
    @Option(names = "--spark", paramLabel = "MASTER", arity = "0..1", fallbackValue = GridRunners.DEFAULT_MASTER,
            description = "Run on Apache Spark at MASTER (local[*] when no value is given; local[N], local[N,F] with F"
                    + " attempts per task, spark://HOST:7077, yarn, k8s://...): the grid's runs as tasks (compare, lr-sweep,"
                    + " dqn/vae/draw compare) or --workers data-parallel workers (train); --threads is then per run or"
                    + " worker, 1 by default."
                    + " Needs the weightnorm4j-spark module: start the command with the weightnorm-spark launcher, as docs/SCALE.md shows.")
    String master;

    /** Whether {@code --spark} was given. */
    boolean enabled() {
        return master != null;
    }

    /**
     * Checks the master and finds the module, before any data is loaded: a usage error (exit code 2)
     * for a bad master, an error (exit code 1) naming the launcher when the module is missing.
     */
    GridRunner runner(CommandLine.Model.CommandSpec spec) {
        checkMaster(spec);
        return GridRunners.find();
    }

    /** As {@link #runner}, for {@code train --spark}: the module's data-parallel trainer. */
    DataParallelRunner dataParallel(CommandLine.Model.CommandSpec spec) {
        checkMaster(spec);
        return GridRunners.dataParallel();
    }

    private void checkMaster(CommandLine.Model.CommandSpec spec) {
        try {
            GridRunners.checkMaster(master);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /**
     * Runs the unfinished ones of {@code runs} on the master with the kernels' current thread count
     * per run, and returns their directories: the runs this invocation ran, which the command's report
     * must not call runs of an earlier invocation when it reads them back.
     */
    Set<String> runAll(GridRunner runner, List<? extends GridRun> runs, PrintWriter log) {
        List<? extends GridRun> todo = runs.stream().filter(r -> !r.finished()).toList();
        log.println(runner.name() + ": " + todo.size() + " runs on " + master + ", " + Parallel.threads()
                + " compute thread(s) per run" + (todo.size() < runs.size() ? " (" + (runs.size() - todo.size())
                + " ended earlier, skipped)" : ""));
        log.flush();
        runner.runAll(master, todo, Parallel.threads(), log);
        return todo.stream().map(GridRun::dir).collect(Collectors.toUnmodifiableSet());
    }
}
