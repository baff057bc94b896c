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
 * (gates activated in place, then the cell update, over one L1-resident row) and backward (one pass), {@link GateMath}'s operations lane by lane, so each element has the
 * bits of {@link GateMath#cellForward} and {@link GateMath#cellBackward} (which also do the scalar
 * tail). The one species of {@link PanamaVectorOps} ({@code SPECIES_PREFERRED}) and small methods,
 * for the reasons it gives; the integer vector of {@link #exp} has that species' shape.
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

    /**
     * {@link GateMath#cellForward} for {@code j} in {@code [0, n)}: the gates activated in place
     * (σ over i and f, which are contiguous, tanh over g, σ over o), then the cell update, a row
     * of {@code 4n} floats that stays in L1 between the two sweeps. One loop with all five
     * exponentials ran past C2's inlining budget and boxed its vectors (390 MB per step of the
     * benchmark); a loop of one exponential each compiles to registers.
     */
    static void forward(float[] gates, int gOff, int n, float[] cPrev, int pOff,
                        float[] c, float[] tanhC, float[] h, int off) {
        sigmoidInPlace(gates, gOff, 2 * n);
        tanhInPlace(gates, gOff + 2 * n, n);
        sigmoidInPlace(gates, gOff + 3 * n, n);
        update(gates, gOff, n, cPrev, pOff, c, tanhC, h, off);
    }

    private static void sigmoidInPlace(float[] a, int off, int n) {
        int j = 0;
        int bound = S.loopBound(n);
        for (; j < bound; j += L) {
            sigmoid(FloatVector.fromArray(S, a, off + j)).intoArray(a, off + j);
        }
        for (; j < n; j++) {
            a[off + j] = GateMath.sigmoid(a[off + j]);
        }
    }

    private static void tanhInPlace(float[] a, int off, int n) {
        int j = 0;
        int bound = S.loopBound(n);
        for (; j < bound; j += L) {
            tanh(FloatVector.fromArray(S, a, off + j)).intoArray(a, off + j);
        }
        for (; j < n; j++) {
            a[off + j] = GateMath.tanh(a[off + j]);
        }
    }

    /** From the activated gates: {@code c = f c_prev + i g}, {@code tanh c}, {@code h = o tanh c}. */
    private static void update(float[] gates, int gOff, int n, float[] cPrev, int pOff,
                               float[] c, float[] tanhC, float[] h, int off) {
        int j = 0;
        int bound = S.loopBound(n);
        for (; j < bound; j += L) {
            int a = gOff + j;
            FloatVector i = FloatVector.fromArray(S, gates, a);
            FloatVector f = FloatVector.fromArray(S, gates, a + n);
            FloatVector g = FloatVector.fromArray(S, gates, a + 2 * n);
            FloatVector cc = f.fma(FloatVector.fromArray(S, cPrev, pOff + j), i.mul(g));   // c = f c_prev + i g
            FloatVector tc = tanh(cc);
            cc.intoArray(c, off + j);
            tc.intoArray(tanhC, off + j);
            FloatVector.fromArray(S, gates, a + 3 * n).mul(tc).intoArray(h, off + j);     // h = o tanh c
        }
        for (; j < n; j++) {
            int a = gOff + j;
            float cc = Math.fma(gates[a + n], cPrev[pOff + j], gates[a] * gates[a + 2 * n]);
            float tc = GateMath.tanh(cc);
            c[off + j] = cc;
            tanhC[off + j] = tc;
            h[off + j] = gates[a + 3 * n] * tc;
        }
    }

    /** {@link GateMath#cellBackward} for {@code j} in {@code [0, n)}. */
    static void backward(float[] gates, int gOff, int n, float[] cPrev, int pOff, float[] tanhC,
                         float[] dy, int off, float[] dhRec, float[] dc, int rOff, float[] dGates) {
        int j = 0;
        int bound = S.loopBound(n);
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (; j < bound; j += L) {
            int a = gOff + j;
            FloatVector i = FloatVector.fromArray(S, gates, a);
            FloatVector f = FloatVector.fromArray(S, gates, a + n);
            FloatVector g = FloatVector.fromArray(S, gates, a + 2 * n);
            FloatVector o = FloatVector.fromArray(S, gates, a + 3 * n);
            FloatVector tc = FloatVector.fromArray(S, tanhC, off + j);
            FloatVector dh = FloatVector.fromArray(S, dy, off + j).add(FloatVector.fromArray(S, dhRec, rOff + j));
            FloatVector dcT = dh.mul(o).fma(tc.neg().fma(tc, one), FloatVector.fromArray(S, dc, rOff + j));
            dcT.mul(g).mul(i.mul(one.sub(i))).intoArray(dGates, a);
            dcT.mul(FloatVector.fromArray(S, cPrev, pOff + j)).mul(f.mul(one.sub(f))).intoArray(dGates, a + n);
            dcT.mul(i).mul(g.neg().fma(g, one)).intoArray(dGates, a + 2 * n);
            dh.mul(tc).mul(o.mul(one.sub(o))).intoArray(dGates, a + 3 * n);
            dcT.mul(f).intoArray(dc, rOff + j);
        }
        for (; j < n; j++) {
            GateMath.cellBackward(gates, gOff, n, cPrev, pOff, tanhC, dy, off, dhRec, dc, rOff, dGates, j);
        }
    }

    /** {@link GateMath#sigmoid}: 1/(1 + e^{−x}). */
    private static FloatVector sigmoid(FloatVector x) {
        return FloatVector.broadcast(S, 1f).div(exp(x.neg()).add(1f));
    }

    /** {@link GateMath#tanh}: 2/(1 + e^{−2x}) − 1. */
    private static FloatVector tanh(FloatVector x) {
        return FloatVector.broadcast(S, 2f).div(exp(x.mul(-2f)).add(1f)).sub(1f);
    }

    /** {@link GateMath#exp}, the same operations in the same order. */
    private static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(EXP_LO).min(EXP_HI);
        FloatVector k = xc.mul(LOG2E).add(ROUND).sub(ROUND);                   // k = round(x log₂e)
        return expm1Reduced(xc, k).add(1f).mul(twoTo(k));                      // e^r · 2^k
    }

    /** {@link GateMath#expm1}, the same operations in the same order. */
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
     * {@link #exp}: 311 MB per LSTM benchmark step).
     */
    private static FloatVector twoTo(FloatVector k) {
        IntVector bits = k.add(EXPONENT_MAGIC).reinterpretAsInts().sub(EXPONENT_MAGIC_BITS).lanewise(VectorOperators.LSHL, 23);
        return bits.reinterpretAsFloats();
    }
}
