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
     * in double, rounded once; the per-part lane sums of {@link DirectConv}'s and {@link RowConv}'s
     * filter gradients.
     */
    static void reduceLanePartials(float[][] partials, int parts, int size, int lanes, float[] dw, boolean accumulate) {
        for (int i = 0; i < size; i++) {
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
