package org.weightnorm4j.norm;

/**
 * Sums a few numbers over the workers of synchronous data-parallel training, so that statistics
 * the paper defines over the whole minibatch stay over the whole minibatch when each worker holds
 * only its shard of it: {@link MeanOnlyBatchNorm}'s mean (§4) and the mean of its incoming gradient.
 * Every worker calls it at the same point with its partial sums; each gets back the same totals,
 * added in the same fixed (worker) order, so that every worker computes the same numbers.
 */
@FunctionalInterface
public interface CrossWorkerSums {

    /** Replaces {@code values} by their sums over the workers (element by element, in worker order). */
    void allSum(double[] values);
}
