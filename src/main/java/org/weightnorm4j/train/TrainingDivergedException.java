package org.weightnorm4j.train;

/**
 * Training produced a non-finite loss or gradient, or a weight-normalized unit whose {@code v} is
 * exactly zero. The message names the step, the layer and the parameter (or unit), and where the
 * last good checkpoint is.
 */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long step;

    public TrainingDivergedException(String message, long step) {
        super(message);
        this.step = step;
    }

    /** The step (counted from 1) whose loss or gradient was not finite. */
    public long step() {
        return step;
    }
}
