package org.weightnorm4j.cli;

import java.io.IOException;
import java.util.List;
import org.weightnorm4j.experiments.VaeExperiment;
import org.weightnorm4j.experiments.VaeGridRun;
import org.weightnorm4j.generative.ImportanceSampling;
import org.weightnorm4j.generative.ReferenceVae;
import org.weightnorm4j.generative.VaeSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weightnorm vae}: the paper's §5.2 convolutional VAE on dynamically binarized MNIST
 * (docs/VAE.md), one run into {@code --out} ({@link VaeExperiment#runOne}); {@code vae compare}
 * runs a grid of them and writes a report ({@link VaeCompareCommand}). Ctrl-C or SIGTERM finishes
 * the step, writes a checkpoint and prints the {@code --resume} command.
 */
@Command(name = "vae", mixinStandardHelpOptions = true, subcommands = VaeCompareCommand.class, modelTransformer = RecipeHelp.class,
        description = {"Train the paper's convolutional VAE (§5.2) on binarized MNIST: Adamax, Polyak averaging, ELBO in"
                + " nats per image, then the importance-sampled log p(x) on the test set.",
                "Writes metrics.csv (per epoch), a checkpoint (every epoch and on Ctrl-C), summary.json, samples.png and"
                        + " reconstructions.png. 'weightnorm eval --checkpoint OUT' scores it again.",
                "Exit codes: 0 done, 1 failure, 2 bad usage, 130/143 interrupted (checkpoint written)."})
public final class VaeCommand extends GenerativeRunCommand {

    @CommandLine.Mixin
    VaeOptions options = new VaeOptions();

    @Override
    String name() {
        return "vae";
    }

    @Override
    GenerativeOptions common() {
        return options.common;
    }

    @Override
    RunOptions.EpochRun prepare(CommandLine cl, boolean weightNorm, long seed) throws IOException {
        VaeExperiment.Data data = options.load(cl, false);
        VaeSettings settings = options.settings(cl, weightNorm, seed, data.train().size());
        return (out, resume, log, stop) -> VaeExperiment.runOne(settings, data, out, resume, log, stop,
                options.common.progress.seconds());
    }

    /**
     * The options {@code vae} and {@code vae compare} share: the model and the optimizer, and
     * ({@link GenerativeOptions}, as {@code draw}) the data and the budget.
     */
    static final class VaeOptions {
        @Option(names = "--latent", defaultValue = "32", description = "Latent dimensions (default: ${DEFAULT-VALUE}, the paper's).")
        int latent;

        @Option(names = "--lr", defaultValue = "0.002", description = "Adamax step size (default: ${DEFAULT-VALUE}, the paper's).")
        double lr;

        @Option(names = "--ema-decay", description = "Decay of the Polyak average (default: 1 - 1/(10 x steps per epoch), ten epochs of memory).")
        Double emaDecay;

        @Option(names = "--channels", split = ",", paramLabel = "C1,C2", description = "Feature maps of the stages (default: 16,32, the paper's).")
        List<Integer> channels;

        @Option(names = "--hidden", defaultValue = "450", description = "Units of the dense layer (default: ${DEFAULT-VALUE}, the paper's).")
        int hidden;

        @Option(names = "--init-batch", defaultValue = "500", description = "Images of the data-dependent init batch, wn (default: ${DEFAULT-VALUE}).")
        int initBatch;

        @Option(names = "--is-samples", defaultValue = "" + ImportanceSampling.DEFAULT_SAMPLES,
                description = "K of the importance-sampled log p(x) at the end (default: ${DEFAULT-VALUE}; 0 skips it).")
        int isSamples;

        @Option(names = "--is-limit", defaultValue = "0", description = "Test images the importance-sampled estimate covers (default: all used).")
        int isLimit;

        @CommandLine.Mixin
        GenerativeOptions common = new GenerativeOptions("the paper trains far longer", 30);

        /** The settings for a training set of {@code trainImages} images (the default EMA decay depends on it). */
        VaeSettings settings(CommandLine cl, boolean weightNorm, long seed, int trainImages) {
            try {
                if (channels != null && (channels.isEmpty() || channels.size() > 2)) {
                    throw new IllegalArgumentException("--channels takes one or two numbers (C1,C2), got " + channels);
                }
                int c1 = channels == null ? 16 : channels.get(0);
                int c2 = channels == null ? 32 : channels.get(channels.size() - 1);
                double decay = emaDecay != null ? emaDecay : VaeSettings.defaultEmaDecay(trainImages, common.batch);
                return new VaeSettings(weightNorm, common.epochs, seed, new ReferenceVae.Sizes(c1, c2, hidden, latent, 28), common.batch,
                        lr, decay, initBatch, common.trainLimit, common.testLimit, isSamples, isLimit);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, e.getMessage());
            }
        }

        /** The data; {@code keep}: in this JVM's grid-data cache, which local-mode Spark tasks read. */
        VaeExperiment.Data load(CommandLine cl, boolean keep) throws IOException {
            return common.load(cl, keep, VaeExperiment.Data::mnist, VaeGridRun.Mnist::of);
        }

        /** The data as a {@code --spark} task loads it: the same directory (absolute) and limits. */
        VaeGridRun.Mnist source() throws IOException {
            return common.source(VaeGridRun.Mnist::of);
        }
    }
}
