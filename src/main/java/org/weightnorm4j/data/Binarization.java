package org.weightnorm4j.data;

import java.util.SplittableRandom;
import org.weightnorm4j.nn.RandomStreams;
import org.weightnorm4j.tensor.Tensor;

/**
 * Binarized MNIST for a Bernoulli decoder: every pixel intensity {@code p ∈ [0, 1]} becomes 1 with
 * probability {@code p} and 0 otherwise.
 * <ul>
 *   <li><b>Dynamic</b> (training): a fresh draw every epoch. Pixel {@code j} of example {@code e} in
 *       epoch {@code t} is {@code 1} iff {@code u < p}, where {@code u} is the {@code j}-th
 *       {@code nextDouble()} of a generator seeded by ({@code seed}, {@code t}, {@code e}) alone. So
 *       the draw does not depend on batch size, shuffling, thread count or what came before: a
 *       resumed run binarizes exactly as an uninterrupted one.</li>
 *   <li><b>Fixed</b> (evaluation): one seeded draw of the test set, the same every epoch and every
 *       run with that seed, so test bounds are comparable.</li>
 * </ul>
 * This is not the binarized MNIST of Larochelle &amp; Murray (2011), the fixed split most VAE
 * papers report on: that file set is not obtainable here (see docs/DATA.md).
 */
public final class Binarization {
    /** The "epoch" of the fixed test binarization: no training epoch is negative, so it never collides. */
    static final long FIXED_EPOCH = -1;

    private Binarization() {
    }

    /**
     * Binarizes the rows of {@code images} ({@code [B, ...]}, intensities in [0, 1]) into {@code out}
     * (same shape and type): row {@code i} is example {@code exampleIds[i]} of the dataset, drawn for
     * {@code epoch} (≥ 0).
     */
    public static void dynamic(Tensor images, int[] exampleIds, long seed, long epoch, Tensor out) {
        if (epoch < 0) {
            throw new IllegalArgumentException("binarization: epoch must be >= 0, got " + epoch);
        }
        draw(images, exampleIds, seed, epoch, out);
    }

    /** One fixed binarization of a whole set of images (example {@code i} is row {@code i}), for evaluation. */
    public static Tensor fixed(Tensor images, long seed) {
        int[] ids = new int[images.dim(0)];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        Tensor out = images.zerosLike(images.shape());
        draw(images, ids, seed, FIXED_EPOCH, out);
        return out;
    }

    /** {@link #fixed(Tensor, long)} of a dataset's images, as a dataset with the same labels. */
    public static Dataset fixed(Dataset data, long seed) {
        return new Dataset(data.name() + " (binarized, seed " + seed + ")", fixed(data.images(), seed), data.labels(),
                data.classNames());
    }

    private static void draw(Tensor images, int[] ids, long seed, long epoch, Tensor out) {
        images.requireSameShape("binarization (images vs out)", out);
        int n = images.dim(0);
        if (ids.length != n) {
            throw new IllegalArgumentException("binarization: " + ids.length + " example ids for " + n + " images");
        }
        int p = images.size() / Math.max(n, 1);
        long epochSeed = RandomStreams.derive(seed, epoch);
        for (int i = 0; i < n; i++) {
            SplittableRandom rng = new SplittableRandom(RandomStreams.derive(epochSeed, ids[i])); // stream (seed, epoch, example)
            for (int j = i * p; j < (i + 1) * p; j++) {
                double intensity = images.get(j);
                if (!(intensity >= 0 && intensity <= 1)) {
                    throw new IllegalArgumentException("binarization: pixel " + (j - i * p) + " of example " + ids[i]
                            + " is " + intensity + ", not a probability in [0, 1]");
                }
                out.set(j, rng.nextDouble() < intensity ? 1 : 0);    // Bernoulli(p): u < p with u ~ U[0, 1)
            }
        }
    }
}
