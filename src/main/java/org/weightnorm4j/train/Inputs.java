package org.weightnorm4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.weightnorm4j.data.ChannelNormalization;
import org.weightnorm4j.data.Dataset;
import org.weightnorm4j.data.DatasetSplits;
import org.weightnorm4j.data.Datasets;
import org.weightnorm4j.data.ZcaWhitening;

/**
 * Loads a dataset and prepares its inputs the way a run (and later its evaluation) needs them.
 * Preprocessing is fitted on the training split only and applied to both, so evaluating a
 * checkpoint repeats exactly what training saw:
 * <ul>
 *   <li>{@code none}: pixels in [0, 1], as the loaders give them (the Fashion-MNIST default, as in
 *       {@code shared/bench/torch_peer.py});</li>
 *   <li>{@code normalize}: per-channel mean 0 and standard deviation 1;</li>
 *   <li>{@code zca}: ZCA whitening (the paper's CIFAR-10 preprocessing, §5.1).</li>
 * </ul>
 */
public final class Inputs {
    /** The valid preprocessing names. */
    public static final List<String> PREPROCESSING = List.of("none", "normalize", "zca");

    private Inputs() {
    }

    /**
     * Loads {@code dataset} (located as in {@code Datasets.load}), optionally keeps only the first
     * examples of each split, and applies {@code preprocessing} (fitted on the whole training split).
     *
     * @param trainLimit keep the first this many training examples; 0 = all
     * @param testLimit  keep the first this many test examples; 0 = all
     */
    public static DatasetSplits load(String dataset, Path dataDir, String preprocessing, int trainLimit, int testLimit)
            throws IOException {
        String p = checkPreprocessing(preprocessing);
        DatasetSplits splits = Datasets.load(dataset, dataDir);
        Dataset train = splits.train();
        Dataset test = splits.test();
        // Fit on the whole training split, so that evaluation (which loads every example) repeats it.
        switch (p) {
            case "normalize" -> {
                ChannelNormalization n = ChannelNormalization.fit(train.images());
                n.apply(train.images());
                n.apply(test.images());
            }
            case "zca" -> {
                ZcaWhitening z = ZcaWhitening.fit(train.images());
                z.apply(train.images());
                z.apply(test.images());
            }
            default -> {
            }
        }
        return new DatasetSplits(trainLimit > 0 && trainLimit < train.size() ? train.head(trainLimit) : train,
                testLimit > 0 && testLimit < test.size() ? test.head(testLimit) : test, splits.source());
    }

    /** Returns the normalised name, or throws listing the valid ones. */
    public static String checkPreprocessing(String name) {
        String p = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (!PREPROCESSING.contains(p)) {
            throw new IllegalArgumentException("unknown preprocessing '" + name + "'; valid: " + String.join(", ", PREPROCESSING));
        }
        return p;
    }
}
