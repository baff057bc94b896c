package org.weightnorm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The options that {@code draw}, {@code vae}, {@code dqn} and their {@code compare} share are
 * declared once, in mixins (GenerativeOptions, RunOptions, GridOptions, ProgressOption), and each
 * command keeps its own names, defaults and help.
 */
class GridCommandOptionsTest {

    private static final List<String> COMMANDS = List.of("draw", "draw compare", "vae", "vae compare", "dqn", "dqn compare");

    /** Options these commands declare each for itself, because they mean different things there. */
    private static final Map<String, String> OWN_PER_COMMAND = Map.of(
            "--out", "dqn's run directory is checked together with --game",
            "--param", "dqn also takes wn-mobn and defaults to normal",
            "--seed", "dqn's seeds the game too",
            "--resume", "dqn has no --epochs to raise",
            "--lr", "Adam for DRAW, Adamax for the VAE, the optimizer's for DQN",
            "--batch", "dqn's default is the optimizer's",
            "--hidden", "DRAW's LSTMs, the VAE's dense layer",
            "--latent", "per glimpse for DRAW, per image for the VAE");

    private static CommandLine command(String path) {
        return OptionDeclarations.command(path);
    }

    private static String description(String command, String option) {
        return String.join(" ", command(command).getCommandSpec().findOption(option).description());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "draw;--batch --checkpoint-minutes --clip --data --epochs --glimpses --help --hidden --init-std --latent --lr --out --param"
                + " --preset --progress-seconds --read --read-init --resume --seed --test-limit --threads --train-limit --version --write",
        "draw compare;--batch --checkpoint-minutes --clip --data --epochs --glimpses --help --hidden --init-std --latent --lr --out"
                + " --params --preset --progress-seconds --read --read-init --seeds --spark --test-limit --threads --train-limit"
                + " --version --write",
        "vae;--batch --channels --data --ema-decay --epochs --help --hidden --init-batch --is-limit --is-samples --latent --lr --out"
                + " --param --progress-seconds --resume --seed --test-limit --threads --train-limit --version",
        "vae compare;--batch --channels --data --ema-decay --epochs --help --hidden --init-batch --is-limit --is-samples --latent"
                + " --lr --out --params --progress-seconds --seeds --spark --test-limit --threads --train-limit --version",
        "dqn;--batch --checkpoint-every --exploration-frames --frames --game --help --learning-starts --lr --optimizer --out --param"
                + " --progress-seconds --replay --resume --seed --target-sync --threads --version --window",
        "dqn compare;--batch --checkpoint-every --exploration-frames --frames --games --help --learning-starts --lr --optimizer"
                + " --out --params --progress-seconds --replay --report-only --seeds --spark --target-sync --threads --version --window"})
    void optionNamesStay(String command, String names) {
        assertEquals(new TreeSet<>(List.of(names.split(" "))), OptionDeclarations.names(command), command);
    }

    /** An option several of the six commands take comes from one mixin class, unless it means different things per command. */
    @Test
    void sharedOptionsAreDeclaredOnce() {
        OptionDeclarations d = new OptionDeclarations(COMMANDS);
        assertEquals(List.of(), d.problems(OWN_PER_COMMAND.keySet()), "options declared more than once; move them into a shared mixin");
        Map<String, Set<String>> declaredIn = d.declaredIn;
        for (String name : OWN_PER_COMMAND.keySet()) {
            assertTrue(declaredIn.get(name).size() >= 2, name + " is declared once now; drop it from OWN_PER_COMMAND");
        }
    }

    /** Each command's help states its own defaults, with no token left unexpanded. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "draw|--progress-seconds|Seconds between progress lines on stderr (default: 60).",
        "draw compare|--progress-seconds|Seconds between progress lines on stderr (default: 60).",
        "vae|--progress-seconds|Seconds between progress lines on stderr (default: 30).",
        "vae compare|--progress-seconds|Seconds between progress lines on stderr (default: 30).",
        "dqn|--progress-seconds|Seconds between progress lines on stderr (default: 10).",
        "dqn compare|--progress-seconds|Seconds between progress lines on stderr (default: 10).",
        "draw|--epochs|Epochs (default: 10; the paper's Figure 4 goes to 100+).",
        "vae compare|--epochs|Epochs (default: 10; the paper trains far longer).",
        "draw compare|--seeds|Seeds, comma-separated (default: 1).",
        "vae compare|--seeds|Seeds, comma-separated (default: 1,2,3).",
        "dqn compare|--seeds|Seeds, comma-separated (default: 1).",
        "vae compare|--params|Parameterizations, comma-separated: normal, wn (default: normal,wn).",
        "dqn compare|--params|Parameterizations, comma-separated: normal, wn, wn-mobn (default: normal,wn).",
        "dqn|--frames|Frames to train each run for (default: 5000000, MinAtar's).",
        "vae|--out|Run directory (required).",
        "draw compare|--out|The grid's directory."})
    void helpShowsEachCommandsDefault(String command, String name, String expected) {
        assertEquals(expected, description(command, name));
    }

    @Test
    void noTokenIsLeftInTheHelp() {
        for (String command : COMMANDS) {
            for (OptionSpec o : command(command).getCommandSpec().options()) {
                String d = String.join(" ", o.description()).replace("${DEFAULT-VALUE}", "");
                assertFalse(d.contains("{"), command + " " + o.longestName() + ": " + d);
            }
        }
    }

    @Test
    void defaultsResolvePerCommand() {
        assertEquals(60.0, OptionDeclarations.<DrawCommand>parse("draw").options.common.progress.seconds());
        assertEquals(30.0, OptionDeclarations.<VaeCompareCommand>parse("vae compare", "--out", "x").options.common.progress.seconds());
        assertEquals(10.0, OptionDeclarations.<DqnCommand>parse("dqn").settings.progress.seconds());
        assertEquals(2.5, OptionDeclarations.<VaeCommand>parse("vae", "--progress-seconds", "2.5").options.common.progress.seconds());
        assertEquals(List.of(1L, 2L, 3L), OptionDeclarations.<VaeCompareCommand>parse("vae compare", "--out", "x").grid.seeds());
        assertEquals(List.of(1L), OptionDeclarations.<DrawCompareCommand>parse("draw compare", "--out", "x").grid.seeds());
        assertEquals(List.of(4L, 5L), OptionDeclarations.<DqnCompareCommand>parse("dqn compare", "--out", "x", "--seeds", "4, 5").grid.seeds());
        DrawCommand d = OptionDeclarations.parse("draw", "--epochs", "3", "--batch", "7", "--train-limit", "9", "--param", "normal");
        assertEquals(List.of(3, 7, 9, 0), List.of(d.options.common.epochs, d.options.common.batch, d.options.common.trainLimit,
                d.options.common.testLimit));
        assertFalse(d.run.weightNorm(d.spec.commandLine()));
    }

    /** draw and vae compare take only normal and wn, and say so naming the option; a bad seed names --seeds. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "draw compare|--params|normal,wn-mobn|--params takes normal and wn here, got 'wn-mobn'",
        "vae compare|--params|wn,bogus|--params:",
        "vae compare|--seeds|1,x|--seeds: 'x' is not an integer",
        "draw|--param|bn|--param must be normal or wn, got 'bn'"})
    void badGridValuesAreUsageErrors(String command, String option, String value, String message) {
        CommandLine cli = Main.commandLine();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.addAll(List.of(option, value, "--out", "no-such-dir-is-written", "--data", "no-such-mnist-dir"));
        assertEquals(2, cli.execute(args.toArray(String[]::new)), err.toString());
        assertTrue(err.toString().contains(message), err.toString());
    }
}
