package org.weightnorm4j.cli;

import java.util.Locale;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.rl.DqnConfig;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What {@code weightnorm dqn} and {@code weightnorm dqn compare} share, as a picocli mixin: how many
 * frames a run trains for, the recipe (optimizer and its overrides), the schedule overrides for
 * short runs, and how often a run writes its rows, checkpoints and progress lines.
 */
final class DqnSettingsOptions {
    @Option(names = "--frames", defaultValue = "5000000", description = "Frames to train each run for (default: ${DEFAULT-VALUE}, MinAtar's).")
    long frames;

    @Option(names = "--optimizer", defaultValue = "rmsprop",
            description = "rmsprop (MinAtar's: centred, lr 2.5e-4, batch 32) or adamax (the paper's: beta1 0.5, batch 64, "
                    + "lr 3e-4 with weight norm, 1e-4 without). Default: ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--lr", description = "Learning rate (default: the optimizer's, see --optimizer).")
    Double lr;

    @Option(names = "--batch", description = "Minibatch size (default: 32 with rmsprop, 64 with adamax).")
    Integer batch;

    @Option(names = "--checkpoint-every", defaultValue = "50000", description = "Frames between checkpoints (default: ${DEFAULT-VALUE}).")
    long checkpointEvery;

    @Option(names = "--window", defaultValue = "10000", description = "Frames per row of training.csv (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--learning-starts", description = "Frames before the first update (default 5000; smaller for short tests).")
    Integer learningStarts;

    @Option(names = "--replay", description = "Replay memory capacity (default 100000).")
    Integer replay;

    @Option(names = "--target-sync", description = "Updates between target-network syncs (default 1000).")
    Integer targetSync;

    @Option(names = "--exploration-frames", description = "Frames over which epsilon falls from 1 to 0.1 (default 100000).")
    Integer explorationFrames;

    @CommandLine.Mixin
    ProgressOption progress = new ProgressOption(10);

    /** The run's settings for {@code param}: the optimizer's recipe with the overrides given. */
    DqnConfig config(Parameterization p) {
        DqnConfig c = switch (optimizer.toLowerCase(Locale.ROOT)) {
            case "rmsprop" -> DqnConfig.baseline(p);
            case "adamax" -> DqnConfig.paperVariant(p);
            default -> throw new IllegalArgumentException("--optimizer must be rmsprop or adamax, got '" + optimizer + "'");
        };
        if (lr != null) {
            c = c.withLr(lr);
        }
        if (batch != null) {
            c = c.withBatch(batch);
        }
        if (checkpointEvery < 1 || window < 1) {
            throw new IllegalArgumentException("--checkpoint-every and --window must be >= 1");
        }
        return c.withSchedule(replay != null ? replay : c.replayCapacity(), learningStarts != null ? learningStarts : c.learningStarts(),
                targetSync != null ? targetSync : c.targetSync(), explorationFrames != null ? explorationFrames : c.explorationFrames());
    }
}
