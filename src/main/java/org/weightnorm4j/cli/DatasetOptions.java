package org.weightnorm4j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --dataset} and {@code --data}, as a picocli mixin: declared once for {@code train},
 * {@code compare}, {@code lr-sweep} and {@code noise}. The default dataset is the model's
 * {@link org.weightnorm4j.model.Recipe} (the commands' {@code RecipeHelp} writes it into the help).
 */
final class DatasetOptions {
    @Option(names = "--dataset", paramLabel = "NAME", description = "fashion-mnist, mnist or cifar10. Default: {recipe:dataset}.")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "Directory holding the dataset files"
            + " (else $WEIGHTNORM_DATA, the user cache, /usr/share/datasets/...; see 'weightnorm data info').")
    Path data;
}
