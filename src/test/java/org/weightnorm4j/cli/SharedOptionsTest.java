package org.weightnorm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The options the commands share through mixins (ThreadsOption, SeedOption, OptimizerOptions,
 * PresetOptions, ParamGridOptions, DatasetOptions) keep each command's names, defaults and checks.
 */
class SharedOptionsTest {

    private static CommandLine.Model.OptionSpec option(String command, String name) {
        CommandLine sub = Main.commandLine().getSubcommands().get(command);
        assertNotNull(sub, command);
        CommandLine.Model.OptionSpec o = sub.getCommandSpec().findOption(name);
        assertNotNull(o, command + " has no " + name);
        return o;
    }

    /** Every command validates {@code --threads} the same way, before it touches data or checkpoints. */
    @ParameterizedTest
    @ValueSource(strings = {"train", "eval", "compare", "lr-sweep", "noise", "demo"})
    void threadsBelowOneIsAUsageError(String command) {
        List<String> args = command.equals("eval")
                ? List.of(command, "--checkpoint", "no-such-checkpoint", "--threads", "0")
                : List.of(command, "--threads", "0");
        CommandLine cli = Main.commandLine();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args.toArray(String[]::new));
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("--threads must be at least 1, got 0"), err.toString());
        assertEquals("Compute threads (default: all cores).", option(command, "--threads").description()[0]);
    }

    /** Defaults that differ per command stay different: noise is plain SGD, the others momentum 0.9. */
    @ParameterizedTest
    @CsvSource({"compare,--seed,1", "lr-sweep,--seed,1", "noise,--seed,1", "demo,--seed,1", "train,--seed,1",
            "compare,--model,mlp", "lr-sweep,--model,mlp", "compare,--train-limit,0", "lr-sweep,--test-limit,0",
            "compare,--params,'normal,bn,wn,wn-mobn,mobn'", "lr-sweep,--params,'normal,bn,wn,wn-mobn,mobn'",
            "demo,--train-limit,30000"})
    void defaultsArePerCommand(String command, String name, String expected) {
        assertEquals(expected, option(command, name).defaultValue(), command + " " + name);
    }

    /**
     * {@code --momentum} has no picocli default (the commands' differ), so the defaults are checked
     * where they are resolved: noise is plain SGD, the others momentum 0.9 (OptionMixinsTest checks
     * the whole optimizer).
     */
    @ParameterizedTest
    @CsvSource({"train,0.9", "compare,0.9", "lr-sweep,0.9", "noise,0"})
    void momentumDefaultsArePerCommand(String command, double expected) {
        CommandLine top = Main.commandLine();
        top.parseArgs(command);
        CommandLine sub = top.getSubcommands().get(command);
        OptimizerOptions o = (OptimizerOptions) sub.getCommandSpec().mixins().values().stream()
                .map(CommandLine.Model.CommandSpec::userObject).filter(OptimizerOptions.class::isInstance).findFirst().orElseThrow();
        assertEquals(expected, o.momentum(), command);
    }
}
