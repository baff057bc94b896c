package org.weightnorm4j.nn;

import java.util.SplittableRandom;

/**
 * Counter-based random streams: the stream of call {@code counter} of a layer seeded with
 * {@code seed} is a {@link SplittableRandom} whose seed is a strong 64-bit mix of both numbers.
 *
 * <p>Why not one long-lived generator per layer? Its position after {@code k} calls depends on
 * how many numbers each call drew (i.e. on batch shapes), so resuming from a checkpoint would need
 * the generator's internal state. With a counter, the state is a single {@code long}.
 */
public final class RandomStreams {

    private RandomStreams() {
    }

    /** The generator for call number {@code counter} of a layer seeded with {@code seed}. */
    public static SplittableRandom forCall(long seed, long counter) {
        // Mix the counter first, then combine with the seed and mix again, so that neighbouring
        // (seed, counter) pairs such as (1, 0) and (0, 1) give unrelated streams.
        return new SplittableRandom(mix64(seed ^ mix64(counter + 0x9E3779B97F4A7C15L)));
    }

    /** Derives a child seed, e.g. one per module index of a {@link Sequential}. */
    public static long derive(long seed, long index) {
        return mix64(mix64(seed) + 0xD1B54A32D192ED03L * (index + 1));
    }

    /** The 64-bit finaliser of MurmurHash3 (Stafford's variant 13): a bijection with good avalanche. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
