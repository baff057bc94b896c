package org.weightnorm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The reductions of the per-part filter gradients keep their documented order, bit for bit. */
class BatchPartsTest {
    /** Four elements at a time (and the rest one by one) are the plain loop's sums: parts in order, lanes from 0, in double. */
    @Test
    void laneReductionIsThePlainLoopsSum() {
        SplittableRandom rnd = new SplittableRandom(17);
        for (int lanes : new int[] {8, 16}) {
            for (int parts = 1; parts <= 5; parts++) {
                for (int size = 1; size <= 11; size++) {
                    float[][] partials = new float[parts][size * lanes];
                    for (float[] part : partials) {
                        for (int i = 0; i < part.length; i++) {
                            part[i] = (float) (rnd.nextDouble(-1, 1) * Math.pow(2, rnd.nextInt(-20, 20)));
                        }
                    }
                    for (boolean accumulate : new boolean[] {false, true}) {
                        float[] start = new float[size];
                        for (int i = 0; i < size; i++) {
                            start[i] = (float) rnd.nextDouble(-1, 1);
                        }
                        float[] expected = start.clone(), dw = start.clone();
                        for (int i = 0; i < size; i++) {
                            double sum = 0;
                            for (int p = 0; p < parts; p++) {
                                for (int lane = 0; lane < lanes; lane++) {
                                    sum += partials[p][i * lanes + lane];
                                }
                            }
                            expected[i] = accumulate ? (float) (expected[i] + sum) : (float) sum;
                        }
                        BatchParts.reduceLanePartials(partials, parts, size, lanes, dw, accumulate);
                        assertArrayEquals(expected, dw, lanes + " lanes, " + parts + " parts, " + size + " weights");
                    }
                }
            }
        }
    }
}
