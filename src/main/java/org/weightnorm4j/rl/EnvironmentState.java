package org.weightnorm4j.rl;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * A saved environment: the game's name, the settings, the random generator's state, the last action
 * (for sticky actions) and the game's own state as integers. Immutable; {@link #write} and
 * {@link #read} put it into a checkpoint.
 *
 * @param game MinAtar's name of the game
 * @param stickyActionProbability the sticky-action probability
 * @param ramping whether difficulty ramping is on
 * @param rngState the generator's state
 * @param lastAction the action a sticky step repeats
 * @param frames frames since the last reset
 * @param gameState the game's state, in the game's own layout
 */
public record EnvironmentState(String game, double stickyActionProbability, boolean ramping, long rngState,
        int lastAction, int frames, int[] gameState) {
    private static final int FORMAT = 1;

    public EnvironmentState {
        gameState = gameState.clone();
    }

    @Override
    public int[] gameState() {
        return gameState.clone();
    }

    /** Writes this state in a versioned binary layout. */
    public void write(DataOutput out) throws IOException {
        out.writeInt(FORMAT);
        out.writeUTF(game);
        out.writeDouble(stickyActionProbability);
        out.writeBoolean(ramping);
        out.writeLong(rngState);
        out.writeInt(lastAction);
        out.writeInt(frames);
        out.writeInt(gameState.length);
        for (int v : gameState) {
            out.writeInt(v);
        }
    }

    /** Reads a state written by {@link #write}. */
    public static EnvironmentState read(DataInput in) throws IOException {
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException("unknown environment state format " + format);
        }
        String game = in.readUTF();
        double sticky = in.readDouble();
        boolean ramping = in.readBoolean();
        long rng = in.readLong();
        int last = in.readInt();
        int frames = in.readInt();
        int n = in.readInt();
        if (n < 0 || n > 1 << 20) {
            throw new IOException("implausible environment state length " + n);
        }
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readInt();
        }
        return new EnvironmentState(game, sticky, ramping, rng, last, frames, values);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnvironmentState s && game.equals(s.game)
                && Double.compare(stickyActionProbability, s.stickyActionProbability) == 0 && ramping == s.ramping
                && rngState == s.rngState && lastAction == s.lastAction && frames == s.frames
                && Arrays.equals(gameState, s.gameState);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(gameState) + Long.hashCode(rngState) + game.hashCode();
    }

    @Override
    public String toString() {
        return "EnvironmentState[" + game + ", frames " + frames + ", " + gameState.length + " values]";
    }
}
