package org.weightnorm4j.cli;

import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --progress-seconds}, as a picocli mixin: declared once for the commands that train one
 * long run or a grid of them ({@code draw}, {@code vae}, {@code dqn} and their {@code compare});
 * each command builds it with its own default (a DQN step is short, a DRAW epoch long). The field
 * is null when the option was not given.
 */
final class ProgressOption extends PerCommandMixin {
    private final int defaultSeconds;

    /** A command's instance: its default interval in seconds. */
    ProgressOption(int defaultSeconds) {
        this.defaultSeconds = defaultSeconds;
    }

    @Option(names = "--progress-seconds", paramLabel = "S",
            description = "Seconds between progress lines on stderr (default: {progress:default}).")
    Double seconds;

    @Override
    Map<String, String> helpTokens() {
        return Map.of("{progress:default}", Integer.toString(defaultSeconds));
    }

    /** {@code --progress-seconds}, else the command's default. */
    double seconds() {
        return seconds != null ? seconds : defaultSeconds;
    }
}
