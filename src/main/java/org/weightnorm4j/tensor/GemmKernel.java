package org.weightnorm4j.tensor;

/**
 * A float32 matrix multiply, row-major: {@code C (+)= op(A) · op(B)}. Same contract as
 * {@link KernelBackend#gemm(boolean, boolean, int, int, int, float[], int, int, float[], int, int, float[], int, int, boolean)};
 * arguments arrive validated by {@link Kernels}.
 */
interface GemmKernel {
    String name();

    /** The block sizes this kernel uses, or null for a kernel that does not block by {@link GemmBlocking}. */
    default GemmBlocking blocking() {
        return null;
    }

    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
              float[] c, int cOff, int ldc, boolean accumulate);

    /**
     * Prepares {@code op(A)} ({@code m × k}) for several calls of {@link #gemmPackedA} into
     * {@code into}. The default only remembers the operand; a kernel with a packed layout copies
     * it there once. The caller must not change A while it uses {@code into}.
     */
    default void packA(boolean transA, int m, int k, float[] a, int aOff, int lda, PackedA into) {
        into.set(transA, m, k, a, aOff, lda);
    }

    /**
     * {@code C (+)= op(A) · op(B)} with op(A) prepared by {@link #packA}; the same result, bit for
     * bit, as {@link #gemm} with the original operand.
     */
    default void gemmPackedA(PackedA a, boolean transB, int n, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        gemm(a.transA, transB, a.m, n, a.k, a.a, a.aOff, a.lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /**
     * {@code C = op(A) · op(B) + bias}, the bias broadcast along each row:
     * {@code C[i][j] = Σ_p op(A)[i][p] op(B)[p][j] + rowBias[biasOff + i]}. A convolution's forward
     * with its bias, the filters as A: a kernel that writes C tile by tile adds the bias as it
     * writes, instead of a separate pass over the output. The default adds it afterwards.
     */
    default void gemmPackedAWithRowBias(PackedA a, boolean transB, int n, float[] b, int bOff, int ldb,
                                        float[] c, int cOff, int ldc, float[] rowBias, int biasOff) {
        gemmPackedA(a, transB, n, b, bOff, ldb, c, cOff, ldc, false);
        for (int i = 0; i < a.m; i++) {
            float bias = rowBias[biasOff + i];
            for (int j = 0, ci = cOff + i * ldc; j < n; j++, ci++) {
                c[ci] += bias;
            }
        }
    }

    /**
     * Prepares {@code op(B)} ({@code k × n}) for several calls of {@link #gemmPackedB} into
     * {@code into}. The default only remembers the operand; a kernel with a packed layout copies
     * it there once. The caller must not change B while it uses {@code into}.
     */
    default void packB(boolean transB, int k, int n, float[] b, int bOff, int ldb, PackedB into) {
        into.set(transB, k, n, b, bOff, ldb);
    }

    /**
     * {@code C (+)= op(A) · op(B)} with op(B) prepared by {@link #packB}; the same result, bit for
     * bit, as {@link #gemm} with the original operand.
     */
    default void gemmPackedB(boolean transA, int m, float[] a, int aOff, int lda, PackedB b,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        gemm(transA, b.transB, m, b.n, b.k, a, aOff, lda, b.b, b.bOff, b.ldb, c, cOff, ldc, accumulate);
    }
}
