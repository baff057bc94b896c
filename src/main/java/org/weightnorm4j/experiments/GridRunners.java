package org.weightnorm4j.experiments;

import java.util.List;
import java.util.ServiceLoader;
import java.util.regex.Pattern;

/**
 * Finds the {@link GridRunner} and {@link DataParallelRunner} of the Spark module on the class path and checks a {@code --spark}
 * master before anything starts, so that a typo fails in a second with a message rather than after
 * Spark has started.
 */
public final class GridRunners {
    /** The master {@code --spark} uses when given without a value: every core of this machine. */
    public static final String DEFAULT_MASTER = "local[*]";

    /**
     * Spark's own master forms (SparkContext's master parsing): {@code local}, {@code local[N|*]},
     * {@code local[N|*,F]} (F attempts per task), {@code local-cluster[W,C,M]},
     * {@code spark://host:port[,host:port...]}, {@code yarn}, {@code k8s://...}, {@code mesos://...}.
     */
    private static final Pattern MASTER = Pattern.compile(
            "local|local\\[(\\*|[1-9]\\d*)(,[1-9]\\d*)?]|local-cluster\\[[1-9]\\d*,\\s*[1-9]\\d*,\\s*[1-9]\\d*]"
                    + "|spark://[^\\s/:,]+:\\d+(,[^\\s/:,]+:\\d+)*|yarn|k8s://\\S+|mesos://\\S+");

    private GridRunners() {
    }

    /**
     * Checks {@code master}'s form.
     *
     * @throws IllegalArgumentException naming the value and the valid forms
     */
    public static String checkMaster(String master) {
        if (master == null || !MASTER.matcher(master.trim()).matches()) {
            throw new IllegalArgumentException("--spark: '" + master + "' is not a Spark master; use local[*] (all cores of"
                    + " this machine), local[N], local[N,F] (N cores, F attempts per task), spark://HOST:7077, yarn or"
                    + " k8s://https://HOST:PORT");
        }
        return master.trim();
    }

    /**
     * The grid runner on the class path.
     *
     * @throws IllegalStateException saying how to get the Spark module when none is there
     */
    public static GridRunner find() {
        return load(GridRunner.class);
    }

    /**
     * The Spark module's data-parallel trainer on the class path.
     *
     * @throws IllegalStateException saying how to get the Spark module when none is there
     */
    public static DataParallelRunner dataParallel() {
        return load(DataParallelRunner.class);
    }

    private static <T> T load(Class<T> service) {
        List<T> found = ServiceLoader.load(service, GridRunners.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList();
        if (found.isEmpty()) {
            throw new IllegalStateException("--spark needs weightnorm4j-spark on the classpath: run ./weightnorm-spark"
                    + " instead of ./weightnorm (it builds the module and adds Spark), or add"
                    + " weightnorm4j-spark/target/weightnorm4j-spark-all.jar and Spark to the class path (docs/SCALE.md)");
        }
        return found.get(0);
    }
}
