package org.weightnorm4j.optim;

/** Argument checks for hyperparameters, with messages that name the hyperparameter. */
final class Hyper {
    private Hyper() {
    }

    static void requirePositive(String what, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " must be a finite number > 0, got " + v);
        }
    }

    /** Schedules may drive the learning rate to exactly zero at the end of training. */
    static void requirePositiveOrZero(String what, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " must be a finite number >= 0, got " + v);
        }
    }

    static void requireNonNegative(String what, double v) {
        requirePositiveOrZero(what, v);
    }

    static void requireUnit(String what, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1), got " + v);
        }
    }
}
