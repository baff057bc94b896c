package org.weightnorm4j.spark;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.weightnorm4j.experiments.GridRunners;

/**
 * How this module starts Spark: the master (with task retries in local mode), the settings every
 * job of ours needs, and the error a failed job turns into. One place, so that the grid runner and
 * the data-parallel trainer start Spark the same way.
 */
final class SparkJobs {
    /** Attempts per task in local mode when the master does not say ({@code local[N]} → {@code local[N,4]}); Spark's cluster default. */
    static final int LOCAL_ATTEMPTS = 4;
    /** The JVM flag our kernels need on every executor; spark-submit users add it themselves (docs/SCALE.md). */
    static final String VECTOR_FLAG = "--add-modules jdk.incubator.vector";

    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,(\\d+))?])?");

    private SparkJobs() {
    }

    /**
     * The master to start: {@code master} checked, and in local mode given retries. Spark's local mode
     * tries each task once unless the master names the attempts ({@code local[N,F]}); a grid's run
     * that fails should be retried (it resumes from its checkpoint), so {@code local} and
     * {@code local[N]} become {@code local[N,4]}.
     */
    static String master(String master) {
        String m = GridRunners.checkMaster(master);
        Matcher local = LOCAL.matcher(m);
        if (local.matches() && local.group(2) == null) {
            return "local[" + (local.group(1) == null ? "1" : local.group(1)) + "," + LOCAL_ATTEMPTS + "]";
        }
        return m;
    }

    /** The cores of a local master ({@code local[*]}: this machine's), or -1 for a cluster master. */
    static int localCores(String master) {
        Matcher local = LOCAL.matcher(master);
        if (!local.matches()) {
            return -1;
        }
        String n = local.group(1);
        return n == null ? 1 : n.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(n);
    }

    /**
     * A Spark context for one of our jobs: {@code cpusPerTask} cores per task (a run's compute
     * threads), no speculative copies (two attempts of one run must never write its directory at once),
     * the Vector API flag on the executors unless {@code spark.executor.extraJavaOptions} is set already.
     */
    static JavaSparkContext start(String appName, String master, int cpusPerTask) {
        String m = master(master);
        int cores = localCores(m);
        if (cores > 0 && cores < cpusPerTask) {
            throw new IllegalArgumentException("--spark " + master + " gives " + cores + " core(s) but each task asks for "
                    + cpusPerTask + " (--threads): use local[" + cpusPerTask + "] or more, or fewer --threads");
        }
        SparkConf conf = new SparkConf().setAppName(appName).setMaster(m)
                .set("spark.task.cpus", Integer.toString(cpusPerTask))
                .set("spark.speculation", "false")
                .set("spark.ui.enabled", "false")
                .setIfMissing("spark.executor.extraJavaOptions", VECTOR_FLAG);
        if (cores > 0) { // local mode talks to itself only: no guessing at this host's outside address
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel("WARN");
        return sc;
    }

    /** A failed job as an exception the CLI prints in one line: the task's own message, without Spark's stack text. */
    static RuntimeException failure(String what, Exception e) {
        Throwable spark = e instanceof SparkException ? e : e.getCause() instanceof SparkException ? e.getCause() : null;
        if (spark == null) {
            return e instanceof RuntimeException r ? r : new IllegalStateException(what + " failed: " + e, e);
        }
        String msg = spark.getMessage() == null ? spark.toString() : spark.getMessage();
        // "Job aborted due to stage failure: Task 1 in stage 0.0 failed 4 times, most recent failure: ...: java.lang.X: message\n\tat ..."
        int nl = msg.indexOf('\n');
        return new IllegalStateException(what + " failed on Spark: " + (nl < 0 ? msg : msg.substring(0, nl)), e);
    }
}
