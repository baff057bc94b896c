package org.weightnorm4j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --dataset} and {@code --data} as {@code lr-sweep} and {@code noise} word them, as a
 * picocli mixin ({@code train}, {@code compare}, {@code eval} and {@code demo} say more in their
 * help and keep their own).
 */
final class DatasetOptions {
    @Option(names = "--dataset", paramLabel = "NAME", description = "Default: cifar10 for paper-cifar, else fashion-mnist.")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "Directory holding the dataset files.")
    Path data;
}
