package org.weightnorm4j.tensor;

import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C (+)= A · Bᵀ} for a short, deep A (few rows, long rows), both operands row-major along
 * the depth: each element of C is a dot product of a row of A and a row of B, read where they
 * lie. No packing at all.
 *
 * <p><b>Why.</b> A dense layer's forward on a handful of rows ({@code x · Wᵀ}: the DQN agent
 * choosing an action, one row against the 128 × 1024 weight) is this product. The packed GEMM
 * ({@link PanamaGemm}) transposes all of W into panels on every call, a pass over 512 KiB that
 * costs ten times the product of one row; here W is streamed once, in its own layout.
 *
 * <p><b>How.</b> A register tile of 4 rows of A × 3 rows of B: per vector of depth, one load of
 * each of the 3 rows of B, then for each of the 4 rows of A one load and 3 fused multiply-adds
 * into 12 vector accumulators. Blocks of 3 rows of B are the outer loop (they stay in L1 while
 * every row of A passes by, A staying in L2). Each accumulator's lanes are then added from lane 0
 * up (never {@code reduceLanes}, whose order may change with JIT compilation, see
 * {@code PanamaVectorOps.sumLanes}), then the depths past the last whole vector, in order. Every
 * element of C is one such sum computed by one thread, so the result does not depend on the
 * thread count or on scheduling.
 */
final class DotGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of A per register tile. */
    static final int MA = 4;
    /** Rows of B per register tile. */
    static final int NB = 3;
    /**
     * Most rows of A served. Measured on the AVX2 host against the packed GEMM, {@code m × 128 × 1024}:
     * m = 1, 9 against 110 µs; 8, 60 against 132; 16, 122 against 151; 32, 238 against 212; 64,
     * 483 against 319. This kernel re-reads A for every 3 rows of B and runs at 35 GF/s; past a few
     * rows the packed GEMM's 16-column panels reuse A better than its transposition of B costs.
     */
    static final int MAX_M = 8;
    /** Shallowest product served: the lanes' final sum must be small next to the depth. */
    static final int MIN_K = 64;
    /** Blocks of rows of B per part when the product is spread over threads. */
    private static final int PARTS_PER_THREAD = 4;
    /** Fewer multiply-adds than this run on the calling thread alone. */
    private static final long PARALLEL_MIN = 64L * 64 * 64;

    /**
     * {@code -Dweightnorm4j.dotgemm=false} sends these products back to the packed GEMM, whose
     * sums are ordered differently: for resuming a run started before this class existed bit-identically
     * (docs/RELIABILITY.md).
     */
    static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("weightnorm4j.dotgemm", "true"));

    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[MA * NB * L]);
    private static final ThreadLocal<Job> JOBS = ThreadLocal.withInitial(Job::new);

    private DotGemm() {
    }

    /** Largest A served, in floats: A is read again for every block of rows of B, so it must stay in L2 (256 KiB). */
    static final long MAX_A = 1 << 16;

    /**
     * Whether {@code op(A) · op(B)} of this shape is served here: A untransposed and B transposed,
     * at most {@link #MAX_M} rows of A, a depth of at least {@link #MIN_K}, A at most {@link #MAX_A} floats.
     */
    static boolean serves(boolean transA, boolean transB, int m, int k) {
        return ENABLED && !transA && transB && m <= MAX_M && k >= MIN_K && (long) m * k <= MAX_A;
    }

    /** {@code C[i][j] (+)= Σ_p A[i][p] · B[j][p]}, i &lt; m, j &lt; n, p &lt; k. */
    static void gemm(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        int blocks = (n + NB - 1) / NB;
        int threads = Parallel.threads();
        if (threads == 1 || blocks < 2 || (long) m * n * k < PARALLEL_MIN || Parallel.insideParallel()) {
            rowsOfB(0, n, m, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        Job job = JOBS.get();
        job.set(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, Math.min(blocks, PARTS_PER_THREAD * threads));
        try {
            Parallel.run(job.parts, job);
        } finally {
            job.clear();
        }
    }

    /** Columns {@code [j0, j1)} of C (rows of B), every row of A. */
    private static void rowsOfB(int j0, int j1, int m, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float[] c, int cOff, int ldc, boolean accumulate) {
        float[] lanes = LANES.get();
        int kv = k / L * L;
        int mFull = m / MA * MA;
        int j = j0;
        for (; j + NB <= j1; j += NB) {
            int b0 = bOff + j * ldb;
            for (int i = 0; i < mFull; i += MA) {
                tile4x3(kv, a, aOff + i * lda, lda, b, b0, ldb, lanes);
                finish(lanes, MA, NB, kv, k, a, aOff + i * lda, lda, b, b0, ldb, c, cOff + i * ldc + j, ldc, accumulate);
            }
            for (int i = mFull; i < m; i++) {
                tile1x3(kv, a, aOff + i * lda, b, b0, ldb, lanes);
                finish(lanes, 1, NB, kv, k, a, aOff + i * lda, lda, b, b0, ldb, c, cOff + i * ldc + j, ldc, accumulate);
            }
        }
        for (; j < j1; j++) {
            int b0 = bOff + j * ldb;
            for (int i = 0; i < m; i++) {
                tile1x1(kv, a, aOff + i * lda, b, b0, lanes);
                finish(lanes, 1, 1, kv, k, a, aOff + i * lda, lda, b, b0, ldb, c, cOff + i * ldc + j, ldc, accumulate);
            }
        }
    }

    /**
     * Writes (or adds into) the {@code rows × cols} block of C from the tile's lane sums in
     * {@code lanes} ({@code [row][col][lane]}): lanes from 0 up, then the depths {@code [kv, k)}.
     */
    private static void finish(float[] lanes, int rows, int cols, int kv, int k, float[] a, int aRow, int lda,
                               float[] b, int bRow, int ldb, float[] c, int cIdx, int ldc, boolean accumulate) {
        for (int r = 0; r < rows; r++) {
            for (int q = 0; q < cols; q++) {
                int at = (r * cols + q) * L;
                float s = 0;
                for (int lane = 0; lane < L; lane++) {
                    s += lanes[at + lane];
                }
                int ai = aRow + r * lda, bi = bRow + q * ldb;
                for (int p = kv; p < k; p++) {
                    s = Math.fma(a[ai + p], b[bi + p], s);
                }
                int ci = cIdx + r * ldc + q;
                c[ci] = accumulate ? c[ci] + s : s;
            }
        }
    }

    private static void tile4x3(int kv, float[] a, int a0, int lda, float[] b, int b0, int ldb, float[] lanes) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S);
        int a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        int b1 = b0 + ldb, b2 = b1 + ldb;
        for (int p = 0; p < kv; p += L) {
            FloatVector w0 = FloatVector.fromArray(S, b, b0 + p);
            FloatVector w1 = FloatVector.fromArray(S, b, b1 + p);
            FloatVector w2 = FloatVector.fromArray(S, b, b2 + p);
            FloatVector x = FloatVector.fromArray(S, a, a0 + p);
            c00 = x.fma(w0, c00);
            c01 = x.fma(w1, c01);
            c02 = x.fma(w2, c02);
            x = FloatVector.fromArray(S, a, a1 + p);
            c10 = x.fma(w0, c10);
            c11 = x.fma(w1, c11);
            c12 = x.fma(w2, c12);
            x = FloatVector.fromArray(S, a, a2 + p);
            c20 = x.fma(w0, c20);
            c21 = x.fma(w1, c21);
            c22 = x.fma(w2, c22);
            x = FloatVector.fromArray(S, a, a3 + p);
            c30 = x.fma(w0, c30);
            c31 = x.fma(w1, c31);
            c32 = x.fma(w2, c32);
        }
        c00.intoArray(lanes, 0);
        c01.intoArray(lanes, L);
        c02.intoArray(lanes, 2 * L);
        c10.intoArray(lanes, 3 * L);
        c11.intoArray(lanes, 4 * L);
        c12.intoArray(lanes, 5 * L);
        c20.intoArray(lanes, 6 * L);
        c21.intoArray(lanes, 7 * L);
        c22.intoArray(lanes, 8 * L);
        c30.intoArray(lanes, 9 * L);
        c31.intoArray(lanes, 10 * L);
        c32.intoArray(lanes, 11 * L);
    }

    private static void tile1x3(int kv, float[] a, int a0, float[] b, int b0, int ldb, float[] lanes) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S);
        int b1 = b0 + ldb, b2 = b1 + ldb;
        for (int p = 0; p < kv; p += L) {
            FloatVector x = FloatVector.fromArray(S, a, a0 + p);
            c0 = x.fma(FloatVector.fromArray(S, b, b0 + p), c0);
            c1 = x.fma(FloatVector.fromArray(S, b, b1 + p), c1);
            c2 = x.fma(FloatVector.fromArray(S, b, b2 + p), c2);
        }
        c0.intoArray(lanes, 0);
        c1.intoArray(lanes, L);
        c2.intoArray(lanes, 2 * L);
    }

    private static void tile1x1(int kv, float[] a, int a0, float[] b, int b0, float[] lanes) {
        FloatVector c0 = FloatVector.zero(S);
        for (int p = 0; p < kv; p += L) {
            c0 = FloatVector.fromArray(S, a, a0 + p).fma(FloatVector.fromArray(S, b, b0 + p), c0);
        }
        c0.intoArray(lanes, 0);
    }

    /** One threaded call: parts are contiguous runs of whole blocks of NB rows of B. Reused per calling thread. */
    private static final class Job implements IntConsumer {
        int m, n, k, aOff, lda, bOff, ldb, cOff, ldc, parts;
        boolean accumulate;
        float[] a, b, c;

        void set(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                 float[] c, int cOff, int ldc, boolean accumulate, int parts) {
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
            this.accumulate = accumulate;
            this.parts = parts;
        }

        void clear() {
            a = null;
            b = null;
            c = null;
        }

        @Override
        public void accept(int part) {
            int blocks = (n + NB - 1) / NB;
            int j0 = (int) ((long) part * blocks / parts) * NB;
            int j1 = Math.min(n, (int) ((long) (part + 1) * blocks / parts) * NB);
            rowsOfB(j0, j1, m, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        }
    }
}
