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

    /**
     * Where a run's wall time goes, frame by frame (for {@code weightnorm bench dqn-loop}): nanoseconds
     * summed per phase since {@link DqnRun#timePhases} was called. Timing reads the clock, nothing
     * else: a timed run plays exactly the same frames.
     */
    public static final class PhaseTimes {
        /** ε-greedy action choice (a batch-1 forward of the online network when greedy). */
        public long act;
        /** {@code env.step} and writing the next observation. */
        public long env;
        /** Storing the transition in the replay memory. */
        public long store;
        /** Drawing and unpacking the minibatch ({@link ReplayMemory#sample}). */
        public long sample;
        /** The update: target forward, train step, target sync (and data-dependent init once). */
        public long update;
        /** The rest: episode bookkeeping, reset, listeners (CSV rows, statistics windows). */
        public long other;
        /** Frames timed, and how many of them made an update. */
        public long frames;
        public long updates;
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
    private PhaseTimes phases;

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

    /** Starts summing the wall time of each phase into {@code into} (null stops). */
    public void timePhases(PhaseTimes into) {
        this.phases = into;
    }

    /** Plays frames until {@code untilFrame} frames have been played in all. */
    public void runUntil(long untilFrame, Listener listener) {
        if (phases != null) {
            runTimedUntil(untilFrame, listener);
            return;
        }
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
            endFrame(done, listener);
        }
    }

    /**
     * {@link #runUntil} with the clock read between phases: the same calls in the same order (a
     * test checks that a timed run ends bit-identical to an untimed one).
     */
    private void runTimedUntil(long untilFrame, Listener listener) {
        PhaseTimes t = phases;
        while (frame < untilFrame) {
            long t0 = System.nanoTime();
            int action = agent.act(obs, config.epsilon(frame));
            long t1 = System.nanoTime();
            int reward = env.step(action);
            boolean done = env.terminal();
            env.observe(next);
            long t2 = System.nanoTime();
            agent.memory().add(obs, action, reward, next, done);
            long t3 = System.nanoTime();
            frame++;
            episodeReturn += reward;
            episodeLength++;
            long t4 = t3;
            long t5 = t3;
            if (frame > config.learningStarts()) {
                agent.drawMinibatch();
                t4 = System.nanoTime();
                windowLoss += agent.updateOnDrawn();
                windowQ += agent.lastMeanQ();
                windowUpdates++;
                t5 = System.nanoTime();
                t.updates++;
            }
            endFrame(done, listener);
            long t6 = System.nanoTime();
            t.act += t1 - t0;
            t.env += t2 - t1;
            t.store += t3 - t2;
            t.sample += t4 - t3;
            t.update += t5 - t4;
            t.other += t6 - t5;
            t.frames++;
        }
    }

    /** The end of a frame: episode bookkeeping and reset, the next observation, the statistics window. */
    private void endFrame(boolean done, Listener listener) {
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
