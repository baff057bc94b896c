package org.weightnorm4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.norm.MeanOnlyBatchNorm;
import org.weightnorm4j.norm.WeightNorm;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * Parameter copies in memory (a DQN target network, a snapshot): with and without weight norm,
 * buffers included, nested blocks included; a mismatched architecture is refused before anything
 * is copied.
 */
class ModelStateTest {

    private static Sequential network(long seed, boolean weightNorm) {
        SplittableRandom rng = new SplittableRandom(seed);
        Sequential plain = new Sequential(List.of(new Flatten(), new Dense(12, 6, false, rng), new MeanOnlyBatchNorm(6, DType.FLOAT32),
                ActivationLayer.relu(), new Residual(new Sequential(List.of(new Dense(6, 6, rng), ActivationLayer.tanh()))),
                new Dense(6, 3, rng)));
        return weightNorm ? WeightNorm.apply(plain) : plain;
    }

    private static Tensor input(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor x = Tensor.zeros(5, 1, 3, 4);
        for (int i = 0; i < x.size(); i++) {
            x.set(i, rng.nextGaussian());
        }
        return x;
    }

    @ParameterizedTest(name = "weight norm {0}")
    @ValueSource(booleans = {false, true})
    void aCopyComputesTheSameFunction(boolean weightNorm) {
        Sequential online = network(1, weightNorm);
        Sequential target = network(2, weightNorm);                 // same architecture, other values
        online.forward(input(3), Mode.TRAIN);                       // moves the running means away from 0
        Tensor x = input(4);
        Tensor before = target.forward(x, Mode.EVAL).copy();
        ModelState.copy(online, target);
        Tensor expected = online.forward(x, Mode.EVAL).copy();
        Tensor copied = target.forward(x, Mode.EVAL);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), copied.get(i), 0, "the target computes the online network's function, bit for bit");
        }
        assertTrue(before.get(0) != copied.get(0), "and no longer its own");
        Map<String, Tensor> a = ModelState.snapshot(online).tensors();
        assertTrue(a.keySet().stream().anyMatch(k -> k.endsWith("running_mean")), "buffers are copied too: " + a.keySet());
        assertTrue(!weightNorm || a.containsKey("4.body.0.weight_g"), a.keySet().toString());
    }

    @Test
    void aSnapshotRestoresExactly() {
        Sequential model = network(5, true);
        Tensor x = input(6);
        Tensor expected = model.forward(x, Mode.EVAL).copy();
        ModelState saved = ModelState.snapshot(model);
        for (Param p : model.params()) {
            p.value().fill(0.25);                                   // "training" changes everything
        }
        saved.restoreInto(model);
        Tensor restored = model.forward(x, Mode.EVAL);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), restored.get(i), 0);
        }
    }

    @Test
    void aDifferentArchitectureIsRefusedAndNothingIsCopied() {
        Sequential wn = network(7, true);
        Sequential plain = network(8, false);
        float before = plain.params().get(0).value().data()[0];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelState.copy(wn, plain));
        assertTrue(e.getMessage().contains("'1.weight_g' is missing from the target model")
                && e.getMessage().contains("'1.weight' is missing from the source model"), e.getMessage());
        assertEquals(before, plain.params().get(0).value().data()[0], 0, "nothing copied");
        Sequential wider = new Sequential(List.of(new Flatten(), new Dense(12, 7, new SplittableRandom(1))));
        Sequential narrow = new Sequential(List.of(new Flatten(), new Dense(12, 6, new SplittableRandom(1))));
        e = assertThrows(IllegalArgumentException.class, () -> ModelState.copy(wider, narrow));
        assertTrue(e.getMessage().contains("'1.weight' is FLOAT32[7, 12] in the source model but FLOAT32[6, 12]"), e.getMessage());
    }
}
