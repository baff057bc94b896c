package org.weightnorm4j.cli;

import com.google.gson.GsonBuilder;
import java.io.PrintWriter;
import java.util.List;
import org.weightnorm4j.rl.EnvironmentSpeed;
import org.weightnorm4j.rl.MinAtar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weightnorm bench env}: frames per second of each MinAtar game on one thread, stepping alone
 * and with the observation written, and the bytes allocated per frame (0: stepping is
 * allocation-free). The same numbers as {@code weightnorm play --bench}.
 */
@Command(name = "env", mixinStandardHelpOptions = true,
        description = "Environment stepping speed per MinAtar game (frames/s, one thread) and bytes allocated per frame;"
                + " one JSON object per game.")
public final class BenchEnvCommand implements Runnable {
    @Option(names = "--game", split = ",", description = "Games (default: all five).")
    List<String> games;

    @Option(names = "--seconds", defaultValue = "2", description = "Timed seconds per game and mode (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--sticky", defaultValue = "0.1", description = "Sticky-action probability (default: ${DEFAULT-VALUE}).")
    double sticky;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        List<String> gs = games == null ? MinAtar.GAMES : games.stream().map(MinAtar::canonicalName).toList();
        for (String g : gs) {
            if (!MinAtar.GAMES.contains(g)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown game '" + g + "'; the games are " + MinAtar.GAMES);
            }
        }
        if (!(seconds > 0) || !(sticky >= 0 && sticky <= 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seconds must be > 0 and --sticky in [0, 1]");
        }
        PrintWriter out = spec.commandLine().getOut();
        for (String g : gs) {
            out.println(new GsonBuilder().serializeNulls().create().toJson(EnvironmentSpeed.measure(g, seed, sticky, true, seconds)));
            out.flush();
        }
    }
}
