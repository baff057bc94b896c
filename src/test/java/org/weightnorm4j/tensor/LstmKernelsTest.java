package org.weightnorm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fused LSTM gate kernels: the Vector API and the scalar implementations give the same bits
 * (they run {@link GateMath}'s operations in the same order), on awkward hidden sizes, and both
 * agree with the double-precision reference; {@link GateMath}'s exp, sigmoid and tanh against
 * {@link Math}.
 */
class LstmKernelsTest {
    private static final int ROWS = 3;
    private static final int STEPS = 2;

    /** Pre-activations in [-8, 8) with the saturating ends mixed in. */
    private static Tensor preActivations(SplittableRandom rnd, int... shape) {
        float[] specials = {0f, -0f, 30f, -30f, 100f, -100f};
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, rnd.nextInt(12) == 0 ? specials[rnd.nextInt(specials.length)] : 16 * rnd.nextDouble() - 8);
        }
        return t;
    }

    private record Run(Tensor gates, Tensor c, Tensor tanhC, Tensor h, Tensor dGates, Tensor dc) {
    }

    /** Step 1 of a 2-step sequence forward (cPrev = step 0's rows of a given c), then backward. */
    private static Run run(KernelBackend k, DType dtype, Tensor pre, Tensor cIn, Tensor dy, Tensor dhRec, Tensor dcIn, int hidden) {
        Tensor gates = pre.to(dtype);
        Tensor c = cIn.to(dtype);
        Tensor tanhC = Tensor.zeros(dtype, STEPS, ROWS, hidden);
        Tensor h = Tensor.zeros(dtype, STEPS, ROWS, hidden);
        int gOff = ROWS * 4 * hidden, off = ROWS * hidden;
        k.lstmCellForward(gates, gOff, c, 0, c, tanhC, h, off, ROWS, hidden);
        Tensor dGates = Tensor.zeros(dtype, STEPS, ROWS, 4 * hidden);
        Tensor dc = dcIn.to(dtype);
        k.lstmCellBackward(gates, gOff, c, 0, tanhC, dy.to(dtype), off, dhRec.to(dtype), dc, dGates, ROWS, hidden);
        return new Run(gates, c, tanhC, h, dGates, dc);
    }

    @ParameterizedTest(name = "hidden={0}")
    @ValueSource(ints = {1, 7, 17, 1023})
    void simdAndScalarGiveTheSameBitsAndMatchTheReference(int hidden) {
        SplittableRandom rnd = new SplittableRandom(hidden);
        Tensor pre = preActivations(rnd, STEPS, ROWS, 4 * hidden);
        Tensor c = Float32Fixtures.random(rnd, STEPS, ROWS, hidden);
        Tensor dy = Float32Fixtures.random(rnd, STEPS, ROWS, hidden);
        Tensor dhRec = Float32Fixtures.random(rnd, ROWS, hidden);
        Tensor dc = Float32Fixtures.random(rnd, ROWS, hidden);
        Float32Kernels scalar = Float32Fixtures.loopBackends().get(0);
        Float32Kernels simd = Float32Fixtures.loopBackends().get(1);
        assertTrue(simd.simd() && !scalar.simd());
        Run s = run(scalar, DType.FLOAT32, pre, c, dy, dhRec, dc, hidden);
        Run v = run(simd, DType.FLOAT32, pre, c, dy, dhRec, dc, hidden);
        Run ref = run(ReferenceKernels.INSTANCE, DType.FLOAT64, pre, c, dy, dhRec, dc, hidden);
        Tensor[] sa = {s.gates, s.c, s.tanhC, s.h, s.dGates, s.dc};
        Tensor[] va = {v.gates, v.c, v.tanhC, v.h, v.dGates, v.dc};
        Tensor[] ra = {ref.gates, ref.c, ref.tanhC, ref.h, ref.dGates, ref.dc};
        String[] names = {"gates", "c", "tanh c", "h", "∂a", "∂c_prev"};
        for (int i = 0; i < sa.length; i++) {
            assertArrayEquals(sa[i].data(), va[i].data(), names[i] + ": SIMD vs scalar bits, hidden " + hidden);
            // |error| ≤ 1e-6 (1 + |x|): a few float roundings of values of order 1 (gates and tanh in
            // [-1, 1]; c and the gradients sums of a few such products)
            for (int j = 0; j < ra[i].size(); j++) {
                double e = ra[i].get(j);
                assertEquals(e, sa[i].get(j), 1e-6 * (1 + Math.abs(e)), names[i] + " element " + j + ", hidden " + hidden);
            }
        }
    }

    @Test
    void gateMathAgreesWithMath() {
        double worstExp = 0, worstSigmoid = 0, worstTanh = 0;
        for (int i = -200_000; i <= 200_000; i++) {
            float x = i * 4.4e-4f;                                          // [-88, 88]
            double e = Math.exp(x);
            if (x > -87) {
                worstExp = Math.max(worstExp, Math.abs(GateMath.exp(x) - e) / e);
            }
            double s = 1 / (1 + Math.exp(-(double) x));
            worstSigmoid = Math.max(worstSigmoid, Math.abs(GateMath.sigmoid(x) - s) / s);
            worstTanh = Math.max(worstTanh, Math.abs(GateMath.tanh(x) - Math.tanh(x)));
        }
        assertTrue(worstExp < 3e-7, "exp relative error " + worstExp);          // ~2 ulp
        assertTrue(worstSigmoid < 5e-7, "sigmoid relative error " + worstSigmoid);
        assertTrue(worstTanh < 2.5e-7, "tanh absolute error " + worstTanh);
        assertEquals(1f, GateMath.sigmoid(200f));
        assertEquals(0f, GateMath.sigmoid(-200f), 2e-38);
        assertEquals(-1f, GateMath.tanh(-200f));
    }

    /** expm1 keeps its relative accuracy near 0, where exp(x) − 1 would not, and saturates at −1. */
    @Test
    void expm1AgreesWithMath() {
        double worst = 0;
        for (int i = -200_000; i <= 200_000; i++) {
            float x = i * 4.4e-4f;                                          // [-88, 88]
            double e = Math.expm1(x);
            worst = Math.max(worst, Math.abs(GateMath.expm1(x) - e) / Math.abs(e == 0 ? 1 : e));
        }
        for (float x : new float[] {1e-30f, -1e-30f, 3e-8f, -3e-8f, 1e-4f, -1e-4f, -0.3465f, 0.3466f, -0.35f}) {
            worst = Math.max(worst, Math.abs(GateMath.expm1(x) - Math.expm1(x)) / Math.abs(Math.expm1(x)));
        }
        assertTrue(worst < 4e-7, "expm1 relative error " + worst);                // ~3 ulp
        assertEquals(0f, GateMath.expm1(0f));
        assertEquals(-1f, GateMath.expm1(-200f));
        assertEquals(-1f, GateMath.expm1(-20f));
    }
}
