package org.weightnorm4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.weightnorm4j.norm.LinearUnit;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * Held weights ({@link Dense#holdWeights}, {@link HeldWeights}): the same bits as an ordinary forward
 * on awkward batch and layer sizes, plain and weight-normed, float32 and float64; the values of
 * the hold are what a held layer forwards with; a release or a new hold takes the weights as they are.
 */
class HeldWeightsTest {

    private static Tensor random(DType dtype, SplittableRandom rnd, int... shape) {
        Tensor t = Tensor.zeros(dtype, shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, rnd.nextDouble() * 2 - 1);
        }
        return t;
    }

    private static void assertSameBits(Tensor expected, Tensor actual, String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(Double.doubleToRawLongBits(expected.get(i)), Double.doubleToRawLongBits(actual.get(i)),
                    what + " element " + i);
        }
    }

    private static Sequential net(Parameterization p, int in, int hidden, DType dtype) {
        SplittableRandom rng = new SplittableRandom(7);
        return Sequential.builder()
                .addAll(LinearUnit.dense(p, in, hidden, dtype, rng))
                .add(ActivationLayer.relu())
                .addAll(LinearUnit.dense(p, hidden, 6, dtype, rng))
                .seed(3).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"normal", "wn"})
    void heldForwardHasTheBitsOfAnOrdinaryOne(String param) {
        Parameterization p = Parameterization.parse(param);
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] shape : new int[][] {{1, 7, 17}, {7, 17, 1}, {17, 1023, 7}, {64, 1024, 128}, {3, 33, 9}}) {
                int batch = shape[0], in = shape[1], hidden = shape[2];
                Sequential plain = net(p, in, hidden, dtype);
                Sequential held = net(p, in, hidden, dtype);
                ModelState.copy(plain, held);
                HeldWeights.hold(held);
                Tensor x = random(dtype, new SplittableRandom(batch * 1000L + in), batch, in);
                String what = param + " " + dtype + " " + batch + "x" + in + "->" + hidden;
                assertSameBits(plain.forward(x, Mode.EVAL).copy(), held.forward(x, Mode.EVAL), what);
                // Twice: the second forward reuses the layout of the first.
                assertSameBits(plain.forward(x, Mode.EVAL).copy(), held.forward(x, Mode.EVAL), what + " again");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"normal", "wn"})
    void aHeldLayerForwardsTheValuesOfTheHoldUntilReleasedOrHeldAgain(String param) {
        Parameterization p = Parameterization.parse(param);
        Sequential net = net(p, 17, 7, DType.FLOAT32);
        Tensor x = random(DType.FLOAT32, new SplittableRandom(1), 5, 17);
        Tensor before = net.forward(x, Mode.EVAL).copy();
        HeldWeights.hold(net);
        Dense first = (Dense) ModelTree.leaves(net).values().iterator().next();
        assertTrue(first.holdsWeights());
        // Change every parameter of the first layer (v and g, or w, and the bias).
        for (Param q : first.params()) {
            for (int i = 0; i < q.value().size(); i++) {
                q.value().set(i, q.value().get(i) * 1.5 + 0.01);
            }
        }
        Tensor held = net.forward(x, Mode.EVAL).copy();
        // The bias is added after the product, from the live tensor: only the held product and scale are old.
        Sequential reference = net(p, 17, 7, DType.FLOAT32);
        ModelState.copy(net, reference);
        Tensor after = reference.forward(x, Mode.EVAL).copy();
        assertFalse(sameBits(after, held), "a held layer must not see the change yet");

        HeldWeights.release(net);
        assertFalse(first.holdsWeights());
        assertSameBits(after, net.forward(x, Mode.EVAL), "released: the weights as they are");
        HeldWeights.hold(net);
        assertSameBits(after, net.forward(x, Mode.EVAL), "held again: the new weights");
        assertFalse(sameBits(before, after));
    }

    private static boolean sameBits(Tensor a, Tensor b) {
        for (int i = 0; i < a.size(); i++) {
            if (Double.doubleToRawLongBits(a.get(i)) != Double.doubleToRawLongBits(b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
