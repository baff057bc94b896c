package org.weightnorm4j.cli;

import picocli.CommandLine.Option;

/**
 * {@code --momentum} with the default 0.9, as a picocli mixin, for {@code train}, {@code compare}
 * and {@code lr-sweep}; {@code noise} defaults to plain SGD (0) and keeps its own.
 */
final class MomentumOption {
    @Option(names = "--momentum", paramLabel = "M", defaultValue = "0.9", description = "SGD momentum. Default: ${DEFAULT-VALUE}.")
    double momentum;
}
