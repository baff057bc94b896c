package org.weightnorm4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.tensor.Tensor;

class SgdTest {

    private static Param scalar(double value) {
        return new Param("p", Tensor.wrap(new float[] {(float) value}, 1));
    }

    private static double stepWith(Optimizer opt, Param p, double grad) {
        p.grad().set(0, grad);
        opt.step();
        return p.value().get(0);
    }

    @Test
    void plainStepIsThetaMinusLrTimesGradient() {
        Param p = scalar(1.0);
        Sgd sgd = new Sgd(List.of(p), 0.1);
        assertEquals(0.95, stepWith(sgd, p, 0.5), 1e-7);
        assertEquals(0.97, stepWith(sgd, p, -0.2), 1e-7);
    }

    @Test
    void momentumAccumulatesPastGradients() {
        Param p = scalar(1.0);
        Sgd sgd = new Sgd(List.of(p), 0.1, 0.9, false, 0);
        // b = 0.5, theta = 1 - 0.1 * 0.5
        assertEquals(0.95, stepWith(sgd, p, 0.5), 1e-7);
        // b = 0.9 * 0.5 + 0.5 = 0.95, theta = 0.95 - 0.095
        assertEquals(0.855, stepWith(sgd, p, 0.5), 1e-7);
    }

    @Test
    void nesterovLooksAhead() {
        Param p = scalar(1.0);
        Sgd sgd = new Sgd(List.of(p), 0.1, 0.9, true, 0);
        // b = 0.5, d = 0.5 + 0.9 * 0.5 = 0.95
        assertEquals(0.905, stepWith(sgd, p, 0.5), 1e-7);
        // b = 0.9 * 0.5 + 0.5 = 0.95, d = 0.5 + 0.9 * 0.95 = 1.355
        assertEquals(0.905 - 0.1355, stepWith(sgd, p, 0.5), 1e-6);
    }

    @Test
    void weightDecayAddsLambdaTheta() {
        Param p = scalar(2.0);
        Sgd sgd = new Sgd(List.of(p), 0.1, 0, false, 0.5);
        // d = 0.5 + 0.5 * 2 = 1.5
        assertEquals(1.85, stepWith(sgd, p, 0.5), 1e-6);
    }

    @Test
    void convergesOnAConvexQuadratic() {
        float[] target = {3f, -2f, 0.5f, 7f};
        float[] curvature = {1f, 4f, 0.5f, 2f};
        Param p = new Param("x", Tensor.zeros(4));
        Sgd sgd = new Sgd(List.of(p), 0.1, 0.9, true, 0);
        for (int it = 0; it < 500; it++) {
            for (int i = 0; i < 4; i++) {
                p.grad().set(i, curvature[i] * (p.value().get(i) - target[i]));
            }
            sgd.step();
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(target[i], p.value().get(i), 1e-4, "coordinate " + i);
        }
    }

    @Test
    void rejectsBadHyperparametersWithTheirName() {
        Param p = scalar(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(p), 0.1, 1.0, false, 0));
        assertEquals("SGD momentum must be in [0, 1), got 1.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(p), 0.1, 0, true, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(p), -1));
    }

    @Test
    void toStringPrintsEveryHyperparameter() {
        assertEquals("SGD(lr=0.1, momentum=0.9, nesterov=true, weight_decay=1.0E-4)",
                new Sgd(List.of(scalar(0)), 0.1, 0.9, true, 1e-4).toString());
    }
}
