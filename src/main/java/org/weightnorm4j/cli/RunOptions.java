package org.weightnorm4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.weightnorm4j.experiments.EpochRuns;
import org.weightnorm4j.train.checkpoint.CheckpointException;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What {@code draw} and {@code vae} take for their one run, as a picocli mixin: the
 * parameterization, the run directory and {@code --resume}; and how they run it
 * ({@link #runInterruptibly}), with the {@code --resume} command line that an interrupted run
 * prints (also {@code dqn}'s).
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

    /** One run of epochs into {@code out}, which {@code stop} may stop at a step (with a checkpoint written). */
    @FunctionalInterface
    interface EpochRun {
        EpochRuns.Outcome run(Path out, boolean resume, PrintWriter log, BooleanSupplier stop) throws IOException;
    }

    /**
     * Runs {@code run} into {@code --out} (continuing it under {@code --resume}), with Ctrl-C or
     * SIGTERM asking it to stop at its next step; returns the exit code: 0 when it finished, 130 /
     * 143 once it stopped, after printing the command that resumes it. Bad settings or an unusable
     * checkpoint are usage errors (exit code 2). {@code name}: the command, for the messages.
     */
    int runInterruptibly(CommandLine.Model.CommandSpec spec, String name, EpochRun run) throws IOException {
        CommandLine cl = spec.commandLine();
        PrintWriter err = cl.getErr();
        try (Interrupts interrupts = Interrupts.install(err)) {
            AtomicBoolean stop = new AtomicBoolean();
            interrupts.target(() -> stop.set(true));
            EpochRuns.Outcome o = run.run(out(cl), resume, err, stop::get);
            if (!o.finished()) {
                // o.epochs() counts the epochs completed: the run stopped in the next one.
                err.printf(Locale.ROOT, "%s: interrupted by %s at epoch %d, step %d; checkpoint written. Continue with:%n  %s%n",
                        name, interrupts.describe(), o.epochs() + 1, o.steps(), resumeCommand(spec));
                err.flush();
                return interrupts.exitCode();
            }
        } catch (IllegalArgumentException | CheckpointException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        return 0;
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
