package org.weightnorm4j.tensor;

/**
 * The inner loops of the non-GEMM float32 kernels, in two implementations chosen once when a
 * {@link Float32Kernels} is built (as Apache Lucene's {@code VectorUtil} picks its
 * {@code VectorUtilSupport}): the plain Java {@link ScalarVectorOps}, and {@code PanamaVectorOps}
 * on the Vector API, which {@link KernelProvider#vectorOps} loads by name so that a JVM without
 * {@code jdk.incubator.vector} never links it. The kernels themselves (pooling, activations,
 * channel reductions, ...) are written once against this interface and never test a SIMD flag.
 *
 * <p>The two implementations do not give the same bits: scalar reductions accumulate in double,
 * vector ones in float lanes over blocks of {@link #BLOCK} added into a double. Each must keep
 * giving the bits it gave before (tests compare both against the reference, and results across
 * thread counts), so a change to one is a change of results.
 *
 * <p>Internal: not part of the public API; may change without notice.
 */
interface VectorOps {

    /**
     * Length of the float blocks that vector reductions add into a double; also the size of the
     * runs of small planes that the fused kernels walk at once.
     */
    int BLOCK = 1024;

    /** Planes below this many elements go through the fused per-plane kernels a run of whole planes at a time. */
    int SMALL_PLANE = 64;

    /** Whole planes of {@code s} elements in a run of at most {@link #BLOCK} elements (at least one). */
    static int planesPerChunk(int s) {
        return Math.max(1, BLOCK / s);
    }

    /** Whether this is the Vector API implementation (for names, tests and the Winograd choice). */
    boolean simd();

    // ---- reductions into a double ------------------------------------------------------------

    /** {@code Σ a[off .. off+n)}. */
    double sum(float[] a, int off, int n);

    /** {@code Σ a[i]·b[i]} over the same n-element range of both. */
    double dot(float[] a, float[] b, int off, int n);

    /** {@code Σ (a[i] − mean)²} over n elements. */
    double squaredDeviations(float[] a, int off, int n, float mean);

    /** {@code Σ a[i]²} over n elements (the row norms of weight normalization). */
    double sumSquares(float[] a, int off, int n);

    /**
     * {@code y[i] = (y[i] + (sa·a[i] + 0)) + (sb·b[i] + 0)} over {@code [off, off+n)}: each product
     * rounded, then added in that order (the bits of two {@link #scaleShift}s into a buffer, each
     * followed by an {@link #axpy} with alpha 1; one pass instead of four).
     */
    void addScaledPair(float sa, float[] a, float sb, float[] b, float[] y, int off, int n);

    /** Whether none of {@code a[off .. off+n)} is NaN or infinite. */
    boolean allFinite(float[] a, int off, int n);

    /**
     * Overwrites {@code totals[0]} with {@code Σ a[i]} and {@code totals[1]} with
     * {@code Σ a[i]·b[i]} over n elements, in one read of both, each with the bits of
     * {@link #sum} and {@link #dot}.
     */
    void sumAndDot(float[] a, float[] b, int off, int n, double[] totals);

    // ---- element-wise ------------------------------------------------------------------------

    /** {@code y[i] += alpha · x[i]} for {@code i} in {@code [0, n)}. */
    void axpy(float alpha, float[] x, float[] y, int n);

    /** {@code out[i] = a[i] · b[i]} for {@code i} in {@code [off, off + n)} (out may alias a or b). */
    void mul(float[] a, float[] b, float[] out, int off, int n);

    /** {@code out[i] = a[i] + b[i]} for {@code i} in {@code [off, off + n)} (out may alias a or b): a residual block's sum. */
    void plus(float[] a, float[] b, float[] out, int off, int n);

    /** {@code dst[dOff + i] += src[sOff + i]} for {@code i} in {@code [0, n)}: col2im's scatter-add. */
    void add(float[] src, int sOff, float[] dst, int dOff, int n);

    /** {@code y[i] = scale · u[i] + shift} for {@code i} in {@code [off, off + n)}. */
    void scaleShift(float scale, float shift, float[] u, float[] y, int off, int n);

    /**
     * {@code xhat[i] = (x[i] − mean)·invStd} and {@code y[i] = gamma·xhat[i] + beta} for {@code i}
     * in {@code [off, off + n)}.
     */
    void normalize(float[] x, int off, int n, float mean, float invStd, float gamma, float beta, float[] xhat, float[] y);

    /** {@code out[i] = sa·a[i] + sb·b[i] + shift} for {@code i} in {@code [off, off + n)}. */
    void combine(float sa, float[] a, float sb, float[] b, float shift, float[] out, int off, int n);

    // ---- activations -------------------------------------------------------------------------

    /** {@code y[i] = x[i] > 0 ? x[i] : 0} for {@code i} in {@code [off, off + n)} (NaN gives +0). */
    void relu(float[] x, float[] y, int off, int n);

    /** {@code y[i] = x[i] > 0 ? x[i] : slope · x[i]} for {@code i} in {@code [off, off + n)}. */
    void leakyRelu(float slope, float[] x, float[] y, int off, int n);

    /** {@code dx[i] = x[i] > 0 ? dy[i] : slope · dy[i]} for {@code i} in {@code [off, off + n)}. */
    void leakyReluBackward(float slope, float[] x, float[] dy, float[] dx, int off, int n);

    /**
     * {@code y = leakyRelu(u + shift[plane % c])} over whole planes {@code [from, to)} of {@code s}
     * elements ({@link Activation#leakyRelu(float, float)}: slope 0 gives +0 on the negative side).
     * How the planes are walked is the implementation's business (the vector one runs small planes
     * a block at a time); the bits of each element are fixed.
     */
    void shiftLeakyReluPlanes(float[] shift, int c, float slope, float[] u, float[] y, int s, int from, int to);

    /**
     * {@code y[off + i] = leakyRelu(u[off + i] + shift[i])} for {@code i} in {@code [0, n)}: one row
     * of a dense layer's [N, C] with a shift per column.
     */
    void shiftRowLeakyRelu(float[] shift, float slope, float[] u, float[] y, int off, int n);

    /** {@code y[i] = }{@link GateMath#elu}{@code (x[i], alpha)} for {@code i} in {@code [off, off + n)}; the bits of GateMath. */
    void elu(float alpha, float[] x, float[] y, int off, int n);

    /** {@code dx[i] = }{@link GateMath#eluBackward}{@code (x[i], y[i], dy[i], alphaHi, alphaLo)} for {@code i} in {@code [off, off + n)}. */
    void eluBackward(float alphaHi, float alphaLo, float[] x, float[] y, float[] dy, float[] dx, int off, int n);

    /**
     * {@code dx[i] = }{@link GateMath#eluBackward}{@code (x[i], y[i], dy[i], alphaHi, alphaLo) + addend[i]}
     * for {@code i} in {@code [off, off + n)}: the gradient through a residual block's first ELU plus
     * the shortcut's, in one pass, with the bits of {@link #eluBackward} followed by {@link #plus}.
     */
    void eluBackwardPlus(float alphaHi, float alphaLo, float[] x, float[] y, float[] dy, float[] addend, float[] dx, int off, int n);

    // ---- LSTM gates --------------------------------------------------------------------------

    /**
     * One row of the fused LSTM forward step, {@link GateMath#cellForward} for each {@code j} in
     * {@code [0, n)}: the four gate segments of {@code n} start at {@code gOff} (overwritten with
     * the activated gates), {@code c}, {@code tanhC} and {@code h} are written at {@code off},
     * {@code cPrev} read at {@code pOff}. Every element has the bits of {@link GateMath}.
     */
    void lstmForward(float[] gates, int gOff, int n, float[] cPrev, int pOff, float[] c, float[] tanhC, float[] h, int off);

    /**
     * One row of the fused LSTM backward step, {@link GateMath#cellBackward} for each {@code j} in
     * {@code [0, n)}: {@code dGates} written at {@code gOff}, {@code dc} (read and overwritten) and
     * {@code dhRec} at {@code rOff}, {@code dy} and {@code tanhC} at {@code off}.
     */
    void lstmBackward(float[] gates, int gOff, int n, float[] cPrev, int pOff, float[] tanhC,
                      float[] dy, int off, float[] dhRec, float[] dc, int rOff, float[] dGates);

    // ---- pooling -----------------------------------------------------------------------------

    /**
     * Whatever {@link #maxPoolPlanes} needs prepared for planes of {@code h × w}, computed once per
     * call on the calling thread (the vector implementation's gather table; null for the scalar one).
     */
    int[] maxPoolCorners(int h, int w);

    /**
     * 2x2 max pooling of planes {@code [from, to)} of {@code h × w}, recording the flat index of each
     * maximum; every window has the bits of {@link ScalarVectorOps#maxPoolWindow}.
     */
    void maxPoolPlanes(float[] x, float[] y, int[] argmax, int h, int w, int[] corners, int from, int to);
}
