package org.weightnorm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Reads the real MNIST where {@code weightnorm data fetch mnist} put it (the user cache, as
 * {@code .ci/run} does before the tests) or wherever the locator finds it; skipped when absent.
 */
class RealMnistTest {

    @Test
    void loadsLeCunsSixtyAndTenThousandDigits() throws Exception {
        DatasetLocator locator = DatasetLocator.standard(null);
        Path dir = locator.probe(KnownDataset.MNIST).stream().filter(DatasetLocator.Probe::found)
                .map(DatasetLocator.Probe::dir).findFirst().orElse(null);
        Assumptions.assumeTrue(dir != null, "MNIST not fetched (weightnorm data fetch mnist)");
        DatasetSplits s = Datasets.loadFrom(KnownDataset.MNIST, dir);
        assertArrayEquals(new int[] {60000, 1, 28, 28}, s.train().images().shape());
        assertArrayEquals(new int[] {10000, 1, 28, 28}, s.test().images().shape());
        int[] perClass = new int[10];
        for (int label : s.train().labels()) {
            perClass[label]++;
        }
        // LeCun's training set is not balanced: these are its well-known class counts.
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, perClass);
        assertEquals(7, s.test().labels()[0], "the first test digit is a 7");
        float max = 0;
        for (float v : s.test().images().data()) {
            max = Math.max(max, v);
        }
        assertEquals(1f, max);
        if (dir.equals(locator.cacheDir(KnownDataset.MNIST))) {
            MnistFetcher f = MnistFetcher.standard(null, line -> { });
            assertTrue(f.missing(dir).isEmpty(), "the fetched files carry the recorded digests");
        }
    }
}
