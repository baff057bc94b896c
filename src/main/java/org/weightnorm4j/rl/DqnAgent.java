package org.weightnorm4j.rl;

import java.util.Map;
import org.weightnorm4j.nn.HeldWeights;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.ModelState;
import org.weightnorm4j.nn.ModelTree;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.norm.DataDependentInit;
import org.weightnorm4j.optim.Adamax;
import org.weightnorm4j.optim.Optimizer;
import org.weightnorm4j.optim.RmsProp;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.train.TrainStep;

/**
 * The DQN learner (Mnih et al. 2015, as MinAtar runs it): an online network, a target network
 * synced from it every {@link DqnConfig#targetSync} updates with {@link ModelState#copy}, a replay
 * memory, and an update that draws a minibatch, computes {@code y = r + γ (1 − done)
 * max_a' Q_target(s', a')} and takes one {@link TrainStep} on the {@link HuberTdObjective}.
 *
 * <p>With weight norm the first update first runs data-dependent initialisation (§3) on its
 * minibatch's states, then syncs the target network, then updates.
 *
 * <p>Randomness: {@code sampleRng} draws minibatches, {@code actRng} the ε-greedy choices; both are
 * {@link SplitMix64}s whose states a checkpoint saves.
 */
public final class DqnAgent implements Policy {
    private final DqnConfig config;
    private final int channels;
    private final long seed;
    private final Sequential online;
    private final Sequential target;
    private final Optimizer optimizer;
    private final TrainStep<HuberTdObjective.TdTargets> step;
    private final ReplayMemory memory;
    private final ReplayMemory.Minibatch batch;
    private final SplitMix64 sampleRng;
    private final SplitMix64 actRng;
    private final float[] y;
    private final int[] actions;
    private final HuberTdObjective.TdTargets targets;
    private final Tensor single;
    private long updates;
    /**
     * Whether the target network's dense weights are held ({@link HeldWeights}): laid out for the
     * GEMM once per sync instead of at every update. Cleared whenever the target's weights change.
     */
    private boolean targetHeld;
    /** What {@link #targetsTask} computes targets for during an {@link #update}. */
    private ReplayMemory.Minibatch pendingBatch;
    private float[] pendingTargets;
    private final Runnable targetsTask = () -> computeTargets(pendingBatch, pendingTargets);

    /** A fresh agent; the networks' initialisation and both random streams follow from {@code seed}. */
    public DqnAgent(DqnConfig config, int channels, long seed) {
        this.config = config;
        this.channels = channels;
        this.seed = seed;
        this.online = DqnNetwork.build(config.param(), channels, seed);
        this.target = DqnNetwork.build(config.param(), channels, seed);
        ModelState.copy(online, target);
        Map<String, Param> params = ModelTree.namedParams(online);
        this.optimizer = config.optimizer().equals("rmsprop")
                ? new RmsProp(params, config.lr(), 0.95, 0.01, true)
                : Adamax.paperDqn(params, config.lr());
        this.step = new TrainStep<>(online, optimizer, new HuberTdObjective(), null);
        this.memory = new ReplayMemory(config.replayCapacity(), channels);
        this.batch = new ReplayMemory.Minibatch(config.batch(), channels);
        this.sampleRng = new SplitMix64(seed * 0x9E3779B97F4A7C15L + 1);
        this.actRng = new SplitMix64(seed * 0x9E3779B97F4A7C15L + 2);
        this.y = new float[config.batch()];
        this.actions = batch.actions();
        this.targets = new HuberTdObjective.TdTargets(actions, y);
        this.single = Tensor.zeros(1, channels, Environment.SIZE, Environment.SIZE);
    }

    public DqnConfig config() {
        return config;
    }

    public Sequential online() {
        return online;
    }

    /**
     * The target network. Read it freely; whoever writes into its weights (a checkpoint's restore)
     * must call {@link #targetChanged} afterwards, since its dense layers' weights are held between
     * syncs ({@link HeldWeights}).
     */
    public Sequential target() {
        return target;
    }

    /** Says the target network's weights were written from outside: the next update takes them as they are now. */
    public void targetChanged() {
        HeldWeights.release(target);
        targetHeld = false;
    }

    /** Copies the online network into the target network (a sync). */
    private void syncTarget() {
        ModelState.copy(online, target);
        targetChanged();
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public ReplayMemory memory() {
        return memory;
    }

    public SplitMix64 sampleRng() {
        return sampleRng;
    }

    public SplitMix64 actRng() {
        return actRng;
    }

    /** Updates done so far. */
    public long updates() {
        return updates;
    }

    /** Sets the update count (restoring a checkpoint). */
    public void setUpdates(long updates) {
        this.updates = updates;
    }

    /** The loss of the last update (NaN before the first). */
    public double lastLoss() {
        return step.loss();
    }

    /** The mean of {@code Q(s, a)} over the last update's minibatch. */
    public double lastMeanQ() {
        return step.metric(0);
    }

    /** The greedy action: the first of the largest {@code Q(s, ·)} of the online network (evaluation mode). */
    @Override
    public int act(float[] observation) {
        return GreedyQPolicy.greedy(online, single, observation, channels * Environment.CELLS);
    }

    /** ε-greedy: with probability {@code epsilon} a uniform action from {@code actRng}, else {@link #act}. */
    public int act(float[] observation, double epsilon) {
        // Always one draw for the coin, so the stream's position does not depend on the network.
        if (actRng.nextDouble() < epsilon) {
            return actRng.nextInt(Environment.NUM_ACTIONS);
        }
        return act(observation);
    }

    /**
     * One learning step: draws a minibatch from the replay memory and {@link #update}s on it; before
     * the very first update of a weight-normed network, data-dependent init on that minibatch.
     */
    public double learn() {
        drawMinibatch();
        return updateOnDrawn();
    }

    /** The first half of {@link #learn}: draws the agent's minibatch from the replay memory. */
    void drawMinibatch() {
        memory.sample(sampleRng, batch);
    }

    /** The second half of {@link #learn}: data-dependent init before the very first update, then the update. */
    double updateOnDrawn() {
        if (updates == 0 && config.param().usesWeightNorm()) {
            DataDependentInit.apply(online, batch.states(), DataDependentInit.Options.paper(seed + 17));
            syncTarget();
        }
        return update(batch);
    }

    /**
     * The DQN update on a drawn minibatch (what {@code weightnorm bench dqn} times): target forward
     * on {@code s'}, {@code y}, one train step of the Huber loss, and a target sync every
     * {@link DqnConfig#targetSync} updates.
     */
    public double update(ReplayMemory.Minibatch mb) {
        // The agent's own minibatch reuses its targets; another one (a benchmark's, a test's) gets its own.
        boolean own = mb.actions() == actions;
        float[] yy = own ? y : new float[mb.size()];
        // The target network's forward on s' runs beside the online forward on s (on another thread
        // when there are two): the targets are only needed once the online Q-values are there.
        pendingBatch = mb;
        pendingTargets = yy;
        double loss;
        try {
            loss = step.run(mb.states(), own ? targets : new HuberTdObjective.TdTargets(mb.actions(), yy), updates + 1, 1, null,
                    targetsTask);
        } finally {
            pendingBatch = null;
            pendingTargets = null;
        }
        updates++;
        if (updates % config.targetSync() == 0) {
            syncTarget();
        }
        return loss;
    }

    /** {@code y[i] = r[i] + γ (1 − done[i]) max_a Q_target(s'[i], a)}, the target network in evaluation mode. */
    public void computeTargets(ReplayMemory.Minibatch mb, float[] into) {
        if (!targetHeld) {
            HeldWeights.hold(target);     // once per sync: the same bits as laying the weights out every time
            targetHeld = true;
        }
        Tensor qNext = target.forward(mb.nextStates(), Mode.EVAL);
        float[] q = qNext.data();
        int n = Environment.NUM_ACTIONS;
        float gamma = (float) config.gamma();
        for (int i = 0; i < mb.size(); i++) {
            float max = q[i * n];
            for (int a = 1; a < n; a++) {
                max = Math.max(max, q[i * n + a]);
            }
            into[i] = mb.rewards()[i] + gamma * (1f - mb.dones()[i]) * max;
        }
    }
}
