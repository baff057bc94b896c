package org.weightnorm4j.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.weightnorm4j.tensor.Tensor;

class HuberTdObjectiveTest {

    @Test
    void gradientMatchesFloat64FiniteDifferences() {
        // Differences q - y on both sides of |d| = 1 (quadratic and linear parts), away from the kink.
        float[] q = {0.3f, -1.2f, 2.0f, 0.0f, 0.7f, -0.4f, 1.5f, 3.0f, -2.5f, 0.1f, 0.2f, 0.9f};
        int[] actions = {1, 5};
        float[] y = {2.5f, -0.05f}; // d = -3.7 (linear) and 0.9 - (-0.05) = 0.95 (quadratic)
        HuberTdObjective obj = new HuberTdObjective();
        Tensor out = Tensor.wrap(q.clone(), 2, 6);
        double loss = obj.loss(out, new HuberTdObjective.TdTargets(actions, y));
        assertEquals(((3.7 - 0.5) + 0.5 * 0.95 * 0.95) / 2, loss, 1e-6);
        float[] g = obj.gradient().data().clone();
        double h = 1e-3;
        for (int i = 0; i < q.length; i++) {
            double[] lq = new double[2];
            for (int s = 0; s < 2; s++) {
                double[] qq = new double[q.length];
                for (int k = 0; k < q.length; k++) {
                    qq[k] = q[k];
                }
                qq[i] += s == 0 ? h : -h;
                lq[s] = huberMean(qq, actions, y);
            }
            double numeric = (lq[0] - lq[1]) / (2 * h);
            assertEquals(numeric, g[i], 1e-6, "output " + i);
        }
    }

    /** The loss written out in float64, independently of the objective. */
    private static double huberMean(double[] q, int[] actions, float[] y) {
        double sum = 0;
        for (int b = 0; b < actions.length; b++) {
            double d = q[b * 6 + actions[b]] - y[b];
            sum += Math.abs(d) < 1 ? 0.5 * d * d : Math.abs(d) - 0.5;
        }
        return sum / actions.length;
    }

    @Test
    void onlyTheTakenActionGetsGradientAndMeanQIsReported() {
        HuberTdObjective obj = new HuberTdObjective();
        Tensor out = Tensor.wrap(new float[] {1, 2, 3, 4, 5, 6}, 1, 6);
        obj.loss(out, new HuberTdObjective.TdTargets(new int[] {2}, new float[] {3.5f}));
        float[] g = obj.gradient().data();
        for (int a = 0; a < 6; a++) {
            assertEquals(a == 2 ? -0.5f : 0f, g[a], 0f, "action " + a);
        }
        double[] m = new double[1];
        obj.metricTotals(m);
        assertEquals(3.0, m[0], 0);
    }
}
