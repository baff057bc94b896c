package org.weightnorm4j.optim;

import java.util.List;
import org.weightnorm4j.nn.Param;

/**
 * Updates a fixed list of parameters from their accumulated gradients.
 *
 * <p>Lifecycle: construct over the model's {@link Param}s; then, per minibatch, the caller zeroes
 * the gradients, runs forward and backward, optionally sets the scheduled learning rate, and calls
 * {@link #step()}. {@link #state()} / {@link #loadState(OptimizerState)} save and restore the
 * internal buffers bit for bit, so a resumed run continues as if it had never stopped.
 */
public interface Optimizer {

    /** The parameters this optimizer updates, in order. */
    List<Param> params();

    /** Applies one update to every parameter from its gradient. */
    void step();

    /** Number of {@link #step()} calls so far (restored by {@link #loadState}). */
    long stepCount();

    /** The learning rate the next step uses. */
    double learningRate();

    /** Sets the learning rate for the next steps (schedules call this before each step). */
    void setLearningRate(double lr);

    /** A deep copy of the internal state. */
    OptimizerState state();

    /**
     * Restores a state produced by {@link #state()} for the same parameters.
     *
     * @throws IllegalArgumentException naming the missing or mis-shaped buffer
     */
    void loadState(OptimizerState state);
}
