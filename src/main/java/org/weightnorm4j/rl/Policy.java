package org.weightnorm4j.rl;

/**
 * Chooses actions from observations: the random policy, a recorded action list, and (with the DQN
 * work) a trained agent. {@code weightnorm play} drives any of them.
 */
public interface Policy {
    /** Returned by {@link #act} when the policy has no more actions (a recorded list ran out). */
    int END = -1;

    /**
     * The action (0-5, MinAtar's order) for the observation {@code [C, 10, 10]} written by
     * {@link Environment#observe(float[])}, or {@link #END}.
     */
    int act(float[] observation);

    /** Called at the start of each episode; the default does nothing. */
    default void startEpisode() {
    }
}
