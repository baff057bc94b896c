package org.weightnorm4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

class ActivationLayerTest {

    static Stream<ActivationLayer> all() {
        return Stream.of(ActivationLayer.relu(), ActivationLayer.leakyRelu(0.1), ActivationLayer.elu(1.0),
                ActivationLayer.elu(0.5), ActivationLayer.softplus(), ActivationLayer.tanh(), ActivationLayer.sigmoid());
    }

    @ParameterizedTest
    @MethodSource("all")
    void gradientCheckOnRandomShapes(ActivationLayer layer) {
        SplittableRandom rng = new SplittableRandom(layer.describe().hashCode());
        for (int trial = 0; trial < 3; trial++) {
            Tensor x = TestTensors.awayFromZero(rng, TestTensors.dim(rng, 1, 4), TestTensors.dim(rng, 1, 3),
                    TestTensors.dim(rng, 1, 5), TestTensors.dim(rng, 1, 5));
            GradientCheck.assertLayer(layer, x, trial % 2 == 0 ? Mode.TRAIN : Mode.EVAL);
        }
    }

    @ParameterizedTest
    @MethodSource("all")
    void forwardMatchesTheFunctionInFloat32(ActivationLayer layer) {
        SplittableRandom rng = new SplittableRandom(11);
        Tensor x = TestTensors.uniform(rng, DType.FLOAT32, 3, 7);
        Tensor y = layer.forward(x, Mode.TRAIN);
        assertEquals(DType.FLOAT32, y.dtype());
        for (int i = 0; i < x.size(); i++) {
            assertEquals((float) layer.activation().apply(x.get(i)), y.get(i), 1e-6);
        }
    }

    @Test
    void reusesItsOutputBufferForTheSameShape() {
        ActivationLayer relu = ActivationLayer.relu();
        Tensor a = relu.forward(Tensor.zeros(2, 3), Mode.TRAIN);
        Tensor b = relu.forward(Tensor.zeros(2, 3), Mode.TRAIN);
        assertSame(a, b);
        Tensor c = relu.forward(Tensor.zeros(4, 3), Mode.TRAIN);
        assertTrue(c.hasShape(4, 3));
    }

    @Test
    void leakyReluKnownValues() {
        Tensor y = ActivationLayer.leakyRelu(0.1).forward(Tensor.wrap(new double[] {-2, 3}, 2), Mode.EVAL);
        assertEquals(-0.2, y.get(0), 1e-15);
        assertEquals(3, y.get(1));
    }

    @Test
    void backwardBeforeForwardAndWrongShapeAreClearErrors() {
        ActivationLayer tanh = ActivationLayer.tanh();
        assertThrows(IllegalStateException.class, () -> tanh.backward(Tensor.zeros(2)));
        tanh.forward(Tensor.zeros(2, 3), Mode.TRAIN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tanh.backward(Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[3, 2]"), e.getMessage());
    }

    @Test
    void describesLikePyTorch() {
        assertEquals("LeakyReLU(0.1)", ActivationLayer.leakyRelu(0.1).describe());
        assertEquals("ReLU", ActivationLayer.relu().describe());
    }
}
