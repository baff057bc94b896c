package org.weightnorm4j.norm;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.weightnorm4j.nn.PlainWeights;
import org.weightnorm4j.nn.Conv2d;
import org.weightnorm4j.nn.Dense;
import org.weightnorm4j.nn.Initializers;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.nn.LinearWeights;
import org.weightnorm4j.tensor.ConvSpec;
import org.weightnorm4j.tensor.DType;

/**
 * A linear layer under one {@link Parameterization}, as the list of modules PyTorch's
 * {@code linear_unit} in {@code shared/bench/torch_peer.py} builds; the module order is the
 * checkpoint contract:
 * <pre>
 *   normal  → [Linear(bias)]                 bn   → [Linear(no bias), BatchNorm]
 *   wn      → [WN Linear(bias)]              wn-mobn → [WN Linear(no bias), MeanOnlyBatchNorm]
 *   mobn    → [Linear(no bias), MeanOnlyBatchNorm]
 * </pre>
 * Plain weights use PyTorch's default initialisation; weight norm the paper's
 * {@code v ~ N(0, 0.05²)} ({@link WeightNormWeights#paperInit}).
 */
public final class LinearUnit {
    private LinearUnit() {
    }

    /** A dense layer {@code in → out} and its normalizer, if any. */
    public static List<Layer> dense(Parameterization p, int in, int out, DType dtype, RandomGenerator rng) {
        List<Layer> layers = new ArrayList<>();
        layers.add(new Dense(weights(p, new int[] {out, in}, dtype, rng)));
        addNormalizer(p, out, dtype, layers);
        return layers;
    }

    /** A convolution {@code in → out} channels with a square kernel, and its normalizer, if any. */
    public static List<Layer> conv(Parameterization p, int in, int out, int kernel, ConvSpec spec, DType dtype,
                                   RandomGenerator rng) {
        List<Layer> layers = new ArrayList<>();
        layers.add(new Conv2d(weights(p, new int[] {out, in, kernel, kernel}, dtype, rng), spec));
        addNormalizer(p, out, dtype, layers);
        return layers;
    }

    /** The weights of the linear layer of a unit. */
    public static LinearWeights weights(Parameterization p, int[] shape, DType dtype, RandomGenerator rng) {
        return p.usesWeightNorm()
                ? WeightNormWeights.paperInit(shape, p.linearHasBias(), WeightNorm.PER_UNIT,
                        Initializers.PAPER_V_STD, dtype, rng)
                : PlainWeights.pytorchDefault(shape, p.linearHasBias(), dtype, rng);
    }

    private static void addNormalizer(Parameterization p, int channels, DType dtype, List<Layer> layers) {
        switch (p.normalizer()) {
            case BATCH_NORM -> layers.add(new BatchNorm(channels, dtype));
            case MEAN_ONLY -> layers.add(new MeanOnlyBatchNorm(channels, dtype));
            case NONE -> {
            }
        }
    }
}
