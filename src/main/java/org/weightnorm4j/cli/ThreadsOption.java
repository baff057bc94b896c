package org.weightnorm4j.cli;

import org.weightnorm4j.tensor.Parallel;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --threads}, as a picocli mixin: the one definition (and check) of the compute-thread
 * option that {@code train}, {@code eval}, {@code compare}, {@code lr-sweep}, {@code noise},
 * {@code demo}, and {@code draw}, {@code vae}, {@code dqn} and their {@code compare} share.
 * ({@code bench} has its own, with 0 meaning one per core.)
 */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "T", description = "Compute threads (default: all cores).")
    Integer threads;

    /**
     * As {@link #apply(CommandLine.Model.CommandSpec)}; under {@code --spark} ({@code grid}) the
     * default is one thread per run, since the tasks of a grid share the machine's cores.
     */
    void apply(CommandLine.Model.CommandSpec spec, boolean grid) {
        if (grid && threads == null) {
            Parallel.setThreads(1);
        }
        apply(spec);
    }

    /** Sets the kernels' thread count when the option was given; below 1 is a usage error (exit code 2). */
    void apply(CommandLine.Model.CommandSpec spec) {
        if (threads != null) {
            if (threads < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be at least 1, got " + threads);
            }
            Parallel.setThreads(threads);
        }
    }
}
