package org.weightnorm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.weightnorm4j.testing.RestoreThreads;

/**
 * The kernels that {@link Float32Kernels} splits over threads (pooling, ReLUs, per-channel scale,
 * sums and dots, the element-wise product) give bit-identical results on 1, 2 and 3 threads, at
 * sizes above {@link KernelRanges#PARALLEL_MIN_WORK} with lengths that are not multiples of the
 * split alignment. (Their agreement with the reference is checked by the per-kernel tests.)
 */
@ExtendWith(RestoreThreads.class)
class SplitKernelsTest {

    /** Every output of every split kernel for one input draw, flattened in a fixed order. */
    private static List<float[]> outputs(Float32Kernels k, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        // [N, C, H, W] with odd N and C: 7 * 37 * 34 * 30 = 264,180 elements, far above the split threshold.
        int n = 7, c = 37, h = 34, w = 30;
        Tensor x = Float32Fixtures.random(rnd, n, c, h, w);
        Tensor dy = Float32Fixtures.random(rnd, n, c, h, w);
        Tensor scale = Float32Fixtures.random(rnd, c);
        Tensor shift = Float32Fixtures.random(rnd, c);
        List<float[]> out = new ArrayList<>();

        Tensor pooled = Tensor.zeros(n, c, h / 2, w / 2);
        int[] argmax = new int[pooled.size()];
        k.maxPool2x2Forward(x, pooled, argmax);
        out.add(pooled.data().clone());
        Tensor dPooled = Float32Fixtures.random(rnd, n, c, h / 2, w / 2);
        Tensor dx = Tensor.zeros(n, c, h, w);
        k.maxPool2x2Backward(dPooled, argmax, dx);
        out.add(dx.data().clone());

        for (Activation f : List.of(Activation.RELU, Activation.leakyRelu(0.1))) {
            Tensor y = Tensor.zeros(n, c, h, w);
            k.activationForward(f, x, y);
            out.add(y.data().clone());
            Tensor g = Tensor.zeros(n, c, h, w);
            k.activationBackward(f, x, y, dy, g);
            out.add(g.data().clone());
        }

        Tensor scaled = Tensor.zeros(n, c, h, w);
        k.channelScaleShift(x, scale, shift, scaled);
        out.add(scaled.data().clone());
        Tensor sums = Tensor.zeros(c);
        k.channelSums(x, sums, false);
        out.add(sums.data().clone());
        Tensor dots = Tensor.zeros(c);
        k.channelDots(x, dy, dots, false);
        out.add(dots.data().clone());
        Tensor prod = Tensor.zeros(n, c, h, w);
        k.mul(x, dy, prod);
        out.add(prod.data().clone());

        // A dense layer's [N, C] (the mlp's 128 x 512 plus an odd one): channel reductions split
        // by 64-channel ranges.
        for (int[] dense : new int[][] {{128, 512}, {301, 333}}) {
            Tensor a = Float32Fixtures.random(rnd, dense);
            Tensor b = Float32Fixtures.random(rnd, dense);
            Tensor denseSums = Tensor.zeros(dense[1]);
            k.channelSums(a, denseSums, false);
            out.add(denseSums.data().clone());
            Tensor denseDots = Tensor.zeros(dense[1]);
            k.channelDots(a, b, denseDots, false);
            out.add(denseDots.data().clone());
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void resultsDoNotDependOnTheThreadCount(boolean simd) {
        Float32Kernels k = new Float32Kernels(Float32Fixtures.REFERENCE_GEMM, simd);
        Parallel.setThreads(1);
        List<float[]> one = outputs(k, 11);
        for (int threads : new int[] {2, 3}) {
            Parallel.setThreads(threads);
            List<float[]> many = outputs(k, 11);
            for (int i = 0; i < one.size(); i++) {
                assertArrayEquals(one.get(i), many.get(i), "output " + i + " on " + threads + " threads, simd " + simd);
            }
        }
    }
}
