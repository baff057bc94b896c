package org.weightnorm4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/** The checker itself: it must pass a correct layer and catch each kind of wrong one. */
class GradientCheckTest {

    /**
     * y[n,j] = w[j] x[n,j]^2 + b[j]: a tiny layer with two parameters whose backward can be broken
     * on purpose in one place.
     */
    private static final class Quadratic implements Layer {
        enum Bug { NONE, INPUT, WEIGHT, OVERWRITES_GRAD }

        private final Bug bug;
        private final Param w;
        private final Param b;
        private Tensor x;

        Quadratic(int features, Bug bug, SplittableRandom rng) {
            this.bug = bug;
            this.w = new Param("weight", TestTensors.uniform(rng, DType.FLOAT64, features));
            this.b = new Param("bias", TestTensors.uniform(rng, DType.FLOAT64, features));
        }

        @Override
        public Tensor forward(Tensor x, Mode mode) {
            this.x = x;
            int f = x.dim(1);
            Tensor y = x.zerosLike(x.shape());
            for (int i = 0; i < x.size(); i++) {
                y.set(i, w.value().get(i % f) * x.get(i) * x.get(i) + b.value().get(i % f));
            }
            return y;
        }

        @Override
        public Tensor backward(Tensor dy) {
            int f = x.dim(1);
            Tensor dx = x.zerosLike(x.shape());
            if (bug == Bug.OVERWRITES_GRAD) {
                w.zeroGrad();
            }
            for (int i = 0; i < x.size(); i++) {
                double xi = x.get(i);
                dx.set(i, 2 * w.value().get(i % f) * xi * dy.get(i) * (bug == Bug.INPUT && i == 3 ? 1.01 : 1));
                double dw = xi * xi * dy.get(i) * (bug == Bug.WEIGHT && i % f == 1 ? 0.99 : 1);
                w.grad().set(i % f, w.grad().get(i % f) + dw);
                b.grad().set(i % f, b.grad().get(i % f) + dy.get(i));
            }
            return dx;
        }

        @Override
        public List<Param> params() {
            return List.of(w, b);
        }

        @Override
        public String describe() {
            return "Quadratic(" + bug + ")";
        }
    }

    private static Tensor input(SplittableRandom rng) {
        return TestTensors.uniform(rng, DType.FLOAT64, 3, 4);
    }

    @Test
    void correctLayerPasses() {
        SplittableRandom rng = new SplittableRandom(1);
        GradientCheck.Report report = GradientCheck.assertLayer(new Quadratic(4, Quadratic.Bug.NONE, rng), input(rng), Mode.TRAIN);
        assertTrue(report.maxRelError() < 1e-8, report.toString());
        assertEquals(3, report.tensors().size(), "input, weight and bias are all checked");
    }

    @Test
    void wrongInputGradientFailsNamingTheInputAndIndex() {
        SplittableRandom rng = new SplittableRandom(2);
        GradientCheck.Report report = GradientCheck.create().check(new Quadratic(4, Quadratic.Bug.INPUT, rng), input(rng));
        assertFalse(report.passed());
        assertEquals("input", report.worst().name());
        assertEquals(3, report.worst().index());
        AssertionError e = assertThrows(AssertionError.class, report::assertPassed);
        assertTrue(e.getMessage().contains("Quadratic(INPUT)") && e.getMessage().contains("input [3, 4]")
                && e.getMessage().contains("(0, 3)"), e.getMessage());
    }

    @Test
    void wrongParamGradientFailsNamingTheParamAndIndex() {
        SplittableRandom rng = new SplittableRandom(3);
        GradientCheck.Report report = GradientCheck.create().check(new Quadratic(4, Quadratic.Bug.WEIGHT, rng), input(rng));
        assertFalse(report.passed());
        assertEquals("param 'weight'", report.worst().name());
        assertEquals(1, report.worst().index());
        assertTrue(report.tensor("param 'bias'").relError() < 1e-8, report.toString());
        AssertionError e = assertThrows(AssertionError.class, report::assertPassed);
        assertTrue(e.getMessage().contains("param 'weight'"), e.getMessage());
    }

    @Test
    void overwritingInsteadOfAccumulatingIsAProblem() {
        SplittableRandom rng = new SplittableRandom(4);
        GradientCheck.Report report = GradientCheck.create().check(new Quadratic(4, Quadratic.Bug.OVERWRITES_GRAD, rng), input(rng));
        assertFalse(report.passed());
        assertTrue(report.problems().get(0).contains("accumulate"), report.toString());
    }

    @Test
    void float32IsRejectedWithAHint() {
        SplittableRandom rng = new SplittableRandom(5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradientCheck.create().check(ActivationLayer.tanh(), TestTensors.uniform(rng, DType.FLOAT32, 2, 3)));
        assertTrue(e.getMessage().contains("FLOAT64"), e.getMessage());
    }

    @Test
    void samplingChecksAtMostTheRequestedEntries() {
        SplittableRandom rng = new SplittableRandom(6);
        GradientCheck.Report report = GradientCheck.create().maxEntriesPerTensor(5)
                .check(ActivationLayer.tanh(), TestTensors.uniform(rng, DType.FLOAT64, 4, 10));
        assertEquals(5, report.tensor("input").checked());
        assertTrue(report.passed(), report.toString());
    }

    @Test
    void checkLeavesParamsUnchangedAndGradsFromOneBackward() {
        SplittableRandom rng = new SplittableRandom(7);
        Quadratic layer = new Quadratic(4, Quadratic.Bug.NONE, rng);
        Tensor x = input(rng);
        Tensor before = layer.w.value().copy();
        Tensor xBefore = x.copy();
        GradientCheck.create().check(layer, x).assertPassed();
        for (int i = 0; i < before.size(); i++) {
            assertEquals(before.get(i), layer.w.value().get(i));
        }
        for (int i = 0; i < x.size(); i++) {
            assertEquals(xBefore.get(i), x.get(i));
        }
        // b's gradient is sum over the batch of r, a single backward's worth: recompute via a fresh check.
        Tensor biasGrad = layer.b.grad().copy();
        GradientCheck.create().check(layer, x);
        for (int i = 0; i < biasGrad.size(); i++) {
            assertEquals(biasGrad.get(i), layer.b.grad().get(i), 1e-15);
        }
    }
}
