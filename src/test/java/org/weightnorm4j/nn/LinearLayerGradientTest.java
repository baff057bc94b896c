package org.weightnorm4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.weightnorm4j.norm.LinearUnit;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.nn.PlainWeights;
import org.weightnorm4j.norm.WeightNorm;
import org.weightnorm4j.norm.WeightNormWeights;
import org.weightnorm4j.tensor.ConvSpec;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * Central finite differences in float64 against the analytic backward of {@link Dense} and
 * {@link Conv2d}, for the input and every parameter, on random shapes, under every
 * parameterization (as the list of modules {@link LinearUnit} builds, normalizer included) and
 * with the whole-tensor weight norm.
 */
class LinearLayerGradientTest {

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        long seed = 11;
        for (Parameterization p : Parameterization.values()) {
            for (int r = 0; r < 3; r++) {
                b.add(Arguments.of(p, seed++));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("cases")
    void denseUnitGradientsMatchFiniteDifferences(Parameterization p, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = 2 + rng.nextInt(4), in = 1 + rng.nextInt(6), out = 1 + rng.nextInt(5);
        Sequential unit = new Sequential(LinearUnit.dense(p, in, out, DType.FLOAT64, rng));
        randomizeBiasesAndGains(unit, rng);
        Tensor x = uniform(rng, n, in);
        GradientCheck.create().check(unit, x).assertPassed();
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("cases")
    void convUnitGradientsMatchFiniteDifferences(Parameterization p, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = 1 + rng.nextInt(2), c = 1 + rng.nextInt(3), o = 1 + rng.nextInt(3);
        int k = 1 + rng.nextInt(3), stride = 1 + rng.nextInt(2), pad = rng.nextInt(k);
        int h = k + rng.nextInt(4), w = k + rng.nextInt(4);
        Sequential unit = new Sequential(LinearUnit.conv(p, c, o, k, new ConvSpec(stride, pad), DType.FLOAT64, rng));
        randomizeBiasesAndGains(unit, rng);
        Tensor x = uniform(rng, n, c, h, w);
        GradientCheck.create().maxEntriesPerTensor(60).check(unit, x).assertPassed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void wholeTensorWeightNormGradientsMatchFiniteDifferences(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] shape = {1 + rng.nextInt(4), 1 + rng.nextInt(2), 2, 2};
        WeightNormWeights wn = WeightNormWeights.paperInit(shape, true, WeightNorm.WHOLE_TENSOR, 0.5,
                DType.FLOAT64, rng);
        wn.g().value().set(0, 1.7);
        Conv2d conv = new Conv2d(wn, new ConvSpec(1, 1));
        GradientCheck.create().check(conv, uniform(rng, 2, shape[1], 3, 3)).assertPassed();
        Dense dense = new Dense(WeightNormWeights.paperInit(new int[] {3, 4}, false, WeightNorm.WHOLE_TENSOR,
                0.5, DType.FLOAT64, rng));
        GradientCheck.create().check(dense, uniform(rng, 3, 4)).assertPassed();
    }

    static Stream<Long> seeds() {
        return Stream.of(1L, 2L, 3L);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void plainDenseWithoutBiasIsJustTheMatrixProduct(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor w = uniform(rng, 3, 4);
        Dense dense = new Dense(new PlainWeights(w, null));
        Tensor x = uniform(rng, 2, 4);
        Tensor y = dense.forward(x, Mode.EVAL);
        for (int i = 0; i < 2; i++) {
            for (int o = 0; o < 3; o++) {
                double expected = 0;
                for (int j = 0; j < 4; j++) {
                    expected += x.get(i * 4 + j) * w.get(o * 4 + j);
                }
                assertEquals(expected, y.get(i * 3 + o), 1e-12);
            }
        }
        GradientCheck.create().check(dense, x).assertPassed();
    }

    @org.junit.jupiter.api.Test
    void denseRejectsImagesWithAHintToFlatten() {
        Dense dense = new Dense(PlainWeights.pytorchDefault(new int[] {2, 12}, true, DType.FLOAT32, new SplittableRandom(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dense.forward(Tensor.zeros(1, 3, 2, 2), Mode.TRAIN));
        assertTrue(e.getMessage().contains("[N, 12]") && e.getMessage().contains("Flatten"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void float32ForwardAgreesWithFloat64() {
        SplittableRandom rng = new SplittableRandom(5);
        List<Layer> unit64 = LinearUnit.conv(Parameterization.WN, 2, 3, 3, new ConvSpec(1, 1), DType.FLOAT64, rng);
        Conv2d c64 = (Conv2d) unit64.get(0);
        WeightNormWeights w64 = (WeightNormWeights) c64.weights();
        w64.bias().value().set(1, 0.3);
        Conv2d c32 = new Conv2d(new WeightNormWeights(w64.g().value().to(DType.FLOAT32), w64.v().value().to(DType.FLOAT32),
                w64.bias().value().to(DType.FLOAT32), WeightNorm.PER_UNIT), new ConvSpec(1, 1));
        Tensor x = uniform(rng, 2, 2, 5, 5);
        Tensor y64 = c64.forward(x, Mode.TRAIN);
        Tensor y32 = c32.forward(x.to(DType.FLOAT32), Mode.TRAIN);
        for (int i = 0; i < y64.size(); i++) {
            assertEquals(y64.get(i), y32.get(i), 1e-5 * (1 + Math.abs(y64.get(i))));
        }
    }

    /**
     * Moves g away from ||v|| and biases away from zero so that no term of the gradient vanishes,
     * and draws v in [-1, 1]: with the paper's N(0, 0.05²) a small row has ||v|| ≈ 0.05, and the
     * curvature of g v/||v|| (∝ 1/||v||³) would make the O(ε²) error of central differences, not
     * the backward pass, the largest term.
     */
    static void randomizeBiasesAndGains(Sequential unit, SplittableRandom rng) {
        for (Param p : unit.params()) {
            String local = p.name().substring(p.name().indexOf('.') + 1);
            for (int i = 0; i < p.value().size(); i++) {
                switch (local) {
                    case "bias", "weight_v" -> p.value().set(i, rng.nextDouble(-1, 1));
                    case "weight_g" -> p.value().set(i, rng.nextDouble(0.5, 2));
                    case "weight" -> {
                        if (p.value().rank() == 1) {
                            p.value().set(i, rng.nextDouble(0.5, 2));   // batch-norm scale γ
                        }
                    }
                    default -> {
                    }
                }
            }
        }
    }

    static Tensor uniform(SplittableRandom rng, int... shape) {
        Tensor t = Tensor.zeros(DType.FLOAT64, shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, rng.nextDouble(-1, 1));
        }
        return t;
    }
}
