package org.weightnorm4j.tensor;

/**
 * The left operand {@code op(A)} of several products {@code C_i = op(A) · op(B_i)}, prepared once
 * by {@link GemmKernel#packA} and used by {@link GemmKernel#gemmPackedA}. A convolution multiplies
 * the same filters by the columns of every image of the batch; rearranging the filters for the
 * micro-kernel once per call instead of once per image removed about 5% of a cnn training step
 * (docs/BENCHMARKS.md).
 *
 * <p>It keeps the original operand too, so a kernel that does not pack (or a product too large
 * to run on one thread) simply multiplies the original. Mutable and reusable: a convolution job
 * keeps one and repacks it on every call, which allocates nothing once it is large enough.
 */
final class PackedA {
    boolean transA;
    int m;
    int k;
    float[] a;
    int aOff;
    int lda;
    /** The kernel's own layout of op(A), or empty when the kernel does not pack. */
    float[] packed = new float[0];
    /** Whether {@link #packed} holds the current operand. */
    boolean isPacked;

    void set(boolean transA, int m, int k, float[] a, int aOff, int lda) {
        this.transA = transA;
        this.m = m;
        this.k = k;
        this.a = a;
        this.aOff = aOff;
        this.lda = lda;
        this.isPacked = false;
    }

    /** Drops the reference to the caller's array (the packed copy is kept for reuse). */
    void release() {
        a = null;
    }
}
