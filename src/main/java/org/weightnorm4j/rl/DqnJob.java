package org.weightnorm4j.rl;

import java.nio.file.Path;
import java.util.Locale;

/**
 * One DQN training run as a value: the game, the settings, the seed and how long. Everything a
 * {@link DqnTraining} needs to run it into a directory, so that a grid ({@code weightnorm dqn
 * compare}) is a list of these, and each can run anywhere (a thread, a process, a cluster task).
 *
 * @param game            a MinAtar game name ({@link MinAtar#GAMES})
 * @param config          the agent's settings
 * @param seed            seeds the game, the network and the agent's draws
 * @param frames          frames to train for in all (a resumed run continues to this count)
 * @param window          frames per row of {@code training.csv}
 * @param checkpointEvery frames between checkpoints
 */
public record DqnJob(String game, DqnConfig config, long seed, long frames, int window, long checkpointEvery)
        implements java.io.Serializable {

    public DqnJob {
        game = MinAtar.canonicalName(game);
        if (!MinAtar.GAMES.contains(game)) {
            throw new IllegalArgumentException("unknown game '" + game + "'; the games are " + MinAtar.GAMES);
        }
        if (frames < 1 || window < 1 || checkpointEvery < 1) {
            throw new IllegalArgumentException("frames, window and checkpoint interval must be >= 1, got " + frames + ", "
                    + window + ", " + checkpointEvery);
        }
    }

    /** A job with MinAtar's window (10,000 frames) and checkpoint interval (50,000 frames). */
    public static DqnJob of(String game, DqnConfig config, long seed, long frames) {
        return new DqnJob(game, config, seed, frames, 10_000, 50_000);
    }

    /** The run's directory name in a grid: {@code GAME-PARAM-sSEED}, e.g. {@code breakout-wn-s1}. */
    public String directoryName() {
        return String.format(Locale.ROOT, "%s-%s-s%d", game, config.param().cliName(), seed);
    }

    /** {@code base/}{@link #directoryName()}. */
    public Path directoryIn(Path base) {
        return base.resolve(directoryName());
    }
}
