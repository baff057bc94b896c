package org.weightnorm4j.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * {@code args} followed by each option of {@code defaults} (name, value, name, value, ...) that
     * {@code args} does not give: an option given in {@code args} replaces its default.
     */
    public static String[] withDefaults(String[] args, String... defaults) {
        List<String> all = new ArrayList<>(List.of(args));
        for (int i = 0; i < defaults.length; i += 2) {
            if (!all.contains(defaults[i])) {
                all.add(defaults[i]);
                all.add(defaults[i + 1]);
            }
        }
        return all.toArray(new String[0]);
    }
}
