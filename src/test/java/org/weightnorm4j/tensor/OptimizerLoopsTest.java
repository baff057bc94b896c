package org.weightnorm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The optimizers' Vector API loops against the scalar ones, bit for bit: on awkward lengths (1, 7,
 * 17, 1023 and a range that starts off a vector boundary), over several steps, with special
 * gradients (±0, subnormals, huge, infinite, NaN) mixed in.
 */
class OptimizerLoopsTest {
    private static final int[] LENGTHS = {1, 7, 17, 1023};
    private static final OptimizerLoops SCALAR = new ScalarOptimizerLoops();
    private static final OptimizerLoops VECTOR = KernelProvider.optimizerLoops(true);
    private static final float[] SPECIALS = {0f, -0f, 1e-40f, -1e-40f, 3e38f, -3e38f, Float.POSITIVE_INFINITY, Float.NaN};

    private static float[] values(SplittableRandom rnd, int n, double scale, boolean specials) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
            if (specials && rnd.nextInt(8) == 0) {
                v[i] = SPECIALS[rnd.nextInt(SPECIALS.length)];
            }
        }
        return v;
    }

    private static void assertSameBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    what + " element " + i + ": " + expected[i] + " vs " + actual[i]);
        }
    }

    @FunctionalInterface
    private interface Step {
        void run(OptimizerLoops loops, float[][] arrays, float[] grad, int from, int to);
    }

    /** Three steps of {@code step} on both implementations from the same start; every array compared after each. */
    private static void check(String name, int states, Step step) {
        for (int n : LENGTHS) {
            for (boolean specials : new boolean[] {false, true}) {
                SplittableRandom rnd = new SplittableRandom(n * 31L + (specials ? 1 : 0));
                float[][] a = new float[1 + states][];
                a[0] = values(rnd, n, 2, false);
                for (int k = 1; k <= states; k++) {
                    a[k] = new float[n];
                }
                float[][] b = new float[a.length][];
                for (int k = 0; k < a.length; k++) {
                    b[k] = a[k].clone();
                }
                int from = n > 3 ? 3 : 0;   // a range starting off a vector boundary, as ParamRanges never cuts but a caller may
                for (int t = 0; t < 3; t++) {
                    float[] grad = values(rnd, n, 0.5, specials);
                    step.run(SCALAR, a, grad, from, n);
                    step.run(VECTOR, b, grad, from, n);
                    for (int k = 0; k < a.length; k++) {
                        assertSameBits(a[k], b[k], name + " n=" + n + " specials=" + specials + " step " + t + " array " + k);
                    }
                }
            }
        }
    }

    @Test
    void centredRmsPropVectorMatchesScalarBitForBit() {
        check("centred RMSprop", 2, (l, x, g, from, to) -> l.rmsPropCentered(0.95f, 0.05f, 0.01f, 2.5e-4f, x[0], g, x[1], x[2], from, to));
    }

    @Test
    void rmsPropVectorMatchesScalarBitForBit() {
        check("RMSprop", 1, (l, x, g, from, to) -> l.rmsProp(0.9f, 0.1f, 1e-3f, 0.01f, x[0], g, x[1], from, to));
    }

    @Test
    void adamaxVectorMatchesScalarBitForBit() {
        check("Adamax", 2, (l, x, g, from, to) -> l.adamax(0.5f, 0.5f, 0.999f, 1e-8f, 6e-4f, x[0], g, x[1], x[2], from, to));
    }

    @Test
    void scalarLoopsAreTheFormulas() {
        // One element by hand: centred RMSprop from zero state, g = 0.3 (s = 0.0045, m = 0.015).
        float[] theta = {0.5f};
        OptimizerKernels.rmsPropCentered(0.95f, 0.05f, 0.01f, 2.5e-4f, theta, new float[] {0.3f}, new float[1], new float[1], 0, 1);
        float s = 0.05f * 0.3f * 0.3f, m = 0.05f * 0.3f;
        assertEquals(0.5f - 2.5e-4f * 0.3f / ((float) Math.sqrt(s - m * m) + 0.01f), theta[0], 0f);
        // Adamax from zero state, g = -2: m = -1, u = 2 + 1e-8 (rounded), θ −= step·m/u.
        float[] t2 = {1f};
        OptimizerKernels.adamax(0.5f, 0.5f, 0.999f, 1e-8f, 1e-3f, t2, new float[] {-2f}, new float[1], new float[1], 0, 1);
        assertEquals(1f - 1e-3f * -1f / (2f + 1e-8f), t2[0], 0f);
    }

    @Test
    void mismatchedStateIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                OptimizerKernels.adamax(0.5f, 0.5f, 0.999f, 1e-8f, 1e-3f, new float[8], new float[8], new float[4], new float[8], 0, 8));
        assertEquals(true, e.getMessage().contains("does not match"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () ->
                OptimizerKernels.rmsProp(0.9f, 0.1f, 1e-3f, 0.01f, new float[4], new float[4], new float[4], 2, 5));
    }
}
