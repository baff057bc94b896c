package org.weightnorm4j.optim;

import java.util.List;
import java.util.function.IntConsumer;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.tensor.Parallel;

/**
 * An element-wise update of a list of parameters (an optimizer step, a moving average), cut into
 * ranges of at most {@value #RANGE} elements that {@link Parallel} runs on several threads.
 *
 * <p>Why the results do not depend on the thread count: every element is updated by the same
 * arithmetic from its own values only (no sums across elements), so which thread runs a range
 * cannot change a bit; the ranges are also fixed (64-aligned, cut once at construction), so even
 * the vector/scalar split of a loop is the same for 1, 2 or 3 threads. Updates smaller than
 * {@value #PARALLEL_MIN} elements in all run on the calling thread, where waking the workers would
 * cost more than it saves.
 *
 * <p>The table of ranges and the task handed to the pool are built once, so {@link #run()}
 * allocates nothing.
 */
final class ParamRanges {
    /** Elements per range: a multiple of 64 (whole cache lines and vector lengths). */
    static final int RANGE = 1 << 14;
    /** Total elements below which the update stays on the calling thread. */
    static final long PARALLEL_MIN = 1 << 16;

    /** The update of elements {@code [from, to)} of parameter number {@code param}. */
    @FunctionalInterface
    interface Body {
        void update(int param, int from, int to);
    }

    private final int[] param;
    private final int[] from;
    private final int[] to;
    private final long total;
    private final Body body;
    private final IntConsumer part;

    ParamRanges(List<Param> params, Body body) {
        int count = 0;
        long elements = 0;
        for (Param p : params) {
            int n = p.value().size();
            count += (n + RANGE - 1) / RANGE;
            elements += n;
        }
        this.param = new int[count];
        this.from = new int[count];
        this.to = new int[count];
        int r = 0;
        for (int i = 0; i < params.size(); i++) {
            int n = params.get(i).value().size();
            for (int start = 0; start < n; start += RANGE) {
                param[r] = i;
                from[r] = start;
                to[r] = (int) Math.min(n, (long) start + RANGE);
                r++;
            }
        }
        this.total = elements;
        this.body = body;
        this.part = k -> body.update(param[k], from[k], to[k]);
    }

    /** Runs the update over every range, in parallel when it is large enough; returns when all are done. */
    void run() {
        if (total < PARALLEL_MIN) {
            for (int k = 0; k < param.length; k++) {
                body.update(param[k], from[k], to[k]);
            }
        } else {
            Parallel.run(param.length, part);
        }
    }
}
