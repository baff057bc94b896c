package org.weightnorm4j.cli;

import java.util.Arrays;

/**
 * Decides when a benchmark's warm-up has settled: calls are timed in batches, and the timing has
 * settled when the median call of a batch is within {@link #TOLERANCE} of the previous batch's.
 * A fixed warm-up was not enough: the first size of a {@code bench gemm} run once went through all
 * its timed repeats at half speed (44 against 75-80 GFLOP/s), still on code compiled before the
 * JIT had finished with the kernel. The median, not the mean, so one call slowed by another
 * process does not hold the warm-up back; two batches, not two calls, so one lucky pair does not
 * end it.
 */
final class WarmUp {
    /** Relative difference between two consecutive batch medians that counts as settled. */
    static final double TOLERANCE = 0.03;
    /** Wall time aimed at per batch. */
    static final long BATCH_NANOS = 250_000_000L;
    /** Fewest calls per batch: a median of fewer says little. */
    static final int MIN_BATCH = 3;
    static final int MAX_BATCH = 64;

    private final long[] batch;
    private int filled;
    private double previousMedian = Double.NaN;

    /** @param batchSize calls per batch, at least {@link #MIN_BATCH} */
    WarmUp(int batchSize) {
        if (batchSize < MIN_BATCH) {
            throw new IllegalArgumentException("a warm-up batch needs at least " + MIN_BATCH + " calls but got " + batchSize);
        }
        batch = new long[batchSize];
    }

    /** Calls per batch for calls that take about {@code callNanos}: about {@link #BATCH_NANOS} worth, within bounds. */
    static int batchSize(long callNanos) {
        long calls = BATCH_NANOS / Math.max(1, callNanos);
        return (int) Math.max(MIN_BATCH, Math.min(MAX_BATCH, calls));
    }

    /** Adds one call's time; true when it completed a batch whose median agrees with the previous batch's. */
    boolean add(long nanos) {
        batch[filled++] = nanos;
        if (filled < batch.length) {
            return false;
        }
        filled = 0;
        long[] sorted = batch.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        boolean settled = Math.abs(median - previousMedian) <= TOLERANCE * Math.min(median, previousMedian);
        previousMedian = median;
        return settled;
    }
}
