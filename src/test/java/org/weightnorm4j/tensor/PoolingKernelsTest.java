package org.weightnorm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weightnorm4j.tensor.Float32Fixtures.abs;
import static org.weightnorm4j.tensor.Float32Fixtures.assertRelative;
import static org.weightnorm4j.tensor.Float32Fixtures.assertWithinSumBound;
import static org.weightnorm4j.tensor.Float32Fixtures.describe;
import static org.weightnorm4j.tensor.Float32Fixtures.random;
import static org.weightnorm4j.tensor.Float32Fixtures.toDouble;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Max pooling and global average pooling on the float32 backends against the reference. */
class PoolingKernelsTest {

    /** [N, C, H, W] shapes with odd sides (the remainder row/column is dropped) and awkward sizes. */
    static Stream<int[]> shapes() {
        return Stream.of(new int[] {1, 1, 2, 2}, new int[] {1, 1, 1, 7}, new int[] {2, 3, 7, 7}, new int[] {3, 2, 17, 6},
                new int[] {1, 33, 4, 9}, new int[] {2, 1, 33, 33}, new int[] {1, 2, 2, 1023},
                // the cnn's planes (196 and 49 windows: whole vectors of windows and a tail)
                new int[] {2, 3, 28, 28}, new int[] {3, 2, 14, 14}, new int[] {1, 1, 8, 64});
    }

    static Stream<Arguments> shapesTimesBackends() {
        return shapes().flatMap(s -> Float32Fixtures.loopBackends().stream().map(b -> Arguments.of(s, b)));
    }

    /**
     * Values from a small set so that windows hold ties (+0 and −0 among them), plus a NaN now and
     * then: first maximum wins, NaN propagates.
     */
    private static Tensor tiesAndNaNs(SplittableRandom rnd, int[] shape) {
        Tensor x = Tensor.zeros(shape);
        double[] values = {-2, -1, -0.0, 0, 1};
        for (int i = 0; i < x.size(); i++) {
            x.set(i, rnd.nextInt(50) == 0 ? Double.NaN : values[rnd.nextInt(values.length)]);
        }
        return x;
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("shapesTimesBackends")
    void maxPoolMatchesReferenceExactly(int[] shape, Float32Kernels k) {
        SplittableRandom rnd = new SplittableRandom(shape[3] * 31 + shape[1]);
        for (Tensor x : new Tensor[] {random(rnd, shape), tiesAndNaNs(rnd, shape)}) {
            int[] outShape = {shape[0], shape[1], shape[2] / 2, shape[3] / 2};
            Tensor y = random(rnd, outShape);
            int[] argmax = new int[y.size()];
            k.maxPool2x2Forward(x, y, argmax);
            Tensor expected = Tensor.zeros(outShape);
            int[] expectedArgmax = new int[y.size()];
            ReferenceKernels.INSTANCE.maxPool2x2Forward(x, expected, expectedArgmax);
            assertArrayEquals(expected.data(), y.data(), describe(k));
            assertArrayEquals(expectedArgmax, argmax, describe(k));

            Tensor dy = random(rnd, outShape);
            Tensor dx = random(rnd, shape);   // garbage that must be cleared
            k.maxPool2x2Backward(dy, argmax, dx);
            Tensor expectedDx = random(rnd, shape);
            ReferenceKernels.INSTANCE.maxPool2x2Backward(dy, expectedArgmax, expectedDx);
            assertArrayEquals(expectedDx.data(), dx.data(), describe(k));
        }
    }

    /** Backward adds when several outputs point at one input (an argmax given by hand). */
    @Test
    void maxPoolBackwardAddsRepeatedIndices() {
        for (Float32Kernels k : Float32Fixtures.loopBackends()) {
            Tensor dy = Tensor.wrap(new float[] {1.5f, 2.25f}, 1, 1, 1, 2);
            Tensor dx = Tensor.zeros(1, 1, 2, 4);
            dx.fill(9);
            k.maxPool2x2Backward(dy, new int[] {3, 3}, dx);
            assertArrayEquals(new float[] {0, 0, 0, 3.75f, 0, 0, 0, 0}, dx.data(), describe(k));
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("shapesTimesBackends")
    void globalAvgPoolMatchesReference(int[] shape, Float32Kernels k) {
        SplittableRandom rnd = new SplittableRandom(shape[2] * 17 + shape[0]);
        Tensor x = random(rnd, shape);
        Tensor y = random(rnd, shape[0], shape[1]);
        k.globalAvgPoolForward(x, y);
        Tensor expected = Tensor.zeros(DType.FLOAT64, shape[0], shape[1]);
        ReferenceKernels.INSTANCE.globalAvgPoolForward(toDouble(x), expected);
        Tensor bound = Tensor.zeros(DType.FLOAT64, shape[0], shape[1]);
        ReferenceKernels.INSTANCE.globalAvgPoolForward(abs(x), bound);
        assertWithinSumBound("global average pool on " + describe(k), expected, y, bound, (long) shape[2] * shape[3]);

        Tensor dy = random(rnd, shape[0], shape[1]);
        Tensor dx = random(rnd, shape);
        k.globalAvgPoolBackward(dy, dx);
        Tensor expectedDx = Tensor.zeros(DType.FLOAT64, shape);
        ReferenceKernels.INSTANCE.globalAvgPoolBackward(toDouble(dy), expectedDx);
        assertRelative("global average pool backward on " + describe(k), expectedDx, dx, 1);
    }

    @Test
    void wrongPoolOutputShapesNameBothShapes() {
        Tensor x = Tensor.zeros(2, 3, 8, 6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.maxPool2x2Forward(x, Tensor.zeros(2, 3, 4, 4), new int[96]));
        assertTrue(e.getMessage().contains("[2, 3, 8, 6]") && e.getMessage().contains("[2, 3, 4, 4]"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> Kernels.globalAvgPoolForward(x, Tensor.zeros(3, 2)));
        assertTrue(e2.getMessage().contains("[2, 3, 8, 6]") && e2.getMessage().contains("[3, 2]"), e2.getMessage());
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class,
                () -> Kernels.globalAvgPoolBackward(Tensor.zeros(2, 4), x));
        assertTrue(e3.getMessage().contains("[2, 3, 8, 6]") && e3.getMessage().contains("[2, 4]"), e3.getMessage());
    }

    @Test
    void shortArgmaxIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.maxPool2x2Forward(Tensor.zeros(1, 1, 4, 4), Tensor.zeros(1, 1, 2, 2), new int[3]));
        assertEquals(true, e.getMessage().contains("argmax"), e.getMessage());
    }
}
