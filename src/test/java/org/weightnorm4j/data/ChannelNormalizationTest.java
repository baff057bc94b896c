package org.weightnorm4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.tensor.Tensor;

class ChannelNormalizationTest {
    @Test
    void statisticsOfAKnownTensor() {
        // Channel 0 holds 1,2,3,4 / 5,6,7,8 over two images; channel 1 is constant 3.
        float[] d = {1, 2, 3, 4, 3, 3, 3, 3, 5, 6, 7, 8, 3, 3, 3, 3};
        ChannelNormalization n = ChannelNormalization.fit(Tensor.wrap(d, 2, 2, 2, 2));
        assertEquals(4.5, n.mean()[0], 1e-12);
        assertEquals(Math.sqrt(5.25), n.std()[0], 1e-12);
        assertEquals(3, n.mean()[1], 1e-12);
        assertEquals(0, n.std()[1], 1e-12);
    }

    @Test
    void trainStatisticsStandardiseTrainAndApplyUnchangedToTest() {
        SplittableRandom r = new SplittableRandom(5);
        Tensor train = Tensor.zeros(200, 3, 4, 4);
        float[] t = train.data();
        for (int i = 0; i < t.length; i++) {
            int ch = (i / 16) % 3;
            t[i] = (float) (ch * 2 + (ch + 1) * r.nextGaussian());
        }
        ChannelNormalization n = ChannelNormalization.fit(train);
        Tensor test = Tensor.wrap(new float[] {0, 2, 4}, 1, 3, 1, 1);
        n.apply(train);
        n.apply(test);
        ChannelNormalization after = ChannelNormalization.fit(train);
        for (int c = 0; c < 3; c++) {
            assertEquals(0, after.mean()[c], 1e-6);
            assertEquals(1, after.std()[c], 1e-6);
            assertEquals((c * 2 - n.mean()[c]) / n.std()[c], test.data()[c], 1e-5);
        }
    }

    @Test
    void constantChannelIsOnlyCentred() {
        Tensor x = Tensor.wrap(new float[] {2, 2, 2, 2}, 4, 1, 1, 1);
        ChannelNormalization.fit(x).apply(x);
        for (float v : x.data()) {
            assertEquals(0, v);
        }
    }

    @Test
    void channelCountMismatchIsRejected() {
        ChannelNormalization n = ChannelNormalization.fit(Tensor.zeros(2, 3, 2, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> n.apply(Tensor.zeros(2, 1, 2, 2)));
        assertEquals("normalisation fitted on 3 channels cannot apply to images [2, 1, 2, 2]", e.getMessage());
    }
}
