package org.weightnorm4j.tensor;

import static org.weightnorm4j.tensor.GateMath.EXP_HI;
import static org.weightnorm4j.tensor.GateMath.EXP_LO;
import static org.weightnorm4j.tensor.GateMath.LN2_HI;
import static org.weightnorm4j.tensor.GateMath.LN2_LO;
import static org.weightnorm4j.tensor.GateMath.LOG2E;
import static org.weightnorm4j.tensor.GateMath.P0;
import static org.weightnorm4j.tensor.GateMath.P1;
import static org.weightnorm4j.tensor.GateMath.P2;
import static org.weightnorm4j.tensor.GateMath.P3;
import static org.weightnorm4j.tensor.GateMath.P4;
import static org.weightnorm4j.tensor.GateMath.P5;
import static org.weightnorm4j.tensor.GateMath.ROUND;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fused LSTM gate kernels of {@link PanamaVectorOps} on the Vector API: one row per call, forward
 * (gates activated in place, then the cell update, in short passes over one L1-resident row) and
 * backward (two passes), {@link GateMath}'s operations lane by lane, so each element has the bits
 * of {@link GateMath#cellForward} and {@link GateMath#cellBackward} (which also do the scalar
 * tail). The one species of {@link PanamaVectorOps} ({@code SPECIES_PREFERRED}) and small methods,
 * for the reasons it gives; the integer vector of the exponential has that species' shape.
 *
 * <p>Internal: not part of the public API; may change without notice.
 */
final class PanamaLstmGates {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** 2^23 + 127: adding it to an integer-valued float k puts k + 127 in the low bits of the mantissa. */
    private static final float EXPONENT_MAGIC = 8388608f + 127f;
    /** The bits of 2^23, whose exponent field is subtracted to leave k + 127. */
    private static final int EXPONENT_MAGIC_BITS = Float.floatToRawIntBits(8388608f);

    private PanamaLstmGates() {
    }

    /** Which segments of a row {@link #forward} activates, and how: see {@link #activate}. */
    private static final int SEGMENTS = 4;

    /**
     * {@link GateMath#cellForward} for {@code j} in {@code [0, n)}, in passes over one row of
     * {@code 4n} gates that stays in L1: σ over i and f (contiguous), tanh over g, σ over o, then
     * {@code c = f c_prev + i g}, tanh c, {@code h = o tanh c}.
     *
     * <p>Why so many small passes (docs/KERNELS.md, "Vectors that escape"): a vector that crosses
     * a method boundary C2 did not inline is boxed, and whether C2 inlines a small helper depends
     * on what it compiled first, which changes from one JVM run to the next. So no method here
     * takes or returns a vector, every exponential is written out in the one loop of
     * {@link #activate}, and that loop is called from one call site, so a caller that inlines it
     * holds one copy (a loop with all five exponentials ran past C2's node budget and boxed its
     * vectors: 390 MB per step of the benchmark).
     */
    static void forward(float[] gates, int gOff, int n, float[] cPrev, int pOff,
                        float[] c, float[] tanhC, float[] h, int off) {
        for (int s = 0; s < SEGMENTS; s++) {
            // s = 0: σ over i and f; 1: tanh over g; 2: σ over o; 3: tanh of the new cell state
            if (s == 3) {
                cell(gates, gOff, n, cPrev, pOff, c, off);
            }
            float[] src = s == 3 ? c : gates;
            float[] dst = s == 3 ? tanhC : gates;
            int at = s == 0 ? gOff : s == 1 ? gOff + 2 * n : s == 2 ? gOff + 3 * n : off;
            boolean tanh = s == 1 || s == 3;
            activate(src, dst, at, s == 0 ? 2 * n : n, tanh ? -2f : -1f, tanh ? 2f : 1f, tanh ? -1f : 0f, tanh);
        }
        output(gates, gOff + 3 * n, tanhC, h, off, n);
    }

    /**
     * {@code dst[at + j] = num / (e^{scale · src[at + j]} + 1) + shift} for {@code j < n}: the
     * sigmoid ({@code scale −1, num 1, shift 0}) or tanh ({@code −2, 2, −1}) of {@link GateMath},
     * the same operations in the same order ({@code −x} is {@code x · −1}, and adding 0 to a
     * positive sigmoid changes no bit), with {@link GateMath#exp} written out lane by lane (the
     * polynomial of {@link #expm1Reduced} repeated on purpose: calling it would pass vectors).
     */
    private static void activate(float[] src, float[] dst, int at, int n, float scale, float num, float shift,
                                 boolean tanh) {
        int j = 0;
        int bound = S.loopBound(n);
        for (; j < bound; j += L) {
            FloatVector x = FloatVector.fromArray(S, src, at + j).mul(scale);
            FloatVector xc = x.max(EXP_LO).min(EXP_HI);
            FloatVector k = xc.mul(LOG2E).add(ROUND).sub(ROUND);                // k = round(x log₂e)
            FloatVector r = k.fma(FloatVector.broadcast(S, -LN2_HI), xc);      // r = x − k ln2, in two parts
            r = k.fma(FloatVector.broadcast(S, -LN2_LO), r);
            FloatVector p = r.fma(P0, P1);
            p = p.fma(r, FloatVector.broadcast(S, P2));
            p = p.fma(r, FloatVector.broadcast(S, P3));
            p = p.fma(r, FloatVector.broadcast(S, P4));
            p = p.fma(r, FloatVector.broadcast(S, P5));
            FloatVector er = p.fma(r.mul(r), r).add(1f);                        // e^r
            // 2^k from the bits of k + 2^23 + 127 (see EXPONENT_MAGIC): no float-to-int conversion
            FloatVector twoK = k.add(EXPONENT_MAGIC).reinterpretAsInts().sub(EXPONENT_MAGIC_BITS)
                    .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector.broadcast(S, num).div(er.mul(twoK).add(1f)).add(shift).intoArray(dst, at + j);
        }
        for (; j < n; j++) {
            dst[at + j] = tanh ? GateMath.tanh(src[at + j]) : GateMath.sigmoid(src[at + j]);
        }
    }

    /** From the activated gates: {@code c = f c_prev + i g}. */
    private static void cell(float[] gates, int gOff, int n, float[] cPrev, int pOff, float[] c, int off) {
        int j = 0;
        int bound = S.loopBound(n);
        for (; j < bound; j += L) {
            int a = gOff + j;
            FloatVector i = FloatVector.fromArray(S, gates, a);
            FloatVector f = FloatVector.fromArray(S, gates, a + n);
            FloatVector g = FloatVector.fromArray(S, gates, a + 2 * n);
            f.fma(FloatVector.fromArray(S, cPrev, pOff + j), i.mul(g)).intoArray(c, off + j);
        }
        for (; j < n; j++) {
            int a = gOff + j;
            c[off + j] = Math.fma(gates[a + n], cPrev[pOff + j], gates[a] * gates[a + 2 * n]);
        }
    }

    /** {@code h = o tanh c}, the o gate at {@code o[oOff ...]}. */
    private static void output(float[] o, int oOff, float[] tanhC, float[] h, int off, int n) {
        int j = 0;
        int bound = S.loopBound(n);
        for (; j < bound; j += L) {
            FloatVector.fromArray(S, o, oOff + j).mul(FloatVector.fromArray(S, tanhC, off + j)).intoArray(h, off + j);
        }
        for (; j < n; j++) {
            h[off + j] = o[oOff + j] * tanhC[off + j];
        }
    }

    /**
     * {@link GateMath#cellBackward} for {@code j} in {@code [0, n)}, in two passes so that each
     * loop stays well inside C2's budget (one loop of all of it boxed its vectors in some runs):
     * the first writes {@code ∂a_o} and leaves {@code ∂c_t} in {@code dc}, the second reads it
     * back for {@code ∂a_i}, {@code ∂a_f}, {@code ∂a_g} and {@code ∂c_{t−1}}. The same operations
     * in the same order as the scalar form.
     */
    static void backward(float[] gates, int gOff, int n, float[] cPrev, int pOff, float[] tanhC,
                         float[] dy, int off, float[] dhRec, float[] dc, int rOff, float[] dGates) {
        int bound = S.loopBound(n);
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int j = 0; j < bound; j += L) {
            int a = gOff + j;
            FloatVector o = FloatVector.fromArray(S, gates, a + 3 * n);
            FloatVector tc = FloatVector.fromArray(S, tanhC, off + j);
            FloatVector dh = FloatVector.fromArray(S, dy, off + j).add(FloatVector.fromArray(S, dhRec, rOff + j));
            dh.mul(o).fma(tc.neg().fma(tc, one), FloatVector.fromArray(S, dc, rOff + j)).intoArray(dc, rOff + j);
            dh.mul(tc).mul(o.mul(one.sub(o))).intoArray(dGates, a + 3 * n);
        }
        for (int j = 0; j < bound; j += L) {
            int a = gOff + j;
            FloatVector i = FloatVector.fromArray(S, gates, a);
            FloatVector f = FloatVector.fromArray(S, gates, a + n);
            FloatVector g = FloatVector.fromArray(S, gates, a + 2 * n);
            FloatVector dcT = FloatVector.fromArray(S, dc, rOff + j);
            dcT.mul(g).mul(i.mul(one.sub(i))).intoArray(dGates, a);
            dcT.mul(FloatVector.fromArray(S, cPrev, pOff + j)).mul(f.mul(one.sub(f))).intoArray(dGates, a + n);
            dcT.mul(i).mul(g.neg().fma(g, one)).intoArray(dGates, a + 2 * n);
            dcT.mul(f).intoArray(dc, rOff + j);
        }
        for (int j = bound; j < n; j++) {
            GateMath.cellBackward(gates, gOff, n, cPrev, pOff, tanhC, dy, off, dhRec, dc, rOff, dGates, j);
        }
    }

    /**
     * {@link GateMath#expm1}, the same operations in the same order: for ELU
     * ({@link PanamaActivations}), which calls it from a short loop of its own.
     */
    static FloatVector expm1(FloatVector x) {
        FloatVector xc = x.max(EXP_LO).min(EXP_HI);
        FloatVector k = xc.mul(LOG2E).add(ROUND).sub(ROUND);                   // k = round(x log₂e)
        FloatVector twoK = twoTo(k);
        return twoK.fma(expm1Reduced(xc, k), twoK.sub(1f));                    // 2^k (e^r − 1) + 2^k − 1
    }

    /** {@code e^r − 1} for {@code r = x − k ln2}: the polynomial of {@link GateMath#exp} before it adds 1. */
    private static FloatVector expm1Reduced(FloatVector xc, FloatVector k) {
        FloatVector r = k.fma(FloatVector.broadcast(S, -LN2_HI), xc);          // r = x − k ln2, in two parts
        r = k.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = r.fma(P0, P1);
        p = p.fma(r, FloatVector.broadcast(S, P2));
        p = p.fma(r, FloatVector.broadcast(S, P3));
        p = p.fma(r, FloatVector.broadcast(S, P4));
        p = p.fma(r, FloatVector.broadcast(S, P5));
        return p.fma(r.mul(r), r);
    }

    /**
     * 2^k from the bits of k + 2^23 + 127, whose low mantissa bits are the integer k + 127 (exact:
     * k is an integer in [-126, 127]): the same bits as (int) k + 127 << 23, without a float-to-int
     * conversion, which C2 in JDK 17 does not intrinsify on AVX2 (it boxed every vector of
     * the exponential: 311 MB per LSTM benchmark step).
     */
    private static FloatVector twoTo(FloatVector k) {
        IntVector bits = k.add(EXPONENT_MAGIC).reinterpretAsInts().sub(EXPONENT_MAGIC_BITS).lanewise(VectorOperators.LSHL, 23);
        return bits.reinterpretAsFloats();
    }
}
