package org.weightnorm4j.experiments;

import com.google.gson.JsonParser;
import java.io.Serializable;
import java.nio.file.Path;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.train.TrainConfig;
import org.weightnorm4j.train.Trainer;

/**
 * One training run split over {@code workers} synchronous data-parallel workers
 * ({@code weightnorm train --spark MASTER --workers N}), as a serializable value each worker
 * rebuilds its trainer from: the workload (model and data, loaded by each worker), the
 * parameterization, the training config and the output directory, which must be on a filesystem
 * every worker sees (worker 0 writes the checkpoints; every worker resumes from them after a failure).
 *
 * @param source     the model and the data
 * @param param      the parameterization's name
 * @param configJson the {@link TrainConfig}'s JSON; its batch size is the global minibatch
 * @param outDir     the run directory, absolute
 * @param workers    the number of workers, at least 1
 * @param threads    compute threads per worker
 * @param keep       checkpoints kept ({@link Trainer#keepCheckpoints})
 */
public record DataParallelJob(WorkloadSource source, String param, String configJson, String outDir, int workers,
                              int threads, int keep) implements Serializable {

    public DataParallelJob {
        if (workers < 1) {
            throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads per worker must be at least 1, got " + threads);
        }
    }

    /** The job for a workload, a parameterization, a config and a run directory. */
    public static DataParallelJob of(WorkloadSource source, Parameterization p, TrainConfig config, Path outDir, int workers,
                                     int threads, int keep) {
        return new DataParallelJob(source, p.cliName(), config.toJson().toString(), outDir.toAbsolutePath().toString(),
                workers, threads, keep);
    }

    public Parameterization parameterization() {
        return Parameterization.parse(param);
    }

    public TrainConfig config() {
        return TrainConfig.fromJson(JsonParser.parseString(configJson).getAsJsonObject());
    }

    /**
     * Worker {@code rank}'s trainer, not yet started: the same model (seed) and config on every
     * worker; worker 0 alone evaluates on the test split and writes checkpoints into {@link #outDir}.
     * The workload is loaded once per JVM ({@link GridData#cached}).
     */
    public Trainer trainer(int rank) {
        Workload w = GridData.cached(source);
        Parameterization p = parameterization();
        TrainConfig config = config();
        Sequential net = w.model().build(p, config.seed(), DType.FLOAT32);
        boolean lead = rank == 0;
        return new Trainer(net, w.data().train(), lead ? w.data().test() : null, config, w.info(p),
                lead ? Path.of(outDir) : null).keepCheckpoints(keep);
    }
}
