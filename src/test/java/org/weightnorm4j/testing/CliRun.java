package org.weightnorm4j.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.weightnorm4j.cli.Main;
import picocli.CommandLine;

/** One {@code weightnorm} command run in-process, as end-to-end tests see it: its exit code and what it printed. */
public record CliRun(int code, String out, String err) {

    /** Runs the command line {@code args} (e.g. {@code "train", "--epochs", "1"}) through {@link Main#commandLine()}. */
    public static CliRun run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
