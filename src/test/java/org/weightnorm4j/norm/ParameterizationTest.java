package org.weightnorm4j.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.tensor.ConvSpec;
import org.weightnorm4j.tensor.DType;

class ParameterizationTest {

    @Test
    void parsesTheCliNames() {
        for (Parameterization p : Parameterization.values()) {
            assertEquals(p, Parameterization.parse(p.cliName()));
        }
        assertEquals(Parameterization.WN_MOBN, Parameterization.parse(" WN-MOBN "));
    }

    @Test
    void unknownNameListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parameterization.parse("weightnorm"));
        assertTrue(e.getMessage().contains("'weightnorm'") && e.getMessage().contains("normal, bn, wn, wn-mobn, mobn"),
                e.getMessage());
    }

    @Test
    void linearUnitsHaveTorchPeerModulesAndNames() {
        SplittableRandom rng = new SplittableRandom(1);
        assertNames(LinearUnit.conv(Parameterization.NORMAL, 3, 8, 3, ConvSpec.same(3), DType.FLOAT32, rng),
                List.of(List.of("weight", "bias")));
        assertNames(LinearUnit.conv(Parameterization.BN, 3, 8, 3, ConvSpec.same(3), DType.FLOAT32, rng),
                List.of(List.of("weight"), List.of("weight", "bias")));
        assertNames(LinearUnit.conv(Parameterization.WN, 3, 8, 3, ConvSpec.same(3), DType.FLOAT32, rng),
                List.of(List.of("bias", "weight_g", "weight_v")));
        assertNames(LinearUnit.dense(Parameterization.WN_MOBN, 3, 8, DType.FLOAT32, rng),
                List.of(List.of("weight_g", "weight_v"), List.of("bias")));
        assertNames(LinearUnit.dense(Parameterization.MOBN, 3, 8, DType.FLOAT32, rng),
                List.of(List.of("weight"), List.of("bias")));
        Layer wnConv = LinearUnit.conv(Parameterization.WN, 3, 8, 3, ConvSpec.same(3), DType.FLOAT32, rng).get(0);
        assertEquals(List.of(8, 1, 1, 1), shape(wnConv.params().get(1)));
        assertEquals(List.of(8, 3, 3, 3), shape(wnConv.params().get(2)));
        Layer wnDense = LinearUnit.dense(Parameterization.WN, 3, 8, DType.FLOAT32, rng).get(0);
        assertEquals(List.of(8, 1), shape(wnDense.params().get(1)));
    }

    private static void assertNames(List<Layer> unit, List<List<String>> expected) {
        assertEquals(expected.size(), unit.size(), "modules");
        for (int i = 0; i < unit.size(); i++) {
            assertEquals(expected.get(i), unit.get(i).params().stream().map(Param::name).toList());
        }
    }

    private static List<Integer> shape(Param p) {
        return java.util.Arrays.stream(p.value().shape()).boxed().toList();
    }
}
