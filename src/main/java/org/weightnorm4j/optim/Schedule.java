package org.weightnorm4j.optim;

/**
 * A hyperparameter as a function of training time, measured in (fractional) epochs: the trainer
 * asks for the value at {@code epoch = steps done / steps per epoch} before each step. Schedules
 * hold no state, so a resumed run gets the same values from the step count alone.
 */
public interface Schedule {

    /** The value to use for a step taken at {@code epoch} (≥ 0, fractional). */
    double at(double epoch);

    /** The same value throughout. */
    static Schedule constant(double value) {
        return new Constant(value);
    }

    /** {@code base · gamma^⌊epoch / every⌋}: multiply by {@code gamma} every {@code every} epochs. */
    static Schedule step(double base, double gamma, double every) {
        return new Step(base, gamma, every);
    }

    /** Half a cosine from {@code base} at epoch 0 down to {@code min} at {@code total}, then {@code min}. */
    static Schedule cosine(double base, double min, double total) {
        return new Cosine(base, min, total);
    }

    /**
     * The paper's schedule (§5.1): {@code base} until {@code decayStart}, then a straight line down to
     * zero at {@code end} (CIFAR-10: 0.003 until epoch 100, zero at epoch 200), zero after.
     */
    static Schedule linearDecay(double base, double decayStart, double end) {
        return new LinearDecay(base, decayStart, end);
    }

    /** {@code before} until {@code switchEpoch}, {@code after} from then on (the paper's β1: 0.9, then 0.5 from epoch 100). */
    static Schedule switchAt(double before, double switchEpoch, double after) {
        return new SwitchAt(before, switchEpoch, after);
    }

    record Constant(double value) implements Schedule {
        @Override
        public double at(double epoch) {
            return value;
        }

        @Override
        public String toString() {
            return "constant(" + value + ")";
        }
    }

    record Step(double base, double gamma, double every) implements Schedule {
        public Step {
            if (!(every > 0)) {
                throw new IllegalArgumentException("step schedule: the period must be > 0 epochs, got " + every);
            }
        }

        @Override
        public double at(double epoch) {
            return base * Math.pow(gamma, Math.floor(epoch / every));
        }

        @Override
        public String toString() {
            return "step(" + base + ", x" + gamma + " every " + every + " epochs)";
        }
    }

    record Cosine(double base, double min, double total) implements Schedule {
        public Cosine {
            if (!(total > 0)) {
                throw new IllegalArgumentException("cosine schedule: the length must be > 0 epochs, got " + total);
            }
        }

        @Override
        public double at(double epoch) {
            double t = Math.min(Math.max(epoch, 0), total) / total;
            return min + (base - min) * 0.5 * (1 + Math.cos(Math.PI * t));
        }

        @Override
        public String toString() {
            return "cosine(" + base + " -> " + min + " over " + total + " epochs)";
        }
    }

    record LinearDecay(double base, double decayStart, double end) implements Schedule {
        public LinearDecay {
            if (!(decayStart >= 0 && end > decayStart)) {
                throw new IllegalArgumentException("linear-decay schedule: need 0 <= decay start < end, got start "
                        + decayStart + " and end " + end);
            }
        }

        @Override
        public double at(double epoch) {
            if (epoch <= decayStart) {
                return base;
            }
            return base * Math.max(0, (end - epoch) / (end - decayStart));
        }

        @Override
        public String toString() {
            return "linear-decay(" + base + " until epoch " + decayStart + ", 0 at epoch " + end + ")";
        }
    }

    record SwitchAt(double before, double switchEpoch, double after) implements Schedule {
        @Override
        public double at(double epoch) {
            return epoch < switchEpoch ? before : after;
        }

        @Override
        public String toString() {
            return before + " until epoch " + switchEpoch + ", then " + after;
        }
    }
}
