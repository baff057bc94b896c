package org.weightnorm4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.norm.LinearUnit;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.tensor.ConvSpec;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

class SequentialTest {

    /** y[n,j] = w[j] x[n,j] + b[j], with a {@code running_mean} buffer: a minimal layer with state. */
    private static final class Affine implements Layer {
        final Param w;
        final Param b;
        final Tensor runningMean;
        private Tensor x;

        Affine(int features, SplittableRandom rng) {
            w = new Param("weight", TestTensors.uniform(rng, DType.FLOAT64, features));
            b = new Param("bias", TestTensors.uniform(rng, DType.FLOAT64, features));
            runningMean = Tensor.zeros(DType.FLOAT64, features);
        }

        @Override
        public Tensor forward(Tensor x, Mode mode) {
            this.x = x;
            int f = w.value().size();
            Tensor y = x.zerosLike(x.shape());
            for (int i = 0; i < x.size(); i++) {
                y.set(i, w.value().get(i % f) * x.get(i) + b.value().get(i % f));
            }
            return y;
        }

        @Override
        public Tensor backward(Tensor dy) {
            int f = w.value().size();
            Tensor dx = dy.zerosLike(dy.shape());
            for (int i = 0; i < dy.size(); i++) {
                dx.set(i, w.value().get(i % f) * dy.get(i));
                w.grad().set(i % f, w.grad().get(i % f) + x.get(i) * dy.get(i));
                b.grad().set(i % f, b.grad().get(i % f) + dy.get(i));
            }
            return dx;
        }

        @Override
        public List<Param> params() {
            return List.of(w, b);
        }

        @Override
        public Map<String, Tensor> buffers() {
            return Map.of("running_mean", runningMean);
        }

        @Override
        public String describe() {
            return "Affine(" + w.value().size() + ")";
        }
    }

    @Test
    void indicesCountEveryModuleAsPyTorchDoes() {
        SplittableRandom rng = new SplittableRandom(1);
        // PyTorch: Sequential(Flatten, Linear, ReLU, Linear, ReLU, Linear) → 1.weight, 3.weight, 5.weight.
        Sequential mlp = Sequential.builder()
                .add(new Flatten())
                .add(new Affine(4, rng)).add(ActivationLayer.relu())
                .add(new Affine(4, rng)).add(ActivationLayer.relu())
                .add(new Affine(4, rng))
                .build();
        assertEquals(List.of("1.weight", "1.bias", "3.weight", "3.bias", "5.weight", "5.bias"),
                new ArrayList<>(mlp.namedParams().keySet()));
        assertEquals(List.of("1.running_mean", "3.running_mean", "5.running_mean"), new ArrayList<>(mlp.namedBuffers().keySet()));
        assertEquals(new ArrayList<>(mlp.namedParams().values()), mlp.params());
        assertEquals(mlp.namedBuffers(), mlp.buffers());
        assertEquals(5, mlp.moduleIndex(5));
    }

    @Test
    void globalAvgPoolCountsAsAdaptiveAvgPoolPlusFlatten() {
        SplittableRandom rng = new SplittableRandom(2);
        // PyTorch: [Dropout, MaxPool2d, AdaptiveAvgPool2d, Flatten, Linear] → the linear layer is module 4.
        Sequential model = Sequential.builder()
                .add(new Dropout(0.5)).add(new MaxPool2d()).add(new GlobalAvgPool()).add(new Affine(3, rng))
                .build();
        assertEquals(List.of("4.weight", "4.bias"), new ArrayList<>(model.namedParams().keySet()));
        assertEquals(4, model.moduleIndex(3));
    }

    @Test
    void nestedSequentialNamesLikePyTorch() {
        SplittableRandom rng = new SplittableRandom(3);
        Sequential inner = Sequential.builder().add(ActivationLayer.tanh()).add(new Affine(2, rng)).build();
        Sequential outer = Sequential.builder().add(new Affine(2, rng)).add(inner).build();
        assertEquals(List.of("0.weight", "0.bias", "1.1.weight", "1.1.bias"), new ArrayList<>(outer.namedParams().keySet()));
        assertEquals(List.of("0.running_mean", "1.1.running_mean"), new ArrayList<>(outer.namedBuffers().keySet()));
    }

    @Test
    void mlpPresetShapeNamesMatchTorchPeer() {
        // torch_peer.py build("mlp", "wn-mobn"): Flatten, [WN Linear, MeanOnlyBN, ReLU] x2, WN Linear, MeanOnlyBN.
        SplittableRandom rng = new SplittableRandom(4);
        Sequential.Builder b = Sequential.builder().add(new Flatten());
        b.addAll(LinearUnit.dense(Parameterization.WN_MOBN, 6, 5, DType.FLOAT32, rng)).add(ActivationLayer.relu());
        b.addAll(LinearUnit.dense(Parameterization.WN_MOBN, 5, 5, DType.FLOAT32, rng)).add(ActivationLayer.relu());
        b.addAll(LinearUnit.dense(Parameterization.WN_MOBN, 5, 3, DType.FLOAT32, rng));
        Sequential model = b.build();
        assertEquals(Set.of("1.weight_g", "1.weight_v", "2.bias", "4.weight_g", "4.weight_v", "5.bias",
                "7.weight_g", "7.weight_v", "8.bias"), model.namedParams().keySet());
        assertEquals(Set.of("2.running_mean", "5.running_mean", "8.running_mean"), model.namedBuffers().keySet());
    }

    @Test
    void cnnTailNamesMatchTorchPeer() {
        // torch_peer.py build("paper-cifar", "bn") tail: ..., Conv2d(no bias), BatchNorm2d, LeakyReLU,
        // AdaptiveAvgPool2d, Flatten, Linear(no bias), BatchNorm1d. Here from index 0 with a noise layer first.
        SplittableRandom rng = new SplittableRandom(5);
        Sequential model = Sequential.builder()
                .add(new GaussianNoise(0.15))                                                    // 0
                .addAll(LinearUnit.conv(Parameterization.BN, 3, 4, 3, new ConvSpec(1, 1), DType.FLOAT32, rng)) // 1, 2
                .add(ActivationLayer.leakyRelu(0.1))                                             // 3
                .add(new MaxPool2d()).add(new Dropout(0.5))                                      // 4, 5
                .add(new GlobalAvgPool())                                                        // 6, 7
                .addAll(LinearUnit.dense(Parameterization.BN, 4, 10, DType.FLOAT32, rng))       // 8, 9
                .build();
        assertEquals(Set.of("1.weight", "2.weight", "2.bias", "8.weight", "9.weight", "9.bias"),
                model.namedParams().keySet());
        assertEquals(List.of("2.running_mean", "2.running_var", "2.num_batches_tracked",
                "9.running_mean", "9.running_var", "9.num_batches_tracked"), new ArrayList<>(model.namedBuffers().keySet()));
        assertEquals(List.of("0", "5"), new ArrayList<>(model.namedRandomStates().keySet()));
    }

    @Test
    void builderSeedsEachRandomLayerDifferentlyAndReproducibly() {
        Dropout d1 = new Dropout(0.5, 123);
        Dropout d2 = new Dropout(0.5, 123);
        Sequential model = Sequential.builder().add(d1).add(ActivationLayer.relu()).add(d2).seed(99).build();
        assertNotEquals(d1.randomSeed(), d2.randomSeed());
        assertEquals(RandomStreams.derive(99, 0), d1.randomSeed());
        assertEquals(RandomStreams.derive(99, 2), d2.randomSeed());
        Dropout e1 = new Dropout(0.5);
        Sequential.builder().add(e1).seed(99).build();
        assertEquals(d1.randomSeed(), e1.randomSeed());
        assertEquals(List.of("0", "2"), new ArrayList<>(model.namedRandomStates().keySet()));
        Sequential defaultSeed = Sequential.builder().add(new Dropout(0.5, 5)).build();
        assertEquals(RandomStreams.derive(0, 0), defaultSeed.namedRandomStates().get("0").randomSeed());
    }

    @Test
    void forwardAndBackwardComposeAndPassTheGradientCheck() {
        SplittableRandom rng = new SplittableRandom(6);
        Sequential model = Sequential.builder()
                .add(new Affine(5, rng)).add(ActivationLayer.tanh())
                .add(new Dropout(0.3)).add(new Affine(5, rng)).add(ActivationLayer.softplus())
                .seed(8)
                .build();
        Tensor x = TestTensors.uniform(rng, DType.FLOAT64, 3, 5);
        GradientCheck.assertLayer(model, x, Mode.TRAIN);
        GradientCheck.assertLayer(model, x, Mode.EVAL);
        GradientCheck.assertModel(model, x, new int[] {0, 4, 2}, Mode.TRAIN);
    }

    @Test
    void zeroGradZeroesEveryParameter() {
        SplittableRandom rng = new SplittableRandom(7);
        Sequential model = Sequential.builder().add(new Affine(3, rng)).add(new Affine(3, rng)).build();
        model.forward(TestTensors.uniform(rng, DType.FLOAT64, 2, 3), Mode.TRAIN);
        model.backward(TestTensors.uniform(rng, DType.FLOAT64, 2, 3));
        assertTrue(model.params().stream().anyMatch(p -> p.grad().get(0) != 0));
        model.zeroGrad();
        for (Param p : model.params()) {
            for (int i = 0; i < p.grad().size(); i++) {
                assertEquals(0, p.grad().get(i));
            }
        }
    }

    @Test
    void describeListsLayersWithIndicesAndParameterCounts() {
        SplittableRandom rng = new SplittableRandom(8);
        Sequential model = Sequential.builder().add(new Flatten()).add(new Affine(1000, rng)).add(ActivationLayer.leakyRelu(0.1))
                .add(new GlobalAvgPool()).add(new Affine(3, rng)).build();
        String text = model.describe();
        String[] lines = text.split("\n");
        assertEquals(6, lines.length, text);
        assertTrue(lines[0].contains("5 layers") && lines[0].contains("2,006 parameters"), text);
        assertTrue(lines[2].contains("(1) Affine(1000)") && lines[2].contains("2,000"), text);
        assertTrue(lines[3].contains("(2) LeakyReLU(0.1)"), text);
        assertTrue(lines[5].contains("(5) Affine(3)") && lines[5].trim().endsWith("6"), text);
        assertEquals(2006, model.parameterCount());
    }

    @Test
    void invalidConstructionIsAClearError() {
        assertThrows(IllegalArgumentException.class, () -> Sequential.builder().build());
        IllegalArgumentException nul = assertThrows(IllegalArgumentException.class,
                () -> Sequential.builder().add(new Flatten()).add(null));
        assertTrue(nul.getMessage().contains("position 1"), nul.getMessage());
        Layer twice = new Layer() {
            final Param p = new Param("weight", Tensor.zeros(1));
            final Param q = new Param("weight", Tensor.zeros(1));

            @Override
            public Tensor forward(Tensor x, Mode mode) {
                return x;
            }

            @Override
            public Tensor backward(Tensor dy) {
                return dy;
            }

            @Override
            public List<Param> params() {
                return List.of(p, q);
            }

            @Override
            public String describe() {
                return "Twice";
            }
        };
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> new Sequential(List.of(twice)));
        assertTrue(dup.getMessage().contains("Twice") && dup.getMessage().contains("weight"), dup.getMessage());
    }

    @Test
    void layersAreExposedInOrderAndUnmodifiable() {
        Flatten f = new Flatten();
        ActivationLayer r = ActivationLayer.relu();
        Sequential model = Sequential.builder().add(f).add(r).build();
        assertSame(f, model.layers().get(0));
        assertSame(r, model.layers().get(1));
        assertThrows(UnsupportedOperationException.class, () -> model.layers().add(f));
    }
}
