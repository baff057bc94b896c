package org.weightnorm4j.tensor;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * How the convolution kernels ({@link Float32Conv}, {@link WinogradConv}, {@link DirectConv},
 * {@link RowConv}, {@link ChannelVectorConv}) cut a batch into parts for {@link Parallel}, and how
 * the filter gradients' per-part partial sums are kept and added up.
 *
 * <p>The batch is cut into {@code min(N, 4·threads)} contiguous runs of images: enough parts for
 * the pool to balance uneven cores, few enough to keep the partial filter gradients small. A part's
 * images depend only on its number, never on which thread runs it; the partials are added in part
 * order, so a filter gradient depends on the thread count (through the parts) but never on
 * scheduling.
 */
final class BatchParts {
    /** Parts per thread. */
    static final int PER_THREAD = 4;

    private BatchParts() {
    }

    /** The number of parts for a batch of {@code n} images: {@code min(n, 4·threads)}, at least 1. */
    static int count(int n) {
        return Math.max(1, Math.min(PER_THREAD * Parallel.threads(), n));
    }

    /** The first of the {@code n} items (images, or output channels) in part {@code part} of {@code parts}; its end is {@code start(part + 1, ...)}. */
    static int start(int part, int n, int parts) {
        return (int) ((long) part * n / parts);
    }

    /** Runs {@code body} for parts {@code 0 .. parts-1}: on the calling thread when there is one, else over the pool. */
    static void run(int parts, IntConsumer body) {
        if (parts == 1) {
            body.accept(0);
        } else {
            Parallel.run(parts, body);
        }
    }

    /** Makes {@code buffers[0 .. count)} hold at least {@code size} floats each, reusing what is there. */
    static float[][] growPartials(float[][] buffers, int count, int size) {
        if (buffers.length < count) {
            buffers = Arrays.copyOf(buffers, count);
        }
        for (int i = 0; i < count; i++) {
            if (buffers[i] == null || buffers[i].length < size) {
                buffers[i] = new float[size];
            }
        }
        return buffers;
    }

    /**
     * {@code dw[i] (+)= Σ_parts Σ_lanes partials[p][i·lanes + lane]}: parts in order, lanes from 0,
     * in double, rounded once; the per-part lane sums of {@link DirectConv}'s, {@link RowConv}'s and
     * {@link RowPairConv}'s filter gradients.
     *
     * <p>Four elements at a time: each element's sum is one chain of dependent additions
     * ({@code parts·lanes} long, 64 for RowPairConv's 16 lanes in 4 parts), and one chain at a time
     * ran at the adder's latency, 20-70 µs for the DQN layer's 576 weights (Zen 5, loaded). Four
     * chains side by side are each still added in the order above, so the bits do not change.
     */
    static void reduceLanePartials(float[][] partials, int parts, int size, int lanes, float[] dw, boolean accumulate) {
        int i = 0;
        for (; i + 4 <= size; i += 4) {
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int p = 0; p < parts; p++) {
                float[] part = partials[p];
                for (int lane = 0, at = i * lanes; lane < lanes; lane++, at++) {
                    s0 += part[at];
                    s1 += part[at + lanes];
                    s2 += part[at + 2 * lanes];
                    s3 += part[at + 3 * lanes];
                }
            }
            dw[i] = accumulate ? (float) (dw[i] + s0) : (float) s0;
            dw[i + 1] = accumulate ? (float) (dw[i + 1] + s1) : (float) s1;
            dw[i + 2] = accumulate ? (float) (dw[i + 2] + s2) : (float) s2;
            dw[i + 3] = accumulate ? (float) (dw[i + 3] + s3) : (float) s3;
        }
        for (; i < size; i++) {
            double sum = 0;
            for (int p = 0; p < parts; p++) {
                float[] part = partials[p];
                for (int lane = 0, at = i * lanes; lane < lanes; lane++, at++) {
                    sum += part[at];
                }
            }
            dw[i] = accumulate ? (float) (dw[i] + sum) : (float) sum;
        }
    }

    /**
     * {@code dw[o·rows + r] (+)= Σ_parts partials[p][r·outs + o]}: partials laid out transposed
     * ({@link ChannelVectorConv}'s {@code [c][tap][o]}), parts in order, in double, rounded once.
     */
    static void reduceTransposedPartials(float[][] partials, int parts, int rows, int outs, float[] dw, boolean accumulate) {
        for (int o = 0; o < outs; o++) {
            for (int r = 0; r < rows; r++) {
                int at = r * outs + o;
                double sum = 0;
                for (int p = 0; p < parts; p++) {
                    sum += partials[p][at];
                }
                int i = o * rows + r;
                dw[i] = accumulate ? (float) (dw[i] + sum) : (float) sum;
            }
        }
    }
}
