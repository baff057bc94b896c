package org.weightnorm4j.train;

/**
 * Observes a {@link Trainer}. Every method has an empty default; listeners are called in the
 * order they were added, on the training thread, and must not change the model.
 */
public interface TrainingListener {

    /** Before the first step (after initialisation or restore). */
    default void onStart(Trainer trainer) {
    }

    /** After each optimizer step. */
    default void onStep(StepRecord step) {
    }

    /** After each epoch, once the test split has been evaluated. */
    default void onEpoch(EpochRecord epoch) {
    }

    /** After the last epoch. */
    default void onFinish(TrainingSummary summary) {
    }
}
