package org.weightnorm4j.rl;

import java.util.Locale;
import org.weightnorm4j.norm.Parameterization;

/**
 * A DQN run's settings. {@link #baseline} is MinAtar's DQN (Young &amp; Tian 2019): replay memory
 * 100,000, learning from frame 5,000, one update per frame, minibatch 32, target network synced
 * every 1,000 updates, γ 0.99, ε from 1 to 0.1 over 100,000 frames, centred RMSprop (lr 2.5e-4,
 * α 0.95, ε 0.01). {@link #paperVariant} is the weight-normalization paper's (§5.4): Adamax with
 * β1 0.5, minibatch 64, the learning rate chosen per parameterization.
 *
 * @param optimizer       {@code rmsprop} or {@code adamax}
 * @param lr              the optimizer's learning rate
 * @param batch           minibatch size
 * @param replayCapacity  transitions the replay memory holds
 * @param learningStarts  frames played (uniformly at random) before the first update
 * @param targetSync      updates between copies of the online network into the target network
 * @param explorationFrames frames over which ε falls linearly from {@link #epsilonStart} to {@link #epsilonEnd}, counted from learningStarts
 */
public record DqnConfig(Parameterization param, String optimizer, double lr, int batch, int replayCapacity, int learningStarts,
                        int targetSync, double gamma, double epsilonStart, double epsilonEnd, int explorationFrames)
        implements java.io.Serializable {

    public static final double RMSPROP_LR = 2.5e-4;
    /** The paper's best Adamax learning rate with weight norm (it found 1e-4 best for normal). */
    public static final double ADAMAX_LR_WN = 3e-4;
    public static final double ADAMAX_LR_NORMAL = 1e-4;

    public DqnConfig {
        DqnNetwork.requireSupported(param);
        if (!optimizer.equals("rmsprop") && !optimizer.equals("adamax")) {
            throw new IllegalArgumentException("--optimizer must be rmsprop or adamax, got '" + optimizer + "'");
        }
        if (!(lr > 0) || batch < 1 || replayCapacity < batch || learningStarts < batch || targetSync < 1 || !(gamma >= 0 && gamma <= 1)
                || explorationFrames < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "invalid DQN settings: lr %s, batch %d, replay %d, "
                    + "learning starts %d (must be >= batch), target sync %d, gamma %s", lr, batch, replayCapacity, learningStarts,
                    targetSync, gamma));
        }
    }

    /** MinAtar's DQN with the given parameterization. */
    public static DqnConfig baseline(Parameterization param) {
        return new DqnConfig(param, "rmsprop", RMSPROP_LR, 32, 100_000, 5_000, 1_000, 0.99, 1.0, 0.1, 100_000);
    }

    /** The paper's variant: Adamax (β1 0.5), minibatch 64, its best learning rate for the parameterization. */
    public static DqnConfig paperVariant(Parameterization param) {
        double lr = param.usesWeightNorm() ? ADAMAX_LR_WN : ADAMAX_LR_NORMAL;
        return new DqnConfig(param, "adamax", lr, 64, 100_000, 5_000, 1_000, 0.99, 1.0, 0.1, 100_000);
    }

    public DqnConfig withLr(double newLr) {
        return new DqnConfig(param, optimizer, newLr, batch, replayCapacity, learningStarts, targetSync, gamma, epsilonStart,
                epsilonEnd, explorationFrames);
    }

    public DqnConfig withBatch(int newBatch) {
        return new DqnConfig(param, optimizer, lr, newBatch, replayCapacity, learningStarts, targetSync, gamma, epsilonStart,
                epsilonEnd, explorationFrames);
    }

    /** Smaller memory and earlier learning, for tests and short runs. */
    public DqnConfig withSchedule(int newReplay, int newLearningStarts, int newTargetSync, int newExplorationFrames) {
        return new DqnConfig(param, optimizer, lr, batch, newReplay, newLearningStarts, newTargetSync, gamma, epsilonStart,
                epsilonEnd, newExplorationFrames);
    }

    /**
     * ε for choosing the action of frame {@code frame} (counted from 0), as MinAtar's {@code dqn.py}:
     * 1 (uniformly random) before learning starts, then falling linearly from {@link #epsilonStart}
     * to {@link #epsilonEnd} over {@link #explorationFrames}, then constant.
     */
    public double epsilon(long frame) {
        if (frame < learningStarts) {
            return 1.0;
        }
        long t = frame - learningStarts;
        if (t >= explorationFrames) {
            return epsilonEnd;
        }
        return epsilonStart + (epsilonEnd - epsilonStart) * t / explorationFrames;
    }
}
