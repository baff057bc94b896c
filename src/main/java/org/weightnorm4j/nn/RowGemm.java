package org.weightnorm4j.nn;

import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Tensor;

/**
 * A GEMM on row ranges of tensors (one time step of a {@code [T, N, ·]} sequence), in float32 or
 * float64 as the tensors are: {@link Kernels#gemm} with offsets and leading dimensions, which
 * {@link Kernels#matmul} on whole tensors does not take.
 */
final class RowGemm {
    private RowGemm() {
    }

    /** {@code C[cOff..] (+)= op(A[aOff..]) · op(B[bOff..])}, as {@link Kernels#gemm}. */
    static void gemm(boolean transA, boolean transB, int m, int n, int k,
                     Tensor a, int aOff, int lda, Tensor b, int bOff, int ldb, Tensor c, int cOff, int ldc,
                     boolean accumulate) {
        a.requireSameType("row gemm", b);
        a.requireSameType("row gemm", c);
        if (a.isFloat32()) {
            Kernels.gemm(transA, transB, m, n, k, a.data(), aOff, lda, b.data(), bOff, ldb, c.data(), cOff, ldc, accumulate);
        } else {
            Kernels.gemm(transA, transB, m, n, k, a.data64(), aOff, lda, b.data64(), bOff, ldb, c.data64(), cOff, ldc, accumulate);
        }
    }
}
