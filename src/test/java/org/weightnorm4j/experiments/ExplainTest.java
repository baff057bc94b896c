package org.weightnorm4j.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ExplainTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42})
    void eq3Eq4AndFiniteDifferencesAgreeInDouble(long seed) {
        ExplainResult r = new Explain(seed, 5, 3, 8, 0.5).run();
        assertTrue(r.errorEq3VsEq4() < 1e-12, "Eq. 3 vs Eq. 4: " + r.errorEq3VsEq4());
        assertTrue(r.errorEq3VsFiniteDiff() < 1e-6, "Eq. 3 vs FD: " + r.errorEq3VsFiniteDiff());
        assertTrue(r.errorEq4VsFiniteDiff() < 1e-6, "Eq. 4 vs FD: " + r.errorEq4VsFiniteDiff());
        assertTrue(r.errorLayerVsEq3() < 1e-12, "layer vs Eq. 3: " + r.errorLayerVsEq3());
        assertEquals(r.loss(), r.lossFused(), 1e-12 * Math.abs(r.loss()));
    }

    @Test
    void projectionPropertiesAndOrthogonalityHold() {
        ExplainResult r = new Explain(7, 6, 2, 5, 0.3).run();
        assertTrue(r.projection().maxAsymmetry() < 1e-15);
        assertTrue(r.projection().maxIdempotencyError() < 1e-12);
        assertTrue(r.projection().normMw() < 1e-12);
        double[] eig = r.projection().eigenvalues();
        assertEquals(0, eig[0], 1e-12);
        for (int i = 1; i < eig.length; i++) {
            assertEquals(1, eig[i], 1e-12);
        }
        assertTrue(r.maxCosineGradVW() < 1e-12, "cos(∇v, w) = " + r.maxCosineGradVW());
    }

    @Test
    void sgdStepGrowsTheNormByPythagoras() {
        ExplainResult r = new Explain(3, 4, 3, 8, 2.0).run();
        assertTrue(r.maxNormGrowthError() < 1e-12, "norm growth: " + r.maxNormGrowthError());
        for (int u = 0; u < 3; u++) {
            assertTrue(r.sgd().normAfter()[u] > r.sgd().normBefore()[u], "unit " + u + " did not grow");
            assertTrue(r.sgd().growthFactor()[u] > 1);
        }
    }

    @Test
    void jsonCarriesTheVectorsAndErrors() {
        ExplainResult r = new Explain(1, 4, 3, 8, 0.5).run();
        JsonObject o = JsonParser.parseString(r.toJson()).getAsJsonObject();
        for (String key : new String[] {"v", "g", "w", "grad_w", "grad_g", "grad_v", "grad_v_eq4",
                "grad_g_finite_difference", "grad_v_finite_difference"}) {
            assertTrue(o.has(key), "missing " + key);
        }
        assertEquals(12, o.getAsJsonArray("v").size());
        assertEquals(3, o.getAsJsonArray("g").size());
        assertTrue(o.getAsJsonObject("relative_errors").get("eq3_vs_finite_difference").getAsDouble() < 1e-6);
        String text = r.toText();
        assertTrue(text.contains("Eq. 2") && text.contains("Eq. 3") && text.contains("Eq. 4"), text);
    }

    @Test
    void jsonAndTextCarryTheDerivationStepByStep() {
        ExplainResult r = new Explain(5, 7, 4, 8, 0.5).run();
        JsonObject o = JsonParser.parseString(r.toJson()).getAsJsonObject();
        JsonArray steps = o.getAsJsonArray("steps");
        assertEquals(8, steps.size());
        for (int i = 0; i < steps.size(); i++) {
            JsonObject s = steps.get(i).getAsJsonObject();
            assertFalse(s.get("expression").getAsString().isBlank());
            assertFalse(s.get("why").getAsString().isBlank());
            assertEquals(28, s.getAsJsonArray("value").size());
            if (i == 0) {
                assertTrue(s.get("max_abs_diff_from_previous").isJsonNull(), "nothing before the first step");
            } else {
                assertTrue(s.get("max_abs_diff_from_previous").getAsDouble() <= ExplainResult.STEP_TOLERANCE);
            }
        }
        assertTrue(steps.get(7).getAsJsonObject().get("expression").getAsString().contains("M_w"));
        assertEquals(-1, o.get("first_broken_step").getAsInt());
        // The last step is Eq. 4 as the library computes it.
        for (int i = 0; i < r.gradVEq4().length; i++) {
            assertEquals(r.gradVEq4()[i], r.steps().get(7).value()[i], 1e-12);
        }
        String text = r.toText();
        assertTrue(text.contains("(8) = (g/‖v‖) (I − w wᵀ/‖w‖²) ∇w L"), text);
        assertTrue(text.contains("every step agrees with the one before"), text);
    }

    @Test
    void rejectsDegenerateInstances() {
        assertThrows(IllegalArgumentException.class, () -> new Explain(1, 1, 3, 8, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new Explain(1, 4, 3, 8, Double.NaN));
    }
}
