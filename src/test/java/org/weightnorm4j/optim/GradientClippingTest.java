package org.weightnorm4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/** Global-norm clipping: PyTorch's rule ({@code max/(n + 1e-6)} when below 1), worked by hand on small tensors. */
class GradientClippingTest {

    private static Param param(String name, double... grad) {
        Param p = new Param(name, Tensor.zeros(DType.FLOAT64, grad.length));
        for (int i = 0; i < grad.length; i++) {
            p.grad().set(i, grad[i]);
        }
        return p;
    }

    @Test
    void scalesEveryGradientWhenTheGlobalNormIsAboveTheMaximum() {
        Param a = param("a", 3, 0), b = param("b", 0, 4, 0);                 // global norm 5
        double norm = GradientClipping.clipGlobalNorm(List.of(a, b), 2);
        assertEquals(5, norm, 1e-15);
        double c = 2 / (5 + 1e-6);
        assertEquals(3 * c, a.grad().get(0), 1e-15);
        assertEquals(4 * c, b.grad().get(1), 1e-15);
    }

    @Test
    void leavesGradientsBelowTheMaximumAlone() {
        Param a = param("a", 0.3, -0.4);
        assertEquals(0.5, GradientClipping.clipGlobalNorm(List.of(a), 10), 1e-15);
        assertEquals(-0.4, a.grad().get(1), 0);
    }

    @Test
    void rejectsANonPositiveMaximum() {
        assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipGlobalNorm(List.of(param("a", 1)), 0));
    }
}
