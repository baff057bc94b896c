package org.weightnorm4j.cli;

import org.weightnorm4j.tensor.GemmBlocking;
import org.weightnorm4j.tensor.HostInfo;
import org.weightnorm4j.tensor.KernelProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code weightnorm} command. Each subcommand is its own class in this package; this class
 * only lists them and maps outcomes to exit codes: 0 success, 1 failure, 2 usage error.
 */
@Command(name = "weightnorm",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Train neural networks with Weight Normalization (Salimans & Kingma, 2016): w = g v/||v||.",
        subcommands = {
                CommandLine.HelpCommand.class,
                DemoCommand.class,
                BenchCommand.class,
                DataCommand.class,
                TrainCommand.class,
                EvalCommand.class,
                ExplainCommand.class,
                CompareCommand.class,
                NoiseCommand.class,
                LrSweepCommand.class,
                PlayCommand.class,
                DqnCommand.class,
                DrawCommand.class,
                VaeCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--verbose",
            description = "Print which kernels run (e.g. 'kernels: panama-256 (...)'), the host (CPU, caches, cores) and the GEMM blocking to stderr before the command.")
    boolean verbose;

    @Option(names = "--gemm-blocking", paramLabel = "KC,MC,NC",
            description = "GEMM block sizes (depth, rows of A, columns of B) instead of those derived from this host's "
                    + "caches; --verbose prints the ones in use. Same as -D" + GemmBlocking.PROPERTY + ".")
    String gemmBlocking;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Builds the command line with the project's error handling, for tests and for main. */
    public static CommandLine commandLine() {
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
        // The kernels are chosen silently (a fallback to the slow scalar path excepted): one plain
        // line with --verbose, printed before the subcommand runs.
        cli.setExecutionStrategy(parseResult -> {
            if (main.gemmBlocking != null) {
                try {
                    GemmBlocking.override(main.gemmBlocking);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    throw new CommandLine.ParameterException(cli, "--gemm-blocking: " + e.getMessage());
                }
            }
            if (main.verbose) {
                cli.getErr().println(KernelProvider.description());
                cli.getErr().println(HostInfo.current().describe());
                GemmBlocking blocking = KernelProvider.gemmBlocking();
                if (blocking != null) {
                    cli.getErr().println(blocking);
                }
                cli.getErr().flush();
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            // Failures the user can act on carry their own message; print it without a stack trace.
            commandLine.getErr().println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            if (System.getenv("WEIGHTNORM_DEBUG") != null) {
                ex.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
