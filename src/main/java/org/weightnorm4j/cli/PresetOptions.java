package org.weightnorm4j.cli;

import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The preset an experiment trains and how much of its data, as a picocli mixin: {@code --model},
 * {@code --train-limit} and {@code --test-limit}, declared once for {@code compare} and
 * {@code lr-sweep} (all three) and {@code noise} ({@code --model}, {@code --train-limit}).
 * ({@code train}'s {@code --model} is its own: it also takes a model-spec file.)
 */
final class PresetOptions extends PerCommandMixin {

    /** A command's instance: the options it takes (none named = all). */
    PresetOptions(String... takes) {
        super(takes);
    }

    @Option(names = "--model", paramLabel = "mlp|cnn|paper-cifar", defaultValue = "mlp", description = "Preset. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--train-limit", paramLabel = "N", defaultValue = "0", description = "Use only the first N training images (0 = all).")
    int trainLimit;

    @Option(names = "--test-limit", paramLabel = "N", defaultValue = "0", description = "Use only the first N test images (0 = all).")
    int testLimit;

    @Override
    Map<String, String> helpTokens() {
        return Map.of();
    }
}
