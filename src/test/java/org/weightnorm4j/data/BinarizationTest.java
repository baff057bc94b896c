package org.weightnorm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.tensor.Tensor;

/** {@link Binarization}: Bernoulli draws seeded by (seed, epoch, example), and the fixed test binarization. */
class BinarizationTest {

    private static Tensor grey(int n, int p) {
        Tensor t = Tensor.zeros(n, p);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, (i % 11) / 10.0);                                     // 0, 0.1, ..., 1
        }
        return t;
    }

    @Test
    void aDrawDependsOnlyOnSeedEpochAndExample() {
        Tensor images = grey(6, 50);
        Tensor all = images.zerosLike();
        Binarization.dynamic(images, new int[] {0, 1, 2, 3, 4, 5}, 9, 3, all);
        // The same examples in another batch arrangement: rows 4 and 1 alone, in that order.
        Tensor two = Tensor.zeros(2, 50), out = Tensor.zeros(2, 50);
        for (int j = 0; j < 50; j++) {
            two.set(j, images.get(4 * 50 + j));
            two.set(50 + j, images.get(50 + j));
        }
        Binarization.dynamic(two, new int[] {4, 1}, 9, 3, out);
        for (int j = 0; j < 50; j++) {
            assertEquals(all.get(4 * 50 + j), out.get(j));
            assertEquals(all.get(50 + j), out.get(50 + j));
        }
        Tensor again = images.zerosLike(), nextEpoch = images.zerosLike(), otherSeed = images.zerosLike();
        Binarization.dynamic(images, new int[] {0, 1, 2, 3, 4, 5}, 9, 3, again);
        Binarization.dynamic(images, new int[] {0, 1, 2, 3, 4, 5}, 9, 4, nextEpoch);
        Binarization.dynamic(images, new int[] {0, 1, 2, 3, 4, 5}, 10, 3, otherSeed);
        assertArrayEquals(all.data(), again.data(), "reproducible");
        assertFalse(Arrays.equals(all.data(), nextEpoch.data()), "a new draw each epoch");
        assertFalse(Arrays.equals(all.data(), otherSeed.data()), "another seed, another draw");
    }

    @Test
    void pixelsAreBernoulliOfTheirIntensity() {
        int n = 2000, p = 11;
        Tensor images = grey(n, p);
        Tensor out = images.zerosLike();
        int[] ids = new int[n];
        Arrays.setAll(ids, i -> i);
        Binarization.dynamic(images, ids, 1, 0, out);
        for (int j = 0; j < p; j++) {
            double intensity = j / 10.0, ones = 0;
            for (int i = 0; i < n; i++) {
                double b = out.get(i * p + j);
                assertEquals(true, b == 0 || b == 1);
                ones += b;
            }
            // Binomial(2000, q): standard deviation at most √(2000/4) ≈ 22, so 5σ ≈ 0.056 of the mean.
            assertEquals(intensity, ones / n, 0.056, "pixel intensity " + intensity);
            if (intensity == 0 || intensity == 1) {
                assertEquals(intensity * n, ones, 0, "0 and 1 are exact");
            }
        }
    }

    @Test
    void theFixedTestSetIsOneSeededDrawUnlikeAnyEpoch() {
        Tensor images = grey(5, 40);
        Dataset test = new Dataset("t", images.reshape(5, 1, 5, 8), new int[] {0, 1, 2, 3, 4}, List.of("a", "b", "c", "d", "e"));
        Dataset a = Binarization.fixed(test, 3), b = Binarization.fixed(test, 3);
        assertArrayEquals(a.images().data(), b.images().data());
        assertArrayEquals(test.labels(), a.labels());
        assertArrayEquals(new int[] {5, 1, 5, 8}, a.images().shape());
        Tensor epoch0 = images.zerosLike();
        Binarization.dynamic(images, new int[] {0, 1, 2, 3, 4}, 3, 0, epoch0);
        assertFalse(Arrays.equals(epoch0.data(), a.images().data()), "the test draw is not epoch 0's");
    }

    @Test
    void rejectsWhatIsNotAProbability() {
        Tensor images = Tensor.wrap(new float[] {0.5f, 1.5f}, 1, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Binarization.fixed(images, 1));
        assertEquals(true, e.getMessage().contains("1.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Binarization.dynamic(grey(1, 2), new int[] {0}, 1, -1, grey(1, 2)));
    }
}
