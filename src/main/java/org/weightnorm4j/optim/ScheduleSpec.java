package org.weightnorm4j.optim;

import java.util.List;
import java.util.Locale;

/**
 * The learning-rate schedule of a run, as a value: it builds the {@link Schedule} for a base rate
 * and a run length, prints itself, and is written to (and read from) {@code trainer.json} by
 * {@link org.weightnorm4j.train.TrainConfig}. Its name is a string only at the command line and in
 * files ({@link #NAMES}).
 */
public sealed interface ScheduleSpec {

    /** The names accepted by {@code --schedule} and stored in {@code trainer.json}. */
    List<String> NAMES = List.of("constant", "linear-decay", "cosine", "step");

    /** The name {@code --schedule} takes. */
    String name();

    /** The learning rate as a function of the epoch, for a run of {@code epochs} epochs. */
    Schedule build(double lr, int epochs);

    /** Checks the schedule against the run's length; the message names the option and the values. */
    default void validate(int epochs) {
    }

    /** The base rate throughout. */
    record Constant() implements ScheduleSpec {
        @Override
        public String name() {
            return "constant";
        }

        @Override
        public Schedule build(double lr, int epochs) {
            return Schedule.constant(lr);
        }

        @Override
        public String toString() {
            return "constant";
        }
    }

    /** The paper's (§5.1): constant until {@code startEpoch}, then linear to 0 at the last epoch. */
    record LinearDecay(double startEpoch) implements ScheduleSpec {
        @Override
        public String name() {
            return "linear-decay";
        }

        @Override
        public Schedule build(double lr, int epochs) {
            return Schedule.linearDecay(lr, startEpoch, epochs);
        }

        @Override
        public void validate(int epochs) {
            if (!(startEpoch >= 0 && startEpoch < epochs)) {
                throw new IllegalArgumentException("linear-decay schedule: the decay must start (--decay-start) in [0, epochs)"
                        + " = [0, " + epochs + "), got epoch " + startEpoch + " with --epochs " + epochs);
            }
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "linear-decay from epoch %s", startEpoch);
        }
    }

    /** Half a cosine from the base rate to 0 over the run. */
    record Cosine() implements ScheduleSpec {
        @Override
        public String name() {
            return "cosine";
        }

        @Override
        public Schedule build(double lr, int epochs) {
            return Schedule.cosine(lr, 0, epochs);
        }

        @Override
        public String toString() {
            return "cosine";
        }
    }

    /** Multiply by {@code gamma} every {@code every} epochs. */
    record Step(double every, double gamma) implements ScheduleSpec {
        public Step {
            if (!(every > 0)) {
                throw new IllegalArgumentException("step schedule: --step-every must be > 0 epochs, got " + every);
            }
        }

        @Override
        public String name() {
            return "step";
        }

        @Override
        public Schedule build(double lr, int epochs) {
            return Schedule.step(lr, gamma, every);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "step x%s every %s epochs", gamma, every);
        }
    }

    /**
     * The command-line and file form: {@code name} (any case) with the parameters the named
     * schedule uses; the others are ignored.
     */
    static ScheduleSpec parse(String name, double decayStartEpoch, double stepEvery, double stepGamma) {
        return switch (checkName(name)) {
            case "linear-decay" -> new LinearDecay(decayStartEpoch);
            case "cosine" -> new Cosine();
            case "step" -> new Step(stepEvery, stepGamma);
            default -> new Constant();
        };
    }

    /** {@code name} in lower case when it names a schedule; else an error listing the valid names. */
    static String checkName(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (!NAMES.contains(n)) {
            throw new IllegalArgumentException("unknown schedule '" + name + "'; valid: " + String.join(", ", NAMES));
        }
        return n;
    }
}
