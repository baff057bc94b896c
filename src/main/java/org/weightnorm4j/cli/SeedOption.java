package org.weightnorm4j.cli;

import picocli.CommandLine.Option;

/**
 * {@code --seed}, as a picocli mixin, for the experiment commands ({@code compare}, {@code lr-sweep},
 * {@code noise}, {@code demo}); {@code train} words its help differently and keeps its own.
 */
final class SeedOption {
    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
    long seed;
}
