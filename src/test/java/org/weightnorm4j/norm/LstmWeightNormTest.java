package org.weightnorm4j.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.nn.Dense;
import org.weightnorm4j.nn.Initializers;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.nn.Lstm;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.ModelState;
import org.weightnorm4j.nn.ModelTree;
import org.weightnorm4j.nn.PlainWeights;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/** Weight norm's two verbs on an {@link Lstm}: names, shapes, the output unchanged, and a model tree. */
class LstmWeightNormTest {

    private static Tensor input(SplittableRandom rnd, int steps, int batch, int in) {
        Tensor x = Tensor.zeros(steps, batch, in);
        Initializers.uniform(x, -1, 1, rnd);
        return x;
    }

    @Test
    void applyGivesOneNormPerGateRowNamedAsPyTorch() {
        Lstm lstm = new Lstm(6, 5, new SplittableRandom(1));
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"),
                List.copyOf(ModelTree.namedParams(lstm).keySet()));
        Lstm wn = WeightNorm.apply(WeightNorm.apply(lstm, Lstm.WEIGHT_IH, 0), Lstm.WEIGHT_HH, 0);
        Map<String, int[]> shapes = new LinkedHashMap<>();
        ModelTree.namedParams(wn).forEach((n, p) -> shapes.put(n, p.value().shape()));
        assertEquals(List.of("bias_ih_l0", "bias_hh_l0", "weight_ih_l0_g", "weight_ih_l0_v", "weight_hh_l0_g", "weight_hh_l0_v"),
                List.copyOf(shapes.keySet()));
        assertEquals(List.of(20, 1), List.of(shapes.get("weight_hh_l0_g")[0], shapes.get("weight_hh_l0_g")[1]));
        assertEquals(List.of(20, 5), List.of(shapes.get("weight_hh_l0_v")[0], shapes.get("weight_hh_l0_v")[1]));
        assertEquals(List.of(20, 6), List.of(shapes.get("weight_ih_l0_v")[0], shapes.get("weight_ih_l0_v")[1]));
        assertInstanceOf(WeightNormWeights.class, wn.weightsByName().get(Lstm.WEIGHT_HH));
        assertEquals("LSTM(6->5, ih wn, hh wn)", wn.describe());
    }

    @Test
    void applyAndRemoveLeaveTheOutputUnchanged() {
        SplittableRandom rnd = new SplittableRandom(2);
        Lstm plain = new Lstm(7, 17, rnd);
        Tensor x = input(rnd, 6, 3, 7);
        Tensor before = plain.forward(x, Mode.EVAL).copy();
        Lstm wn = plain;
        for (String name : Lstm.WEIGHT_NAMES) {
            wn = WeightNorm.apply(wn, name, 0);
        }
        assertClose(before, wn.forward(x, Mode.EVAL), 2e-6);
        Lstm back = WeightNorm.remove(WeightNorm.remove(wn, Lstm.WEIGHT_IH), Lstm.WEIGHT_HH);
        assertInstanceOf(PlainWeights.class, back.weightsByName().get(Lstm.WEIGHT_IH));
        assertClose(before, back.forward(x, Mode.EVAL), 2e-6);
        assertThrows(IllegalArgumentException.class, () -> WeightNorm.apply(plain),
                "a single LSTM has no weight called 'weight'");
    }

    @Test
    void applyOnAModelLeavesLstmsAloneForTheDefaultNameAndReachesThemByTheirNames() {
        SplittableRandom rnd = new SplittableRandom(3);
        Sequential model = new Sequential(List.<Layer>of(new Lstm(4, 3, rnd), new Dense(3, 2, rnd)));
        Sequential dense = WeightNorm.apply(model);
        assertSame(model.children().get("0"), dense.children().get("0"), "the LSTM is shared, untouched");
        assertTrue(ModelTree.namedParams(dense).containsKey("1.weight_g"));
        Sequential all = dense;
        for (String name : Lstm.WEIGHT_NAMES) {
            all = WeightNorm.apply(all, name, 0);
        }
        assertEquals(List.of("0.bias_ih_l0", "0.bias_hh_l0", "0.weight_ih_l0_g", "0.weight_ih_l0_v", "0.weight_hh_l0_g",
                "0.weight_hh_l0_v", "1.bias", "1.weight_g", "1.weight_v"), List.copyOf(ModelTree.namedParams(all).keySet()));
    }

    @Test
    void modelStateCopiesAnLstm() {
        SplittableRandom rnd = new SplittableRandom(4);
        Lstm a = WeightNorm.apply(new Lstm(5, 4, rnd), Lstm.WEIGHT_HH, 0);
        Lstm b = WeightNorm.apply(new Lstm(5, 4, rnd), Lstm.WEIGHT_HH, 0);
        Tensor x = input(rnd, 3, 2, 5);
        Tensor expected = a.forward(x, Mode.EVAL).copy();
        ModelState.copy(a, b);
        assertClose(expected, b.forward(x, Mode.EVAL), 0);
        Lstm plain = new Lstm(5, 4, rnd);
        assertThrows(IllegalArgumentException.class, () -> ModelState.copy(a, plain), "different parameterization");
    }

    @Test
    void shapesAndNamesAreChecked() {
        Lstm lstm = new Lstm(3, 2, DType.FLOAT32, new SplittableRandom(5));
        assertThrows(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(2, 3), Mode.EVAL));
        assertThrows(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(2, 1, 4), Mode.EVAL));
        assertThrows(IllegalArgumentException.class, () -> lstm.withWeights("weight",
                PlainWeights.pytorchDefault(new int[] {8, 3}, false, new SplittableRandom(6))));
        assertThrows(IllegalStateException.class, () -> new Lstm(3, 2, new SplittableRandom(7)).backward(Tensor.zeros(1, 1, 2)));
    }

    private static void assertClose(Tensor expected, Tensor actual, double tol) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), tol, "element " + i);
        }
    }
}
