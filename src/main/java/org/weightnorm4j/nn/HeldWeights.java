package org.weightnorm4j.nn;

/**
 * Holds the weights of every {@link Dense} layer of a model constant ({@link Dense#holdWeights}),
 * or releases them: for a network that is forwarded many times between rare changes of its
 * weights, such as DQN's target network between syncs. Forwards give the same bits either way.
 *
 * <p>Whoever holds must {@link #release} (or hold again) whenever the weights change: a held
 * layer forwards with the values it had when held.
 */
public final class HeldWeights {
    private HeldWeights() {
    }

    /** {@link Dense#holdWeights} on every dense layer of {@code root}, taking the weights as they are now. */
    public static void hold(Layer root) {
        for (Layer leaf : ModelTree.leaves(root).values()) {
            if (leaf instanceof Dense d) {
                d.holdWeights();
            }
        }
    }

    /** {@link Dense#releaseWeights} on every dense layer of {@code root}. */
    public static void release(Layer root) {
        for (Layer leaf : ModelTree.leaves(root).values()) {
            if (leaf instanceof Dense d) {
                d.releaseWeights();
            }
        }
    }
}
