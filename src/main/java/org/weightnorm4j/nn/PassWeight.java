package org.weightnorm4j.nn;

import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.PackedB;
import org.weightnorm4j.tensor.Tensor;

/**
 * A weight that is the right operand of every step's GEMM in one pass over a sequence (an LSTM's
 * {@code w_hh}, forward as {@code h w_hhᵀ} and backward as {@code ∂a w_hh}), laid out for the
 * float32 GEMM once per pass ({@link Kernels#packB}) instead of at every step: 5.5% of an LSTM
 * layer's training step went to re-packing the same matrix (docs/KERNELS.md). Float64 weights
 * are multiplied as they are. The products are bit for bit those of {@link RowGemm#gemm}.
 *
 * <p>Lifetime: {@link #pack} at the start of a pass, with the weights as the pass sees them;
 * {@link #release} at its end. The weights must not change in between (they do not within a
 * pass: the optimizer steps between passes); after {@link #release}, {@link #multiply} is refused
 * until the next {@link #pack}, so a copy of old weights is never used.
 */
final class PassWeight {
    private final String what;
    private final PackedB packed = new PackedB();
    private Tensor w;
    private boolean transB;
    private int k;
    private int n;
    private int ldb;

    /** {@code what} names the weight and the layer in errors. */
    PassWeight(String what) {
        this.what = what;
    }

    /** Takes {@code op(w)} ({@code k × n}, {@code w} stored {@code n × k} when {@code transB}, rows {@code ldb} apart) for this pass. */
    void pack(Tensor weight, boolean transB, int k, int n, int ldb) {
        this.w = weight;
        this.transB = transB;
        this.k = k;
        this.n = n;
        this.ldb = ldb;
        if (weight.isFloat32()) {
            Kernels.packB(transB, k, n, weight.data(), 0, ldb, packed);
        }
    }

    /** {@code C[cOff..] (+)= A[aOff..] · op(w)} for {@code m} rows of A (untransposed, rows {@code lda} apart). */
    void multiply(int m, Tensor a, int aOff, int lda, Tensor c, int cOff, int ldc, boolean accumulate) {
        if (w == null) {
            throw new IllegalStateException(what + ": used outside a pass (its packed copy was released"
                    + " or never made); start a pass first");
        }
        if (w.isFloat32()) {
            a.requireSameType(what, w);
            c.requireSameType(what, w);
            Kernels.gemmPackedB(false, m, a.data(), aOff, lda, packed, c.data(), cOff, ldc, accumulate);
        } else {
            RowGemm.gemm(false, transB, m, n, k, a, aOff, lda, w, 0, ldb, c, cOff, ldc, accumulate);
        }
    }

    /** Ends the pass: forgets the weight (keeping the buffers for the next {@link #pack}). */
    void release() {
        w = null;
        packed.release();
    }
}
