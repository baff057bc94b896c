package org.weightnorm4j.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weightnorm4j.norm.NormTestSupport.uniform;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.weightnorm4j.nn.ActivationLayer;
import org.weightnorm4j.nn.Conv2d;
import org.weightnorm4j.nn.Dense;
import org.weightnorm4j.nn.Flatten;
import org.weightnorm4j.nn.GradientCheck;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.nn.LinearLayer;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.ModelTree;
import org.weightnorm4j.nn.PlainWeights;
import org.weightnorm4j.nn.Residual;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.tensor.ConvSpec;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * PyTorch's two verbs, {@link WeightNorm#apply} and {@link WeightNorm#remove}: the layer's output
 * is unchanged by either (as PyTorch's own {@code test_weight_norm} checks), on dense and conv
 * layers, over dim 0, dim 1 (a transposed convolution's layout) and the whole tensor, on single
 * layers and on a whole tree; names and shapes follow PyTorch; the re-parameterized layers pass a
 * float64 gradient check; misuse is a clear error.
 */
class WeightNormVerbsTest {

    private static Dense dense(SplittableRandom rng, int in, int out, boolean bias) {
        return new Dense(PlainWeights.pytorchDefault(new int[] {out, in}, bias, DType.FLOAT64, rng));
    }

    private static Conv2d conv(SplittableRandom rng, int in, int out, int k, ConvSpec spec) {
        return new Conv2d(PlainWeights.pytorchDefault(new int[] {out, in, k, k}, true, DType.FLOAT64, rng), spec);
    }

    @ParameterizedTest(name = "dim {0}")
    @ValueSource(ints = {0, 1, -1})
    void applyAndRemoveLeaveADenseOutputUnchanged(int dim) {
        SplittableRandom rng = new SplittableRandom(7 + dim);
        Dense plain = dense(rng, 5, 4, true);
        Tensor x = uniform(rng, 3, 5);
        Tensor y = plain.forward(x, Mode.EVAL).copy();

        Dense wn = WeightNorm.apply(plain, dim);
        WeightNormWeights w = assertInstanceOf(WeightNormWeights.class, wn.weights());
        assertEquals(List.of("bias", "weight_g", "weight_v"), wn.params().stream().map(p -> p.name()).toList());
        assertArrayEq(WeightNorm.gShape(new int[] {4, 5}, dim), w.g().value().shape());
        assertClose(y, wn.forward(x, Mode.EVAL), 1e-13);
        assertClose(plain.weights().direction(), w.v().value(), 0);          // v = w

        Dense back = WeightNorm.remove(wn);
        assertInstanceOf(PlainWeights.class, back.weights());
        assertClose(y, back.forward(x, Mode.EVAL), 1e-13);
        assertClose(y, plain.forward(x, Mode.EVAL), 0);                      // the original is untouched
    }

    @ParameterizedTest(name = "dim {0}")
    @ValueSource(ints = {0, 1, -1})
    void applyAndRemoveLeaveAConvOutputUnchanged(int dim) {
        SplittableRandom rng = new SplittableRandom(17 + dim);
        Conv2d plain = conv(rng, 3, 4, 3, new ConvSpec(1, 1));
        Tensor x = uniform(rng, 2, 3, 5, 5);
        Tensor y = plain.forward(x, Mode.EVAL).copy();
        Conv2d wn = WeightNorm.apply(plain, dim);
        assertClose(y, wn.forward(x, Mode.EVAL), 1e-13);
        assertClose(y, WeightNorm.remove(wn).forward(x, Mode.EVAL), 1e-13);
    }

    /** g = ||w|| over dim after apply (PyTorch's weight_norm leaves the function unchanged by this choice). */
    @Test
    void gIsTheNormOverEveryDimButDim() {
        SplittableRandom rng = new SplittableRandom(3);
        Conv2d plain = conv(rng, 2, 3, 3, new ConvSpec(1, 0));                // a [3, 2, 3, 3] weight
        Tensor w = plain.weights().direction();
        WeightNormWeights wn = (WeightNormWeights) WeightNorm.apply(plain, 1).weights();
        assertArrayEq(new int[] {1, 2, 1, 1}, wn.g().value().shape());
        for (int c = 0; c < 2; c++) {
            double sq = 0;
            for (int o = 0; o < 3; o++) {
                for (int k = 0; k < 9; k++) {
                    double v = w.get((o * 2 + c) * 9 + k);
                    sq += v * v;
                }
            }
            assertEquals(Math.sqrt(sq), wn.g().value().get(c), 1e-14, "g of input channel " + c);
        }
    }

    @ParameterizedTest(name = "dim {0}")
    @ValueSource(ints = {0, 1, -1})
    void reparameterizedLayersPassTheGradientCheck(int dim) {
        SplittableRandom rng = new SplittableRandom(29 + dim);
        Dense d = WeightNorm.apply(dense(rng, 4, 3, true), dim);
        randomizeG(d, rng);
        GradientCheck.create().check(d, uniform(rng, 3, 4)).assertPassed();
        Conv2d c = WeightNorm.apply(conv(rng, 2, 3, 3, new ConvSpec(1, 1)), dim);
        randomizeG(c, rng);
        GradientCheck.create().check(c, uniform(rng, 2, 2, 4, 4)).assertPassed();
    }

    /** Over a model: every "weight" in the tree, however deep; layers without weights are shared. */
    @Test
    void applyAndRemoveOverAWholeTree() {
        SplittableRandom rng = new SplittableRandom(41);
        ActivationLayer relu = ActivationLayer.relu();
        Sequential model = new Sequential(List.of(
                new Flatten(),
                dense(rng, 6, 5, true),
                relu,
                new Residual(new Sequential(List.of(dense(rng, 5, 5, true), ActivationLayer.tanh(), dense(rng, 5, 5, false)))),
                dense(rng, 5, 2, true)));
        Tensor x = uniform(rng, 3, 1, 2, 3);
        Tensor y = model.forward(x, Mode.EVAL).copy();

        Sequential wn = WeightNorm.apply(model);
        assertEquals(4, WeightNormed.find(wn).size(), "every dense layer, the two inside the residual block included");
        assertTrue(ModelTree.namedParams(wn).containsKey("3.body.2.weight_v"), ModelTree.namedParams(wn).keySet().toString());
        assertSame(relu, wn.layers().get(2), "layers without weights are shared");
        assertClose(y, wn.forward(x, Mode.EVAL), 1e-13);

        Sequential again = WeightNorm.apply(wn);                              // nothing left to do: unchanged
        assertEquals(ModelTree.namedParams(wn).keySet(), ModelTree.namedParams(again).keySet());

        Sequential back = WeightNorm.remove(wn);
        assertTrue(WeightNormed.find(back).isEmpty());
        assertTrue(ModelTree.namedParams(back).containsKey("3.body.2.weight"));
        assertClose(y, back.forward(x, Mode.EVAL), 1e-13);
        GradientCheck.create().check(wn, x).assertPassed();
    }

    @Test
    void misuseIsAClearError() {
        SplittableRandom rng = new SplittableRandom(5);
        Dense plain = dense(rng, 3, 2, true);
        Dense wn = WeightNorm.apply(plain);
        assertMessage(() -> WeightNorm.apply(wn), "already weight-normalized");
        assertMessage(() -> WeightNorm.remove(plain), "not weight-normalized");
        assertMessage(() -> WeightNorm.apply(plain, "weight_hh_l0", 0), "no weight called 'weight_hh_l0'");
        assertMessage(() -> WeightNorm.apply(plain, 2), "dim 2 is out of range");
        assertMessage(() -> WeightNorm.apply(ActivationLayer.relu()), "has no weights");
        assertMessage(() -> WeightNorm.apply(new Sequential(List.of(new Flatten(), ActivationLayer.relu()))),
                "none of its layers has a weight called 'weight'");
        LinearLayer zero = new Dense(new PlainWeights(Tensor.zeros(DType.FLOAT64, 2, 3), null));
        assertMessage(() -> WeightNorm.apply(zero), "exactly zero");
    }

    @Test
    void applyCopiesTheTensorsItKeeps() {
        SplittableRandom rng = new SplittableRandom(9);
        Dense plain = dense(rng, 3, 2, true);
        Dense wn = WeightNorm.apply(plain);
        assertNotSame(plain.weights().bias().value(), wn.weights().bias().value());
        assertNotSame(plain.weights().direction(), ((WeightNormWeights) wn.weights()).v().value());
    }

    private static void randomizeG(LinearLayer layer, SplittableRandom rng) {
        Tensor g = ((WeightNormWeights) layer.weights()).g().value();
        for (int i = 0; i < g.size(); i++) {
            g.set(i, rng.nextDouble(0.5, 2));
        }
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    private static void assertArrayEq(int[] expected, int[] actual) {
        assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(actual));
    }

    static void assertClose(Tensor expected, Tensor actual, double tol) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), tol * (1 + Math.abs(expected.get(i))), "element " + i);
        }
    }

}
