package org.weightnorm4j.experiments;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How to get an experiment's {@link Workload} in any JVM: a small serializable recipe (a preset
 * name, a dataset and where it lies) instead of the loaded images, so that a {@link GridRun} can
 * travel to a Spark executor and load its data there. Implementations are values (records): equal
 * sources give equal workloads, which {@link #cached} relies on.
 */
public interface WorkloadSource extends Serializable {

    /** Loads (and preprocesses) the workload. */
    Workload load() throws IOException;

    /**
     * The workload of {@code source}, loaded once per JVM: the runs of a grid that land in the same
     * executor share one copy of the data (the runs only read it).
     */
    static Workload cached(WorkloadSource source) {
        try {
            return loadCached(source);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the data of a grid run (" + source + "): " + e.getMessage(), e);
        }
    }

    /** As {@link #cached}, with a failure to read the data as it is (the CLI reports it as without the cache). */
    static Workload loadCached(WorkloadSource source) throws IOException {
        synchronized (Cache.class) { // one load at a time: two tasks of one executor must not read the data twice
            Workload w = Cache.LOADED.get(source);
            if (w == null) {
                w = source.load();
                Cache.LOADED.put(source, w);
            }
            return w;
        }
    }

    /**
     * A preset model on a dataset, as {@link Workload#load}: what {@code compare} and
     * {@code lr-sweep} train. {@code dataDir} (null: the usual search order) must be a path every
     * worker can read.
     */
    static WorkloadSource preset(String preset, String dataset, Path dataDir, String preprocessing, int trainLimit,
                                 int testLimit) {
        return new Preset(preset, dataset, dataDir == null ? null : dataDir.toAbsolutePath().toString(), preprocessing,
                trainLimit, testLimit);
    }

    /**
     * A model spec (a preset sized to the data, or a model file's) on a named dataset, as
     * {@code weightnorm train} loads it: what its data-parallel job ships to the workers.
     */
    static WorkloadSource spec(org.weightnorm4j.model.ModelSpec model, String dataset, Path dataDir, String preprocessing) {
        return new Spec(model.toJson().toString(), dataset, dataDir == null ? null : dataDir.toAbsolutePath().toString(),
                preprocessing);
    }

    /** The source {@link #spec} returns. */
    record Spec(String modelJson, String dataset, String dataDir, String preprocessing) implements WorkloadSource {
        @Override
        public Workload load() throws IOException {
            return new Workload(org.weightnorm4j.model.ModelSpec.fromJson(modelJson, "the model of a data-parallel job"),
                    org.weightnorm4j.train.Inputs.load(dataset, dataDir == null ? null : Path.of(dataDir), preprocessing, 0, 0),
                    dataset, preprocessing);
        }
    }

    /** The source {@link #preset} returns ({@link Path} is not serializable, so the directory is a string). */
    record Preset(String preset, String dataset, String dataDir, String preprocessing, int trainLimit, int testLimit)
            implements WorkloadSource {
        @Override
        public Workload load() throws IOException {
            return Workload.load(preset, dataset, dataDir == null ? null : Path.of(dataDir), preprocessing, trainLimit,
                    testLimit);
        }
    }

    /** Holder of the per-JVM cache (an interface cannot have private fields). */
    final class Cache {
        private static final Map<WorkloadSource, Workload> LOADED = new ConcurrentHashMap<>();

        private Cache() {
        }
    }
}
