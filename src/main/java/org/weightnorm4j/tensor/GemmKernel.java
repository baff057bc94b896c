package org.weightnorm4j.tensor;

/**
 * A float32 matrix multiply, row-major: {@code C (+)= op(A) · op(B)}. Same contract as
 * {@link KernelBackend#gemm(boolean, boolean, int, int, int, float[], int, int, float[], int, int, float[], int, int, boolean)};
 * arguments arrive validated by {@link Kernels}.
 */
public interface GemmKernel {
    String name();

    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
              float[] c, int cOff, int ldc, boolean accumulate);
}
