package org.weightnorm4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What {@code draw} and {@code vae} take for their one run, as a picocli mixin: the
 * parameterization, the run directory and {@code --resume}; and the {@code --resume} command line
 * that an interrupted run prints (also {@code dqn}'s).
 */
final class RunOptions {
    @Option(names = "--param", paramLabel = "normal|wn", defaultValue = "wn", description = "normal or wn (default: ${DEFAULT-VALUE}).")
    String param;

    // Not required = true: picocli would then demand it before the 'compare' subcommand too, which has its own.
    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (required).")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its checkpoint (--epochs may be raised).")
    boolean resume;

    /** {@code --out}; its absence is a usage error (exit code 2). */
    Path out(CommandLine cl) {
        if (out == null) {
            throw new CommandLine.ParameterException(cl, "Missing required option: '--out=DIR'");
        }
        return out;
    }

    /** Whether {@code --param} asks for weight normalization. */
    boolean weightNorm(CommandLine cl) {
        return weightNorm(cl, "--param", param);
    }

    /** {@code value} of {@code option}: wn (true) or normal (false); anything else is a usage error. */
    static boolean weightNorm(CommandLine cl, String option, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "wn" -> true;
            case "normal" -> false;
            default -> throw new CommandLine.ParameterException(cl, option + " must be normal or wn, got '" + value + "'");
        };
    }

    /** The command that continues an interrupted run: the arguments it was started with, plus {@code --resume}. */
    static String resumeCommand(CommandLine.Model.CommandSpec spec) {
        List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        if (!args.contains("--resume")) {
            args.add("--resume");
        }
        return "weightnorm " + String.join(" ", args); // the original arguments start with the command's name
    }
}
