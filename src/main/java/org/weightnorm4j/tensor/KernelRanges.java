package org.weightnorm4j.tensor;

/**
 * How the memory-bound float32 kernels (pooling, the ReLUs, the per-channel scale and sums,
 * dropout's product) split their work over {@link Parallel}: contiguous ranges of planes,
 * channels or 64-aligned elements. Every output element is still computed by the same code in the
 * same order as on one thread, so results do not depend on the thread count; on 2 threads these
 * kernels were about a third of a cnn step's wall time while running on one core.
 *
 * <p>Internal: not part of the public API; may change without notice.
 */
final class KernelRanges {
    /**
     * System property overriding {@link #PARALLEL_MIN_WORK} (a positive element count), read once at
     * start-up: for measuring the threshold on a new host kind without a rebuild, as
     * {@code -Dweightnorm4j.winograd=false} is for the convolutions. Results do not depend on it.
     */
    static final String MIN_WORK_PROPERTY = "weightnorm4j.parallelMinWork";

    /**
     * Work (elements touched) below which a kernel stays on the calling thread: handing parts out
     * costs a few microseconds. 16K rather than 64K splits the mlp's [128, 512] activations, which
     * sat exactly at 64K: measured on the quiet machine (mlp wn, 1000 steps), 64K / 16K / 8K gave
     * 34,990 and 35,590 / 36,100 and 37,550 / 35,480 and 30,430 images/s.
     */
    static final int PARALLEL_MIN_WORK = parseMinWork(System.getProperty(MIN_WORK_PROPERTY));

    /** The default of {@link #PARALLEL_MIN_WORK}; rechecked on the AVX2 host kind in docs/BENCHMARKS.md (issue 21). */
    static final int DEFAULT_MIN_WORK = 1 << 14;

    /**
     * Element ranges are split at multiples of this, a multiple of every vector length, so that the
     * SIMD loops keep the same vector body and scalar tail whatever the thread count.
     */
    static final int ALIGN = 64;

    /** The body of a split kernel: process indices {@code [from, to)}. */
    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    private KernelRanges() {
    }

    /** {@link #PARALLEL_MIN_WORK} from the value of {@value #MIN_WORK_PROPERTY}: the default when unset. */
    static int parseMinWork(String value) {
        if (value == null) {
            return DEFAULT_MIN_WORK;
        }
        try {
            int work = Integer.parseInt(value.trim());
            if (work >= 1) {
                return work;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + MIN_WORK_PROPERTY + "=" + value + " is not a positive element count "
                + "(the work below which an element-wise kernel stays on one thread; default " + DEFAULT_MIN_WORK + ")");
    }

    /**
     * Runs {@code body} over {@code [0, count)}: on the calling thread when the work
     * ({@code count * unitWork} elements) is small, else in one contiguous range per thread whose
     * inner boundaries are multiples of {@code align}.
     */
    static void forRanges(int count, long unitWork, int align, Range body) {
        long work = count * unitWork;
        int parts = (int) Math.min(Math.min(Parallel.threads(), count / align), work / PARALLEL_MIN_WORK);
        if (parts <= 1 || Parallel.insideParallel()) {
            body.run(0, count);
            return;
        }
        Parallel.run(parts, p -> body.run(boundary(count, align, parts, p), boundary(count, align, parts, p + 1)));
    }

    /** The start of range {@code p} of {@code parts}: a multiple of {@code align}, or {@code count} for the last. */
    private static int boundary(int count, int align, int parts, int p) {
        if (p == parts) {
            return count;
        }
        return (int) ((long) count * p / parts / align * align);
    }
}
