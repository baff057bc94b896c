package org.weightnorm4j.cli;

import org.weightnorm4j.model.Recipe;
import org.weightnorm4j.optim.ScheduleSpec;
import picocli.CommandLine.Option;

/**
 * The learning-rate schedule, as a picocli mixin: {@code --schedule}, {@code --decay-start},
 * {@code --step-every} and {@code --step-gamma} ({@code train}; the experiments train at a
 * constant rate).
 */
final class ScheduleOptions {
    @Option(names = "--schedule", paramLabel = "NAME",
            description = "Learning-rate schedule: constant, linear-decay (constant, then linear to 0 at the last epoch),"
                    + " cosine, step. Default: linear-decay (the paper's schedule) from half of --epochs.")
    String schedule;

    @Option(names = "--decay-start", paramLabel = "EPOCH",
            description = "linear-decay: the epoch the decay starts (default: half of --epochs).")
    Double decayStart;

    @Option(names = "--step-every", paramLabel = "EPOCHS", defaultValue = "30",
            description = "step schedule: epochs between multiplications by --step-gamma. Default: ${DEFAULT-VALUE}.")
    double stepEvery;

    @Option(names = "--step-gamma", paramLabel = "G", defaultValue = "0.1", description = "step schedule factor. Default: ${DEFAULT-VALUE}.")
    double stepGamma;

    /** The schedule over {@code epochs} epochs: the given options, else linear decay from half the run. */
    ScheduleSpec toSpec(int epochs) {
        return ScheduleSpec.parse(schedule != null ? schedule : "linear-decay",
                decayStart != null ? decayStart : Recipe.halfway(epochs), stepEvery, stepGamma);
    }
}
