package org.weightnorm4j.cli;

import picocli.CommandLine.Option;

/**
 * What {@code compare} and {@code lr-sweep} share, as a picocli mixin: they train one preset under
 * several parameterizations, on a possibly limited part of the data, with one progress line per
 * run under {@code --quiet}.
 */
final class ParamGridOptions {
    @Option(names = "--model", paramLabel = "mlp|cnn|paper-cifar", defaultValue = "mlp", description = "Preset. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--params", paramLabel = "LIST", defaultValue = "normal,bn,wn,wn-mobn,mobn",
            description = "Parameterizations, comma-separated (or 'all'). Default: ${DEFAULT-VALUE}.")
    String params;

    @Option(names = "--train-limit", paramLabel = "N", defaultValue = "0", description = "Use only the first N training images (0 = all).")
    int trainLimit;

    @Option(names = "--test-limit", paramLabel = "N", defaultValue = "0", description = "Use only the first N test images (0 = all).")
    int testLimit;

    @Option(names = "--quiet", description = "No progress bar; one line per run.")
    boolean quiet;
}
