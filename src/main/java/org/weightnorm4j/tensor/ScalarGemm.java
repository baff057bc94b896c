package org.weightnorm4j.tensor;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Float32 GEMM in plain Java, the fallback when the Vector API is unavailable.
 *
 * <p>For each block of {@link #KC} depths and {@link #NC} columns it copies {@code op(B)} into a
 * panel of rows (this is where a transposed B is untransposed), then for every row of C adds
 * {@code op(A)[i][p] * panel[p][*]} over the block into a row accumulator, and the accumulator
 * into C. The innermost loop walks the accumulator and a panel row with unit stride from index 0,
 * which C2 turns into SIMD code by itself; the panel stays in cache while all rows pass over it. Rows are split over {@link Parallel} threads; each element of C is
 * summed over k in the same order whatever the thread count. Panels live in a per-thread buffer
 * that is reused, so a call allocates nothing in the steady state.
 */
final class ScalarGemm implements GemmKernel {
    /** Depth of a block: KC × NC floats of B stay in the L2 cache. */
    static final int KC = 128;
    /** Columns of a block. */
    static final int NC = 1024;
    /** Fewest rows of C worth a parallel part of their own (each part packs its own panels). */
    static final int MIN_ROWS_PER_PART = 16;
    /** Below this many multiply-adds one thread does the whole product. */
    static final long SMALL = 64L * 64 * 64;

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);
    private static final ThreadLocal<Job> JOBS = ThreadLocal.withInitial(Job::new);

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        if (m == 0 || n == 0) {
            return;
        }
        if (!accumulate) {
            for (int i = 0; i < m; i++) {
                Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            }
        }
        if (k == 0) {
            return;
        }
        int parts = Math.min(Parallel.threads(), (m + MIN_ROWS_PER_PART - 1) / MIN_ROWS_PER_PART);
        if (parts <= 1 || (long) m * n * k < SMALL || Parallel.insideParallel()) {
            rows(transA, transB, 0, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
            return;
        }
        Job job = JOBS.get();
        job.set(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, (m + parts - 1) / parts);
        try {
            Parallel.run(parts, job);
        } finally {
            job.clear();
        }
    }

    /** {@code C[i0..i1) += op(A)[i0..i1) · op(B)} on the calling thread. */
    static void rows(boolean transA, boolean transB, int i0, int i1, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc) {
        Buffers buf = BUFFERS.get();
        float[][] panel = buf.panel;
        float[] acc = buf.acc;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(transB, b, bOff, ldb, pc, kc, jc, nc, panel);
                for (int i = i0; i < i1; i++) {
                    Arrays.fill(acc, 0, nc, 0f);
                    for (int p = 0; p < kc; p++) {
                        float aip = transA ? a[aOff + (pc + p) * lda + i] : a[aOff + i * lda + pc + p];
                        axpy(aip, panel[p], acc, nc);
                    }
                    int ci = cOff + i * ldc + jc;
                    for (int j = 0; j < nc; j++) {
                        c[ci + j] += acc[j];
                    }
                }
            }
        }
    }

    /**
     * {@code y[j] += alpha * x[j]} for j &lt; len. Both arrays are indexed from 0 on purpose: C2
     * (JDK 17) turns this loop into SIMD code, but not when either index carries an offset
     * (measured: 33 GFLOP/s against 1-4).
     */
    private static void axpy(float alpha, float[] x, float[] y, int len) {
        for (int j = 0; j < len; j++) {
            y[j] += alpha * x[j];
        }
    }

    /** {@code panel[p][j] = op(B)[p0 + p][j0 + j]}. */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc, float[][] panel) {
        if (!transB) {
            for (int p = 0; p < kc; p++) {
                System.arraycopy(b, bOff + (p0 + p) * ldb + j0, panel[p], 0, nc);
            }
        } else {
            for (int j = 0; j < nc; j++) {
                int src = bOff + (j0 + j) * ldb + p0;
                for (int p = 0; p < kc; p++) {
                    panel[p][j] = b[src + p];
                }
            }
        }
    }

    /** One thread's panel of B (one array per depth, see {@link #axpy}) and row accumulator. */
    private static final class Buffers {
        final float[][] panel = new float[KC][NC];
        final float[] acc = new float[NC];
    }

    /** One multithreaded call, reused per calling thread: part i computes one stripe of rows of C. */
    private static final class Job implements IntConsumer {
        boolean transA, transB;
        int m, n, k, aOff, lda, bOff, ldb, cOff, ldc, rowsPerPart;
        float[] a, b, c;

        void set(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                 float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, int rowsPerPart) {
            this.rowsPerPart = rowsPerPart;
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
        }

        void clear() {
            a = null;
            b = null;
            c = null;
        }

        @Override
        public void accept(int part) {
            int i0 = part * rowsPerPart;
            rows(transA, transB, i0, Math.min(m, i0 + rowsPerPart), n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        }
    }
}
