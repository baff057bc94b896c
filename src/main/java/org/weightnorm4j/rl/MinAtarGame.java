package org.weightnorm4j.rl;

import java.util.Arrays;
import java.util.List;

/**
 * What the five games share: MinAtar's environment wrapper (sticky actions, the seeded generator)
 * around a game's own {@link #act}. A subclass holds its state in primitive fields and fixed arrays
 * so that a step allocates nothing; the package-private fields are the tests' hooks for building
 * situations by hand.
 */
public abstract class MinAtarGame implements Environment {
    /** The generator every random event of this environment draws from, sticky actions included. */
    final SplitMix64 rng;
    private final String name;
    private final List<String> channels;
    private final int[] minimalActions;
    double stickyActionProbability;
    boolean ramping;
    /** MinAtar keeps the last action across resets: a sticky first step repeats the previous episode's last. */
    int lastAction = NOOP;
    boolean terminal;
    int frames;

    MinAtarGame(String name, List<String> channels, int[] minimalActions, long seed, double sticky, boolean ramping) {
        if (!(sticky >= 0 && sticky <= 1)) {
            throw new IllegalArgumentException("sticky-action probability must be in [0, 1]: " + sticky);
        }
        this.name = name;
        this.channels = List.copyOf(channels);
        this.minimalActions = minimalActions.clone();
        this.rng = new SplitMix64(seed);
        this.stickyActionProbability = sticky;
        this.ramping = ramping;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int numChannels() {
        return channels.size();
    }

    @Override
    public final List<String> channelNames() {
        return channels;
    }

    @Override
    public final int[] minimalActionSet() {
        return minimalActions.clone();
    }

    @Override
    public final double stickyActionProbability() {
        return stickyActionProbability;
    }

    @Override
    public final boolean difficultyRamping() {
        return ramping;
    }

    @Override
    public final boolean terminal() {
        return terminal;
    }

    @Override
    public final int lastAction() {
        return lastAction;
    }

    @Override
    public final int frames() {
        return frames;
    }

    @Override
    public final void reset() {
        terminal = false;
        frames = 0;
        resetGame();
    }

    @Override
    public final int step(int action) {
        if (action < 0 || action >= NUM_ACTIONS) {
            throw new IllegalArgumentException("action must be in 0.." + (NUM_ACTIONS - 1) + ": " + action);
        }
        // MinAtar's wrapper draws for stickiness on every call, even after the episode ended, and
        // remembers the action actually taken.
        if (rng.nextDouble() < stickyActionProbability) {
            action = lastAction;
        }
        lastAction = action;
        // Every game returns reward 0 and changes nothing once terminal.
        if (terminal) {
            return 0;
        }
        frames++;
        return act(action);
    }

    @Override
    public final void observe(float[] out, int offset) {
        Arrays.fill(out, offset, offset + channels.size() * CELLS, 0f);
        draw(out, offset);
    }

    /** Sets cell (row, column) of {@code channel} in an observation being drawn. */
    static void set(float[] out, int offset, int channel, int row, int column) {
        out[offset + channel * CELLS + row * SIZE + column] = 1f;
    }

    @Override
    public final EnvironmentState saveState() {
        StateWriter w = new StateWriter();
        w.put(terminal);
        writeGame(w);
        return new EnvironmentState(name, stickyActionProbability, ramping, rng.state(), lastAction, frames, w.toArray());
    }

    @Override
    public final void restoreState(EnvironmentState state) {
        if (!state.game().equals(name)) {
            throw new IllegalArgumentException("state of " + state.game() + " cannot be restored into " + name);
        }
        StateReader r = new StateReader(state.gameState());
        boolean t = r.getBoolean();
        readGame(r);
        r.requireEnd();
        terminal = t;
        stickyActionProbability = state.stickyActionProbability();
        ramping = state.ramping();
        rng.setState(state.rngState());
        lastAction = state.lastAction();
        frames = state.frames();
    }

    /** The game's own reset (MinAtar's {@code Env.reset}). */
    abstract void resetGame();

    /** One frame of the game with the action actually taken (MinAtar's {@code Env.act}); the reward. */
    abstract int act(int action);

    /** Sets the cells of a zeroed observation (MinAtar's {@code Env.state}, channel-major). */
    abstract void draw(float[] out, int offset);

    abstract void writeGame(StateWriter w);

    abstract void readGame(StateReader r);

    /** A rough reading of the state for debugging; allocates. */
    @Override
    public String toString() {
        return name + "[frames " + frames + (terminal ? ", terminal" : "") + "]";
    }
}
