package org.weightnorm4j.data;

import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.weightnorm4j.tensor.Tensor;

/**
 * Seeded, resumable minibatches of a {@link Dataset}.
 *
 * <p>Each epoch visits every example once in an order that depends only on {@code (seed, epoch)}
 * (a Fisher–Yates shuffle driven by a {@link SplittableRandom} seeded from both), and the
 * augmentation of step {@code s} depends only on {@code (seed, epoch, s)}. So a run restarted with
 * {@link #seek(int, int)} at the epoch and step it had reached sees exactly the batches it would
 * have seen, without replaying the earlier ones.
 *
 * <p>Each step fills a preallocated {@code [B, C, H, W]} tensor and label array (no allocation
 * per step). The returned {@link Batch} is reused: read it before calling {@link #next()} again.
 *
 * <p>Last partial batch: with {@link LastBatch#DROP} (the usual choice for training, as in the
 * paper's code) the {@code N mod B} examples left over after the last full batch are skipped that
 * epoch — different ones each epoch, since the order changes. With {@link LastBatch#KEEP} (for
 * evaluation) they form one final smaller batch, filled into a second preallocated tensor
 * {@code [N mod B, C, H, W]}.
 */
public final class BatchIterator {
    /** What to do with the examples that do not fill a whole last batch. */
    public enum LastBatch { DROP, KEEP }

    /** One minibatch: {@code images [size, C, H, W]} and {@code labels[0 .. size)}. */
    public static final class Batch {
        private final Tensor images;
        private final int[] labels;
        private int epoch;
        private int step;

        Batch(Tensor images) {
            this.images = images;
            this.labels = new int[images.dim(0)];
        }

        public Tensor images() {
            return images;
        }

        public int[] labels() {
            return labels;
        }

        /** Number of examples in this batch. */
        public int size() {
            return labels.length;
        }

        public int epoch() {
            return epoch;
        }

        public int step() {
            return step;
        }
    }

    private static final long ORDER_STREAM = 0x6f72646572L;
    private static final long AUGMENT_STREAM = 0x6175676dL;

    private final Dataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final LastBatch last;
    private final Augmentation augmentation;
    private final Batch full;
    private Batch partial;
    private final float[] scratch;

    private int epoch = -1;
    private int step;
    private int[] order;

    /**
     * @param shuffle false to visit examples in dataset order (evaluation)
     * @param augmentation applied to each example as it is copied in, or {@link Augmentation#NONE}
     */
    public BatchIterator(Dataset data, int batchSize, boolean shuffle, long seed, LastBatch last, Augmentation augmentation) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        if (last == LastBatch.DROP && batchSize > data.size()) {
            throw new IllegalArgumentException("batch size " + batchSize + " exceeds the " + data.size()
                    + " examples of " + data.name() + ": with LastBatch.DROP no batch would ever be produced");
        }
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.last = last;
        this.augmentation = augmentation;
        this.full = new Batch(Tensor.zeros(batchSize, data.channels(), data.height(), data.width()));
        this.scratch = new float[data.imageSize()];
    }

    /** Steps in every epoch (the same for all epochs). */
    public int stepsPerEpoch() {
        int n = data.size();
        return last == LastBatch.DROP ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** Example indices in the order epoch {@code epoch} visits them. */
    public int[] order(int epoch) {
        int n = data.size();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        if (shuffle) {
            SplittableRandom rng = new SplittableRandom(mix(seed, ORDER_STREAM, epoch));
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
        }
        return idx;
    }

    /** Positions the iterator so that the next batch is step {@code step} of epoch {@code epoch}. */
    public void seek(int epoch, int step) {
        if (epoch < 0 || step < 0 || step > stepsPerEpoch()) {
            throw new IllegalArgumentException("cannot seek to epoch " + epoch + ", step " + step + ": an epoch has "
                    + stepsPerEpoch() + " steps");
        }
        if (epoch != this.epoch) {
            this.order = order(epoch);
            this.epoch = epoch;
        }
        this.step = step;
    }

    /** Starts epoch {@code epoch} at its first step. */
    public void startEpoch(int epoch) {
        seek(epoch, 0);
    }

    /** The epoch being iterated (-1 before the first {@link #startEpoch}). */
    public int epoch() {
        return epoch;
    }

    /** The step the next call to {@link #next()} returns. */
    public int nextStep() {
        return step;
    }

    /** True while the current epoch has batches left. */
    public boolean hasNext() {
        return epoch >= 0 && step < stepsPerEpoch();
    }

    /** Fills and returns the next batch of the current epoch. */
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException(epoch < 0 ? "call startEpoch(e) or seek(e, s) first"
                    : "epoch " + epoch + " has only " + stepsPerEpoch() + " steps");
        }
        int start = step * batchSize;
        int count = Math.min(batchSize, data.size() - start);
        Batch b = count == batchSize ? full : partialBatch(count);
        int d = data.imageSize();
        float[] src = data.images().data();
        float[] dst = b.images.data();
        int[] labels = data.labels();
        SplittableRandom rng = augmentation.isNone() ? null
                : new SplittableRandom(mix(seed, AUGMENT_STREAM, ((long) epoch << 32) | step));
        for (int i = 0; i < count; i++) {
            int ex = order[start + i];
            System.arraycopy(src, ex * d, dst, i * d, d);
            b.labels[i] = labels[ex];
            if (rng != null) {
                augmentation.apply(dst, i * d, data.channels(), data.height(), data.width(), rng, scratch);
            }
        }
        b.epoch = epoch;
        b.step = step;
        step++;
        return b;
    }

    private Batch partialBatch(int count) {
        if (partial == null) {
            partial = new Batch(Tensor.zeros(count, data.channels(), data.height(), data.width()));
        }
        return partial;
    }

    /** SplitMix64's finaliser over the three inputs: independent streams per (seed, purpose, index). */
    static long mix(long seed, long stream, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + stream;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z += index * 0xD1B54A32D192ED03L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
