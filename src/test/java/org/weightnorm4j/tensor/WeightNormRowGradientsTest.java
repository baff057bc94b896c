package org.weightnorm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weightnorm4j.tensor.Float32Fixtures.describe;
import static org.weightnorm4j.tensor.Float32Fixtures.random;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.weightnorm4j.testing.RestoreThreads;

/**
 * Weight normalization's Eq. 3 for a weight whose units are its rows, fused unit by unit
 * ({@code weightNormRowGradients}): the bits of the separate kernels it replaced (the units' dots,
 * the coefficients in double, then {@code addRowScaled}) on every float32 backend and on 1 and 2
 * threads, and the formula itself in double precision.
 */
@ExtendWith(RestoreThreads.class)
class WeightNormRowGradientsTest {

    /** out × fanIn: single elements, awkward lengths around the vector width, the mlp's first layer. */
    static Stream<Arguments> shapesBackends() {
        List<int[]> shapes = List.of(new int[] {1, 1}, new int[] {7, 17}, new int[] {17, 1023}, new int[] {64, 576},
                new int[] {512, 784}, new int[] {3, 1});
        List<Float32Kernels> backends = Float32Fixtures.backends().toList();
        return shapes.stream().flatMap(s -> backends.stream().map(k -> Arguments.of(s, k)));
    }

    /** The inputs of one backward: ∇w, v, ||v|| per unit, s = g/||v||, and ∇g, ∇v already holding earlier terms. */
    private record Inputs(Tensor gradW, Tensor v, Tensor norm, Tensor scale, Tensor gradG, Tensor gradV) {
        static Inputs random(SplittableRandom rnd, DType type, int out, int fanIn) {
            Tensor v = Float32Fixtures.random(rnd, out, fanIn).to(type);
            Tensor norm = Tensor.zeros(type, out);
            Tensor scale = Tensor.zeros(type, out);
            for (int u = 0; u < out; u++) {
                double sq = 0;
                for (int i = 0; i < fanIn; i++) {
                    sq += v.get(u * fanIn + i) * v.get(u * fanIn + i);
                }
                norm.set(u, Math.sqrt(sq));
                scale.set(u, (0.5 + rnd.nextDouble()) / norm.get(u));
            }
            return new Inputs(Float32Fixtures.random(rnd, out, fanIn).to(type), v, norm, scale,
                    Float32Fixtures.random(rnd, out, 1).to(type), Float32Fixtures.random(rnd, out, fanIn).to(type));
        }

        Inputs copy() {
            return new Inputs(gradW.copy(), v.copy(), norm.copy(), scale.copy(), gradG.copy(), gradV.copy());
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("shapesBackends")
    void fusedGivesTheBitsOfTheSeparateKernels(int[] shape, Float32Kernels k) {
        int out = shape[0], fanIn = shape[1];
        Inputs in = Inputs.random(new SplittableRandom(out * 31L + fanIn), DType.FLOAT32, out, fanIn);

        Inputs expected = in.copy();
        Tensor dots = Tensor.zeros(out);
        Tensor coef = Tensor.zeros(out);
        k.channelDots(expected.gradW.reshape(1, out, fanIn), expected.v.reshape(1, out, fanIn), dots, false);
        for (int u = 0; u < out; u++) {
            double dg = dots.get(u) / expected.norm.get(u);
            expected.gradG.set(u, expected.gradG.get(u) + dg);
            coef.set(u, -expected.scale.get(u) * dg / expected.norm.get(u));
        }
        k.addRowScaled(expected.gradW, expected.scale, expected.v, coef, expected.gradV);

        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            Inputs actual = in.copy();
            k.weightNormRowGradients(actual.gradW, actual.v, actual.norm, actual.scale, actual.gradG, actual.gradV);
            String where = describe(k) + " " + out + "x" + fanIn + ", " + threads + " threads";
            assertArrayEquals(expected.gradG.data(), actual.gradG.data(), "∇g, " + where);
            assertArrayEquals(expected.gradV.data(), actual.gradV.data(), "∇v, " + where);
            assertArrayEquals(in.gradW.data(), actual.gradW.data(), "∇w left as it was, " + where);
        }
    }

    /** Through the facade in double: Eq. 3 term by term, ∇v orthogonal to v when ∇v started at zero (Eq. 4). */
    @Test
    void float64MatchesEquation3() {
        int out = 9, fanIn = 37;
        Inputs in = Inputs.random(new SplittableRandom(5), DType.FLOAT64, out, fanIn);
        in.gradV.fill(0);
        Inputs actual = in.copy();
        Kernels.weightNormRowGradients(actual.gradW, actual.v, actual.norm, actual.scale, actual.gradG, actual.gradV);
        for (int u = 0; u < out; u++) {
            double dot = 0;
            for (int i = 0; i < fanIn; i++) {
                dot += in.gradW.get(u * fanIn + i) * in.v.get(u * fanIn + i);
            }
            double dg = dot / in.norm.get(u);
            assertEquals(in.gradG.get(u) + dg, actual.gradG.get(u), 1e-12, "∇g of unit " + u);
            double s = in.scale.get(u), vDotGradV = 0;
            for (int i = 0; i < fanIn; i++) {
                int e = u * fanIn + i;
                double want = s * in.gradW.get(e) - s * dg / in.norm.get(u) * in.v.get(e);
                assertEquals(want, actual.gradV.get(e), 1e-12, "∇v of unit " + u + ", element " + i);
                vDotGradV += in.v.get(e) * actual.gradV.get(e);
            }
            assertEquals(0, vDotGradV, 1e-10, "∇v ⊥ v for unit " + u + " (Eq. 4)");
        }
    }

    @Test
    void mismatchedShapesAreNamed() {
        Inputs in = Inputs.random(new SplittableRandom(6), DType.FLOAT32, 4, 5);
        IllegalArgumentException perUnit = assertThrows(IllegalArgumentException.class,
                () -> Kernels.weightNormRowGradients(in.gradW, in.v, Tensor.zeros(3), in.scale, in.gradG, in.gradV));
        assertTrue(perUnit.getMessage().contains("weightNormRowGradients") && perUnit.getMessage().contains("[3]"),
                perUnit.getMessage());
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> Kernels.weightNormRowGradients(in.gradW, Tensor.zeros(4, 6), in.norm, in.scale, in.gradG, in.gradV));
        assertTrue(rows.getMessage().contains("weightNormRowGradients"), rows.getMessage());
    }
}
