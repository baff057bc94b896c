package org.weightnorm4j.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.norm.WeightNorm;
import org.weightnorm4j.tensor.Tensor;

class DerivationStepsTest {
    private static final double TOL = ExplainResult.STEP_TOLERANCE;

    /** A random layer: ∇w L and v normal, g of either sign with |g| in [0.5, 2]. */
    private static DerivationSteps.Instance random(int out, int in, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] gradW = new double[out * in];
        double[] v = new double[out * in];
        double[] g = new double[out];
        for (int i = 0; i < out * in; i++) {
            gradW[i] = rng.nextGaussian();
            v[i] = rng.nextGaussian();
        }
        for (int u = 0; u < out; u++) {
            g[u] = (rng.nextBoolean() ? 1 : -1) * rng.nextDouble(0.5, 2.0);
        }
        return DerivationSteps.Instance.of(out, in, gradW, g, v);
    }

    private static List<DerivationSteps.Instance> instances() {
        List<DerivationSteps.Instance> all = new ArrayList<>();
        for (int out = 1; out <= 5; out++) {
            for (int in = 2; in <= 9; in++) {
                for (long seed = 1; seed <= 3; seed++) {
                    all.add(random(out, in, 1000L * out + 10L * in + seed));
                }
            }
        }
        return all;
    }

    @Test
    void everyStepEqualsThePreviousOneOnManyRandomInstances() {
        for (DerivationSteps.Instance x : instances()) {
            List<DerivationSteps.Evaluated> steps = DerivationSteps.evaluate(DerivationSteps.eq3ToEq4(), x);
            String shape = x.out() + "x" + x.in();
            assertEquals(8, steps.size());
            assertTrue(Double.isNaN(steps.get(0).maxAbsDiffFromPrevious()), "the first step has nothing before it");
            for (int i = 1; i < steps.size(); i++) {
                double d = steps.get(i).maxAbsDiffFromPrevious();
                assertTrue(d <= TOL, shape + " step " + (i + 1) + " differs by " + d);
            }
            assertEquals(-1, DerivationSteps.firstBrokenStep(steps, TOL), shape);
        }
    }

    @Test
    void theFirstStepIsTheLibrarysEq3AndTheLastItsEq4() {
        for (DerivationSteps.Instance x : instances()) {
            List<DerivationSteps.Evaluated> steps = DerivationSteps.evaluate(DerivationSteps.eq3ToEq4(), x);
            Tensor gradW = Tensor.wrap(x.gradW().clone(), x.out(), x.in());
            Tensor g = Tensor.wrap(x.g().clone(), x.out());
            Tensor v = Tensor.wrap(x.v().clone(), x.out(), x.in());
            Tensor eq3 = WeightNorm.gradients(gradW, g, v, WeightNorm.PER_UNIT, "t").gradV();
            Tensor eq4 = WeightNorm.projectedGradient(gradW, g, v, WeightNorm.PER_UNIT, "t");
            for (int i = 0; i < x.out() * x.in(); i++) {
                assertEquals(eq3.get(i), steps.get(0).value()[i], TOL);
                assertEquals(eq4.get(i), steps.get(steps.size() - 1).value()[i], TOL);
            }
        }
    }

    /** The derivation with step {@code index} replaced by a wrong one. */
    private static List<DerivationSteps.Step> mutated(int index, DerivationSteps.Step wrong) {
        List<DerivationSteps.Step> steps = new ArrayList<>(DerivationSteps.eq3ToEq4());
        steps.set(index, wrong);
        return steps;
    }

    private static void assertCaught(int index, DerivationSteps.Step wrong) {
        for (DerivationSteps.Instance x : instances()) {
            List<DerivationSteps.Evaluated> steps = DerivationSteps.evaluate(mutated(index, wrong), x);
            assertEquals(index, DerivationSteps.firstBrokenStep(steps, TOL),
                    "the wrong step '" + wrong.expression() + "' was not caught on " + x.out() + "x" + x.in());
        }
    }

    @Test
    void collectingToTheSquareInsteadOfTheCubeIsCaught() {
        // Step 3 with ‖v‖² where ‖v‖³ belongs.
        assertCaught(2, DerivationSteps.Step.perUnit("= (g/‖v‖) ∇w L − (g/‖v‖²) (∇w L · v) v", "wrong", (gw, g, v, gradG) -> {
            double r = DerivationSteps.norm(v);
            return DerivationSteps.minus(DerivationSteps.scale(g / r, gw),
                    DerivationSteps.scale(g / (r * r) * DerivationSteps.dot(gw, v), v));
        }));
    }

    @Test
    void theOuterProductInTheWrongOrderIsCaught() {
        // Step 7 with (∇w L wᵀ) w, the outer product with its factors swapped: it is ‖w‖² ∇w L, not (w · ∇w L) w.
        assertCaught(6, DerivationSteps.Step.perUnit("= (g/‖v‖) [∇w L − (∇w L wᵀ/‖w‖²) w]", "wrong", (gw, g, v, gradG) -> {
            double r = DerivationSteps.norm(v);
            double[] w = DerivationSteps.scale(g / r, v);
            double[] swapped = DerivationSteps.times(DerivationSteps.outer(gw, w), w);
            return DerivationSteps.scale(g / r, DerivationSteps.minus(gw, DerivationSteps.scale(1 / DerivationSteps.dot(w, w), swapped)));
        }));
    }

    @Test
    void theLayersTransposeInsteadOfEachUnitsOuterProductIsCaught() {
        // Step 7 on the whole layer as W Wᵀ ∇W (out×out times out×in): the shapes fit on any layer, but it
        // mixes the units, where each unit needs its own in×in w wᵀ (with one unit it is ‖w‖² ∇w L: wrong too).
        DerivationSteps.Step layerWise = new DerivationSteps.Step("= (g/‖v‖) [∇W L − W Wᵀ ∇W L/‖w‖²]", "wrong", x -> {
            int out = x.out();
            int in = x.in();
            double[] w = new double[out * in];
            double[] r = new double[out];
            for (int u = 0; u < out; u++) {
                r[u] = DerivationSteps.norm(x.row(x.v(), u));
                for (int j = 0; j < in; j++) {
                    w[u * in + j] = x.g()[u] * x.v()[u * in + j] / r[u];
                }
            }
            double[] result = new double[out * in];
            for (int u = 0; u < out; u++) {
                double ww = x.g()[u] * x.g()[u];
                for (int j = 0; j < in; j++) {
                    double wwtG = 0;                                    // (W Wᵀ ∇W L)[u][j]
                    for (int k = 0; k < out; k++) {
                        double wwt = 0;
                        for (int m = 0; m < in; m++) {
                            wwt += w[u * in + m] * w[k * in + m];
                        }
                        wwtG += wwt * x.gradW()[k * in + j];
                    }
                    result[u * in + j] = x.g()[u] / r[u] * (x.gradW()[u * in + j] - wwtG / ww);
                }
            }
            return result;
        });
        for (DerivationSteps.Instance x : instances()) {
            List<DerivationSteps.Evaluated> steps = DerivationSteps.evaluate(mutated(6, layerWise), x);
            assertEquals(6, DerivationSteps.firstBrokenStep(steps, TOL), x.out() + "x" + x.in());
        }
    }

    @Test
    void aStepThatGivesNaNOrTheWrongNumberOfValuesIsCaught() {
        DerivationSteps.Instance x = random(3, 5, 9);
        DerivationSteps.Step nan = DerivationSteps.Step.perUnit("= NaN", "wrong", (gw, g, v, gradG) -> {
            double[] out = gw.clone();
            out[0] = Double.NaN;
            return out;
        });
        assertEquals(4, DerivationSteps.firstBrokenStep(DerivationSteps.evaluate(mutated(4, nan), x), TOL));
        DerivationSteps.Step shortStep = new DerivationSteps.Step("= too short", "wrong", y -> new double[1]);
        assertThrows(IllegalStateException.class, () -> DerivationSteps.evaluate(mutated(3, shortStep), x));
    }
}
