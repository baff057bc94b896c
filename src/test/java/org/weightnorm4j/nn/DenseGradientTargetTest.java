package org.weightnorm4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.norm.WeightNorm;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Tensor;

/**
 * A float32 {@link Dense} with plain weights adds {@code ∇w L = ∇yᵀ x} straight into the weight's
 * gradient ({@link LinearWeights#gradientTarget}) instead of through a scratch and an add: the
 * result must be bit for bit the scratch-and-add one, from a zeroed gradient (a train step) and
 * from one that already holds a sum (a second backward before the step), on awkward shapes and
 * on batches deeper than one block of the GEMM's depth; weight-normed weights keep Eq. 3's path.
 */
class DenseGradientTargetTest {

    private static Tensor random(SplittableRandom rnd, int... shape) {
        return TestTensors.uniform(rnd, DType.FLOAT32, shape);
    }

    private static void assertSameBits(Tensor expected, Tensor actual, String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(Float.floatToRawIntBits((float) expected.get(i)), Float.floatToRawIntBits((float) actual.get(i)),
                    what + " element " + i);
        }
    }

    @Test
    void theDirectGradientHasTheBitsOfScratchAndAdd() {
        // {batch, in, out}: 1, 7, 17 and 1023 in every role, the DQN's hidden layer, and a batch of
        // 1100 (deeper than one 1024-deep block of the AVX2 GEMM).
        int[][] shapes = {{1, 7, 17}, {7, 17, 1}, {17, 1023, 7}, {1023, 1, 7}, {64, 1024, 128}, {1100, 17, 7}};
        for (int[] s : shapes) {
            int batch = s[0], in = s[1], out = s[2];
            SplittableRandom rnd = new SplittableRandom(batch * 31L + in * 7L + out);
            Dense layer = new Dense(in, out, rnd);
            Tensor x = random(rnd, batch, in);
            Tensor dy = random(rnd, batch, out);
            Param w = layer.params().get(0);
            for (boolean fromZero : new boolean[] {true, false}) {
                String what = batch + "x" + in + "->" + out + (fromZero ? " from zero" : " onto a sum");
                Tensor start = fromZero ? Tensor.zeros(DType.FLOAT32, out, in) : random(rnd, out, in);
                // What the layer did before: the product into a scratch, then added to the gradient.
                Tensor scratch = Tensor.zeros(DType.FLOAT32, out, in);
                Kernels.matmul(dy, true, x, false, scratch, false);
                Tensor expected = start.copy();
                Kernels.axpy(1, scratch, expected);

                w.grad().copyFrom(start);
                layer.forward(x, Mode.TRAIN);
                layer.backward(dy);
                assertSameBits(expected, w.grad(), what);
            }
        }
    }

    @Test
    void onlyPlainWeightsOfferTheirGradient() {
        Dense plain = new Dense(5, 3, new SplittableRandom(1));
        assertSame(plain.params().get(0).grad(), plain.weights().gradientTarget());
        Dense normed = (Dense) WeightNorm.apply(new Dense(5, 3, new SplittableRandom(1)));
        assertNull(normed.weights().gradientTarget());
    }
}
