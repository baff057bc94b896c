package org.weightnorm4j.rl;

/** Uniform over the six actions, from its own seeded generator (independent of the game's). */
public final class RandomPolicy implements Policy {
    private final SplitMix64 rng;

    public RandomPolicy(long seed) {
        this.rng = new SplitMix64(seed);
    }

    @Override
    public int act(float[] observation) {
        return rng.nextInt(Environment.NUM_ACTIONS);
    }
}
