package org.weightnorm4j.cli;

import java.util.Map;
import org.weightnorm4j.model.Recipe;
import org.weightnorm4j.train.Inputs;
import picocli.CommandLine.Option;

/**
 * Input preprocessing and augmentation, as a picocli mixin: {@code --preprocess}, {@code --flip}
 * and {@code --shift}, declared once for {@code train} (all three) and {@code compare}
 * ({@code --preprocess}). The default preprocessing is the model's {@link Recipe}.
 */
final class PreprocessOptions extends PerCommandMixin {

    /** A command's instance: the options it takes (none named = all). */
    PreprocessOptions(String... takes) {
        super(takes);
    }

    @Option(names = "--preprocess", paramLabel = "none|normalize|zca",
            description = "Input preprocessing, fitted on the training split (none: pixels in [0, 1])."
                    + " Default: {recipe:preprocess}.")
    String preprocess;

    @Option(names = "--flip", description = "Augment: random horizontal flips.")
    boolean flip;

    @Option(names = "--shift", paramLabel = "PIXELS", defaultValue = "0", description = "Augment: random translations up to this many pixels.")
    int shift;

    @Override
    Map<String, String> helpTokens() {
        return Map.of();
    }

    /** The checked preprocessing on {@code dataset}: {@code --preprocess}, else {@code recipe}'s. */
    String preprocessing(Recipe recipe, String dataset) {
        return Inputs.checkPreprocessing(preprocess != null ? preprocess : recipe.preprocessing(dataset));
    }
}
