package org.weightnorm4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.tensor.Tensor;

class AdamTest {

    @Test
    void firstTwoStepsMatchHandComputation() {
        Param p = new Param("p", Tensor.wrap(new float[] {1f}, 1));
        Adam adam = new Adam(List.of(p), 0.1);
        p.grad().set(0, 0.5);
        adam.step();
        // m̂ = 0.5, v̂ = 0.25: theta = 1 - 0.1 * 0.5 / (0.5 + 1e-8)
        assertEquals(0.9, p.value().get(0), 1e-6);
        p.grad().set(0, -0.25);
        adam.step();
        // m = 0.9*0.05 - 0.1*0.25 = 0.02, m̂ = 0.02/0.19; v = 0.999*0.00025 + 0.001*0.0625 = 0.00031225,
        // v̂ = 0.00031225/0.001999; theta = 0.9 - 0.1 * m̂/(sqrt(v̂) + 1e-8)
        double mHat = 0.02 / 0.19;
        double vHat = 0.00031225 / (1 - 0.999 * 0.999);
        assertEquals(0.9 - 0.1 * mHat / (Math.sqrt(vHat) + 1e-8), p.value().get(0), 1e-6);
    }

    @Test
    void biasCorrectionStaysExactWhenBeta1Changes() {
        // With a constant gradient g the bias-corrected first moment is g exactly, whatever the β1
        // sequence; so each step moves theta by lr * g / (|g| + eps) = lr (for g > 0).
        Param p = new Param("p", Tensor.wrap(new float[] {0f}, 1));
        Adam adam = new Adam(List.of(p), 0.01);
        for (int t = 0; t < 20; t++) {
            if (t == 7) {
                adam.setBeta1(0.5);
            }
            float before = p.value().data()[0];
            p.grad().set(0, 2.0);
            adam.step();
            assertEquals(-0.01, p.value().data()[0] - before, 1e-6, "step " + t);
        }
    }

    @Test
    void convergesOnAConvexQuadratic() {
        float[] target = {3f, -2f, 0.5f, 7f};
        float[] curvature = {1f, 40f, 0.05f, 2f};
        Param p = new Param("x", Tensor.zeros(4));
        Adam adam = new Adam(List.of(p), 0.1);
        for (int it = 0; it < 3000; it++) {
            adam.setLearningRate(Schedule.linearDecay(0.1, 1000, 3000).at(it));
            for (int i = 0; i < 4; i++) {
                p.grad().set(i, curvature[i] * (p.value().get(i) - target[i]));
            }
            adam.step();
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(target[i], p.value().get(i), 1e-3, "coordinate " + i);
        }
    }

    @Test
    void weightDecayIsAddedToTheGradient() {
        Param a = new Param("a", Tensor.wrap(new float[] {2f}, 1));
        Param b = new Param("b", Tensor.wrap(new float[] {2f}, 1));
        Adam decayed = new Adam(List.of(a), 0.1, 0.9, 0.999, 1e-8, 0.5);
        Adam plain = new Adam(List.of(b), 0.1);
        a.grad().set(0, 0.3);
        b.grad().set(0, 0.3 + 0.5 * 2);
        decayed.step();
        plain.step();
        assertEquals(b.value().get(0), a.value().get(0), 0);
    }

    @Test
    void toStringPrintsEveryHyperparameter() {
        Param p = new Param("p", Tensor.zeros(1));
        assertEquals("Adam(lr=0.003, beta1=0.9, beta2=0.999, eps=1.0E-8, weight_decay=0.0)",
                new Adam(List.of(p), 0.003).toString());
    }
}
