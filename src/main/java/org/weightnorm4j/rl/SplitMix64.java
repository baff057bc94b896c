package org.weightnorm4j.rl;

/**
 * The games' random generator: SplitMix64 (Steele, Lea and Flood 2014), whose whole state is one
 * {@code long}, so an environment's state can be saved and restored exactly and drawing allocates
 * nothing. MinAtar draws from numpy's Mersenne Twister; the numbers differ, the probabilities do not.
 */
public final class SplitMix64 {
    private static final long GAMMA = 0x9E3779B97F4A7C15L;
    private long state;

    /** A generator whose stream is fixed by {@code seed}. */
    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** The whole state, for {@link #setState(long)}. */
    public long state() {
        return state;
    }

    /** Continues exactly where the generator that reported {@code s} stood. */
    public void setState(long s) {
        this.state = s;
    }

    /** 64 uniformly random bits. */
    public long nextLong() {
        long z = state += GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 53 random bits: the counterpart of numpy's {@code rand()}. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound), without modulo bias: the counterpart of numpy's {@code randint(bound)}. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        // Rejection on 31 random bits, as java.util.Random does: drop the last partial block of
        // size bound so every residue is equally likely.
        while (true) {
            int bits = (int) (nextLong() >>> 33);
            int value = bits % bound;
            if (bits - value + (bound - 1) >= 0) {
                return value;
            }
        }
    }
}
