package org.weightnorm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.weightnorm4j.model.ModelSpec;
import org.weightnorm4j.norm.MeanOnlyBatchNorm;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * A {@link Sequential} runs a mean-only batch norm and the ReLU or leaky ReLU after it as one step
 * ({@link LeakyReluFusable}). That is an optimisation only: outputs, input gradients, parameter
 * gradients and running means must have the bits of the same layers run one at a time, and the
 * pairs it must not fuse (a negative slope, an ELU) still run, unfused.
 */
class SequentialFusionTest {

    /** Convolutional and dense units, each followed by an activation: leaky 0.1, ReLU, leaky 0, ELU, leaky −0.2, ReLU. */
    private static ModelSpec spec() {
        return ModelSpec.builder(2, 9, 9).name("fusion").conv(6, 3, 1, 1).leakyRelu(0.1).maxPool()
                .conv(5, 3, 1, 0).relu().conv(4, 1, 1, 0).leakyRelu(0).conv(4, 1, 1, 0).elu(1.0)
                .flatten().dense(7).leakyRelu(-0.2).dense(6).relu().dense(3).build();
    }

    static Stream<Arguments> parameterizationsAndModes() {
        return Stream.of(Parameterization.MOBN, Parameterization.WN_MOBN, Parameterization.WN)
                .flatMap(p -> Stream.of(Arguments.of(p, Mode.TRAIN), Arguments.of(p, Mode.EVAL)));
    }

    private static Tensor random(SplittableRandom rnd, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, rnd.nextDouble(-1, 1));
        }
        return t;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("parameterizationsAndModes")
    void fusedPairsGiveTheBitsOfTheLayersRunOneByOne(Parameterization p, Mode mode) {
        Sequential fused = spec().build(p, 3, DType.FLOAT32);
        Sequential plain = spec().build(p, 3, DType.FLOAT32);
        SplittableRandom rnd = new SplittableRandom(5);
        for (int step = 0; step < 3; step++) {
            Tensor x = random(rnd, 4, 2, 9, 9);
            fused.zeroGrad();
            plain.zeroGrad();
            Tensor yFused = fused.forward(x, mode).copy();
            Tensor h = x;
            for (Layer layer : plain.layers()) {
                h = layer.forward(h, mode);
            }
            assertArrayEquals(h.data(), yFused.data(), "output, step " + step);

            Tensor dy = random(rnd, yFused.shape());
            Tensor dxFused = fused.backward(dy).copy();
            Tensor g = dy;
            List<Layer> layers = plain.layers();
            for (int k = layers.size() - 1; k >= 0; k--) {
                g = layers.get(k).backward(g);
            }
            assertArrayEquals(g.data(), dxFused.data(), "input gradient, step " + step);
            for (Map.Entry<String, Param> e : fused.namedParams().entrySet()) {
                assertArrayEquals(plain.namedParams().get(e.getKey()).grad().data(), e.getValue().grad().data(),
                        "gradient of " + e.getKey() + ", step " + step);
            }
            for (Map.Entry<String, Tensor> e : fused.namedBuffers().entrySet()) {
                assertArrayEquals(plain.namedBuffers().get(e.getKey()).data(), e.getValue().data(), e.getKey() + ", step " + step);
            }
        }
    }

    /**
     * The fused pairs in float64 (the reference kernels) against central finite differences, dense
     * and convolutional, with the batch norms' biases moved off zero.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("parameterizationsAndModes")
    void fusedNetworkPassesTheGradientCheck(Parameterization p, Mode mode) {
        Sequential model = spec().build(p, 4, DType.FLOAT64);
        SplittableRandom rng = new SplittableRandom(11);
        for (Map.Entry<String, Param> e : model.namedParams().entrySet()) {
            if (e.getKey().endsWith("bias")) {
                Tensor b = e.getValue().value();
                for (int i = 0; i < b.size(); i++) {
                    b.set(i, rng.nextDouble(-0.2, 0.2));
                }
            }
        }
        Tensor x = TestTensors.uniform(rng, DType.FLOAT64, 3, 2, 9, 9);
        model.forward(x, Mode.TRAIN);                     // running means away from zero for the evaluation check
        GradientCheck.assertModel(model, x, TestTensors.labels(rng, 3, 3), mode);
    }

    /** Training's backward stops at the first trainable layer; a fused pair there still leaves the same gradients. */
    @Test
    void backwardParamsOnlyMatchesWhenThePairIsTheFirstTrainableLayer() {
        MeanOnlyBatchNorm fusedNorm = new MeanOnlyBatchNorm(3);
        MeanOnlyBatchNorm plainNorm = new MeanOnlyBatchNorm(3);
        for (int c = 0; c < 3; c++) {
            fusedNorm.bias().value().set(c, 0.1 * c - 0.1);
            plainNorm.bias().value().set(c, 0.1 * c - 0.1);
        }
        Sequential fused = new Sequential(List.of(new Flatten(), fusedNorm, ActivationLayer.leakyRelu(0.1)));
        SplittableRandom rnd = new SplittableRandom(8);
        Tensor x = random(rnd, 6, 3);
        Tensor dy = random(rnd, 6, 3);
        fused.zeroGrad();
        fused.forward(x, Mode.TRAIN);
        fused.backwardParamsOnly(dy);

        plainNorm.bias().grad().fill(0);
        ActivationLayer act = ActivationLayer.leakyRelu(0.1);
        act.forward(plainNorm.forward(x, Mode.TRAIN), Mode.TRAIN);
        plainNorm.backward(act.backward(dy));
        assertArrayEquals(plainNorm.bias().grad().data(), fusedNorm.bias().grad().data());
        assertTrue(plainNorm.bias().grad().get(0) != 0, "the check needs a non-zero gradient");
    }

    /** Which pairs fuse shows in which backward the batch norm then accepts. */
    @Test
    void onlyReluAndLeakyReluWithANonNegativeSlopeFuse() {
        for (ActivationLayer act : List.of(ActivationLayer.relu(), ActivationLayer.leakyRelu(0.1), ActivationLayer.leakyRelu(0))) {
            MeanOnlyBatchNorm norm = new MeanOnlyBatchNorm(2);
            new Sequential(List.of(norm, act)).forward(Tensor.zeros(3, 2), Mode.TRAIN);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> norm.backward(Tensor.zeros(3, 2)),
                    act.describe() + " should have been fused");
            assertTrue(e.getMessage().contains("MeanOnlyBatchNorm(2)") && e.getMessage().contains("backwardLeakyRelu"), e.getMessage());
        }
        for (ActivationLayer act : List.of(ActivationLayer.leakyRelu(-0.2), ActivationLayer.elu(1.0), ActivationLayer.tanh())) {
            MeanOnlyBatchNorm norm = new MeanOnlyBatchNorm(2);
            new Sequential(List.of(norm, act)).forward(Tensor.zeros(3, 2), Mode.TRAIN);
            assertEquals(2, norm.backward(Tensor.zeros(3, 2)).dim(1), act.describe() + " must not be fused");
            assertThrows(IllegalStateException.class, () -> norm.backwardLeakyRelu(Tensor.zeros(3, 2)));
        }
    }

    @Test
    void leakyReluSlopeIsReportedOnlyWhereTheOutputsSignGivesTheDerivative() {
        assertEquals(0.0, ActivationLayer.relu().leakyReluSlope().getAsDouble());
        assertEquals(0.1, ActivationLayer.leakyRelu(0.1).leakyReluSlope().getAsDouble());
        assertTrue(ActivationLayer.leakyRelu(-0.1).leakyReluSlope().isEmpty());
        assertTrue(ActivationLayer.elu(1.0).leakyReluSlope().isEmpty());
        assertTrue(ActivationLayer.sigmoid().leakyReluSlope().isEmpty());
    }
}
