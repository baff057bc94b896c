package org.weightnorm4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/** PyTorch's default bounds and the paper's N(0, 0.05²), seeded. */
class InitializersTest {

    @Test
    void kaimingUniformWithASqrt5IsUniformWithinOneOverSqrtFanIn() {
        Tensor w = Tensor.zeros(DType.FLOAT64, 64, 8, 3, 3);
        Initializers.kaimingUniform(w, new SplittableRandom(1));
        double bound = 1 / Math.sqrt(8 * 9);
        double sq = 0, max = 0;
        for (int i = 0; i < w.size(); i++) {
            max = Math.max(max, Math.abs(w.get(i)));
            sq += w.get(i) * w.get(i);
        }
        assertTrue(max <= bound, "all within ±1/√fanIn");
        assertTrue(max > 0.98 * bound, "the range is used");
        assertEquals(bound * bound / 3, sq / w.size(), 0.05 * bound * bound / 3, "variance of U(−b, b) is b²/3");
    }

    @Test
    void biasIsUniformWithinOneOverSqrtFanIn() {
        Tensor b = Tensor.zeros(DType.FLOAT64, 1000);
        Initializers.biasUniform(b, 25, new SplittableRandom(2));
        for (int i = 0; i < b.size(); i++) {
            assertTrue(Math.abs(b.get(i)) <= 0.2);
        }
    }

    @Test
    void normalHasTheRequestedStdAndIsSeeded() {
        Tensor a = Tensor.zeros(DType.FLOAT64, 20000);
        Tensor b = Tensor.zeros(DType.FLOAT64, 20000);
        Initializers.normal(a, Initializers.PAPER_V_STD, new SplittableRandom(3));
        Initializers.normal(b, Initializers.PAPER_V_STD, new SplittableRandom(3));
        double sq = 0;
        for (int i = 0; i < a.size(); i++) {
            sq += a.get(i) * a.get(i);
            assertEquals(a.get(i), b.get(i), 0, "same seed, same values");
        }
        assertEquals(0.05, Math.sqrt(sq / a.size()), 0.001);
    }
}
