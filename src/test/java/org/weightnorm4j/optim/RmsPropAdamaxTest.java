package org.weightnorm4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.tensor.Tensor;

/** Centred RMSprop and Adamax against their formulas evaluated in float64, and their saved state. */
class RmsPropAdamaxTest {
    private static final double[] START = {0.5, -1.25, 2.0};
    /** Gradients of three steps: sign changes, a zero and a large value exercise every branch. */
    private static final double[][] GRADS = {{0.3, -0.02, 0.0}, {-0.1, 0.5, 4.0}, {0.2, 0.5, -3.0}};

    private static Map<String, Param> params(Param p) {
        Map<String, Param> m = new LinkedHashMap<>();
        m.put("p", p);
        return m;
    }

    private static Param param() {
        float[] v = new float[START.length];
        for (int j = 0; j < v.length; j++) {
            v[j] = (float) START[j];
        }
        return new Param("p", Tensor.wrap(v, v.length));
    }

    private static void setGrad(Param p, double[] g) {
        for (int j = 0; j < g.length; j++) {
            p.grad().set(j, g[j]);
        }
    }

    @Test
    void centredRmsPropMatchesPyTorchFormulaInFloat64() {
        Param p = param();
        RmsProp opt = new RmsProp(params(p), 0.01, 0.95, 0.01, true);
        double[] theta = START.clone();
        double[] s = new double[3];
        double[] m = new double[3];
        for (double[] g : GRADS) {
            setGrad(p, g);
            opt.step();
            for (int j = 0; j < 3; j++) {
                s[j] = 0.95 * s[j] + 0.05 * g[j] * g[j];
                m[j] = 0.95 * m[j] + 0.05 * g[j];
                theta[j] -= 0.01 * g[j] / (Math.sqrt(s[j] - m[j] * m[j]) + 0.01); // eps outside the root, as PyTorch
                assertEquals(theta[j], p.value().get(j), 2e-6, "element " + j);
            }
        }
        assertEquals(3, opt.stepCount());
    }

    @Test
    void firstCentredStepByHand() {
        // One step from zero state, g = 0.3: s = 0.05*0.09 = 0.0045, m = 0.015, s - m² = 0.004275.
        Param p = param();
        RmsProp opt = RmsProp.minAtar(params(p));
        setGrad(p, new double[] {0.3, 0, 0});
        opt.step();
        assertEquals(0.5 - 2.5e-4 * 0.3 / (Math.sqrt(0.004275) + 0.01), p.value().get(0), 1e-7);
        assertEquals(-1.25, p.value().get(1), 0); // a zero gradient moves nothing
    }

    @Test
    void uncentredRmsPropMatchesFormula() {
        Param p = param();
        RmsProp opt = new RmsProp(params(p), 0.01, 0.9, 1e-3, false);
        double[] theta = START.clone();
        double[] s = new double[3];
        for (double[] g : GRADS) {
            setGrad(p, g);
            opt.step();
            for (int j = 0; j < 3; j++) {
                s[j] = 0.9 * s[j] + 0.1 * g[j] * g[j];
                theta[j] -= 0.01 * g[j] / (Math.sqrt(s[j]) + 1e-3);
                assertEquals(theta[j], p.value().get(j), 2e-6, "element " + j);
            }
        }
    }

    @Test
    void adamaxMatchesFormulaInFloat64() {
        Param p = param();
        Adamax opt = Adamax.paperDqn(params(p), 3e-3);
        double[] theta = START.clone();
        double[] m = new double[3];
        double[] u = new double[3];
        int t = 0;
        for (double[] g : GRADS) {
            t++;
            setGrad(p, g);
            opt.step();
            for (int j = 0; j < 3; j++) {
                m[j] = 0.5 * m[j] + 0.5 * g[j];
                u[j] = Math.max(0.999 * u[j], Math.abs(g[j]) + 1e-8);
                theta[j] -= 3e-3 / (1 - Math.pow(0.5, t)) * m[j] / u[j];
                assertEquals(theta[j], p.value().get(j), 2e-6, "element " + j + " step " + t);
            }
        }
    }

    @Test
    void adamaxFirstStepIsLrTimesSign() {
        // m̂ = g and u = |g| + 1e-8 after one step, so θ moves by lr·sign(g) (to float precision).
        Param p = param();
        Adamax opt = Adamax.paperDqn(params(p), 1e-3);
        setGrad(p, new double[] {0.3, -7, 0});
        opt.step();
        assertEquals(0.5 - 1e-3, p.value().get(0), 1e-7);
        assertEquals(-1.25 + 1e-3, p.value().get(1), 1e-7);
        assertEquals(2.0, p.value().get(2), 0);
    }

    @Test
    void savedStateContinuesBitIdentically() {
        for (String which : new String[] {"rmsprop", "adamax"}) {
            Param a = param();
            Param b = param();
            Optimizer oa = build(which, a);
            Optimizer ob = build(which, b);
            setGrad(a, GRADS[0]);
            oa.step();
            OptimizerState saved = oa.state();
            b.value().copyFrom(a.value());
            ob.loadState(saved);
            for (int k = 1; k < GRADS.length; k++) {
                setGrad(a, GRADS[k]);
                setGrad(b, GRADS[k]);
                oa.step();
                ob.step();
            }
            assertArrayEquals(a.value().data(), b.value().data(), which);
            assertEquals(oa.stepCount(), ob.stepCount());
        }
    }

    private static Optimizer build(String which, Param p) {
        return which.equals("rmsprop") ? RmsProp.minAtar(params(p)) : Adamax.paperDqn(params(p), 3e-4);
    }
}
