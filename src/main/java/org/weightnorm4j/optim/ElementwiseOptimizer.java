package org.weightnorm4j.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.weightnorm4j.nn.Param;

/**
 * What {@link Adam} and {@link Sgd} share: the named parameters, the learning rate, the step count
 * (saved as the scalars {@code "step"} and {@code "lr"}), and a step that updates every element on
 * its own, split over threads by {@link ParamRanges}.
 *
 * <p>A step is {@link #prepareStep(long)} (per-step scalars such as bias corrections, on the
 * calling thread) followed by {@link #updateRange} over fixed ranges of every parameter, possibly
 * on several threads at once; the results do not depend on the thread count.
 */
abstract class ElementwiseOptimizer implements Optimizer {
    private final String label;
    private final List<Param> params;
    private final List<String> names;
    private final ParamRanges ranges;
    private double lr;
    private long steps;

    /**
     * @param label  the optimizer's name in error messages ("Adam", "SGD")
     * @param params parameters under model-wide unique names (the names key the saved state)
     */
    ElementwiseOptimizer(String label, Map<String, Param> params, double lr) {
        Hyper.requirePositive(label + " learning rate", lr);
        this.label = label;
        this.params = List.copyOf(params.values());
        this.names = List.copyOf(params.keySet());
        this.lr = lr;
        this.ranges = new ParamRanges(this.params, this::updateRange);
    }

    /** Sets the scalars of step number {@code step} (counted from 1) before any element is updated. */
    abstract void prepareStep(long step);

    /**
     * Updates elements {@code [from, to)} of parameter {@code i}; may run on any thread, at the same
     * time as other ranges, and must read and write those elements only.
     */
    abstract void updateRange(int i, int from, int to);

    @Override
    public final void step() {
        steps++;
        prepareStep(steps);
        ranges.run();
    }

    /** Parameter number {@code i}. */
    final Param param(int i) {
        return params.get(i);
    }

    /** The model-wide name of parameter number {@code i}, which keys its saved buffers. */
    final String name(int i) {
        return names.get(i);
    }

    /** The optimizer's name in error messages. */
    final String label() {
        return label;
    }

    @Override
    public final List<Param> params() {
        return params;
    }

    @Override
    public final long stepCount() {
        return steps;
    }

    @Override
    public final double learningRate() {
        return lr;
    }

    @Override
    public final void setLearningRate(double lr) {
        Hyper.requirePositiveOrZero(label + " learning rate", lr);
        this.lr = lr;
    }

    /** The shared scalars of a saved state, {@code "step"} and {@code "lr"}, in that order; subclasses add theirs. */
    final Map<String, Double> scalars() {
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put("step", (double) steps);
        scalars.put("lr", lr);
        return scalars;
    }

    /** Restores the step count and learning rate from a saved state. */
    final void loadScalars(OptimizerState state) {
        steps = (long) state.requireScalar(label, "step");
        lr = state.requireScalar(label, "lr");
    }
}
