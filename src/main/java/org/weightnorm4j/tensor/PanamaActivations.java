package org.weightnorm4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The smooth activations of {@link PanamaVectorOps} on the Vector API, lane by lane the operations
 * of {@link GateMath} (so every element has the bits of the scalar {@link ScalarVectorOps}), in a
 * class of their own to keep {@link PanamaVectorOps}' methods small (C2's inlining budget; see
 * {@link PanamaLstmGates}). ELU was a scalar loop over {@code Math.expm1} in double: about 14 ns
 * an element, a third of the VAE benchmark's step (docs/BENCHMARKS.md, "VAE").
 *
 * <p>Internal: not part of the public API; may change without notice.
 */
final class PanamaActivations {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private PanamaActivations() {
    }

    /** {@link GateMath#elu} for {@code i} in {@code [off, off + n)}. */
    static void elu(float alpha, float[] x, float[] y, int off, int n) {
        int i = off;
        int bound = off + S.loopBound(n);
        for (; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            VectorMask<Float> positive = v.compare(VectorOperators.GT, 0f);
            PanamaLstmGates.expm1(v).mul(alpha).blend(v, positive).intoArray(y, i);
        }
        for (; i < off + n; i++) {
            y[i] = GateMath.elu(x[i], alpha);
        }
    }

    /** {@link GateMath#eluBackward} for {@code i} in {@code [off, off + n)}. */
    static void eluBackward(float alphaHi, float alphaLo, float[] x, float[] y, float[] dy, float[] dx, int off, int n) {
        int i = off;
        int bound = off + S.loopBound(n);
        for (; i < bound; i += L) {
            FloatVector g = FloatVector.fromArray(S, dy, i);
            VectorMask<Float> positive = FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f);
            FloatVector.fromArray(S, y, i).add(alphaHi).add(alphaLo).mul(g).blend(g, positive).intoArray(dx, i);
        }
        for (; i < off + n; i++) {
            dx[i] = GateMath.eluBackward(x[i], y[i], dy[i], alphaHi, alphaLo);
        }
    }

    /** {@link #eluBackward} plus {@code addend[i]}, one pass (a residual block's shortcut gradient added in). */
    static void eluBackwardPlus(float alphaHi, float alphaLo, float[] x, float[] y, float[] dy, float[] addend, float[] dx,
                                int off, int n) {
        int i = off;
        int bound = off + S.loopBound(n);
        for (; i < bound; i += L) {
            FloatVector g = FloatVector.fromArray(S, dy, i);
            VectorMask<Float> positive = FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f);
            FloatVector.fromArray(S, y, i).add(alphaHi).add(alphaLo).mul(g).blend(g, positive)
                    .add(FloatVector.fromArray(S, addend, i)).intoArray(dx, i);
        }
        for (; i < off + n; i++) {
            dx[i] = GateMath.eluBackward(x[i], y[i], dy[i], alphaHi, alphaLo) + addend[i];
        }
    }
}
