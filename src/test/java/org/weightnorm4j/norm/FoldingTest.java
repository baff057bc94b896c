package org.weightnorm4j.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.weightnorm4j.norm.NormTestSupport.positive;
import static org.weightnorm4j.norm.NormTestSupport.uniform;

import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.nn.Conv2d;
import org.weightnorm4j.nn.Dense;
import org.weightnorm4j.nn.LinearLayer;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.tensor.ConvSpec;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/** Folding a WN layer into plain weights and back leaves its output unchanged (as PyTorch's weight-norm test checks). */
class FoldingTest {

    @RepeatedTest(4)
    void foldAndUnfoldLeaveTheOutputUnchanged(RepetitionInfo info) {
        SplittableRandom rng = new SplittableRandom(info.getCurrentRepetition());
        boolean conv = info.getCurrentRepetition() % 2 == 0;
        boolean bias = info.getCurrentRepetition() > 2;
        LinearLayer wn;
        Tensor x;
        if (conv) {
            wn = new Conv2d(new WeightNormWeights(positive(rng, 3, 1, 1, 1), uniform(rng, 3, 2, 3, 3),
                    bias ? uniform(rng, 3) : null, WeightNorm.Scope.PER_UNIT), new ConvSpec(2, 1));
            x = uniform(rng, 2, 2, 5, 5);
        } else {
            wn = new Dense(new WeightNormWeights(positive(rng, 4, 1), uniform(rng, 4, 5),
                    bias ? uniform(rng, 4) : null, WeightNorm.Scope.PER_UNIT));
            x = uniform(rng, 3, 5);
        }
        Tensor y = wn.forward(x, Mode.EVAL).copy();
        LinearLayer plain = Folding.fold(wn);
        assertInstanceOf(PlainWeights.class, plain.weights());
        assertSame(y, plain.forward(x, Mode.EVAL));
        LinearLayer back = Folding.unfold(plain, WeightNorm.Scope.PER_UNIT);
        assertInstanceOf(WeightNormWeights.class, back.weights());
        assertSame(y, back.forward(x, Mode.EVAL));
        WeightNormWeights wb = (WeightNormWeights) back.weights();
        double[] n = WeightNorm.norms(wb.v().value(), WeightNorm.Scope.PER_UNIT, "back");
        for (int u = 0; u < n.length; u++) {
            assertEquals(n[u], wb.g().value().get(u), 1e-14, "g = ||w|| after unfolding");
        }
    }

    @Test
    void foldingAPlainLayerIsAnError() {
        Dense plain = new Dense(PlainWeights.pytorchDefault(new int[] {2, 2}, true, DType.FLOAT64, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> Folding.fold(plain));
    }

    private static void assertSame(Tensor expected, Tensor actual) {
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), 1e-13 * (1 + Math.abs(expected.get(i))), "output " + i);
        }
    }
}
