package org.weightnorm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * {@link Residual}: float64 gradient checks of the block whose body starts with an activation (its
 * backward adds the shortcut's gradient inside that activation's, {@link ActivationLayer#backwardPlus})
 * and of one that does not; and in float32 the fused backward has the bits of the two-pass one.
 */
class ResidualTest {
    private static Dense dense(int in, int out, DType dtype, SplittableRandom rng) {
        return new Dense(PlainWeights.pytorchDefault(new int[] {out, in}, true, dtype, rng));
    }

    /** x + Dense(ELU(Dense(ELU(x)))), the VAE's block with dense layers in place of its convolutions. */
    private static Sequential preActivationBody(DType dtype, SplittableRandom rng) {
        return new Sequential(List.of(ActivationLayer.elu(1), dense(5, 5, dtype, rng), ActivationLayer.elu(0.5), dense(5, 5, dtype, rng)));
    }

    @Test
    void gradientCheckWithTheBodysFirstActivationFused() {
        SplittableRandom rng = new SplittableRandom(3);
        Residual block = new Residual(preActivationBody(DType.FLOAT64, rng));
        GradientCheck.assertLayer(block, TestTensors.awayFromZero(rng, 4, 5), Mode.TRAIN);
    }

    @Test
    void gradientCheckWithAPlainBodyAndWithAShortcut() {
        SplittableRandom rng = new SplittableRandom(4);
        Residual plain = new Residual(new Sequential(List.of(dense(5, 5, DType.FLOAT64, rng), ActivationLayer.elu(1))));
        GradientCheck.assertLayer(plain, TestTensors.awayFromZero(rng, 3, 5), Mode.TRAIN);
        Residual projected = new Residual(preActivationBody(DType.FLOAT64, rng), dense(5, 5, DType.FLOAT64, rng));
        GradientCheck.assertLayer(projected, TestTensors.awayFromZero(rng, 3, 5), Mode.TRAIN);
    }

    /**
     * The same body run through the fused backward and, wrapped in a Sequential of its own (so its
     * first layer is no activation), through the two-pass one: the same input gradient and parameter
     * gradients, bit for bit, on lengths with a vector body and a scalar tail.
     */
    @Test
    void fusedBackwardHasTheBitsOfTheTwoPassOne() {
        for (int n : new int[] {1, 7, 17, 205}) {
            SplittableRandom rng = new SplittableRandom(n);
            Sequential body = preActivationBody(DType.FLOAT32, rng);
            Residual fused = new Residual(body);
            Residual twoPass = new Residual(new Sequential(List.of(body)));
            assertTrue(fused.fusesFirstActivation());
            assertFalse(twoPass.fusesFirstActivation());
            Tensor x = TestTensors.uniform(rng, DType.FLOAT32, n, 5);
            Tensor dy = TestTensors.uniform(rng, DType.FLOAT32, n, 5);
            float[][] a = run(fused, body, x, dy);
            float[][] b = run(twoPass, body, x, dy);
            for (int i = 0; i < a.length; i++) {
                assertArrayEquals(a[i], b[i], (i == 0 ? "output" : i == 1 ? "input gradient" : "parameter gradient " + (i - 2)) + ", n " + n);
            }
        }
    }

    /** The output, the input gradient and every parameter gradient of one forward and backward. */
    private static float[][] run(Residual block, Sequential body, Tensor x, Tensor dy) {
        body.zeroGrad();
        List<Param> ps = body.params();
        float[][] out = new float[2 + ps.size()][];
        out[0] = block.forward(x, Mode.TRAIN).data().clone();
        out[1] = block.backward(dy).data().clone();
        for (int i = 0; i < ps.size(); i++) {
            out[2 + i] = ps.get(i).grad().data().clone();
        }
        return out;
    }

    @Test
    void backwardPlusRefusesAWrongShapeAndAMissingForward() {
        ActivationLayer elu = ActivationLayer.elu(1);
        assertThrows(IllegalStateException.class, () -> elu.backwardPlus(Tensor.zeros(2), Tensor.zeros(2)));
        elu.forward(Tensor.zeros(2, 3), Mode.TRAIN);
        assertThrows(IllegalArgumentException.class, () -> elu.backwardPlus(Tensor.zeros(2, 3), Tensor.zeros(3, 2)));
    }
}
