package org.weightnorm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/** MaxPool2d, GlobalAvgPool and Flatten. */
class PoolingTest {

    @RepeatedTest(6)
    void maxPoolGradientCheckOnRandomShapes(RepetitionInfo info) {
        SplittableRandom rng = new SplittableRandom(100 + info.getCurrentRepetition());
        // H and W from 2 to 7: odd sizes drop the last row/column, as PyTorch does.
        Tensor x = TestTensors.distinct(rng, TestTensors.dim(rng, 1, 3), TestTensors.dim(rng, 1, 3),
                TestTensors.dim(rng, 2, 7), TestTensors.dim(rng, 2, 7));
        GradientCheck.assertLayer(new MaxPool2d(), x, info.getCurrentRepetition() % 2 == 0 ? Mode.TRAIN : Mode.EVAL);
    }

    @RepeatedTest(4)
    void globalAvgPoolGradientCheckOnRandomShapes(RepetitionInfo info) {
        SplittableRandom rng = new SplittableRandom(200 + info.getCurrentRepetition());
        Tensor x = TestTensors.uniform(rng, DType.FLOAT64, TestTensors.dim(rng, 1, 3), TestTensors.dim(rng, 1, 4),
                TestTensors.dim(rng, 1, 5), TestTensors.dim(rng, 1, 5));
        GradientCheck.assertLayer(new GlobalAvgPool(), x, Mode.TRAIN);
    }

    @RepeatedTest(3)
    void flattenGradientCheckOnRandomShapes(RepetitionInfo info) {
        SplittableRandom rng = new SplittableRandom(300 + info.getCurrentRepetition());
        Tensor x = TestTensors.uniform(rng, DType.FLOAT64, TestTensors.dim(rng, 1, 3), TestTensors.dim(rng, 1, 3),
                TestTensors.dim(rng, 1, 4), TestTensors.dim(rng, 1, 4));
        GradientCheck.assertLayer(new Flatten(), x, Mode.TRAIN);
    }

    @Test
    void maxPoolKnownValuesAndRouting() {
        // One 4x4 plane; windows' maxima at known places.
        double[] v = {
            1, 2, 0, 0,
            3, 4, 0, 9,
            -1, -2, 5, 5,
            -3, -4, 5, 6};
        MaxPool2d pool = new MaxPool2d();
        Tensor y = pool.forward(Tensor.wrap(v, 1, 1, 4, 4), Mode.TRAIN);
        assertArrayEquals(new double[] {4, 9, -1, 6}, y.data64());
        Tensor dx = pool.backward(Tensor.wrap(new double[] {10, 20, 30, 40}, 1, 1, 2, 2));
        double[] expected = new double[16];
        expected[5] = 10;
        expected[7] = 20;
        expected[8] = 30;
        expected[15] = 40;
        assertArrayEquals(expected, dx.data64());
    }

    @Test
    void maxPoolOddSizeDropsTheLastRowAndColumnLikePyTorch() {
        Tensor y = new MaxPool2d().forward(Tensor.zeros(2, 3, 5, 7), Mode.EVAL);
        assertArrayEquals(new int[] {2, 3, 2, 3}, y.shape());
    }

    @Test
    void maxPoolShapeErrorsNameTheShapes() {
        MaxPool2d pool = new MaxPool2d();
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class, () -> pool.forward(Tensor.zeros(2, 8), Mode.TRAIN));
        assertTrue(rank.getMessage().contains("[2, 8]") && rank.getMessage().contains("[N, C, H, W]"), rank.getMessage());
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> pool.forward(Tensor.zeros(1, 1, 1, 4), Mode.TRAIN));
        assertTrue(small.getMessage().contains("[1, 1, 1, 4]"), small.getMessage());
        pool.forward(Tensor.zeros(2, 3, 4, 4), Mode.TRAIN);
        IllegalArgumentException grad = assertThrows(IllegalArgumentException.class, () -> pool.backward(Tensor.zeros(2, 3, 4, 4)));
        assertTrue(grad.getMessage().contains("[2, 3, 2, 2]") && grad.getMessage().contains("[2, 3, 4, 4]"), grad.getMessage());
    }

    @Test
    void globalAvgPoolKnownValuesAndShapeErrors() {
        GlobalAvgPool gap = new GlobalAvgPool();
        Tensor y = gap.forward(Tensor.wrap(new double[] {1, 2, 3, 4, 10, 20, 30, 40}, 1, 2, 2, 2), Mode.EVAL);
        assertArrayEquals(new double[] {2.5, 25}, y.data64());
        Tensor dx = gap.backward(Tensor.wrap(new double[] {4, 8}, 1, 2));
        assertArrayEquals(new double[] {1, 1, 1, 1, 2, 2, 2, 2}, dx.data64());
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class, () -> gap.forward(Tensor.zeros(3, 4), Mode.TRAIN));
        assertTrue(rank.getMessage().contains("[3, 4]") && rank.getMessage().contains("[N, C, H, W]"), rank.getMessage());
        IllegalArgumentException grad = assertThrows(IllegalArgumentException.class, () -> gap.backward(Tensor.zeros(DType.FLOAT64, 2, 1)));
        assertTrue(grad.getMessage().contains("[1, 2]") && grad.getMessage().contains("[2, 1]")
                && grad.getMessage().contains("[1, 2, 2, 2]"), grad.getMessage());
    }

    @Test
    void globalAvgPoolStandsForTwoPyTorchModules() {
        assertEquals(2, new GlobalAvgPool().pyTorchModuleCount());
    }

    @Test
    void flattenIsAViewAndChecksTheGradientShape() {
        Flatten flatten = new Flatten();
        Tensor x = Tensor.zeros(2, 3, 4);
        Tensor y = flatten.forward(x, Mode.TRAIN);
        assertArrayEquals(new int[] {2, 12}, y.shape());
        y.set(13, 5);
        assertEquals(5, x.get(13));
        assertArrayEquals(new int[] {2, 3, 4}, flatten.backward(Tensor.zeros(2, 12)).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> flatten.backward(Tensor.zeros(2, 11)));
        assertTrue(e.getMessage().contains("[2, 12]") && e.getMessage().contains("[2, 11]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> flatten.forward(Tensor.zeros(5), Mode.TRAIN));
    }

    @Test
    void poolsReuseBuffersAndFollowTheInputType() {
        MaxPool2d pool = new MaxPool2d();
        Tensor a = pool.forward(Tensor.zeros(2, 2, 4, 4), Mode.TRAIN);
        assertSame(a, pool.forward(Tensor.zeros(2, 2, 4, 4), Mode.TRAIN));
        assertEquals(DType.FLOAT64, pool.forward(Tensor.zeros(DType.FLOAT64, 2, 2, 4, 4), Mode.TRAIN).dtype());
        GlobalAvgPool gap = new GlobalAvgPool();
        Tensor b = gap.forward(Tensor.zeros(2, 2, 4, 4), Mode.TRAIN);
        assertSame(b, gap.forward(Tensor.zeros(2, 2, 4, 4), Mode.TRAIN));
        assertEquals(DType.FLOAT32, b.dtype());
    }
}
