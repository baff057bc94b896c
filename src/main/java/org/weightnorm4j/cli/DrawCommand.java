package org.weightnorm4j.cli;

import java.io.IOException;
import java.util.Locale;
import org.weightnorm4j.experiments.DrawExperiment;
import org.weightnorm4j.experiments.DrawGridRun;
import org.weightnorm4j.generative.DrawConfig;
import org.weightnorm4j.generative.DrawRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weightnorm draw}: trains DRAW (§5.3 of the paper; docs/DRAW.md) on binarized MNIST into
 * {@code --out} ({@link DrawExperiment}: metrics.csv, checkpoints, summary.json, the canvas
 * pictures); Ctrl-C or SIGTERM writes a checkpoint and prints the command that resumes it.
 */
@Command(name = "draw", mixinStandardHelpOptions = true, subcommands = DrawCompareCommand.class, modelTransformer = RecipeHelp.class,
        description = {"Train DRAW with attention (the paper's §5.3: read 2x2, write 5x5, 64 glimpses, LSTMs of 256, latent 100,"
                + " Adam 3e-4, gradient norm clipped at 10, batch 100) on binarized MNIST, plain or weight-normalized (LSTMs included).",
                "Writes metrics.csv (per epoch), a checkpoint (every epoch, every --checkpoint-minutes and on Ctrl-C), summary.json"
                        + " (test_bound: the negative ELBO in nats per image) and the canvas drawn glimpse by glimpse (animated PNG).",
                "Exit codes: 0 done, 1 failure, 2 bad usage, 130/143 interrupted (checkpoint written)."})
public final class DrawCommand extends GenerativeRunCommand {

    @CommandLine.Mixin
    DrawOptions options = new DrawOptions();

    @Override
    String name() {
        return "draw";
    }

    @Override
    GenerativeOptions common() {
        return options.common;
    }

    @Override
    RunOptions.EpochRun prepare(CommandLine cl, boolean weightNorm, long seed) throws IOException {
        DrawRun.Settings settings = options.settings(cl, weightNorm, seed);
        DrawExperiment.Data data = options.load(cl, false);
        return (out, resume, log, stop) -> DrawExperiment.runOne(settings, options.common.epochs, data, out, resume, log, stop,
                options.common.progress.seconds(), options.checkpointMinutes * 60);
    }

    /**
     * The options {@code draw} and {@code draw compare} share: the model and the optimisation, and
     * ({@link GenerativeOptions}, as {@code vae}) the data and the budget.
     */
    static final class DrawOptions {
        @Option(names = "--preset", defaultValue = "paper", paramLabel = "paper|reduced", description = "Defaults for the model and"
                + " optimisation options: paper (the paper's, as each option's default below) or reduced (DrawRun.Settings.reduced,"
                + " docs/DRAW.md: a laptop-sized DRAW); options given explicitly override the preset (default: ${DEFAULT-VALUE}).")
        String preset;

        @Option(names = "--glimpses", defaultValue = "64", description = "Glimpses T (default: ${DEFAULT-VALUE}, the paper's).")
        int glimpses;

        @Option(names = "--hidden", defaultValue = "256", description = "Units of each LSTM (default: ${DEFAULT-VALUE}, the paper's).")
        int hidden;

        @Option(names = "--latent", defaultValue = "100", description = "Latent units per glimpse (default: ${DEFAULT-VALUE}, the paper's).")
        int latent;

        @Option(names = "--read", defaultValue = "2", paramLabel = "N", description = "Read attention N x N, N >= 2, or 0: no attention,"
                + " read the whole image and error image (default: ${DEFAULT-VALUE}, the paper's).")
        int read;

        @Option(names = "--write", defaultValue = "5", paramLabel = "N", description = "Write attention N x N, N >= 2, or 0: no attention,"
                + " write a whole image (default: ${DEFAULT-VALUE}, the paper's).")
        int write;

        @Option(names = "--read-init", defaultValue = "zero", paramLabel = "zero|digit", description = "Read attention's starting"
                + " grid: zero (biases zero, the paper's: a 2x2 grid starts on the image border) or digit (its bias puts the grid over"
                + " the central 20x20 digit box, sigma = delta/2; departs from the paper) (default: ${DEFAULT-VALUE}).")
        String readInit;

        @Option(names = "--lr", defaultValue = "3e-4", description = "Adam step size (default: ${DEFAULT-VALUE}, the paper's).")
        double lr;

        @Option(names = "--clip", defaultValue = "10", description = "Global gradient-norm clipping (default: ${DEFAULT-VALUE}, the paper's).")
        double clip;

        @Option(names = "--init-std", defaultValue = "0.01", description = "Standard deviation of the Gaussian weight init (default: ${DEFAULT-VALUE}).")
        double initStd;

        @Option(names = "--checkpoint-minutes", defaultValue = "10", description = "Minutes between checkpoints within an epoch (default: ${DEFAULT-VALUE}).")
        double checkpointMinutes;

        @CommandLine.Mixin
        GenerativeOptions common = new GenerativeOptions("the paper's Figure 4 goes to 100+", 60);

        DrawRun.Settings settings(CommandLine cl, boolean weightNorm, long seed) {
            try {
                if (common.epochs < 1 || !(common.progress.seconds() > 0) || !(checkpointMinutes > 0) || common.trainLimit < 0
                        || common.testLimit < 0) {
                    throw new IllegalArgumentException("--epochs must be >= 1, --progress-seconds and --checkpoint-minutes > 0,"
                            + " the limits >= 0");
                }
                DrawRun.Settings given = new DrawRun.Settings(new DrawConfig(28, 28, glimpses, hidden, latent, read, write), weightNorm,
                        seed, common.batch, lr, clip, initStd, DrawRun.ReadInit.parse(readInit));
                return switch (preset.toLowerCase(Locale.ROOT)) {
                    case "paper" -> given;
                    case "reduced" -> overridePreset(cl, DrawRun.Settings.reduced(weightNorm, seed), given);
                    default -> throw new IllegalArgumentException("--preset must be paper or reduced, got '" + preset + "'");
                };
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, e.getMessage());
            }
        }

        /** The preset's values, except for each option given on the command line, which takes the given value. */
        private static DrawRun.Settings overridePreset(CommandLine cl, DrawRun.Settings p, DrawRun.Settings given) {
            CommandLine.ParseResult r = cl.getParseResult();
            DrawConfig m = p.model(), g = given.model();
            DrawConfig model = new DrawConfig(28, 28, r.hasMatchedOption("--glimpses") ? g.glimpses() : m.glimpses(),
                    r.hasMatchedOption("--hidden") ? g.hidden() : m.hidden(), r.hasMatchedOption("--latent") ? g.latent() : m.latent(),
                    r.hasMatchedOption("--read") ? g.readN() : m.readN(), r.hasMatchedOption("--write") ? g.writeN() : m.writeN());
            return new DrawRun.Settings(model, given.weightNorm(), given.seed(), r.hasMatchedOption("--batch") ? given.batch() : p.batch(),
                    r.hasMatchedOption("--lr") ? given.lr() : p.lr(), r.hasMatchedOption("--clip") ? given.clip() : p.clip(),
                    r.hasMatchedOption("--init-std") ? given.initStd() : p.initStd(),
                    r.hasMatchedOption("--read-init") ? given.readInit() : p.readInit());
        }

        /** The data; {@code keep}: in this JVM's grid-data cache, which local-mode Spark tasks read. */
        DrawExperiment.Data load(CommandLine cl, boolean keep) throws IOException {
            return common.load(cl, keep, DrawExperiment.Data::mnist, DrawGridRun.Mnist::of);
        }

        /** The data as a {@code --spark} task loads it: the same directory (absolute) and limits. */
        DrawGridRun.Mnist source() throws IOException {
            return common.source(DrawGridRun.Mnist::of);
        }
    }
}
