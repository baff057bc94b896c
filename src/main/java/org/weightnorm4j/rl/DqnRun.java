package org.weightnorm4j.rl;

import java.util.Arrays;

/**
 * A DQN training run on one game, frame by frame, as MinAtar's {@code dqn.py} runs it: choose an
 * ε-greedy action, step the environment, store the transition, and once more than
 * {@link DqnConfig#learningStarts} frames have been played, one update per frame. An episode's end
 * resets the environment. Everything here, with the {@link DqnAgent}, is what a
 * {@link DqnCheckpoint} saves, so a restored run continues bit-identically.
 */
public final class DqnRun {
    /** What the run reports as it goes. */
    public interface Listener {
        /** An episode ended at {@code frame} (frames played so far, this one included). */
        default void episode(long frame, int episode, int ret, int length) {
        }

        /** A statistics window of {@code frames} frames ended: the mean loss and mean Q(s, a) of its updates (NaN if none). */
        default void window(long frame, double meanLoss, double meanQ) {
        }
    }

    private final Environment env;
    private final DqnAgent agent;
    private final DqnConfig config;
    private final int windowFrames;
    private final float[] obs;
    private final float[] next;
    private long frame;
    private int episodes;
    private int episodeReturn;
    private int episodeLength;
    private int[] returns = new int[1024];
    private double windowLoss;
    private double windowQ;
    private int windowUpdates;

    /**
     * @param windowFrames frames per statistics window ({@link Listener#window}), e.g. 10,000
     */
    public DqnRun(Environment env, DqnAgent agent, int windowFrames) {
        this.env = env;
        this.agent = agent;
        this.config = agent.config();
        this.windowFrames = windowFrames;
        this.obs = new float[env.numChannels() * Environment.CELLS];
        this.next = new float[obs.length];
        env.observe(obs);
    }

    /** Plays frames until {@code untilFrame} frames have been played in all. */
    public void runUntil(long untilFrame, Listener listener) {
        while (frame < untilFrame) {
            int action = agent.act(obs, config.epsilon(frame));
            int reward = env.step(action);
            boolean done = env.terminal();
            env.observe(next);
            agent.memory().add(obs, action, reward, next, done);
            frame++;
            episodeReturn += reward;
            episodeLength++;
            if (frame > config.learningStarts()) {
                windowLoss += agent.learn();
                windowQ += agent.lastMeanQ();
                windowUpdates++;
            }
            if (done) {
                if (episodes == returns.length) {
                    returns = Arrays.copyOf(returns, returns.length * 2);
                }
                returns[episodes++] = episodeReturn;
                listener.episode(frame, episodes, episodeReturn, episodeLength);
                episodeReturn = 0;
                episodeLength = 0;
                env.reset();
                env.observe(obs);
            } else {
                System.arraycopy(next, 0, obs, 0, obs.length);
            }
            if (frame % windowFrames == 0) {
                listener.window(frame, windowLoss / windowUpdates, windowQ / windowUpdates);
                windowLoss = 0;
                windowQ = 0;
                windowUpdates = 0;
            }
        }
    }

    public long frame() {
        return frame;
    }

    public int episodes() {
        return episodes;
    }

    public Environment environment() {
        return env;
    }

    public DqnAgent agent() {
        return agent;
    }

    /** The returns of the finished episodes, in order (a copy). */
    public int[] returns() {
        return Arrays.copyOf(returns, episodes);
    }

    /** The mean return of the last {@code n} finished episodes (fewer at the start; NaN before the first). */
    public double meanReturnOfLast(int n) {
        int from = Math.max(0, episodes - n);
        if (episodes == from) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = from; i < episodes; i++) {
            sum += returns[i];
        }
        return sum / (episodes - from);
    }

    /** The largest return of a finished episode (NaN before the first). */
    public double maxReturn() {
        return episodes == 0 ? Double.NaN : Arrays.stream(returns, 0, episodes).max().orElseThrow();
    }

    // The loop's own state, for DqnCheckpoint (package-private: only it restores a run).
    int episodeReturn() {
        return episodeReturn;
    }

    int episodeLength() {
        return episodeLength;
    }

    double[] window() {
        return new double[] {windowLoss, windowQ, windowUpdates};
    }

    void restore(long frame, int[] finishedReturns, int episodeReturn, int episodeLength, double windowLoss, double windowQ,
                 int windowUpdates) {
        this.frame = frame;
        this.episodes = finishedReturns.length;
        this.returns = Arrays.copyOf(finishedReturns, Math.max(1024, finishedReturns.length * 2));
        this.episodeReturn = episodeReturn;
        this.episodeLength = episodeLength;
        this.windowLoss = windowLoss;
        this.windowQ = windowQ;
        this.windowUpdates = windowUpdates;
        env.observe(obs);
    }
}
