package org.weightnorm4j.generative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * {@link BernoulliLogits} and {@link GaussianKl}, each against a float64 reference computed another
 * way (the naive two-term log-likelihood; the KL by numerical integration of {@code q log(q/p)}),
 * their gradients against central differences, and the Bernoulli term's stability at huge logits.
 */
class BernoulliAndKlTest {

    @Test
    void bernoulliLogLikelihoodIsTheNaiveFormulaAtModerateLogits() {
        SplittableRandom rng = new SplittableRandom(1);
        Tensor logits = Tensor.zeros(DType.FLOAT64, 3, 7);
        Tensor x = Tensor.zeros(DType.FLOAT64, 3, 7);
        for (int i = 0; i < logits.size(); i++) {
            logits.set(i, rng.nextDouble(-6, 6));
            x.set(i, rng.nextBoolean() ? 1 : 0);
        }
        double[] got = new double[3];
        BernoulliLogits.logLikelihood(logits, x, got);
        for (int n = 0; n < 3; n++) {
            double expected = 0;
            for (int j = 0; j < 7; j++) {
                double p = 1 / (1 + Math.exp(-logits.get(n * 7 + j)));
                expected += x.get(n * 7 + j) == 1 ? Math.log(p) : Math.log(1 - p);   // x log p + (1 − x) log(1 − p)
            }
            assertEquals(expected, got[n], 1e-12);
        }
    }

    @Test
    void bernoulliIsStableAtHugeLogits() {
        Tensor logits = Tensor.wrap(new double[] {1000, -1000, 1000, -1000, 40, -40}, 1, 6);
        Tensor x = Tensor.wrap(new double[] {1, 0, 0, 1, 1, 0}, 1, 6);
        double[] got = new double[1];
        BernoulliLogits.logLikelihood(logits, x, got);
        // Right side: log σ(1000) ≈ −e^{-1000} = 0; wrong side costs exactly |l|; ±40: −log1p(e^{-40}).
        double expected = 0 + 0 - 1000 - 1000 - 2 * Math.log1p(Math.exp(-40));
        assertEquals(expected, got[0], 1e-9);
        Tensor grad = Tensor.zeros(DType.FLOAT64, 1, 6);
        BernoulliLogits.addGradient(logits, x, 1, grad);
        double[] expectedGrad = {0, 0, -1, 1, 1 - BernoulliLogits.sigmoid(40), -BernoulliLogits.sigmoid(-40)};
        for (int j = 0; j < 6; j++) {
            assertTrue(Double.isFinite(grad.get(j)));
            assertEquals(expectedGrad[j], grad.get(j), 1e-15, "x − σ(l) at " + j);
        }
    }

    @Test
    void bernoulliGradientIsTheDerivative() {
        SplittableRandom rng = new SplittableRandom(2);
        Tensor logits = Tensor.zeros(DType.FLOAT64, 2, 5);
        Tensor x = Tensor.zeros(DType.FLOAT64, 2, 5);
        for (int i = 0; i < logits.size(); i++) {
            logits.set(i, rng.nextDouble(-4, 4));
            x.set(i, rng.nextDouble());                                    // grey levels: the same formula
        }
        Tensor grad = Tensor.zeros(DType.FLOAT64, 2, 5);
        BernoulliLogits.addGradient(logits, x, 0.5, grad);
        double[] plus = new double[2], minus = new double[2];
        double h = 1e-6;
        for (int i = 0; i < logits.size(); i++) {
            double l = logits.get(i);
            logits.set(i, l + h);
            BernoulliLogits.logLikelihood(logits, x, plus);
            logits.set(i, l - h);
            BernoulliLogits.logLikelihood(logits, x, minus);
            logits.set(i, l);
            int n = i / 5;
            assertEquals(0.5 * (plus[n] - minus[n]) / (2 * h), grad.get(i), 1e-8);
        }
    }

    @Test
    void klIsTheIntegralOfQLogQOverP() {
        // h = [μ1, μ2, ρ1, ρ2] for two examples; KL of a diagonal Gaussian is a sum over dimensions,
        // each ∫ q(z) log(q(z)/p(z)) dz, integrated here by Simpson's rule over μ ± 12σ.
        double[] rows = {0.3, -1.2, Math.log(0.5), Math.log(1.7), 2.0, 0.0, Math.log(0.05), 0.0};
        Tensor h = Tensor.wrap(rows, 2, 4);
        double[] kl = new double[2];
        GaussianKl.perExample(h, 2, kl);
        for (int n = 0; n < 2; n++) {
            double expected = 0;
            for (int j = 0; j < 2; j++) {
                expected += integratedKl(rows[n * 4 + j], Math.exp(rows[n * 4 + 2 + j]));
            }
            assertEquals(expected, kl[n], 1e-9);
        }
        assertEquals(0, kl[1] - integratedKl(2.0, 0.05) - integratedKl(0, 1), 1e-9, "KL of N(0, 1) to itself is 0");
    }

    private static double integratedKl(double mu, double sigma) {
        int steps = 20000;
        double a = mu - 12 * sigma, b = mu + 12 * sigma, h = (b - a) / steps, sum = 0;
        for (int k = 0; k <= steps; k++) {
            double z = a + k * h;
            double logQ = -0.5 * Math.log(2 * Math.PI) - Math.log(sigma) - 0.5 * Math.pow((z - mu) / sigma, 2);
            double logP = -0.5 * Math.log(2 * Math.PI) - 0.5 * z * z;
            double f = Math.exp(logQ) * (logQ - logP);
            sum += f * (k == 0 || k == steps ? 1 : k % 2 == 1 ? 4 : 2);
        }
        return sum * h / 3;
    }

    @Test
    void klGradientIsTheDerivative() {
        SplittableRandom rng = new SplittableRandom(3);
        Tensor h = Tensor.zeros(DType.FLOAT64, 3, 6);
        for (int i = 0; i < h.size(); i++) {
            h.set(i, rng.nextDouble(-2, 2));
        }
        Tensor grad = Tensor.zeros(DType.FLOAT64, 3, 6);
        GaussianKl.addGradient(h, 3, 2.0, grad);
        double[] plus = new double[3], minus = new double[3];
        double e = 1e-6;
        for (int i = 0; i < h.size(); i++) {
            double v = h.get(i);
            h.set(i, v + e);
            GaussianKl.perExample(h, 3, plus);
            h.set(i, v - e);
            GaussianKl.perExample(h, 3, minus);
            h.set(i, v);
            int n = i / 6;
            assertEquals(2.0 * (plus[n] - minus[n]) / (2 * e), grad.get(i), 1e-7 * (1 + Math.abs(grad.get(i))));
        }
    }

    @Test
    void shapesAreChecked() {
        assertThrows(IllegalArgumentException.class,
                () -> GaussianKl.perExample(Tensor.zeros(DType.FLOAT64, 2, 5), 3, new double[2]));
        assertThrows(IllegalArgumentException.class,
                () -> BernoulliLogits.logLikelihood(Tensor.zeros(DType.FLOAT64, 2, 5), Tensor.zeros(DType.FLOAT64, 2, 4),
                        new double[2]));
    }
}
