package org.weightnorm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Reads the real Fashion-MNIST of Debian's dataset-fashion-mnist, when installed. */
class RealFashionMnistTest {
    private static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

    @Test
    void loadsSixtyAndTenThousandImagesWithBalancedLabels() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(DIR) && KnownDataset.FASHION_MNIST.missingIn(DIR).isEmpty(),
                "dataset-fashion-mnist is not installed");
        DatasetSplits s = Datasets.loadFrom(KnownDataset.FASHION_MNIST, DIR);
        assertArrayEquals(new int[] {60000, 1, 28, 28}, s.train().images().shape());
        assertArrayEquals(new int[] {10000, 1, 28, 28}, s.test().images().shape());
        int[] perClass = new int[10];
        for (int label : s.train().labels()) {
            perClass[label]++;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(6000, perClass[c], "Fashion-MNIST has 6000 training images per class");
        }
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (float v : s.test().images().data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
        assertTrue(s.train().toString().contains("[60000, 1, 28, 28]"));
    }
}
