package org.weightnorm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.weightnorm4j.model.ModelSpec;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * {@link Sequential#backwardParamsOnly} (training's backward, which skips the gradient of the
 * data) leaves every parameter gradient bit-identical to {@link Sequential#backward}, for dense
 * and convolutional first layers under every parameterization.
 */
class BackwardParamsOnlyTest {

    private static ModelSpec mlp() {
        return ModelSpec.builder(1, 4, 5).name("tiny-mlp").flatten().dense(7).relu().dense(3).build();
    }

    private static ModelSpec cnn() {
        return ModelSpec.builder(2, 6, 6).name("tiny-cnn").gaussianNoise(0.1).conv(4, 3, 1, 1).leakyRelu(0.1).maxPool()
                .dropout(0.5).conv(5, 3, 1, 0).globalAvgPool().flatten().dense(3).build();
    }

    /** Parameter gradients after one forward and the given backward, in {@link Sequential#namedParams} order. */
    private static List<float[]> gradients(ModelSpec spec, Parameterization p, boolean paramsOnly) {
        Sequential model = spec.build(p, 3, DType.FLOAT32);
        SplittableRandom rnd = new SplittableRandom(9);
        int[] in = spec.inputShape();
        Tensor x = Tensor.zeros(5, in[0], in[1], in[2]);
        for (int i = 0; i < x.size(); i++) {
            x.set(i, rnd.nextDouble(-1, 1));
        }
        model.zeroGrad();
        Tensor y = model.forward(x, Mode.TRAIN);
        Tensor dy = y.zerosLike();
        for (int i = 0; i < dy.size(); i++) {
            dy.set(i, rnd.nextDouble(-1, 1));
        }
        if (paramsOnly) {
            model.backwardParamsOnly(dy);
        } else {
            model.backward(dy);
        }
        List<float[]> out = new ArrayList<>();
        for (Map.Entry<String, Param> e : model.namedParams().entrySet()) {
            out.add(e.getValue().grad().data().clone());
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Parameterization.class)
    void sameParameterGradientsAsAFullBackward(Parameterization p) {
        for (ModelSpec spec : List.of(mlp(), cnn())) {
            List<float[]> full = gradients(spec, p, false);
            List<float[]> paramsOnly = gradients(spec, p, true);
            assertEquals(full.size(), paramsOnly.size());
            for (int i = 0; i < full.size(); i++) {
                assertArrayEquals(full.get(i), paramsOnly.get(i), spec.name() + " " + p + " parameter " + i);
            }
        }
    }
}
