package org.weightnorm4j.train;

import java.util.List;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.norm.CrossWorkerSums;

/**
 * The workers of synchronous data-parallel training, as one of them sees them: each worker holds
 * the same model, runs forward and backward on its shard of every global minibatch, and the
 * workers' gradients are summed before every worker applies the same update
 * ({@link Trainer#dataParallel}). The Spark module implements it over a barrier stage.
 *
 * <p>Every method is collective: each worker calls it at the same point of the same step, and each
 * gets the same result. Sums are taken in worker order (0, 1, ..., N-1), in double precision, so
 * the result does not depend on which worker finished first.
 */
public interface DataParallelGroup extends CrossWorkerSums {

    /** This worker's index, 0 to {@link #size()} − 1. */
    int rank();

    /** The number of workers. */
    int size();

    /** The first row of this worker's shard of a global minibatch of {@code n} rows (contiguous, sizes differ by at most 1). */
    default int shardFrom(int n) {
        return (int) ((long) n * rank() / size());
    }

    /** One past the last row of this worker's shard of a global minibatch of {@code n} rows. */
    default int shardTo(int n) {
        return (int) ((long) n * (rank() + 1) / size());
    }

    /**
     * Replaces every parameter's gradient and every element of {@code scalars} by its sum over the
     * workers (in worker order): one exchange per step.
     */
    void allSum(List<Param> params, double[] scalars);
}
