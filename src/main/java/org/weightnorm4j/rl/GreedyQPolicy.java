package org.weightnorm4j.rl;

import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.tensor.Tensor;

/**
 * A trained Q-network as a {@link Policy}: ε-greedy over its {@code Q(s, ·)} (evaluation mode), with
 * its own seeded generator. {@code weightnorm play --checkpoint} uses ε = {@value #PLAY_EPSILON}, the
 * small exploration rate of DQN's evaluation protocol (Mnih et al. 2015 evaluate with 0.05; MinAtar
 * reports training returns), so that an agent stuck in a loop (Breakout's paddle waiting for a ball
 * that never comes, with sticky actions off) still ends its episode.
 */
public final class GreedyQPolicy implements Policy {
    /** The default exploration rate of a played-back agent. */
    public static final double PLAY_EPSILON = 0.01;

    private final Sequential network;
    private final Tensor single;
    private final int cells;
    private final double epsilon;
    private final SplitMix64 rng;

    /**
     * @param network  the online network of a DQN run ({@link DqnCheckpoint#readTrained})
     * @param channels its input channels
     * @param epsilon  probability of a uniform action instead of the greedy one
     * @param seed     seeds the ε draws
     */
    public GreedyQPolicy(Sequential network, int channels, double epsilon, long seed) {
        if (!(epsilon >= 0 && epsilon <= 1)) {
            throw new IllegalArgumentException("epsilon must be in [0, 1], got " + epsilon);
        }
        this.network = network;
        this.single = Tensor.zeros(1, channels, Environment.SIZE, Environment.SIZE);
        this.cells = channels * Environment.CELLS;
        this.epsilon = epsilon;
        this.rng = new SplitMix64(seed);
    }

    @Override
    public int act(float[] observation) {
        // Always one draw for the coin, so the stream's position does not depend on the network.
        if (rng.nextDouble() < epsilon) {
            return rng.nextInt(Environment.NUM_ACTIONS);
        }
        return greedy(network, single, observation, cells);
    }

    /**
     * The first of the largest {@code Q(s, ·)} of {@code network} in evaluation mode, for one
     * observation copied into {@code single} ({@code [1, C, 10, 10]}).
     */
    static int greedy(Sequential network, Tensor single, float[] observation, int cells) {
        System.arraycopy(observation, 0, single.data(), 0, cells);
        float[] q = network.forward(single, Mode.EVAL).data();
        int best = 0;
        for (int a = 1; a < Environment.NUM_ACTIONS; a++) {
            if (q[a] > q[best]) {
                best = a;
            }
        }
        return best;
    }
}
