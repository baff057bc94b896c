package org.weightnorm4j.cli;

import java.util.Map;
import java.util.Objects;
import org.weightnorm4j.model.Recipe;
import picocli.CommandLine.Option;

/**
 * How long a run trains and on how many images at a time, as a picocli mixin: {@code --epochs},
 * {@code --batch} and {@code --init-batch}, declared once for {@code train} (all three),
 * {@code compare} and {@code lr-sweep} ({@code --epochs}, {@code --batch}). A command's default for
 * {@code --epochs} and {@code --batch} is a fixed number or, where it gives none (null), the
 * model's {@link Recipe}; the fields are null when the option was not given.
 */
final class BatchOptions extends PerCommandMixin {
    private final Integer defaultEpochs;
    private final Integer defaultBatch;

    /** A command's instance: its default epochs and batch size (null: the recipe's), and the options it takes (none = all). */
    BatchOptions(Integer defaultEpochs, Integer defaultBatch, String... takes) {
        super(takes);
        this.defaultEpochs = defaultEpochs;
        this.defaultBatch = defaultBatch;
    }

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs per run. Default: {batch:epochs}.")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "B", description = "Minibatch size. Default: {batch:batch}.")
    Integer batch;

    @Option(names = "--init-batch", paramLabel = "N",
            description = "Images for the data-dependent initialisation of weight-normalized layers (0 = none)."
                    + " Default: {recipe:init}.")
    Integer initBatch;

    @Override
    Map<String, String> helpTokens() {
        return Map.of("{batch:epochs}", defaultEpochs != null ? defaultEpochs.toString() : "{recipe:epochs}",
                "{batch:batch}", defaultBatch != null ? defaultBatch.toString() : "{recipe:batch}");
    }

    /** {@code --epochs}, else the command's default, else {@code recipe}'s (which may be null when the command has a default). */
    int epochs(Recipe recipe) {
        return epochs != null ? epochs : defaultEpochs != null ? defaultEpochs : Objects.requireNonNull(recipe).epochs();
    }

    /** {@code --batch}, else the command's default, else {@code recipe}'s (which may be null when the command has a default). */
    int batch(Recipe recipe) {
        return batch != null ? batch : defaultBatch != null ? defaultBatch : Objects.requireNonNull(recipe).batchSize();
    }

    /** {@code --init-batch}, else {@code recipe}'s at minibatch size {@code batch}. */
    int initBatch(Recipe recipe, int batch) {
        return initBatch != null ? initBatch : recipe.initBatch(batch);
    }
}
