package org.weightnorm4j.spark;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.weightnorm4j.experiments.GridRun;
import org.weightnorm4j.experiments.GridRunner;
import org.weightnorm4j.tensor.Parallel;

/**
 * Runs an experiment grid as one Spark job: one task per {@link GridRun}, each task one run with
 * {@code threadsPerRun} compute threads (and as many Spark cores: {@code spark.task.cpus}).
 *
 * <p>What makes this safe: each run owns its directory (on a filesystem every worker sees), a run
 * that has ended is skipped, and a run that failed is resumed from its last checkpoint by the
 * task's next attempt (Spark retries a failed task up to {@code spark.task.maxFailures} times;
 * {@code local[N,F]} in local mode). The driver then builds the report from the directories as if
 * it had run them itself; a run's metrics are bit-identical to running it alone with the same seed
 * and thread count, because the run is the same code on the same inputs.
 *
 * <p>Found by the core through {@link java.util.ServiceLoader} ({@code META-INF/services}).
 */
public final class SparkGridRunner implements GridRunner {

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public void runAll(String master, List<? extends GridRun> runs, int threadsPerRun, PrintWriter log) {
        if (runs.isEmpty()) {
            log.println("spark: every run has ended already; nothing to run");
            log.flush();
            return;
        }
        List<GridRun> tasks = new ArrayList<>(runs);
        long started = System.nanoTime();
        try (JavaSparkContext sc = SparkJobs.start("weightnorm4j grid (" + runs.size() + " runs)", master, threadsPerRun)) {
            List<String> ended = sc.parallelize(tasks, tasks.size()) // one run per partition, so one per task
                    .map(run -> runTask(run, threadsPerRun))
                    .collect();
            ended.forEach(log::println);
        } catch (Exception e) { // Scala throws SparkException (checked in Java) undeclared
            throw SparkJobs.failure("the grid", e);
        }
        log.printf("spark: %d runs ended in %.1f s%n", runs.size(), (System.nanoTime() - started) * 1e-9);
        log.flush();
    }

    /** One task: the run, with this task's compute threads; its lines go to the executor's standard output. */
    static String runTask(GridRun run, int threads) {
        Parallel.setThreads(threads);
        TaskContext task = TaskContext.get();
        int attempt = task == null ? 0 : task.attemptNumber();
        PrintWriter out = new PrintWriter(System.out, true);
        if (attempt > 0) {
            out.println("[" + run.id() + "] attempt " + (attempt + 1) + ": resuming in " + run.dir());
        }
        long t0 = System.nanoTime();
        run.run(out);
        out.flush();
        return String.format(java.util.Locale.ROOT, "  %s: ended in %s (%.1f s, attempt %d)", run.id(), run.dir(),
                (System.nanoTime() - t0) * 1e-9, attempt + 1);
    }
}
