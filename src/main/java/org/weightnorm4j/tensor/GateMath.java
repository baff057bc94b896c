package org.weightnorm4j.tensor;

/**
 * The float32 sigmoid and tanh of the fused LSTM gate kernels, in the scalar form that
 * {@code PanamaLstmGates} repeats lane by lane with the same IEEE operations in the same order
 * (products, sums, {@code fma}, one division), so the scalar and the vector kernels give the
 * same bits, and a kernel gives the same bits interpreted or compiled. {@code Math.exp} and the
 * Vector API's {@code EXP} would not: the latter is an SVML call when compiled and a per-lane
 * {@code Math.exp} when interpreted (the pitfall {@link PanamaVectorOps} documents for sums).
 *
 * <p>{@link #exp} is Cephes' {@code expf}: {@code e^x = 2^k e^r} with {@code k = round(x log₂e)},
 * {@code r = x − k ln 2} (ln 2 in two parts, so {@code r} is exact to a few ulps) and a degree-5
 * polynomial for {@code (e^r − 1 − r)/r²} on {@code |r| ≤ ln2/2}; about 1 ulp. The input is
 * clamped to {@code [-87, 88]} so {@code 2^k} is a normal float: the sigmoid of {@code |x| > 87}
 * is then {@code 1} or below {@code 2e-38} instead of its exact tiny value.
 *
 * <p>{@link #sigmoid}{@code (x) = 1/(1 + e^{-x})} has a relative error of a few ulps.
 * {@link #tanh}{@code (x) = 2/(1 + e^{-2x}) − 1} has an absolute error of a few 1e-8 (the
 * subtraction of 1 loses relative accuracy near 0, not absolute, which is what a gate sum and
 * its gradients need).
 *
 * <p>Internal: not part of the public API; may change without notice.
 */
final class GateMath {
    /** Clamp of exp's argument: e^88 = 1.65e38 fits a float, 2^-126 (k at -87) is the smallest normal. */
    static final float EXP_HI = 88f;
    static final float EXP_LO = -87f;
    static final float LOG2E = 1.44269504088896341f;
    /** 1.5·2²³: adding it rounds a float below 2²² to an integer (round half to even), subtracting it gives that integer. */
    static final float ROUND = 12582912f;
    /** ln 2 = LN2_HI + LN2_LO, LN2_HI with few mantissa bits so k·LN2_HI is exact. */
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    /** Cephes expf: e^r ≈ 1 + r + r²·(((((P0 r + P1) r + P2) r + P3) r + P4) r + P5). */
    static final float P0 = 1.9875691500e-4f;
    static final float P1 = 1.3981999507e-3f;
    static final float P2 = 8.3334519073e-3f;
    static final float P3 = 4.1665795894e-2f;
    static final float P4 = 1.6666665459e-1f;
    static final float P5 = 5.0000001201e-1f;

    private GateMath() {
    }

    /** {@code e^x} for x clamped to [{@link #EXP_LO}, {@link #EXP_HI}]. */
    static float exp(float x) {
        float xc = Math.min(Math.max(x, EXP_LO), EXP_HI);
        float k = (xc * LOG2E + ROUND) - ROUND;                    // k = round(x log₂e)
        float er = expm1Reduced(xc, k) + 1f;                        // e^r
        return er * Float.intBitsToFloat(((int) k + 127) << 23);    // e^x = e^r · 2^k
    }

    /** {@code e^r − 1} for {@code r = x − k ln2}: the polynomial that {@link #exp} adds 1 to. */
    private static float expm1Reduced(float xc, float k) {
        float r = Math.fma(k, -LN2_HI, xc);                         // r = x − k ln2, in two parts
        r = Math.fma(k, -LN2_LO, r);
        float p = Math.fma(P0, r, P1);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P5);
        return Math.fma(p, r * r, r);
    }

    /**
     * {@code e^x − 1} for x clamped to [{@link #EXP_LO}, {@link #EXP_HI}], accurate for small
     * {@code |x|} too (where {@code exp(x) − 1} loses its relative accuracy): with {@link #exp}'s
     * {@code k} and {@code r}, {@code e^x − 1 = 2^k (e^r − 1) + (2^k − 1)}, where {@code e^r − 1} is
     * the polynomial before {@code exp} adds 1 and {@code 2^k − 1} is exact for the {@code k} that
     * matter (0 for {@code |x| ≤ ln2/2}, which leaves the polynomial alone). A few ulps against
     * {@code Math.expm1}. ELU's negative side, lane by lane in {@code PanamaActivations}.
     */
    static float expm1(float x) {
        float xc = Math.min(Math.max(x, EXP_LO), EXP_HI);
        float k = (xc * LOG2E + ROUND) - ROUND;                    // k = round(x log₂e)
        float twoK = Float.intBitsToFloat(((int) k + 127) << 23);
        return Math.fma(twoK, expm1Reduced(xc, k), twoK - 1f);     // 2^k (e^r − 1) + 2^k − 1
    }

    /** ELU: {@code x} for {@code x > 0}, else {@code alpha (e^x − 1)} with {@link #expm1}. */
    static float elu(float x, float alpha) {
        return x > 0 ? x : alpha * expm1(x);
    }

    /**
     * ELU's backward through its output: {@code dy} where {@code x > 0}, else
     * {@code (y + alpha) dy}, since {@code d/dx alpha (e^x − 1) = alpha e^x = y + alpha}. For very
     * negative x, {@code y + alpha} cancels, so alpha comes in two parts ({@code alphaHi} its float,
     * {@code alphaLo} the rest): {@code y + alphaHi} is then exact, and the derivative is as
     * accurate as with alpha in double (an alpha such as 0.3 is not a float).
     */
    static float eluBackward(float x, float y, float dy, float alphaHi, float alphaLo) {
        return x > 0 ? dy : ((y + alphaHi) + alphaLo) * dy;
    }

    /** σ(x) = 1/(1 + e^{−x}). */
    static float sigmoid(float x) {
        return 1f / (1f + exp(-x));
    }

    /** tanh(x) = 2/(1 + e^{−2x}) − 1 = 2σ(2x) − 1. */
    static float tanh(float x) {
        return 2f / (1f + exp(-2f * x)) - 1f;
    }

    /**
     * Element {@code j} of one row of the LSTM forward (PyTorch's {@code nn.LSTM} equations, gate
     * order i, f, g, o, each gate a segment of {@code n} in {@code gates}): overwrites the four
     * pre-activations with {@code i = σ(a_i)}, {@code f = σ(a_f)}, {@code g = tanh(a_g)},
     * {@code o = σ(a_o)} and writes {@code c = f c_prev + i g}, {@code tanh c} and
     * {@code h = o tanh c}.
     */
    static void cellForward(float[] gates, int gOff, int n, float[] cPrev, int pOff,
                            float[] c, float[] tanhC, float[] h, int off, int j) {
        int a = gOff + j;
        float i = sigmoid(gates[a]);
        float f = sigmoid(gates[a + n]);
        float g = tanh(gates[a + 2 * n]);
        float o = sigmoid(gates[a + 3 * n]);
        float cc = Math.fma(f, cPrev[pOff + j], i * g);             // c_t = f ⊙ c_{t−1} + i ⊙ g
        float tc = tanh(cc);
        gates[a] = i;
        gates[a + n] = f;
        gates[a + 2 * n] = g;
        gates[a + 3 * n] = o;
        c[off + j] = cc;
        tanhC[off + j] = tc;
        h[off + j] = o * tc;                                        // h_t = o ⊙ tanh(c_t)
    }

    /**
     * Element {@code j} of one row of the LSTM backward through one step, from the activated gates
     * and {@code tanh c_t} of the forward: {@code ∂h = dy + dhRec} (the output's gradient plus the
     * one through the next step's recurrent product), {@code ∂c = dc + ∂h o (1 − tanh² c)}; writes
     * the pre-activation gradients {@code ∂a_i = ∂c g · i(1−i)}, {@code ∂a_f = ∂c c_prev · f(1−f)},
     * {@code ∂a_g = ∂c i · (1−g²)}, {@code ∂a_o = ∂h tanh c · o(1−o)} and overwrites {@code dc} with
     * {@code ∂c_{t−1} = ∂c f}.
     */
    static void cellBackward(float[] gates, int gOff, int n, float[] cPrev, int pOff, float[] tanhC,
                             float[] dy, int off, float[] dhRec, float[] dc, int rOff, float[] dGates, int j) {
        int a = gOff + j;
        float i = gates[a];
        float f = gates[a + n];
        float g = gates[a + 2 * n];
        float o = gates[a + 3 * n];
        float tc = tanhC[off + j];
        float dh = dy[off + j] + dhRec[rOff + j];
        float dcT = Math.fma(dh * o, Math.fma(-tc, tc, 1f), dc[rOff + j]);   // ∂c_t += ∂h o (1 − tanh² c)
        dGates[a] = (dcT * g) * (i * (1f - i));                             // σ' = σ(1 − σ)
        dGates[a + n] = (dcT * cPrev[pOff + j]) * (f * (1f - f));
        dGates[a + 2 * n] = (dcT * i) * Math.fma(-g, g, 1f);                // tanh' = 1 − tanh²
        dGates[a + 3 * n] = (dh * tc) * (o * (1f - o));
        dc[rOff + j] = dcT * f;                                             // ∂c_{t−1} = ∂c_t f
    }
}
