package org.weightnorm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Parallel;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.testing.RestoreThreads;

/**
 * Dropout masks and Gaussian noise are drawn in blocks on several threads ({@link RandomBlocks}):
 * the draws must be bit-identical on 1, 2 and 3 threads, dropout's must still be the sequential
 * stream of {@link RandomStreams#forCall} (so older checkpoints resume to the same masks), and
 * every block must draw its own numbers.
 */
@ExtendWith(RestoreThreads.class)
class RandomLayerThreadsTest {
    /** Several blocks and a partial last one: 12 blocks of 4096 plus 1,234 elements. */
    private static final int N = 12 * RandomBlocks.BLOCK + 1234;


    /** Two training calls of a dropout and a noise layer, forward and dropout's backward, flattened. */
    private static List<double[]> draws(DType dtype) {
        SplittableRandom rng = new SplittableRandom(31);
        Tensor x = TestTensors.uniform(rng, dtype, 3, N / 3 + 1);
        Tensor dy = TestTensors.uniform(rng, dtype, 3, N / 3 + 1);
        Dropout dropout = new Dropout(0.35, 1234);
        GaussianNoise noise = new GaussianNoise(0.15, 5678);
        List<double[]> out = new ArrayList<>();
        for (int call = 0; call < 2; call++) {
            out.add(values(dropout.forward(x, Mode.TRAIN)));
            out.add(values(dropout.backward(dy)));
            out.add(values(noise.forward(x, Mode.TRAIN)));
        }
        return out;
    }

    private static double[] values(Tensor t) {
        double[] v = new double[t.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = t.get(i);
        }
        return v;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void drawsAreBitIdenticalOnOneTwoAndThreeThreads(DType dtype) {
        Parallel.setThreads(1);
        List<double[]> one = draws(dtype);
        for (int threads : new int[] {2, 3}) {
            Parallel.setThreads(threads);
            List<double[]> many = draws(dtype);
            for (int k = 0; k < one.size(); k++) {
                assertArrayEquals(one.get(k), many.get(k), 0, "output " + k + " on " + threads + " threads");
            }
        }
    }

    @Test
    void dropoutMasksAreTheSequentialStreamOfEachCall() {
        Parallel.setThreads(2);
        double p = 0.4;
        long seed = -987654321L;
        Dropout dropout = new Dropout(p, seed);
        dropout.setRandomCounter(17);
        Tensor ones = Tensor.zeros(DType.FLOAT32, 1, N);
        ones.fill(1);
        for (long call = 17; call < 19; call++) {
            Tensor y = dropout.forward(ones, Mode.TRAIN);
            SplittableRandom sequential = RandomStreams.forCall(seed, call);
            for (int i = 0; i < N; i++) {
                boolean dropped = sequential.nextDouble() < p;
                assertEquals(dropped, y.get(i) == 0, "call " + call + ", element " + i);
            }
        }
    }

    @Test
    void dropoutKeepRateAndScaleHoldInEveryBlock() {
        Parallel.setThreads(3);
        double p = 0.25;
        Dropout dropout = new Dropout(p, 2024);
        int blocks = 40;
        Tensor ones = Tensor.zeros(DType.FLOAT32, blocks, RandomBlocks.BLOCK);
        ones.fill(1);
        Tensor y = dropout.forward(ones, Mode.TRAIN);
        float scale = (float) (1 / (1 - p));
        int total = 0;
        for (int b = 0; b < blocks; b++) {
            int dropped = 0;
            for (int i = b * RandomBlocks.BLOCK; i < (b + 1) * RandomBlocks.BLOCK; i++) {
                float v = y.data()[i];
                assertTrue(v == 0f || v == scale, "element " + i + " is " + v + ", neither 0 nor 1/(1-p)");
                dropped += v == 0f ? 1 : 0;
            }
            // Per block: std of the dropped fraction sqrt(p(1-p)/4096) ≈ 0.0068; 5 sigma.
            assertEquals(p, dropped / (double) RandomBlocks.BLOCK, 0.034, "block " + b);
            total += dropped;
        }
        // All 163,840 elements: std ≈ 0.0011; 5 sigma.
        assertEquals(p, total / (double) (blocks * RandomBlocks.BLOCK), 0.0054);
    }

    @Test
    void noiseBlocksDrawDifferentNumbers() {
        Parallel.setThreads(2);
        Tensor y = new GaussianNoise(1.0, 99).forward(Tensor.zeros(DType.FLOAT64, 1, N), Mode.TRAIN);
        double[] first = Arrays.copyOfRange(y.data64(), 0, 16);
        for (int b = 1; b < RandomBlocks.blocks(N); b++) {
            int from = b * RandomBlocks.BLOCK;
            double[] other = Arrays.copyOfRange(y.data64(), from, from + 16);
            assertFalse(Arrays.equals(first, other), "block " + b + " repeats block 0");
        }
    }

    @Test
    void aRestoredCounterReplaysBothLayersAcrossBlocks() {
        Parallel.setThreads(2);
        Tensor x = TestTensors.uniform(new SplittableRandom(8), DType.FLOAT32, 2, N / 2);
        Dropout dropout = new Dropout(0.5, 3);
        GaussianNoise noise = new GaussianNoise(0.3, 4);
        dropout.forward(x, Mode.TRAIN);
        noise.forward(x, Mode.TRAIN);
        float[] secondMask = dropout.forward(x, Mode.TRAIN).data().clone();
        float[] secondNoise = noise.forward(x, Mode.TRAIN).data().clone();
        Dropout resumedDropout = new Dropout(0.5, 3);
        GaussianNoise resumedNoise = new GaussianNoise(0.3, 4);
        resumedDropout.setRandomCounter(1);
        resumedNoise.setRandomCounter(1);
        assertArrayEquals(secondMask, resumedDropout.forward(x, Mode.TRAIN).data());
        assertArrayEquals(secondNoise, resumedNoise.forward(x, Mode.TRAIN).data());
    }
}
