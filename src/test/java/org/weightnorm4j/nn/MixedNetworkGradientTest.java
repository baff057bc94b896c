package org.weightnorm4j.nn;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.weightnorm4j.norm.LinearUnit;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.tensor.ConvSpec;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * End to end in float64: whole networks mixing the linear units of every parameterization
 * ({@link Dense}, {@link Conv2d}, batch norm, mean-only batch norm) with pooling, dropout, noise and
 * activations, under {@link SoftmaxCrossEntropy}, pass the finite-difference gradient check for
 * the input and every parameter, in training and in evaluation.
 */
class MixedNetworkGradientTest {

    /** A scaled-down {@code cnn} preset: noise, conv, leaky ReLU, max pool, dropout, valid conv, 1x1 conv, global pool. */
    private static Sequential cnn(Parameterization p, SplittableRandom rng) {
        return Sequential.builder()
                .add(new GaussianNoise(0.15))
                .addAll(LinearUnit.conv(p, 2, 3, 3, new ConvSpec(1, 1), DType.FLOAT64, rng))
                .add(ActivationLayer.leakyRelu(0.1))
                .add(new MaxPool2d())
                .add(new Dropout(0.5))
                .addAll(LinearUnit.conv(p, 3, 4, 3, new ConvSpec(1, 0), DType.FLOAT64, rng))
                .add(ActivationLayer.elu(1.0))
                .addAll(LinearUnit.conv(p, 4, 3, 1, new ConvSpec(1, 0), DType.FLOAT64, rng))
                .add(new GlobalAvgPool())
                .seed(rng.nextLong())
                .build();
    }

    /** A small MLP with smooth activations and dropout. */
    private static Sequential mlp(Parameterization p, SplittableRandom rng) {
        return Sequential.builder()
                .add(new Flatten())
                .addAll(LinearUnit.dense(p, 12, 6, DType.FLOAT64, rng))
                .add(ActivationLayer.tanh())
                .add(new Dropout(0.3))
                .addAll(LinearUnit.dense(p, 6, 5, DType.FLOAT64, rng))
                .add(ActivationLayer.softplus())
                .addAll(LinearUnit.dense(p, 5, 4, DType.FLOAT64, rng))
                .add(ActivationLayer.sigmoid())
                .addAll(LinearUnit.dense(p, 4, 3, DType.FLOAT64, rng))
                .seed(rng.nextLong())
                .build();
    }

    /**
     * Moves gains and biases off their initial values (g = ||v||, b = 0, γ = 1) so that a gradient
     * that wrongly ignores one of them cannot pass by accident.
     */
    private static void randomizeGainsAndBiases(Sequential model, SplittableRandom rng) {
        for (Map.Entry<String, Param> e : model.namedParams().entrySet()) {
            Tensor t = e.getValue().value();
            boolean gain = e.getKey().endsWith("weight_g") || isNormWeight(model, e.getKey());
            boolean bias = e.getKey().endsWith("bias");
            for (int i = 0; i < t.size(); i++) {
                if (gain) {
                    t.set(i, rng.nextDouble(0.5, 1.5));
                } else if (bias) {
                    t.set(i, rng.nextDouble(-0.2, 0.2));
                }
            }
        }
    }

    private static boolean isNormWeight(Sequential model, String name) {
        return name.endsWith(".weight") && model.namedBuffers().containsKey(name.replace(".weight", ".running_var"));
    }

    /** Runs a few training steps' worth of forwards so running statistics differ from their initial values. */
    private static void warmUp(Sequential model, Tensor x) {
        for (int i = 0; i < 3; i++) {
            model.forward(x, Mode.TRAIN);
        }
    }

    /**
     * In evaluation the network is a fixed function of its input (running statistics, no dropout, no
     * noise). {@code BatchNorm} refuses a backward pass after an evaluation forward by design (it is
     * only trained with batch statistics), so the bn networks are checked in training only.
     */
    private static void checkEvalUnlessBatchNorm(Parameterization p, Sequential model, Tensor x, int[] labels) {
        if (p.normalizer() != Parameterization.Normalizer.BATCH_NORM) {
            GradientCheck.create().mode(Mode.EVAL).checkWithLoss(model, x, labels).assertPassed();
        }
    }

    @ParameterizedTest
    @EnumSource(Parameterization.class)
    void convNetworkPassesTheGradientCheck(Parameterization p) {
        SplittableRandom rng = new SplittableRandom(1000 + p.ordinal());
        Sequential model = cnn(p, rng);
        randomizeGainsAndBiases(model, rng);
        // 8x8 → pool 4x4 → valid 3x3 conv 2x2: batch norm sees 3 x 2 x 2 = 12 values per channel.
        Tensor x = TestTensors.uniform(rng, DType.FLOAT64, 3, 2, 8, 8);
        int[] labels = TestTensors.labels(rng, 3, 3);
        warmUp(model, x);
        GradientCheck.create().mode(Mode.TRAIN).checkWithLoss(model, x, labels).assertPassed();
        checkEvalUnlessBatchNorm(p, model, x, labels);
    }

    @ParameterizedTest
    @EnumSource(Parameterization.class)
    void mlpPassesTheGradientCheck(Parameterization p) {
        SplittableRandom rng = new SplittableRandom(2000 + p.ordinal());
        Sequential model = mlp(p, rng);
        randomizeGainsAndBiases(model, rng);
        Tensor x = TestTensors.uniform(rng, DType.FLOAT64, 5, 3, 2, 2);
        int[] labels = TestTensors.labels(rng, 5, 3);
        warmUp(model, x);
        GradientCheck.create().mode(Mode.TRAIN).checkWithLoss(model, x, labels).assertPassed();
        checkEvalUnlessBatchNorm(p, model, x, labels);
    }
}
