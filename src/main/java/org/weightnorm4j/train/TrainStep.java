package org.weightnorm4j.train;

import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.optim.Optimizer;
import org.weightnorm4j.optim.ParameterAverage;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Parallel;
import org.weightnorm4j.tensor.Tensor;

/**
 * One optimizer step on one minibatch: the only copy of the training step in weightnorm4j. The
 * {@link Trainer}, {@code weightnorm bench train} and any loop of your own (reinforcement learning,
 * say, whose minibatches come from a replay buffer) call {@link #run}.
 *
 * <p>{@link #run} does, in this order:
 * <ol>
 *   <li>zero every parameter's gradient;</li>
 *   <li>forward the input in {@link Mode#TRAIN training mode} (dropout and noise on, batch norms on
 *       batch statistics); a forward that fails on a weight-normalized unit whose {@code v} is zero
 *       is reported as such ({@link NonFiniteGuard#checkDirections});</li>
 *   <li>the {@link Objective}'s loss of the output, then its metrics;</li>
 *   <li>stop ({@link TrainingDivergedException}) if the loss is NaN or infinite;</li>
 *   <li>backward of the objective's gradient, to the parameters only (the input's gradient is
 *       never used, so it is not computed: {@link Layer#backwardParamsOnly});</li>
 *   <li>stop if any gradient element is NaN or infinite;</li>
 *   <li>the optimizer's step, at whatever learning rate the caller set before;</li>
 *   <li>stop if the update made a weight-normalized unit's {@code v} exactly zero;</li>
 *   <li>update the parameter average, if there is one.</li>
 * </ol>
 * Nothing is changed before the first check can stop it except the gradients and the random
 * counters of dropout and noise layers, so a step stopped by a guard leaves the parameters, the
 * optimizer state and the average as the previous step left them.
 *
 * <p>The step allocates nothing of its own: what it allocates is what the model, the objective and
 * the optimizer do (the library's layers and {@link SoftmaxCrossEntropyObjective} reuse their
 * buffers). The loss and the metrics of the last step stay readable until the next one.
 *
 * @param <T> the type of a minibatch's targets (see {@link Objective})
 */
public final class TrainStep<T> {
    private final Layer model;
    private final Optimizer optimizer;
    private final Objective<T> objective;
    private final ParameterAverage average;
    private final NonFiniteGuard guard;
    /** The model's parameters, collected once (a layer keeps the same {@link Param} objects for its lifetime). */
    private final List<Param> params;
    private final List<String> metricNames;
    private final double[] metricTotals;
    private double loss = Double.NaN;
    private int examples;
    /** The other workers of data-parallel training, or null (see {@link #dataParallel}). */
    private DataParallelGroup group;
    /** The data-parallel exchange's buffer: this shard's loss total, then its metric totals. */
    private double[] shardTotals;
    private final ConcurrentForward concurrent = new ConcurrentForward();

    /**
     * @param optimizer over {@code model}'s parameters
     * @param average   the parameter average to update after each step, or null for none
     */
    public TrainStep(Layer model, Optimizer optimizer, Objective<T> objective, ParameterAverage average) {
        if (model == null || optimizer == null || objective == null) {
            throw new IllegalArgumentException("TrainStep needs a model, an optimizer and an objective");
        }
        this.model = model;
        this.optimizer = optimizer;
        this.objective = objective;
        this.average = average;
        this.guard = new NonFiniteGuard(model);
        this.params = model.params();
        this.metricNames = List.copyOf(objective.metricNames());
        this.metricTotals = new double[metricNames.size()];
    }

    /**
     * Runs one step on {@code input} and its {@code targets}; returns the loss (as {@link #loss()}).
     * {@code step}, {@code epoch} and {@code lastCheckpoint} only go into the message of a guard
     * that stops training.
     *
     * @param step           the number this step will have once done, counted from 1
     * @param epoch          the epoch it belongs to, counted from 1
     * @param lastCheckpoint the last checkpoint written, to name in a guard's advice, or null
     * @throws TrainingDivergedException at a non-finite loss or gradient, or a zero {@code v}
     */
    public double run(Tensor input, T targets, long step, int epoch, Path lastCheckpoint) {
        return run(input, targets, input.dim(0), step, epoch, lastCheckpoint);
    }

    /**
     * Makes the step one worker's part of a synchronous data-parallel step ({@link Trainer#dataParallel}):
     * {@link #run(Tensor, Object, int, long, int, Path)} is then given this worker's shard of the global
     * minibatch, scales the objective's gradient by {@code shard / global} (the loss is a mean over the
     * global minibatch), and after the backward sums the gradients, the loss and the metrics over the
     * workers ({@link DataParallelGroup#allSum}) before the optimizer's step, so that every worker
     * applies the same update and reports the global minibatch's loss and metrics.
     */
    public TrainStep<T> dataParallel(DataParallelGroup group) {
        this.group = group;
        return this;
    }

    /**
     * As {@link #run(Tensor, Object, long, int, Path)} on this worker's shard {@code input} of a
     * global minibatch of {@code globalExamples} rows (equal to the shard's size in one process).
     */
    public double run(Tensor input, T targets, int globalExamples, long step, int epoch, Path lastCheckpoint) {
        return run(input, targets, globalExamples, step, epoch, lastCheckpoint, null);
    }

    /**
     * As {@link #run(Tensor, Object, long, int, Path)}, with {@code alongsideForward} run at the
     * same time as the forward pass, on another thread of the pool when there is one
     * ({@link Parallel}; inline before the forward otherwise), and finished before the loss is
     * taken: work the targets need that does not depend on this model, such as DQN's target
     * network on the next states. Both then run their kernels on one thread each, which gives the
     * same results as running them one after the other (every forward kernel's result is
     * independent of the thread count), so the step is as reproducible as without it.
     *
     * @param alongsideForward run once per call, or null for none
     */
    public double run(Tensor input, T targets, long step, int epoch, Path lastCheckpoint, Runnable alongsideForward) {
        return run(input, targets, input.dim(0), step, epoch, lastCheckpoint, alongsideForward);
    }

    private double run(Tensor input, T targets, int globalExamples, long step, int epoch, Path lastCheckpoint,
                       Runnable alongsideForward) {
        for (int k = 0, n = params.size(); k < n; k++) {
            params.get(k).zeroGrad();
        }
        Tensor output;
        try {
            output = forward(input, alongsideForward);
        } catch (IllegalArgumentException e) {
            // A weight-norm unit with v = 0 (set from outside the loop) fails the forward pass; say where and when.
            guard.checkDirections(step, epoch, "in the forward pass", lastCheckpoint);
            throw e;
        }
        double l = objective.loss(output, targets);
        objective.metricTotals(metricTotals);
        examples = output.dim(0);
        loss = l;
        guard.checkLoss(l, step, epoch, lastCheckpoint, input);
        Tensor dy = objective.gradient();
        if (group != null) {
            scale(dy, (double) examples / globalExamples); // ∂(global mean loss)/∂(this shard's outputs)
        }
        model.backwardParamsOnly(dy); // no gradient for the input (issue 6)
        if (group != null) {
            l = sumOverWorkers(l, globalExamples);
        }
        if (!gradientsFinite()) {
            guard.checkGradients(step, epoch, lastCheckpoint); // names the parameter and throws
        }
        optimizer.step();
        // Before any checkpoint can save it: an update that zeroed a unit's v.
        guard.checkDirections(step, epoch, "after its update", lastCheckpoint);
        if (average != null) {
            average.update();
        }
        return l;
    }

    /** The forward pass in training mode, with {@code alongside} (if any) on another thread at the same time. */
    private Tensor forward(Tensor input, Runnable alongside) {
        if (alongside == null) {
            return model.forward(input, Mode.TRAIN);
        }
        if (Parallel.threads() == 1 || Parallel.insideParallel()) {
            alongside.run();
            return model.forward(input, Mode.TRAIN);
        }
        concurrent.input = input;
        concurrent.alongside = alongside;
        try {
            Parallel.run(2, concurrent);
            return concurrent.output;
        } finally {
            concurrent.clear();
        }
    }

    /** The two parts of a forward pass with work alongside: part 0 the model's forward, part 1 the other work. Reused. */
    private final class ConcurrentForward implements IntConsumer {
        Tensor input;
        Tensor output;
        Runnable alongside;

        @Override
        public void accept(int part) {
            if (part == 0) {
                output = model.forward(input, Mode.TRAIN);
            } else {
                alongside.run();
            }
        }

        void clear() {
            input = null;
            output = null;
            alongside = null;
        }
    }

    /** Sums the gradients, the loss and the metrics over the workers; returns the global minibatch's mean loss. */
    private double sumOverWorkers(double shardLoss, int global) {
        if (shardTotals == null) {
            shardTotals = new double[1 + metricTotals.length];
        }
        shardTotals[0] = shardLoss * examples;
        System.arraycopy(metricTotals, 0, shardTotals, 1, metricTotals.length);
        group.allSum(params, shardTotals);
        System.arraycopy(shardTotals, 1, metricTotals, 0, metricTotals.length);
        examples = global;
        loss = shardTotals[0] / global;
        return loss;
    }

    private static void scale(Tensor t, double factor) {
        for (int i = 0, n = t.size(); i < n; i++) {
            t.set(i, t.get(i) * factor);
        }
    }

    /**
     * Whether every gradient element is finite: the guard's test, over the model's parameter list
     * (built once), vectorised ({@link Kernels#allFinite}), so that a healthy step allocates nothing; the guard, which builds the names for
     * its message, runs only when this finds a non-finite element.
     */
    private boolean gradientsFinite() {
        for (int k = 0, n = params.size(); k < n; k++) {
            if (!Kernels.allFinite(params.get(k).grad())) {
                return false;
            }
        }
        return true;
    }

    /** The loss of the last step (NaN before the first). */
    public double loss() {
        return loss;
    }

    /** Examples in the last step's minibatch (the output's first dimension; 0 before the first step). */
    public int examples() {
        return examples;
    }

    /** The objective's metric names, fixed: index {@code i} of {@link #metricTotal}. */
    public List<String> metricNames() {
        return metricNames;
    }

    /** The index of the metric called {@code name}, or -1. */
    public int metricIndex(String name) {
        return metricNames.indexOf(name);
    }

    /** Metric {@code i} of the last step as the objective reported it: a total over the minibatch's examples. */
    public double metricTotal(int i) {
        return metricTotals[i];
    }

    /** Metric {@code i} of the last step per example: {@link #metricTotal} over {@link #examples()}. */
    public double metric(int i) {
        return metricTotals[i] / examples;
    }

    public Layer model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public Objective<T> objective() {
        return objective;
    }
}
