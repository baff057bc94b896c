package org.weightnorm4j.rl;

import java.util.List;
import org.weightnorm4j.tensor.Tensor;

/**
 * A MinAtar-style game: a 10 by 10 grid seen as {@code C} binary channels, six actions, an integer
 * reward per step, and a terminal flag.
 *
 * <p>Actions are numbered in MinAtar's order: {@link #NOOP} 0, {@link #LEFT} 1, {@link #UP} 2,
 * {@link #RIGHT} 3, {@link #DOWN} 4, {@link #FIRE} 5. Observations are written channel-major,
 * {@code [C, 10, 10]}: the cell (row, column) of channel c is element {@code c*100 + row*10 + column},
 * row 0 at the top. Stepping and observing allocate nothing.
 */
public interface Environment {
    /** Grid side. */
    int SIZE = 10;
    /** Cells per channel. */
    int CELLS = SIZE * SIZE;
    /** Every MinAtar game has these six actions. */
    int NUM_ACTIONS = 6;
    int NOOP = 0;
    int LEFT = 1;
    int UP = 2;
    int RIGHT = 3;
    int DOWN = 4;
    int FIRE = 5;
    /** MinAtar's one-letter action names, in action order. */
    List<String> ACTION_NAMES = List.of("n", "l", "u", "r", "d", "f");

    /** MinAtar's name of the game, e.g. {@code space_invaders}. */
    String name();

    /** Number of observation channels. */
    int numChannels();

    /** The channels' names in MinAtar's order. */
    List<String> channelNames();

    /** The actions that have a distinct effect in this game (MinAtar's {@code minimal_action_set}). */
    int[] minimalActionSet();

    /** Starts a new episode. */
    void reset();

    /**
     * Plays one frame: with the sticky-action probability the previous action is repeated instead of
     * {@code action}; returns the reward. After the terminal frame it does nothing and returns 0.
     */
    int step(int action);

    /** The action the last step actually played: its argument, or the previous action if it stuck. */
    int lastAction();

    /** Whether the episode has ended. */
    boolean terminal();

    /** Frames played since the last {@link #reset()} (a step on a finished episode does not count). */
    int frames();

    /**
     * The difficulty level reached (MinAtar's {@code difficulty_ramp()}), or -1 for a game that does
     * not ramp (Breakout, Freeway).
     */
    int difficultyRamp();

    /** The probability that a step repeats the previous action. */
    double stickyActionProbability();

    /** Whether difficulty ramping is on. */
    boolean difficultyRamping();

    /** Writes the {@code C*100} values of the observation, 0 or 1, into {@code out} from {@code offset}. */
    void observe(float[] out, int offset);

    /** Writes the observation into {@code out[0 .. C*100)}. */
    default void observe(float[] out) {
        observe(out, 0);
    }

    /** Writes the observation into a float32 tensor of shape {@code [C, 10, 10]}. */
    default void observe(Tensor out) {
        out.requireShape("observation", numChannels(), SIZE, SIZE);
        observe(out.data(), 0);
    }

    /** A new {@code [C, 10, 10]} tensor holding the observation. */
    default Tensor observation() {
        Tensor t = Tensor.zeros(numChannels(), SIZE, SIZE);
        observe(t);
        return t;
    }

    /** Everything needed to continue this environment exactly: game state, settings and random state. */
    EnvironmentState saveState();

    /** Puts this environment back where {@code state} was saved; it must come from the same game. */
    void restoreState(EnvironmentState state);
}
