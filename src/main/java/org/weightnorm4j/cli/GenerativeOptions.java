package org.weightnorm4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.weightnorm4j.data.DatasetNotFoundException;
import org.weightnorm4j.experiments.GridData;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What {@code draw}, {@code vae} and their {@code compare} share besides the model, as a picocli
 * mixin: the budget ({@code --epochs}, {@code --batch}), binarized MNIST and how much of it
 * ({@code --data}, {@code --train-limit}, {@code --test-limit}), progress lines and compute
 * threads. Each command builds it with its own note on the paper's epochs and its own progress
 * interval; the rest, the paper's, is the same for both models.
 */
final class GenerativeOptions extends PerCommandMixin {
    private final String epochsNote;

    /** A command's instance: what to say of the paper's epochs, and the default seconds between progress lines. */
    GenerativeOptions(String epochsNote, int progressSeconds) {
        this.epochsNote = epochsNote;
        this.progress = new ProgressOption(progressSeconds);
    }

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10", description = "Epochs (default: ${DEFAULT-VALUE}; {generative:epochs}).")
    int epochs;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "100", description = "Minibatch size (default: ${DEFAULT-VALUE}, the paper's).")
    int batch;

    @Option(names = "--train-limit", paramLabel = "N", defaultValue = "0", description = "Use the first N training images (default: all 60000).")
    int trainLimit;

    @Option(names = "--test-limit", paramLabel = "N", defaultValue = "0", description = "Use the first N test images (default: all 10000).")
    int testLimit;

    @Option(names = "--data", paramLabel = "DIR", description = "Directory holding MNIST's IDX files (default: as 'weightnorm data' finds them).")
    Path data;

    @CommandLine.Mixin
    ProgressOption progress;

    @CommandLine.Mixin
    ThreadsOption threads = new ThreadsOption();

    @Override
    Map<String, String> helpTokens() {
        return Map.of("{generative:epochs}", epochsNote);
    }

    /** A way to load MNIST at a directory (null: found as 'weightnorm data' does) with two limits (0: all). */
    @FunctionalInterface
    interface Mnist<T> {
        T of(Path dir, int trainLimit, int testLimit) throws IOException;
    }

    /**
     * The data, loaded by {@code load}, or ({@code keep}) through this JVM's grid-data cache, which
     * local-mode Spark tasks read, from the {@code source} a {@code --spark} task loads; a missing
     * dataset is a usage error that names the fetch command.
     */
    <D> D load(CommandLine cl, boolean keep, Mnist<D> load, Mnist<? extends GridData<D>> source) throws IOException {
        try {
            return keep ? GridData.loadCached(source(source)) : load.of(data, trainLimit, testLimit);
        } catch (DatasetNotFoundException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage() + "\nFetch it with: weightnorm data fetch mnist");
        }
    }

    /** What {@code of} makes of the data options: for a {@code --spark} task, the same directory and limits. */
    <T> T source(Mnist<T> of) throws IOException {
        return of.of(data, trainLimit, testLimit);
    }
}
