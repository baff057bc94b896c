package org.weightnorm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weightnorm4j.nn.TestTensors.uniform;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.weightnorm4j.norm.DataDependentInit;
import org.weightnorm4j.norm.WeightNorm;
import org.weightnorm4j.norm.WeightNormWeights;
import org.weightnorm4j.tensor.ConvSpec;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * {@link ConvTranspose2d}: float64 finite differences for the input and every parameter (plain,
 * weight norm over dim 1, over dim 0 and over the whole tensor; strides 1 and 2, with and without
 * output padding), the float32 kernels against the float64 reference, the output size formula, and
 * the errors. The values against PyTorch are {@code norm.ConvTranspose2dGoldenTest}.
 */
class ConvTranspose2dTest {

    /** dim: -2 plain, else the weight-norm dim (-1 the whole tensor). */
    private static ConvTranspose2d layer(int dim, int in, int out, int k, ConvSpec spec, int outputPadding,
                                         DType dtype, SplittableRandom rng) {
        Tensor w = uniform(rng, dtype, in, out, k, k);
        ConvTranspose2d plain = new ConvTranspose2d(new PlainWeights(w, null), uniform(rng, dtype, out), spec, outputPadding);
        if (dim == -2) {
            return plain;
        }
        ConvTranspose2d wn = WeightNorm.apply(plain, dim);
        Tensor g = ((WeightNormWeights) wn.weights()).g().value();
        for (int i = 0; i < g.size(); i++) {
            g.set(i, 0.5 + rng.nextDouble());                              // g away from ||v||, so Eq. 3 is exercised
        }
        return wn;
    }

    @ParameterizedTest(name = "dim {0}, k {1}, stride {2}, pad {3}, output_padding {4}")
    @CsvSource({"-2, 3, 1, 1, 0", "-2, 3, 2, 1, 1", "1, 3, 2, 1, 1", "1, 4, 2, 1, 0", "1, 2, 1, 0, 0",
            "0, 3, 2, 1, 1", "0, 3, 1, 0, 0", "-1, 3, 2, 1, 1"})
    void gradientsMatchFiniteDifferences(int dim, int k, int stride, int pad, int outputPadding) {
        SplittableRandom rng = new SplittableRandom(31L * k + stride + 7L * dim);
        ConvTranspose2d t = layer(dim, 3, 2, k, new ConvSpec(stride, pad), outputPadding, DType.FLOAT64, rng);
        Tensor x = uniform(rng, DType.FLOAT64, 2, 3, 3, 4);
        GradientCheck.Report r = GradientCheck.create().check(t, x).assertPassed();
        assertEquals(1 + t.params().size(), r.tensors().size(), "the input and every parameter were checked");
    }

    @ParameterizedTest(name = "dim {0}")
    @CsvSource({"-2", "1", "0"})
    void float32KernelsAgreeWithTheFloat64Reference(int dim) {
        // Big enough that the float32 path takes its blocked/SIMD convolution kernels.
        ConvTranspose2d f64 = layer(dim, 8, 16, 3, new ConvSpec(2, 1), 1, DType.FLOAT64, new SplittableRandom(5));
        ConvTranspose2d f32 = layer(dim, 8, 16, 3, new ConvSpec(2, 1), 1, DType.FLOAT32, new SplittableRandom(5));
        List<Param> p64 = f64.params(), p32 = f32.params();
        for (int i = 0; i < p64.size(); i++) {
            p64.get(i).value().copyFrom(p32.get(i).value().to(DType.FLOAT64)); // the same values, exactly
        }
        Tensor x32 = uniform(new SplittableRandom(6), DType.FLOAT32, 4, 8, 7, 7);
        Tensor y64 = f64.forward(x32.to(DType.FLOAT64), Mode.TRAIN).copy();
        Tensor y32 = f32.forward(x32, Mode.TRAIN);
        assertArrayEquals(new int[] {4, 16, 14, 14}, y32.shape());
        assertClose("output", y64, y32, 1e-5);
        Tensor dy32 = uniform(new SplittableRandom(8), DType.FLOAT32, y32.shape());
        assertClose("∇x", f64.backward(dy32.to(DType.FLOAT64)).copy(), f32.backward(dy32), 1e-5);
        for (int i = 0; i < p64.size(); i++) {
            assertClose("∇" + p64.get(i).name(), p64.get(i).grad(), p32.get(i).grad(), 1e-5);
        }
    }

    private static void assertClose(String what, Tensor expected, Tensor actual, double rel) {
        double scale = 0;
        for (int i = 0; i < expected.size(); i++) {
            scale = Math.max(scale, Math.abs(expected.get(i)));
        }
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), rel * (1 + scale), what + " entry " + i);
        }
    }

    @Test
    void outputSizeIsPyTorchsFormula() {
        ConvTranspose2d t = new ConvTranspose2d(4, 2, 5, new ConvSpec(3, 2), 2, new SplittableRandom(1));
        // (H − 1)·stride − 2·padding + k + output_padding = 6·3 − 4 + 5 + 2 = 21; (2 − 1)·3 − 4 + 5 + 2 = 6
        assertArrayEquals(new int[] {1, 2, 21, 6}, t.outputShape(new int[] {1, 4, 7, 2}));
        assertArrayEquals(new int[] {1, 2, 21, 6}, t.forward(Tensor.zeros(1, 4, 7, 2), Mode.EVAL).shape());
    }

    @Test
    void defaultInitialisationUsesPyTorchsFanIn() {
        ConvTranspose2d t = new ConvTranspose2d(16, 4, 3, new ConvSpec(2, 1), 1, new SplittableRandom(2));
        double bound = 1 / Math.sqrt(4 * 3 * 3);                           // fan_in = weight.size(1)·k·k, as PyTorch
        Tensor w = t.weights().direction();
        double max = 0;
        for (int i = 0; i < w.size(); i++) {
            max = Math.max(max, Math.abs(w.get(i)));
        }
        assertTrue(max <= bound && max > 0.9 * bound, "weights fill U(−1/√fan_in, 1/√fan_in), max |w| " + max);
        assertEquals(List.of("weight", "bias"), t.params().stream().map(Param::name).toList());
    }

    @Test
    void applyAndRemoveLeaveTheOutputAndShareNoTensors() {
        SplittableRandom rng = new SplittableRandom(3);
        ConvTranspose2d plain = layer(-2, 3, 2, 3, new ConvSpec(2, 1), 1, DType.FLOAT64, rng);
        Tensor x = uniform(rng, DType.FLOAT64, 2, 3, 3, 3);
        Tensor y = plain.forward(x, Mode.EVAL).copy();
        ConvTranspose2d wn = WeightNorm.apply(plain, 1);
        assertEquals(List.of("bias", "weight_g", "weight_v"), wn.params().stream().map(Param::name).toList());
        assertArrayEquals(new int[] {1, 2, 1, 1}, wn.params().get(1).value().shape(), "weight_g over dim 1");
        assertTrue(wn.bias().value() != plain.bias().value(), "apply copies the bias");
        Tensor yWn = wn.forward(x, Mode.EVAL).copy();
        Tensor yBack = WeightNorm.remove(wn).forward(x, Mode.EVAL);
        for (int i = 0; i < y.size(); i++) {
            assertEquals(y.get(i), yWn.get(i), 1e-12);
            assertEquals(y.get(i), yBack.get(i), 1e-12);
        }
    }

    @Test
    void refusesWhatItCannotDo() {
        SplittableRandom rng = new SplittableRandom(4);
        Tensor w = uniform(rng, DType.FLOAT64, 3, 2, 3, 3);
        IllegalArgumentException withBiasInWeights = assertThrows(IllegalArgumentException.class,
                () -> new ConvTranspose2d(new PlainWeights(uniform(rng, DType.FLOAT64, 3, 2, 3, 3),
                        uniform(rng, DType.FLOAT64, 3)), null, new ConvSpec(1, 0), 0));
        assertTrue(withBiasInWeights.getMessage().contains("per output channel"), withBiasInWeights.getMessage());
        IllegalArgumentException op = assertThrows(IllegalArgumentException.class,
                () -> new ConvTranspose2d(new PlainWeights(w, null), null, new ConvSpec(2, 0), 2));
        assertTrue(op.getMessage().contains("output_padding"), op.getMessage());
        ConvTranspose2d t = new ConvTranspose2d(new PlainWeights(w, null), null, new ConvSpec(1, 0), 0);
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                () -> t.forward(Tensor.zeros(DType.FLOAT64, 1, 2, 4, 4), Mode.TRAIN));
        assertTrue(channels.getMessage().contains("[N, 3, H, W]"), channels.getMessage());
        assertThrows(IllegalStateException.class, () -> t.backward(Tensor.zeros(DType.FLOAT64, 1, 2, 6, 6)));
    }

    @Test
    void dataDependentInitTakesOnlyTheOutputChannelNorm() {
        // §3 sets one g per output channel: over dim 1 that is this layer's g (DataDependentInitTest checks the
        // statistics); over dim 0 its g is per input channel, which §3 cannot set, so it is refused.
        SplittableRandom rng = new SplittableRandom(9);
        ConvTranspose2d byInput = layer(0, 3, 2, 3, new ConvSpec(1, 1), 0, DType.FLOAT64, rng);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataDependentInit.apply(List.of(byInput), uniform(rng, DType.FLOAT64, 4, 3, 3, 3), DataDependentInit.Options.paper(1)));
        assertTrue(e.getMessage().contains("ConvTranspose2d") && e.getMessage().contains("dim 1"), e.getMessage());
        ConvTranspose2d byOutput = layer(1, 3, 2, 3, new ConvSpec(1, 1), 0, DType.FLOAT64, rng);
        assertEquals(1, DataDependentInit.apply(List.of(byOutput), uniform(rng, DType.FLOAT64, 4, 3, 3, 3),
                DataDependentInit.Options.paper(1)));
    }
}
