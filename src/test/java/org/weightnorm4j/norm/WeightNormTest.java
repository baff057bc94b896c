package org.weightnorm4j.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weightnorm4j.norm.NormTestSupport.array;
import static org.weightnorm4j.norm.NormTestSupport.positive;
import static org.weightnorm4j.norm.NormTestSupport.project;
import static org.weightnorm4j.norm.NormTestSupport.uniform;

import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.nn.PlainWeights;
import org.weightnorm4j.nn.Conv2d;
import org.weightnorm4j.nn.Dense;
import org.weightnorm4j.nn.LinearLayer;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.tensor.ConvSpec;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Tensor;

/**
 * The properties of weight normalization the paper states (Eq. 2–4, §2.1), checked on the fused
 * layers in float64.
 */
class WeightNormTest {

    /** A random weight-normalized dense or conv layer, its input, and a projection r of its output. */
    private record Setup(LinearLayer layer, WeightNormWeights wn, Tensor x, Tensor r) {
    }

    private static Setup setup(SplittableRandom rng, boolean conv) {
        int out = 2 + rng.nextInt(3);
        WeightNormWeights wn;
        LinearLayer layer;
        Tensor x;
        if (conv) {
            int c = 1 + rng.nextInt(3);
            wn = new WeightNormWeights(positive(rng, out, 1, 1, 1), uniform(rng, out, c, 3, 3), uniform(rng, out),
                    WeightNorm.PER_UNIT);
            layer = new Conv2d(wn, new ConvSpec(1 + rng.nextInt(2), rng.nextInt(2)));
            x = uniform(rng, 2, c, 5, 5);
        } else {
            int in = 2 + rng.nextInt(5);
            wn = new WeightNormWeights(positive(rng, out, 1), uniform(rng, out, in), uniform(rng, out),
                    WeightNorm.PER_UNIT);
            layer = new Dense(wn);
            x = uniform(rng, 3, in);
        }
        Tensor y = layer.forward(x, Mode.TRAIN);
        return new Setup(layer, wn, x, uniform(rng, y.shape()));
    }

    /** ∇w L of the same layer with plain weights w = g v/||v||, from its own backward. */
    private static Tensor gradW(Setup s) {
        Tensor w = WeightNorm.weight(s.wn.g().value(), s.wn.v().value(), WeightNorm.PER_UNIT, "test");
        LinearLayer plain = s.layer.withWeights(new PlainWeights(w, s.wn.bias().value().copy()));
        plain.forward(s.x, Mode.TRAIN);
        plain.backward(s.r);
        return ((PlainWeights) plain.weights()).weight().grad();
    }

    private static void backward(Setup s) {
        s.wn.g().zeroGrad();
        s.wn.v().zeroGrad();
        s.layer.forward(s.x, Mode.TRAIN);
        s.layer.backward(s.r);
    }

    @RepeatedTest(6)
    void fusedGradientsEqualEq3AndEq4ComputedFromGradW(RepetitionInfo info) {
        Setup s = setup(new SplittableRandom(info.getCurrentRepetition()), info.getCurrentRepetition() % 2 == 0);
        backward(s);
        Tensor gw = gradW(s);
        WeightNorm.Gradients eq3 = WeightNorm.gradients(gw, s.wn.g().value(), s.wn.v().value(), WeightNorm.PER_UNIT, "test");
        Tensor eq4 = WeightNorm.projectedGradient(gw, s.wn.g().value(), s.wn.v().value(), WeightNorm.PER_UNIT, "test");
        assertClose(eq3.gradG(), s.wn.g().grad(), 1e-12);
        assertClose(eq3.gradV(), s.wn.v().grad(), 1e-12);
        assertClose(eq4, s.wn.v().grad(), 1e-12);
    }

    @RepeatedTest(6)
    void gradientOfVIsOrthogonalToW(RepetitionInfo info) {
        Setup s = setup(new SplittableRandom(100 + info.getCurrentRepetition()), info.getCurrentRepetition() % 2 == 0);
        backward(s);
        Tensor w = WeightNorm.weight(s.wn.g().value(), s.wn.v().value(), WeightNorm.PER_UNIT, "test");
        for (int u = 0; u < w.dim(0); u++) {
            double[] wu = WeightNorm.unit(w, WeightNorm.PER_UNIT, u);
            double[] gv = WeightNorm.unit(s.wn.v().grad(), WeightNorm.PER_UNIT, u);
            double scaleOfTerms = Math.sqrt(WeightNorm.dot(wu, wu) * WeightNorm.dot(gv, gv));
            assertEquals(0, WeightNorm.dot(gv, wu), 1e-13 * (1 + scaleOfTerms), "∇v L · w of unit " + u);
        }
    }

    @RepeatedTest(5)
    void projectionMatrixIsSymmetricIdempotentAndAnnihilatesW(RepetitionInfo info) {
        SplittableRandom rng = new SplittableRandom(200 + info.getCurrentRepetition());
        double[] w = array(uniform(rng, 1 + rng.nextInt(8)));
        double[][] m = WeightNorm.projectionMatrix(w);
        int n = w.length;
        for (int i = 0; i < n; i++) {
            double mw = 0;
            for (int j = 0; j < n; j++) {
                assertEquals(m[i][j], m[j][i], 0, "M_w symmetric");
                double mm = 0;
                for (int k = 0; k < n; k++) {
                    mm += m[i][k] * m[k][j];
                }
                assertEquals(m[i][j], mm, 1e-14, "M_w M_w = M_w");
                mw += m[i][j] * w[j];
            }
            assertEquals(0, mw, 1e-14, "M_w w = 0");
        }
        double[] x = array(uniform(rng, n));
        double[] px = WeightNorm.project(w, x);
        for (int i = 0; i < n; i++) {
            double mx = 0;
            for (int j = 0; j < n; j++) {
                mx += m[i][j] * x[j];
            }
            assertEquals(mx, px[i], 1e-14, "project(w, x) = M_w x");
        }
    }

    @RepeatedTest(4)
    void lossIsInvariantToScalingVAndItsGradientScalesInversely(RepetitionInfo info) {
        SplittableRandom rng = new SplittableRandom(300 + info.getCurrentRepetition());
        Setup s = setup(rng, info.getCurrentRepetition() % 2 == 0);
        double c = 0.1 + 9 * rng.nextDouble();
        double loss = project(s.layer.forward(s.x, Mode.TRAIN), s.r);
        backward(s);
        Tensor gradV = s.wn.v().grad().copy();
        Tensor gradG = s.wn.g().grad().copy();
        Kernels.scale(c, s.wn.v().value());
        double scaledLoss = project(s.layer.forward(s.x, Mode.TRAIN), s.r);
        assertEquals(loss, scaledLoss, 1e-12 * (1 + Math.abs(loss)), "L(c v) = L(v)");
        backward(s);
        for (int i = 0; i < gradV.size(); i++) {
            assertEquals(gradV.get(i) / c, s.wn.v().grad().get(i), 1e-12 * (1 + Math.abs(gradV.get(i))), "∇_{cv} L = ∇_v L / c");
        }
        assertClose(gradG, s.wn.g().grad(), 1e-12);
    }

    @RepeatedTest(4)
    void plainSgdStepGrowsTheNormOfV(RepetitionInfo info) {
        SplittableRandom rng = new SplittableRandom(400 + info.getCurrentRepetition());
        Setup s = setup(rng, info.getCurrentRepetition() % 2 == 1);
        backward(s);
        double lr = 0.05 + rng.nextDouble();
        Tensor v = s.wn.v().value();
        for (int u = 0; u < v.dim(0); u++) {
            double[] before = WeightNorm.unit(v, WeightNorm.PER_UNIT, u);
            double[] grad = WeightNorm.unit(s.wn.v().grad(), WeightNorm.PER_UNIT, u);
            double[] after = new double[before.length];
            double[] delta = new double[before.length];
            for (int j = 0; j < before.length; j++) {
                delta[j] = -lr * grad[j];                                  // v' = v − η ∇v L
                after[j] = before[j] + delta[j];
            }
            double expected = WeightNorm.dot(before, before) + WeightNorm.dot(delta, delta);
            assertEquals(expected, WeightNorm.dot(after, after), 1e-12 * expected,
                    "||v'||² = ||v||² + ||Δv||² for unit " + u);
            assertTrue(WeightNorm.dot(after, after) >= WeightNorm.dot(before, before) * (1 - 1e-14));
        }
    }

    @Test
    void zeroRowOfVIsAClearErrorNamingLayerAndUnit() {
        SplittableRandom rng = new SplittableRandom(7);
        Tensor v = uniform(rng, 3, 4);
        for (int j = 0; j < 4; j++) {
            v.set(4 + j, 0);
        }
        Dense dense = new Dense(new WeightNormWeights(positive(rng, 3, 1), v, null, WeightNorm.PER_UNIT));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dense.forward(uniform(rng, 2, 4), Mode.TRAIN));
        assertTrue(e.getMessage().contains("Dense(4->3, wn") && e.getMessage().contains("unit 1")
                && e.getMessage().contains("exactly zero"), e.getMessage());
    }

    @Test
    void tinyButNonZeroRowIsGuardedByEpsilon() {
        Tensor v = Tensor.wrap(new double[] {1e-9, 0, 0, 0}, 2, 2);
        Tensor g = Tensor.wrap(new double[] {1, 1}, 2, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WeightNorm.weight(g, v, WeightNorm.PER_UNIT, "layer 'x'"));
        assertTrue(e.getMessage().contains("layer 'x', unit 1"), e.getMessage());
        v.set(3, 2.0);
        Tensor w = WeightNorm.weight(g, v, WeightNorm.PER_UNIT, "layer 'x'");
        assertEquals(1e-9 / Math.sqrt(WeightNorm.EPSILON), w.get(0), 1e-18, "||v|| is clamped at √ε");
        assertEquals(1.0, w.get(3), 0, "a normal row is untouched by ε");
    }

    @Test
    void wholeTensorScopeUsesOneNorm() {
        Tensor v = Tensor.wrap(new double[] {3, 0, 0, 4}, 2, 2);
        Tensor g = Tensor.wrap(new double[] {10}, new int[0]);
        Tensor w = WeightNorm.weight(g, v, WeightNorm.WHOLE_TENSOR, "t");
        assertEquals(6, w.get(0), 1e-15);
        assertEquals(8, w.get(3), 1e-15);
        WeightNormWeights wn = new WeightNormWeights(g, v, null, WeightNorm.WHOLE_TENSOR);
        Tensor s = wn.prepareScale("t");
        assertEquals(2, s.get(0), 1e-15);
        assertEquals(2, s.get(1), 1e-15);
        assertTrue(wn.g().value().rank() == 0, "weight_g is a scalar like PyTorch's dim=None");
    }

    @Test
    void statsAreMeansOverUnits() {
        Tensor v = Tensor.wrap(new double[] {3, 4, 0, 2}, 2, 2);
        Tensor g = Tensor.wrap(new double[] {10, 1}, 2, 1);
        WeightNormStats st = new WeightNormWeights(g, v, null, WeightNorm.PER_UNIT).weightNormStats();
        assertEquals(3.5, st.meanVNorm(), 1e-15);
        assertEquals(5.5, st.meanG(), 1e-15);
        assertEquals((2 + 0.5) / 2, st.meanScale(), 1e-15);
    }

    static void assertClose(Tensor expected, Tensor actual, double rel) {
        assertEquals(expected.size(), actual.size(), "sizes");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), rel * (1 + Math.abs(expected.get(i))), "entry " + i);
        }
    }
}
