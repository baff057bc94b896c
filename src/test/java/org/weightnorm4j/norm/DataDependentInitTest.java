package org.weightnorm4j.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.nn.ActivationLayer;
import org.weightnorm4j.nn.Conv2d;
import org.weightnorm4j.nn.ConvTranspose2d;
import org.weightnorm4j.nn.Dense;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.tensor.ConvSpec;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/** §3: after data-dependent init every WN layer's pre-activations have mean 0 and std init_scale on the init batch. */
class DataDependentInitTest {

    @ParameterizedTest(name = "init_scale {0}")
    @ValueSource(doubles = {1.0, 0.5})
    void denseLayersStartWithStandardizedPreActivations(double initScale) {
        SplittableRandom rng = new SplittableRandom(1);
        List<Layer> layers = new ArrayList<>(LinearUnit.dense(Parameterization.WN, 6, 5, DType.FLOAT64, rng));
        layers.add(ActivationLayer.relu());
        layers.addAll(LinearUnit.dense(Parameterization.WN, 5, 4, DType.FLOAT64, rng));
        Tensor x = shiftedGaussian(rng, 64, 6);
        assertEquals(2, DataDependentInit.apply(layers, x, new DataDependentInit.Options(0.05, initScale, 7)));
        Tensor h = x;
        for (Layer layer : layers) {
            h = layer.forward(h, Mode.TRAIN);
            if (layer instanceof Dense) {
                assertStandardized(h, initScale);
            }
        }
    }

    @ParameterizedTest(name = "float32 = {0}")
    @ValueSource(booleans = {false, true})
    void convLayersUseStatisticsOverBatchAndSpace(boolean float32) {
        DType dtype = float32 ? DType.FLOAT32 : DType.FLOAT64;
        SplittableRandom rng = new SplittableRandom(2);
        List<Layer> layers = new ArrayList<>(LinearUnit.conv(Parameterization.WN, 2, 3, 3, new ConvSpec(1, 1), dtype, rng));
        layers.add(ActivationLayer.leakyRelu(0.1));
        layers.addAll(LinearUnit.conv(Parameterization.WN, 3, 4, 3, ConvSpec.valid(), dtype, rng));
        Tensor x = shiftedGaussian(rng, 8, 2, 6, 6).to(dtype);
        Sequential model = new Sequential(layers);
        DataDependentInit.apply(model.layers(), x, DataDependentInit.Options.paper(3));
        Tensor h = x;
        for (Layer layer : model.layers()) {
            h = layer.forward(h, Mode.TRAIN);
            if (layer instanceof Conv2d) {
                assertStandardized(h, 1.0);
            }
        }
    }

    /**
     * A transposed convolution is weight-normed over dim 1 (its output channels) and holds its own
     * bias; §3 standardizes each output channel over the batch and the output's positions, also
     * when it follows a convolution initialised first (the statistics then see the new input).
     */
    @ParameterizedTest(name = "float32 = {0}")
    @ValueSource(booleans = {false, true})
    void transposedConvolutionsAreInitialisedPerOutputChannel(boolean float32) {
        DType dtype = float32 ? DType.FLOAT32 : DType.FLOAT64;
        SplittableRandom rng = new SplittableRandom(8);
        List<Layer> layers = new ArrayList<>(LinearUnit.conv(Parameterization.WN, 2, 3, 3, new ConvSpec(1, 1), dtype, rng));
        layers.add(ActivationLayer.elu(1));
        layers.add(WeightNorm.apply(transposed(3, 4, dtype, rng), 1));
        Tensor x = shiftedGaussian(rng, 6, 2, 5, 5).to(dtype);
        assertEquals(2, DataDependentInit.apply(layers, x, DataDependentInit.Options.paper(4)));
        Tensor h = x;
        for (Layer layer : layers) {
            h = layer.forward(h, Mode.TRAIN);
            if (layer instanceof Conv2d || layer instanceof ConvTranspose2d) {
                assertStandardized(h, 1.0);                               // [6, 4, 10, 10] for the transposed one
            }
        }
        ConvTranspose2d t = (ConvTranspose2d) layers.get(layers.size() - 1);
        assertEquals(10, h.dim(2));
        assertTrue(t.bias().value().get(0) != 0, "the layer's own bias is set (b = −μ[t] s/σ[t])");
    }

    @Test
    void transposedConvolutionNormalizedOverItsInputChannelsIsRejected() {
        SplittableRandom rng = new SplittableRandom(9);
        Layer t = WeightNorm.apply(new ConvTranspose2d(2, 3, 4, new ConvSpec(2, 1), 0, rng), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataDependentInit.apply(List.of(t), shiftedGaussian(rng, 4, 2, 3, 3).to(DType.FLOAT32),
                        DataDependentInit.Options.paper(1)));
        assertTrue(e.getMessage().contains("dim 1"), e.getMessage());
    }

    /** ConvT(in → out, 4, stride 2, padding 1), random weights and bias of {@code dtype}. */
    private static ConvTranspose2d transposed(int in, int out, DType dtype, SplittableRandom rng) {
        Tensor w = Tensor.zeros(dtype, in, out, 4, 4);
        Tensor b = Tensor.zeros(dtype, out);
        for (int i = 0; i < w.size(); i++) {
            w.set(i, rng.nextGaussian() * 0.3);
        }
        for (int i = 0; i < b.size(); i++) {
            b.set(i, rng.nextGaussian());
        }
        return new ConvTranspose2d(new org.weightnorm4j.nn.PlainWeights(w, null), b, new ConvSpec(2, 1), 0);
    }

    @Test
    void layerWithoutBiasGetsOnlyG() {
        SplittableRandom rng = new SplittableRandom(3);
        List<Layer> unit = LinearUnit.dense(Parameterization.WN_MOBN, 4, 3, DType.FLOAT64, rng);
        Tensor x = shiftedGaussian(rng, 50, 4);
        DataDependentInit.apply(unit, x, DataDependentInit.Options.paper(1));
        Tensor t = unit.get(0).forward(x, Mode.TRAIN);
        int units = 3, m = 50;
        for (int u = 0; u < units; u++) {
            double mean = 0, sq = 0;
            for (int n = 0; n < m; n++) {
                mean += t.get(n * units + u);
            }
            mean /= m;
            for (int n = 0; n < m; n++) {
                double d = t.get(n * units + u) - mean;
                sq += d * d;
            }
            assertEquals(1, Math.sqrt(sq / m), 1e-6, "std of unit " + u);
        }
        Tensor y = unit.get(1).forward(t, Mode.TRAIN);
        assertStandardized(y, 1.0);
    }

    @Test
    void batchSizeSelectsTheFirstExamples() {
        SplittableRandom rng = new SplittableRandom(6);
        List<Layer> unit = LinearUnit.dense(Parameterization.WN, 3, 2, DType.FLOAT64, rng);
        Tensor data = shiftedGaussian(rng, 40, 3);
        DataDependentInit.apply(unit, data, 25, DataDependentInit.Options.paper(2));
        Tensor first = Tensor.zeros(DType.FLOAT64, 25, 3);
        for (int i = 0; i < first.size(); i++) {
            first.set(i, data.get(i));
        }
        assertStandardized(unit.get(0).forward(first, Mode.TRAIN), 1.0);
        assertThrows(IllegalArgumentException.class, () -> DataDependentInit.apply(unit, data, 1, DataDependentInit.Options.paper(2)));
    }

    @Test
    void vIsDrawnFromTheConfiguredNormal() {
        SplittableRandom rng = new SplittableRandom(4);
        List<Layer> unit = LinearUnit.dense(Parameterization.WN, 100, 50, DType.FLOAT64, rng);
        DataDependentInit.apply(unit, shiftedGaussian(rng, 10, 100), new DataDependentInit.Options(0.05, 1, 9));
        Tensor v = ((WeightNormWeights) ((Dense) unit.get(0)).weights()).v().value();
        double sq = 0;
        for (int i = 0; i < v.size(); i++) {
            sq += v.get(i) * v.get(i);
        }
        assertEquals(0.05, Math.sqrt(sq / v.size()), 0.002);
    }

    @Test
    void wholeTensorWeightNormIsRejectedWithAReason() {
        SplittableRandom rng = new SplittableRandom(5);
        Dense dense = new Dense(WeightNormWeights.paperInit(new int[] {2, 3}, true, WeightNorm.WHOLE_TENSOR, 0.05,
                DType.FLOAT64, rng));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataDependentInit.apply(List.of(dense), shiftedGaussian(rng, 4, 3), DataDependentInit.Options.paper(1)));
        assertTrue(e.getMessage().contains("per-unit"), e.getMessage());
    }

    /** Gaussian data with a non-zero mean and non-unit scale, so that init has something to undo. */
    private static Tensor shiftedGaussian(SplittableRandom rng, int... shape) {
        Tensor t = Tensor.zeros(DType.FLOAT64, shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, 0.7 + 2.5 * rng.nextGaussian());
        }
        return t;
    }

    /** Per channel over batch and space: mean ≈ 0, population std ≈ scale. */
    static void assertStandardized(Tensor h, double scale) {
        int c = h.dim(1), s = h.sizeFrom(2), n = h.dim(0);
        double tol = h.isFloat32() ? 1e-4 : 1e-6;
        for (int ch = 0; ch < c; ch++) {
            double mean = 0;
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < s; i++) {
                    mean += h.get((b * c + ch) * s + i);
                }
            }
            mean /= n * s;
            double sq = 0;
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < s; i++) {
                    double d = h.get((b * c + ch) * s + i) - mean;
                    sq += d * d;
                }
            }
            assertEquals(0, mean, tol * scale, "mean of unit " + ch);
            assertEquals(scale, Math.sqrt(sq / (n * s)), tol * scale, "std of unit " + ch);
        }
    }
}
