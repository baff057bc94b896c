package org.weightnorm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link BorderedPlanes#zeroBorders} then {@link BorderedPlanes#copy} over a destination full of
 * NaN gives exactly what zeroing all of it first gives: every element not copied is zeroed, none is
 * zeroed twice over a copied one; {@link BorderedPlanes#copyBordered}, the two in one sweep, gives
 * the same. Planes of 1, 7, 17 and 1023 pixels, paddings 0 to 3, extra rows below.
 */
class BorderedPlanesTest {
    @Test
    void zeroBordersAndCopyEqualZeroAllAndCopy() {
        SplittableRandom rnd = new SplittableRandom(7);
        int[][] planes = {{1, 1}, {1, 7}, {7, 1}, {17, 1}, {33, 31}, {28, 28}, {7, 7}, {2, 9}};
        for (int[] hw : planes) {
            for (int pad = 0; pad <= 3; pad++) {
                for (int extra = 0; extra <= 5; extra++) {
                    int extraRows = extra % 3, extraCols = extra / 3;     // rows below; columns right (a strided pass's phases)
                    int h = hw[0], w = hw[1], channels = 3, off = 5;
                    int rowLength = w + 2 * pad + extraCols, planeSize = (h + 2 * pad + extraRows) * rowLength;
                    float[] src = new float[off + channels * h * w];
                    for (int i = 0; i < src.length; i++) {
                        src[i] = (float) rnd.nextGaussian();
                    }
                    int dstOff = 3, size = dstOff + channels * planeSize + 4;
                    float[] expected = new float[size];
                    Arrays.fill(expected, Float.NaN);
                    Arrays.fill(expected, dstOff, dstOff + channels * planeSize, 0f);
                    BorderedPlanes.copy(src, off, channels, h, w, pad, rowLength, planeSize, expected, dstOff);
                    float[] actual = new float[size];
                    Arrays.fill(actual, Float.NaN);
                    BorderedPlanes.zeroBorders(actual, dstOff, channels, h, w, pad, pad, rowLength, planeSize);
                    BorderedPlanes.copy(src, off, channels, h, w, pad, rowLength, planeSize, actual, dstOff);
                    assertArrayEquals(expected, actual, h + "x" + w + " pad " + pad + " extra rows/cols " + extraRows + "/" + extraCols);
                    float[] fused = new float[size];
                    Arrays.fill(fused, Float.NaN);
                    BorderedPlanes.copyBordered(src, off, channels, h, w, pad, rowLength, planeSize, fused, dstOff);
                    assertArrayEquals(expected, fused, "copyBordered " + h + "x" + w + " pad " + pad + " extra rows/cols " + extraRows + "/" + extraCols);
                }
            }
        }
    }
}
