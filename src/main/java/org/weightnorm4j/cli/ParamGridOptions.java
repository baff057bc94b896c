package org.weightnorm4j.cli;

import picocli.CommandLine.Option;

/**
 * What {@code compare} and {@code lr-sweep} share besides the preset ({@link PresetOptions}), as a
 * picocli mixin: they train one preset under several parameterizations, with one progress line per
 * run under {@code --quiet}.
 */
final class ParamGridOptions {
    @Option(names = "--params", paramLabel = "LIST", defaultValue = "normal,bn,wn,wn-mobn,mobn",
            description = "Parameterizations, comma-separated (or 'all'). Default: ${DEFAULT-VALUE}.")
    String params;

    @Option(names = "--quiet", description = "No progress bar; one line per run.")
    boolean quiet;
}
