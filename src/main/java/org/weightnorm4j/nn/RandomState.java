package org.weightnorm4j.nn;

/**
 * A layer that draws random numbers in training (dropout masks, input noise), made reproducible
 * and resumable.
 *
 * <p>Each training forward pass draws from its own stream, derived from the pair
 * ({@linkplain #randomSeed() seed}, {@linkplain #randomCounter() call counter}) by
 * {@link RandomStreams#forCall(long, long)} (split into fixed blocks that the threads draw in
 * parallel by the package's {@code RandomLayer}), and then advances the counter by one. The draw of call
 * {@code k} therefore depends only on the seed and {@code k}, never on how many numbers earlier
 * calls consumed. A checkpoint saves the counter; restoring it resumes the exact sequence of
 * masks, and a gradient checker that resets it replays the same draw for every perturbed forward.
 */
public interface RandomState {

    /** The seed this layer's streams derive from (configuration, not state). */
    long randomSeed();

    /**
     * Replaces the seed. {@link Sequential.Builder#seed(long)} calls this so that two random
     * layers of one model never share a stream.
     */
    void setRandomSeed(long seed);

    /** The counter of the next training call, i.e. how many random draws this layer has made. */
    long randomCounter();

    /** Restores the counter, e.g. from a checkpoint; the next training call draws stream {@code counter}. */
    void setRandomCounter(long counter);
}
