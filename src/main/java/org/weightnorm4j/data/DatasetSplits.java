package org.weightnorm4j.data;

/**
 * The train and test splits of a dataset, and the directory they were read from.
 *
 * @param source the directory the files came from (for logs and reports)
 */
public record DatasetSplits(Dataset train, Dataset test, java.nio.file.Path source) {
    public DatasetSplits {
        if (train.channels() != test.channels() || train.height() != test.height() || train.width() != test.width()) {
            throw new IllegalArgumentException("train images " + java.util.Arrays.toString(train.images().shape())
                    + " and test images " + java.util.Arrays.toString(test.images().shape()) + " differ in image shape");
        }
    }
}
