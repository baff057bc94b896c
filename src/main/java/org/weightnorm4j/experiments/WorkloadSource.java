package org.weightnorm4j.experiments;

import java.io.IOException;
import java.nio.file.Path;

/**
 * How to get a classifier experiment's {@link Workload} in any JVM ({@code compare},
 * {@code lr-sweep}, data-parallel {@code train}): a {@link GridData} of a preset or model spec on a
 * named dataset. Load it once per JVM with {@link GridData#cached}.
 */
public interface WorkloadSource extends GridData<Workload> {

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
}
