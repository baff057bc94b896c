package org.weightnorm4j.nn;

/**
 * The seed and call counter that {@link Dropout} and {@link GaussianNoise} share, with the
 * {@link RandomState} accessors a checkpoint uses to save and restore them.
 *
 * <p>A subclass asks {@link #nextCallKey()} once per training forward pass: the key identifies
 * call {@code k} of this layer ({@link RandomBlocks#callKey}), and the counter moves on, so the
 * counter is the only state there is to save.
 */
abstract class RandomLayer implements Layer, RandomState {
    private long seed;
    private long counter;

    RandomLayer(long seed) {
        this.seed = seed;
    }

    /** The key of this training call's draws; advances the counter by one. */
    final long nextCallKey() {
        return RandomBlocks.callKey(seed, counter++);
    }

    @Override
    public final long randomSeed() {
        return seed;
    }

    @Override
    public final void setRandomSeed(long seed) {
        this.seed = seed;
    }

    @Override
    public final long randomCounter() {
        return counter;
    }

    @Override
    public final void setRandomCounter(long counter) {
        if (counter < 0) {
            throw new IllegalArgumentException(describe() + ": random counter must be non-negative, got " + counter);
        }
        this.counter = counter;
    }
}
