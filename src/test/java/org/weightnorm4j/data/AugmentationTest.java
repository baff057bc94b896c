package org.weightnorm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AugmentationTest {
    private static float[] ramp(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    @Test
    void flipMirrorsEachRowOfEachChannel() {
        // 2 channels, 2 rows, 3 columns, starting at offset 1.
        float[] x = {-1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        Augmentation.flipHorizontal(x, 1, 2, 2, 3);
        assertArrayEquals(new float[] {-1, 3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10}, x);
        Augmentation.flipHorizontal(x, 1, 2, 2, 3);
        assertArrayEquals(new float[] {-1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, x);
    }

    @ParameterizedTest
    @CsvSource({"0,0", "1,0", "0,1", "-2,1", "2,-2", "3,0", "0,-4", "5,5"})
    void translateMatchesPadAndCrop(int dy, int dx) {
        int c = 2, h = 3, w = 4;
        float[] src = ramp(c * h * w);
        float[] dst = new float[c * h * w];
        Augmentation.translate(src, 0, dst, 0, c, h, w, dy, dx);
        // Pad by 5 with zeros, crop the h x w window that starts at (5 - dy, 5 - dx).
        int p = 5;
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int py = y + p - dy, px = x + p - dx;
                    int sy = py - p, sx = px - p;
                    float expected = sy >= 0 && sy < h && sx >= 0 && sx < w ? src[(ch * h + sy) * w + sx] : 0;
                    assertEquals(expected, dst[(ch * h + y) * w + x], "ch " + ch + " y " + y + " x " + x);
                }
            }
        }
    }

    @Test
    void randomAugmentationIsDeterministicPerStreamAndCoversAllShifts() {
        Augmentation a = new Augmentation(true, 2);
        float[] scratch = new float[16];
        float[] x1 = ramp(16);
        float[] x2 = ramp(16);
        a.apply(x1, 0, 1, 4, 4, new SplittableRandom(3), scratch);
        a.apply(x2, 0, 1, 4, 4, new SplittableRandom(3), scratch);
        assertArrayEquals(x1, x2);

        // Over many draws every shift in [-2, 2]² and both flip states occur: check via a single bright pixel.
        boolean[][] seen = new boolean[5][5];
        int flips = 0;
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < 2000; i++) {
            long s = r.nextLong();
            SplittableRandom replay = new SplittableRandom(s);
            boolean flip = new SplittableRandom(s).nextBoolean(); // the first draw decides the flip
            float[] img = new float[7 * 7];
            img[3 * 7 + 2] = 1; // off-centre so a flip moves it
            new Augmentation(true, 2).apply(img, 0, 1, 7, 7, replay, new float[49]);
            int at = -1;
            for (int k = 0; k < 49; k++) {
                if (img[k] == 1) {
                    at = k;
                }
            }
            int col = flip ? 6 - 2 : 2;
            seen[at / 7 - 3 + 2][at % 7 - col + 2] = true;
            flips += flip ? 1 : 0;
        }
        for (boolean[] row : seen) {
            for (boolean b : row) {
                assertTrue(b, "every shift must occur");
            }
        }
        assertTrue(flips > 900 && flips < 1100, "flips " + flips);
    }

    @Test
    void noneLeavesTheImageAlone() {
        float[] x = ramp(12);
        Augmentation.NONE.apply(x, 0, 1, 3, 4, new SplittableRandom(1), new float[12]);
        assertArrayEquals(ramp(12), x);
    }
}
