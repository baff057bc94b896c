package org.weightnorm4j.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The numbers behind the explain page's pictures. */
class ExplainFiguresTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 17})
    void theProjectionFigureRemovesTheComponentAlongWAndLeavesGradVPerpendicular(long seed) {
        ProjectionFigure p = ExplainReport.Content.of(Explain.standard(seed).run()).projection();
        assertEquals(2, p.w().length);
        assertTrue(p.sineRemovedW() < 1e-12, "the removed component is not parallel to w: sine " + p.sineRemovedW());
        double scale = DerivationSteps.norm(p.gradV()) * DerivationSteps.norm(p.w());
        assertTrue(scale > 0, "a zero gradient draws nothing");
        assertTrue(Math.abs(p.gradVDotW()) < 1e-12 * scale, "∇v L · w = " + p.gradVDotW());
        assertTrue(p.eq4Gap() < 1e-12, "∇v L vs (g/‖v‖) M_w ∇w L: " + p.eq4Gap());
        for (int i = 0; i < 2; i++) {
            assertEquals(p.gradW()[i], p.removed()[i] + p.kept()[i], 1e-15, "∇w L = removed + kept");
        }
        assertEquals(0, DerivationSteps.dot(p.kept(), p.w()), 1e-12 * scale, "what M_w keeps is ⊥ w");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 17})
    void theTangentStepIsPerpendicularToVAndObeysPythagoras(long seed) {
        TangentStepFigure t = ExplainReport.Content.of(Explain.standard(seed).run()).tangent();
        assertTrue(Math.abs(t.cosineStepV()) < 1e-12, "cos(Δv, v) = " + t.cosineStepV());
        double n2 = t.normNext() * t.normNext();
        assertTrue(Math.abs(t.pythagorasGap()) < 1e-12 * n2, "‖v'‖² − (‖v‖² + ‖Δv‖²) = " + t.pythagorasGap());
        assertEquals(ExplainReport.DRAWN_STEP_SHARE * t.normV(), t.normStep(), 1e-12 * t.normV());
        assertTrue(t.normNext() > t.normV());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void noisyGradientsGrowTheNormFasterAndShrinkTheEffectiveStep(long seed) {
        NormGrowthToy.Result r = NormGrowthToy.standard(seed).run();
        for (NormGrowthToy.Run run : new NormGrowthToy.Run[] {r.clean(), r.noisy()}) {
            double[] n = run.normV();
            for (int t = 1; t < n.length; t++) {
                // Plain SGD with ∇v L ⊥ v: ‖v‖ never shrinks (up to rounding).
                assertTrue(n[t] >= n[t - 1] * (1 - 1e-15), run.name() + " ‖v‖ shrank at step " + t);
            }
        }
        int last = r.clean().normV().length - 1;
        double cleanGrowth = r.clean().normV()[last] - r.clean().normV()[0];
        double noisyGrowth = r.noisy().normV()[last] - r.noisy().normV()[0];
        assertTrue(noisyGrowth > 5 * cleanGrowth, "noisy growth " + noisyGrowth + " vs clean " + cleanGrowth);
        double[] noisyScale = r.noisy().scale();
        assertTrue(noisyScale[last] < 0.8 * noisyScale[0], "g/‖v‖ did not fall: " + noisyScale[0] + " → " + noisyScale[last]);
        assertTrue(noisyScale[last] < r.clean().scale()[last], "noise must damp g/‖v‖ more than clean gradients do");
        assertTrue(r.clean().loss()[last] < 1e-6 * r.clean().loss()[0], "the clean run must learn the direction");
    }
}
