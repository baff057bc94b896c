package org.weightnorm4j.nn;

import java.util.function.IntConsumer;
import org.weightnorm4j.tensor.Tensor;

/**
 * The seed and call counter that {@link Dropout} and {@link GaussianNoise} share, with the
 * {@link RandomState} accessors a checkpoint uses to save and restore them, and the running of a
 * training call's draws over {@link RandomBlocks blocks} on several threads.
 *
 * <p>Each training forward pass calls {@link #drawInBlocks} once: the call's {@link #key()}
 * identifies call {@code k} of this layer ({@link RandomBlocks#callKey}), and the counter moves
 * on, so the counter is the only state there is to save.
 */
abstract class RandomLayer implements Layer, RandomState {
    private long seed;
    private long counter;
    /** The input and key of the call in progress, read by the block task; the input is not kept after it. */
    private Tensor input;
    private long key;

    RandomLayer(long seed) {
        this.seed = seed;
    }

    /**
     * Starts training call number {@link #randomCounter()} on {@code x}: advances the counter and
     * runs {@code block.accept(b)} for every block {@code b} of {@code x}'s elements, spread over the
     * threads; {@link #input()} and {@link #key()} tell the block task the call's input and key.
     * Bind {@code block} once (a field), so that a call allocates nothing.
     */
    final void drawInBlocks(Tensor x, IntConsumer block) {
        input = x;
        key = RandomBlocks.callKey(seed, counter++);
        try {
            RandomBlocks.run(x.size(), block);
        } finally {
            input = null;
        }
    }

    /** The input of the call in progress (only during {@link #drawInBlocks}). */
    final Tensor input() {
        return input;
    }

    /** The key of the call in progress: what its draws derive from. */
    final long key() {
        return key;
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
