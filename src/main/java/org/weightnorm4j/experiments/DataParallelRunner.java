package org.weightnorm4j.experiments;

import java.io.PrintWriter;
import org.weightnorm4j.train.TrainingSummary;

/**
 * Trains one model with synchronous data-parallel workers ({@code train --spark MASTER --workers N}):
 * the service interface through which the core finds the Spark module's barrier-mode trainer at run
 * time ({@link GridRunners#dataParallel}), without a compile-time dependency on Spark.
 */
public interface DataParallelRunner {

    /**
     * Runs {@code job} to its end (resuming from the checkpoint in its directory if there is one,
     * and again after a lost worker) and returns worker 0's summary. Worker 0 writes
     * {@code metrics.csv} and the checkpoints into the job's directory.
     */
    TrainingSummary train(DataParallelJob job, String master, PrintWriter log);
}
