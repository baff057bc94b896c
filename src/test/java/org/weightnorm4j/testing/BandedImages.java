package org.weightnorm4j.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A tiny Fashion-MNIST-shaped dataset for end-to-end tests: 28x28 images in which class k
 * lights up the two rows of band k (180 + noise against 20 + noise), so a few epochs learn it.
 * Written as uncompressed IDX files under the names the Fashion-MNIST reader looks for.
 */
public final class BandedImages {
    private BandedImages() {
    }

    /** Writes {@code PREFIX-images-idx3-ubyte} and {@code PREFIX-labels-idx1-ubyte} ("train" or "t10k") into {@code dir}. */
    public static void writeSplit(Path dir, String prefix, int n, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        ByteBuffer images = ByteBuffer.allocate(16 + n * 784).putInt(0x803).putInt(n).putInt(28).putInt(28);
        ByteBuffer labels = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(10);
            labels.put((byte) k);
            for (int p = 0; p < 784; p++) {
                images.put((byte) ((p / 28 / 2 == k ? 180 : 20) + r.nextInt(60)));
            }
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), images.array());
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), labels.array());
    }
}
