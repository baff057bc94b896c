package org.weightnorm4j.nn;

import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.weightnorm4j.tensor.Parallel;

/**
 * Random draws over a tensor split into fixed blocks of {@value #BLOCK} elements that
 * {@link Parallel} runs on several threads, with every element's value independent of the number
 * of threads and of which thread drew it.
 *
 * <p>Two ways to make a draw depend on the element and not on the thread:
 * <ul>
 *   <li>{@link #bits53(long, long)}: a counter-based hash of (call key, element index), for layers
 *       that need one uniform number per element (dropout). It is SplitMix64 (Steele, Lea &amp;
 *       Flood 2014), the generator inside {@link SplittableRandom}: element {@code i} gets the
 *       {@code (i+1)}-th {@code nextLong} of {@code new SplittableRandom(key)}, so the masks equal
 *       those of a single sequential stream seeded with the key, while any element can be computed
 *       on its own.</li>
 *   <li>{@link #blockStream(long, int)}: one {@link SplittableRandom} per block, for draws that use
 *       a variable count of numbers per element ({@code nextGaussian}'s ziggurat); block
 *       {@code b}'s stream depends only on the call key and {@code b}, and the block size is a
 *       constant, so 1, 2 or 3 threads give the same bits.</li>
 * </ul>
 */
final class RandomBlocks {
    /** Elements per block; part of the definition of the streams, so it must never depend on the thread count. */
    static final int BLOCK = 4096;

    /** SplitMix64's increment, the one {@code new SplittableRandom(seed)} uses. */
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private RandomBlocks() {
    }

    /**
     * The key of training call {@code counter} of a layer seeded with {@code seed}: the seed of
     * {@link RandomStreams#forCall(long, long)}'s generator (neighbouring pairs give unrelated keys).
     */
    static long callKey(long seed, long counter) {
        return RandomStreams.mix64(seed ^ RandomStreams.mix64(counter + GOLDEN_GAMMA));
    }

    /**
     * 53 uniformly distributed bits for element {@code index} of the call with key {@code key};
     * {@code bits53 * 2^-53} is what {@code nextDouble()} of that call's generator would have returned
     * as its {@code (index+1)}-th number.
     */
    static long bits53(long key, long index) {
        return bits53OfState(state(key, index));
    }

    /**
     * SplitMix64's state for element {@code index} of the call with key {@code key}: the generator's
     * state after {@code index + 1} steps. A loop over consecutive elements starts here and steps
     * with {@link #nextState}, an addition instead of {@link #bits53}'s multiplication per element.
     */
    static long state(long key, long index) {
        return key + GOLDEN_GAMMA * (index + 1);
    }

    /** The state of the next element: SplitMix64 advances by adding its increment. */
    static long nextState(long state) {
        return state + GOLDEN_GAMMA;
    }

    /** The 53 uniform bits drawn from {@code state}: {@code bits53(key, i) == bits53OfState(state(key, i))}. */
    static long bits53OfState(long state) {
        return RandomStreams.mix64(state) >>> 11;
    }

    /** The generator of block {@code block} (elements {@code [block·BLOCK, (block+1)·BLOCK)}) of the call with key {@code key}. */
    static SplittableRandom blockStream(long key, int block) {
        return new SplittableRandom(RandomStreams.derive(key, block));
    }

    /** The number of blocks that cover {@code n} elements. */
    static int blocks(int n) {
        return (n + BLOCK - 1) / BLOCK;
    }

    /** Runs {@code body.accept(b)} for every block {@code b} of {@code n} elements, spread over the threads. */
    static void run(int n, IntConsumer body) {
        Parallel.run(blocks(n), body);
    }

    /** The first element of block {@code block}. */
    static int start(int block) {
        return block * BLOCK;
    }

    /** One past the last element of block {@code block} of {@code n} elements. */
    static int end(int block, int n) {
        return (int) Math.min(n, (block + 1L) * BLOCK);
    }
}
