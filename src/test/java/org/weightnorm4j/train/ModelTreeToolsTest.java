package org.weightnorm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.nn.ActivationLayer;
import org.weightnorm4j.nn.Dense;
import org.weightnorm4j.nn.Dropout;
import org.weightnorm4j.nn.Flatten;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.ModelTree;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.nn.Residual;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.norm.DataDependentInit;
import org.weightnorm4j.norm.WeightNorm;
import org.weightnorm4j.norm.WeightNormStats;
import org.weightnorm4j.norm.WeightNormWeights;
import org.weightnorm4j.norm.WeightNormed;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.train.checkpoint.Checkpoint;

/**
 * A model is a tree: with a residual block inside a Sequential and a weight-normed layer inside
 * the block, data-dependent initialisation, the ‖v‖/g metrics, the zero-v guard and the state
 * dict all reach the inner layer (they used to scan only the top-level list).
 */
class ModelTreeToolsTest {
    /** Path of the weight-normed dense layer inside the block: module 3 of the model, "body", module 0 of the body. */
    private static final String INNER = "3.body.0";

    private static Sequential twoLevelTree(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Sequential body = new Sequential(List.of(new Dense(8, 8, rng), ActivationLayer.tanh()));
        Sequential plain = new Sequential(List.of(new Flatten(), new Dense(16, 8, rng), ActivationLayer.relu(),
                new Residual(body), new Dense(8, 3, rng)));
        return WeightNorm.apply(plain);
    }

    private static Tensor batch(long seed, int n) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor x = Tensor.zeros(n, 1, 4, 4);
        for (int i = 0; i < x.size(); i++) {
            x.set(i, rng.nextGaussian());
        }
        return x;
    }

    @Test
    void theInnerLayerIsFoundAndNamedByItsPath() {
        Sequential model = twoLevelTree(1);
        List<String> paths = WeightNormed.find(model).stream().map(WeightNormed.Found::path).toList();
        assertEquals(List.of("1", INNER, "4"), paths);
        Map<String, Tensor> state = Checkpoint.stateDict(model);
        assertTrue(state.containsKey(INNER + ".weight_g") && state.containsKey(INNER + ".weight_v")
                && state.containsKey(INNER + ".bias"), state.keySet().toString());
    }

    /** §3: after init, the inner layer's pre-activations have mean 0 and standard deviation 1 on the init batch. */
    @Test
    void dataDependentInitReachesTheInnerLayer() {
        Sequential model = twoLevelTree(2);
        Tensor x = batch(3, 64);
        int initialised = DataDependentInit.apply(model, x, DataDependentInit.Options.paper(4));
        assertEquals(3, initialised);

        // The inner dense layer's input is the output of module 2 (the ReLU); run the model up to there.
        Tensor h = x;
        for (int k = 0; k < 3; k++) {
            h = model.layers().get(k).forward(h, Mode.TRAIN);
        }
        Residual block = (Residual) model.layers().get(3);
        Dense inner = (Dense) ((Sequential) block.body()).layers().get(0);
        Tensor t = inner.forward(h, Mode.TRAIN);
        int units = t.dim(1), m = t.dim(0);
        Tensor sums = t.zerosLike(units);
        Kernels.channelSums(t, sums, false);
        for (int u = 0; u < units; u++) {
            double mean = sums.get(u) / m, sq = 0;
            for (int i = 0; i < m; i++) {
                double d = t.get(i * units + u) - mean;
                sq += d * d;
            }
            assertEquals(0, mean, 1e-5, "mean of unit " + u);
            assertEquals(1, Math.sqrt(sq / m), 1e-4, "std of unit " + u);
        }
    }

    @Test
    void theMetricsReachTheInnerLayer() {
        Sequential model = twoLevelTree(5);
        Map<String, WeightNormStats> stats = WeightNormed.statsByModule(model);
        assertEquals(List.of("1", INNER, "4"), List.copyOf(stats.keySet()));
        WeightNormWeights inner = WeightNormed.find(model).get(1).weights();
        inner.g().value().fill(2);
        assertEquals(2, WeightNormed.statsByModule(model).get(INNER).meanG(), 1e-6);
    }

    @Test
    void theZeroDirectionGuardReachesTheInnerLayer() {
        Sequential model = twoLevelTree(6);
        NonFiniteGuard guard = new NonFiniteGuard(model);
        guard.checkDirections(1, 1, "after its update", null);            // healthy: no error
        WeightNormWeights inner = WeightNormed.find(model).get(1).weights();
        Tensor v = inner.v().value();
        for (int j = 0; j < 8; j++) {
            v.set(2 * 8 + j, 0);                                         // unit 2's direction gone
        }
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> guard.checkDirections(7, 1, "after its update", null));
        assertTrue(e.getMessage().contains("unit 2") && e.getMessage().contains("module " + INNER)
                && e.getMessage().contains("'" + INNER + ".weight_v' row 2"), e.getMessage());
    }

    @Test
    void theNonFiniteGuardNamesAnInnerParameter() {
        Sequential model = twoLevelTree(8);
        Param innerV = ModelTree.namedParams(model).get(INNER + ".weight_v");
        innerV.grad().set(3, Double.NaN);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> new NonFiniteGuard(model).checkGradients(4, 1, null));
        assertTrue(e.getMessage().contains("'" + INNER + ".weight_v' of layer " + INNER + " Dense"), e.getMessage());
    }

    /** Random layers inside the block get their own stream, derived from their path, and are saved by path. */
    @Test
    void randomLayersInsideTheBlockAreSeededAndSavedByPath() {
        Dropout outer = new Dropout(0.5);
        Dropout inner = new Dropout(0.5);
        Sequential model = Sequential.builder().add(outer)
                .add(new Residual(new Sequential(List.of(inner)))).seed(11).build();
        assertEquals(List.of("0", "1.body.0"), List.copyOf(model.namedRandomStates().keySet()));
        Tensor ones = Tensor.zeros(1, 4096);
        ones.fill(1);
        Tensor a = outer.forward(ones, Mode.TRAIN).copy();
        Tensor b = inner.forward(ones, Mode.TRAIN);
        int same = 0;
        for (int i = 0; i < a.size(); i++) {
            same += a.get(i) == b.get(i) ? 1 : 0;
        }
        assertTrue(same < 0.6 * a.size(), "independent masks agree on about half the elements, got " + same);
    }
}
