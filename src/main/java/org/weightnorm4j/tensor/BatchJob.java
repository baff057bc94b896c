package org.weightnorm4j.tensor;

import java.util.function.IntConsumer;

/**
 * One call of a direct convolution kernel ({@link DirectConv}, {@link RowConv},
 * {@link ChannelVectorConv}) over a batch cut into {@link BatchParts}: the batch, its parts, and
 * for the filter gradient each part's partial sums. A subclass runs one part's images in
 * {@link #accept}, from image {@code first(part)} to {@code first(part + 1)}.
 */
abstract class BatchJob implements IntConsumer {
    /** Images in the batch, and the parts it is cut into ({@link BatchParts#count}). */
    int n, parts;
    /** Computing the filter gradient: each part sums its images into {@code partials[part]}. */
    boolean filterGradient;
    float[][] partials = new float[0][];

    /** Sets the batch size, and with it the parts (at the thread count of now). */
    final void batch(int n) {
        this.n = n;
        parts = BatchParts.count(n);
    }

    /** Floats in one part's partial filter gradient. */
    abstract int partialSize();

    /** Runs every part (the forward, or with {@code filterGradient} each part's partial). */
    final void run(boolean filterGradient) {
        this.filterGradient = filterGradient;
        if (filterGradient) {
            partials = BatchParts.growPartials(partials, parts, partialSize());
        }
        BatchParts.run(parts, this);
    }

    /** The first image of part {@code part}; part {@code part}'s images end at {@code first(part + 1)}. */
    final int first(int part) {
        return BatchParts.start(part, n, parts);
    }
}
