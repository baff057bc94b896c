package org.weightnorm4j.tensor;

import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 GEMM on the Vector API ({@code jdk.incubator.vector}); the only GEMM class that imports
 * it. {@link KernelProvider} loads this class only when the module is present.
 *
 * <p>The structure is the classic Goto/BLIS one. For each block of {@link #KC} depths and
 * {@link #NC} columns, the threads first copy ("pack") that block of {@code op(B)} into contiguous
 * panels of {@link #NR} columns, shared by all; then parts of at most {@link #MC} rows each pack
 * their rows of {@code op(A)} into panels of {@link #MR} rows (when C has few rows, the parts also
 * split the panels, and A is packed once, beside B) and run a register-tiled micro-kernel over
 * every MR × NR tile. The three block sizes come from the host's caches ({@link GemmBlocking}). Packing is where
 * the transposes happen, so the micro-kernel sees one layout for all four variants, and where
 * edges are zero-padded, so it never needs a tail case. On the single-thread path an untransposed
 * A is read in place instead ({@link #readableInPlace}); a last, partial block of its rows
 * repeats its last row. A short, deep {@code A · Bᵀ} (a dense layer's forward at a small batch) is
 * handed to {@link DotGemm}, which needs no packing; a taller one, whose B has more rows than A,
 * is computed as {@code Cᵀ = B · Aᵀ} on that path ({@link #transposesC}). Products smaller than {@link #SMALL}
 * multiply-adds, and calls made from inside a parallel part (a convolution that runs one GEMM per
 * image on each thread), run on the calling thread alone.
 *
 * <p>The micro-kernel keeps the 8 × 2 vector tile of C (6 × 2 where the CPU has only 16 vector
 * registers) in vector accumulators and updates them with one broadcast of A per row and two
 * loads of B per step of k. It writes the tile to
 * a small scratch array and a separate method merges the valid part into C. That keeps the
 * micro-kernel small enough for C2 to inline every Vector API call into it: if it does not, the
 * accumulators are boxed and the kernel runs ten times slower.
 *
 * <p>Every element of C is computed by exactly one thread, summing over k in the same order
 * whatever the thread count, so results do not depend on threads or scheduling. Work buffers
 * (per thread for A, per calling thread for the shared B) are kept and reused, so a call
 * allocates nothing in the steady state.
 */
final class PanamaGemm implements GemmKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /**
     * Rows of the register tile: 8 with 32 vector registers (AVX-512: 16 accumulators, 2 of B, 1
     * broadcast), 6 with 16 (AVX2: 12 + 2 + 1; 8 rows spill, measured at 60 against 105 GFLOP/s per
     * core with {@code -XX:UseAVX=2}; how the 6-row loop is written decides whether C2 keeps it in
     * registers in every JVM run: {@link #kernel6}).
     */
    static final int MR = S.vectorBitSize() >= 512 ? 8 : 6;
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * L;
    /**
     * The block sizes for this host: from its cache sizes, or {@value GemmBlocking#PROPERTY}
     * ({@link GemmBlocking}, docs/KERNELS.md). Constants for the JIT once the class is loaded.
     */
    static final GemmBlocking BLOCKING = GemmBlocking.choose(HostInfo.current(), MR, NR);
    /** Depth of a packed block: B's micro-panel of KC × NR and A's of MR × KC share L1. */
    static final int KC = BLOCKING.kc();
    /** Rows of A packed at once (a multiple of MR): the packed MC × KC block of A fills half of L2. */
    static final int MC = BLOCKING.mc();
    /** Columns of B packed at once (a multiple of NR): the packed KC × NC block of B stays in L3. */
    static final int NC = BLOCKING.nc();
    /** The shallowest product whose untransposed A is read in place ({@link #readableInPlace}). */
    static final int IN_PLACE_MIN_DEPTH = 64;
    /**
     * Costs of {@link #transposesC}'s model, in the micro-kernel's multiply-adds (about 0.01 ns each
     * at 190 GFLOP/s): packing one element of a transposed operand, merging one element of C, and
     * merging one transposed. Fitted on Zen 5 to eleven products (docs/KERNELS.md, "A product
     * computed transposed"): of the six it swaps, five ran 1.10-1.69× faster swapped and one 2%
     * slower; of the five it leaves, four ran 1.2-1.7× slower swapped and one 2% faster.
     */
    private static final double PACKED_TRANSPOSED_COST = 30, MERGED_COST = 10, MERGED_TRANSPOSED_COST = 65;
    /** Swapped only when the model expects it 5% faster: near a tie, the straight path is the measured one. */
    private static final double SWAP_MARGIN = 0.95;
    /** Below this many multiply-adds one thread does the whole product. */
    static final long SMALL = 64L * 64 * 64;
    /** Depths per strip when packing a transposed B: a strip of a panel (at most 64 × 32 floats) stays in L1. */
    private static final int PACK_STRIP = 64;

    /**
     * Upper bound, in milliseconds, on the warm-up of {@link #kernel6} when the first instance is
     * made ({@link #warmKernelOnDeepProducts}); 0 turns it off.
     */
    static final String WARM_PROPERTY = "weightnorm4j.gemm.warmMillis";
    static final int WARM_MILLIS = Integer.getInteger(WARM_PROPERTY, 3000);
    /** Depth of the short calls that tell the compiled kernel from the profiled one. */
    private static final int SHORT_PROBE = 16;

    PanamaGemm() {
        if (MR == 6 && WARM_MILLIS > 0) {
            DeepWarmUp.done();
        }
    }

    /** Holder whose initialisation warms the kernel once per JVM, after this class is initialised. */
    private static final class DeepWarmUp {
        static {
            warmKernelOnDeepProducts(WARM_MILLIS);
        }

        static void done() {
        }
    }

    /**
     * Runs {@link #kernel6} on 1024-deep products until C2 has compiled it (or {@code millis}
     * have passed), and returns the rounds it ran. Why: C2 lays out the kernel's registers from
     * the profile it compiles from, and from the profile of the shallow products many callers
     * start with (the cnn's 9-deep first layer and Winograd products, the DQN's batch-deep weight
     * gradients) it kept two accumulators on the stack in about half the JVM runs, making every
     * GEMM of the run 1.6-1.9× slower (docs/KERNELS.md, "The warm-up that removes it"). Compiled
     * from deep products only, the loop kept all twelve in registers in every run checked. The
     * warm-up must last until the compiled code is installed: the compiler reads the profile when
     * it starts, and a caller's shallow products made meanwhile would be in it. Four 16-deep calls
     * after each round tell when: they run in microseconds only once the compiled code is entered
     * (deep calls turn fast earlier, by on-stack replacement of the running loop). The kernel is
     * not recompiled later (its loop has no branch that a shallow call takes for the first time).
     * Results never depend on this.
     */
    static int warmKernelOnDeepProducts(int millis) {
        int depth = 1024;
        float[] ap = new float[6 * depth];
        float[] bp = new float[NR * depth];
        float[] tile = new float[6 * NR];
        long deadline = System.nanoTime() + millis * 1_000_000L;
        int fastProbes = 0;
        int rounds = 0;
        while (fastProbes < 3 && System.nanoTime() < deadline) {
            for (int i = 0; i < 50; i++) {
                kernel6(depth, ap, 0, bp, 0, tile);
            }
            long t = System.nanoTime();
            for (int i = 0; i < 4; i++) {
                kernel6(SHORT_PROBE, ap, 0, bp, 0, tile);
            }
            fastProbes = System.nanoTime() - t < 5_000 ? fastProbes + 1 : 0;
            rounds++;
        }
        return rounds;
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);
    private static final ThreadLocal<Job> JOBS = ThreadLocal.withInitial(Job::new);

    /** Width of the preferred float vector on this CPU; {@link KernelProvider} asks it reflectively. */
    static int preferredVectorBits() {
        return S.vectorBitSize();
    }

    @Override
    public String name() {
        return "panama-" + S.vectorBitSize();
    }

    @Override
    public GemmBlocking blocking() {
        return BLOCKING;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return;
        }
        if (DotGemm.serves(transA, transB, m, k)) {
            DotGemm.gemm(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);   // a small batch times a weightᵀ
            return;
        }
        int threads = Parallel.threads();
        if (threads == 1 || (long) m * n * k < SMALL || Parallel.insideParallel()) {
            if (transposesC(transA, transB, m, n, k, ldb)) {
                sequentialTransposedC(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            } else {
                sequential(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            }
            return;
        }
        threaded(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, threads, null, 0);
    }

    /**
     * Whether {@code A · Bᵀ} is better computed as its transpose {@code Cᵀ = B · Aᵀ}: a dense
     * layer's forward ({@code x · Wᵀ}, x of a batch's rows) whose weight B has several times the
     * rows of A. Straight, the product packs all of Bᵀ, a transpose of the whole weight (in the
     * mlp's 128 x 784 x 512 forward, a fifth of the product's time: 700 against 560 µs on Zen 5);
     * swapped, it reads the weight in place as the A operand and packs the batch's transpose, a
     * quarter the size, but merges each tile transposed. A cost model of the two decides. The bits
     * are the same either way: each element of C is the same sum of the same products in the same
     * order (a fused multiply-add rounds {@code a·b + c} and {@code b·a + c} alike).
     */
    static boolean transposesC(boolean transA, boolean transB, int m, int n, int k, int ldb) {
        if (transA || !transB || !readableInPlace(k, ldb)) {
            return false;
        }
        double straight = tiledWork(m, n, k) + PACKED_TRANSPOSED_COST * n * k + MERGED_COST * m * n;
        double swapped = tiledWork(n, m, k) + PACKED_TRANSPOSED_COST * m * k + MERGED_TRANSPOSED_COST * m * n;
        return swapped < SWAP_MARGIN * straight;
    }

    /** Multiply-adds the micro-kernel runs for an {@code m × n × k} product, padded tiles included. */
    private static double tiledWork(int m, int n, int k) {
        return (double) k * paddedRows(m) * ((n + NR - 1) / NR * NR);
    }

    /**
     * {@code C = A · Bᵀ} computed as {@code Cᵀ = B · Aᵀ} ({@link #transposesC}) on the calling
     * thread: B's rows read in place as the product's A, A packed as its transposed B, and each
     * tile of {@code Cᵀ} written into C transposed.
     */
    private static void sequentialTransposedC(int m, int n, int k, float[] a, int aOff, int lda,
                                              float[] b, int bOff, int ldb,
                                              float[] c, int cOff, int ldc, boolean accumulate) {
        sequential(false, n, k, b, bOff, ldb, null, true, m, a, aOff, lda, c, cOff, ldc, accumulate, null, 0, null, true);
    }

    /** The product spread over the pool: B packed by all threads, then blocks of rows and panels as parts. */
    private static void threaded(boolean transA, boolean transB, int m, int n, int k,
                                 float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                 float[] c, int cOff, int ldc, boolean accumulate, int threads,
                                 float[] rowBias, int biasOff) {
        threaded(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, threads,
                rowBias, biasOff, null);
    }

    /** As above, B's blocks taken from {@code packedB} when given (laid out by {@link #packB(boolean, int, int, float[], int, int, PackedB)}). */
    private static void threaded(boolean transA, boolean transB, int m, int n, int k,
                                 float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                 float[] c, int cOff, int ldc, boolean accumulate, int threads,
                                 float[] rowBias, int biasOff, PackedB packedB) {
        Job job = JOBS.get();
        job.set(transA, transB, m, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        job.packedB = packedB;
        job.rowBias = rowBias;
        job.biasOff = biasOff;
        try {
            for (int jc = 0; jc < n; jc += NC) {
                int nc = Math.min(NC, n - jc);
                for (int pc = 0; pc < k; pc += KC) {
                    job.block(jc, nc, pc, Math.min(KC, k - pc), accumulate || pc > 0, threads);
                    Parallel.run(job.packParts, job);                       // no parts when B and A come packed
                    job.computing = true;
                    Parallel.run(job.rowBlocks * job.colChunks, job);
                }
            }
        } finally {
            job.clear();
        }
    }

    /** The whole product on the calling thread, with this thread's buffers. */
    private static void sequential(boolean transA, boolean transB, int m, int n, int k,
                                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                   float[] c, int cOff, int ldc, boolean accumulate) {
        sequential(transA, m, k, a, aOff, lda, null, transB, n, b, bOff, ldb, c, cOff, ldc, accumulate, null, 0);
    }

    /**
     * The whole product on the calling thread: B packed block by block, A taken from
     * {@code packed} when given (laid out by {@link #packA(boolean, int, int, float[], int, int, PackedA)}),
     * else packed block by block into this thread's buffer.
     */
    private static void sequential(boolean transA, int m, int k, float[] a, int aOff, int lda, PackedA packed,
                                   boolean transB, int n, float[] b, int bOff, int ldb,
                                   float[] c, int cOff, int ldc, boolean accumulate, float[] rowBias, int biasOff) {
        sequential(transA, m, k, a, aOff, lda, packed, transB, n, b, bOff, ldb, c, cOff, ldc, accumulate, rowBias, biasOff,
                null, false);
    }

    /**
     * As above, B's blocks taken from {@code packedB} when given instead of packed here; with
     * {@code transposedC}, element {@code (i, j)} of the product is written to C's {@code (j, i)}
     * ({@link #sequentialTransposedC}).
     */
    private static void sequential(boolean transA, int m, int k, float[] a, int aOff, int lda, PackedA packed,
                                   boolean transB, int n, float[] b, int bOff, int ldb,
                                   float[] c, int cOff, int ldc, boolean accumulate, float[] rowBias, int biasOff,
                                   PackedB packedB, boolean transposedC) {
        Buffers buf = BUFFERS.get();
        float[] bp = packedB != null ? null : buf.packedB(Math.min(k, KC), Math.min(n, NC));
        int mPadded = paddedRows(m);
        boolean aInPlace = packed == null && !transA && readableInPlace(k, lda);
        Operands op = buf.operands;
        op.transposedC = transposedC;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                if (packedB == null) {
                    packB(transB, b, bOff, ldb, pc, kc, jc, nc, bp, 0);
                    op.bp = bp;
                } else {
                    op.bp = packedB.blockAt(jc, pc);
                }
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    if (aInPlace) {
                        op.aInPlace(a, aOff + ic * lda + pc, lda);
                    } else if (packed == null) {
                        packA(transA, a, aOff, lda, ic, mc, pc, kc, buf.a, 0);
                        op.aPacked(buf.a, 0, kc);
                    } else {
                        op.aPacked(packed.packed, pc * mPadded + ic * kc, kc);
                    }
                    op.rowBias = accumulate || pc > 0 ? null : rowBias;    // added once, with the first depth block
                    op.biasOff = biasOff + ic;
                    int cBlock = transposedC ? cOff + jc * ldc + ic : cOff + jc + ic * ldc;
                    macroKernel(op, mc, kc, 0, nc, nc, c, cBlock, ldc, accumulate || pc > 0, buf);
                }
            }
        }
        op.clear();
    }

    /**
     * Whether the micro-kernel may read an untransposed A where it lies instead of packing it.
     * Packing costs a pass over A, and for the backward-filter products of a convolution (a
     * 576 x 784 column matrix times 64 filters, whose packed rows serve only two panels of B) that
     * pass was 20-30% of the product. Not worth it for a shallow product, whose panels are too
     * short to amortise the strided start, nor with rows a multiple of 4 KiB apart, whose lines
     * would all fall into the same few cache sets. Only with the 8-row tile (AVX-512), the one
     * measured. (Reading an untransposed B in place was
     * measured too, and lost 3-6% on the convolutions' forward products: B's panels are read once
     * per block of A's rows, and packed they are contiguous.)
     */
    private static boolean readableInPlace(int k, int ld) {
        return MR == 8 && k >= IN_PLACE_MIN_DEPTH && ld % 1024 != 0;
    }

    /**
     * Lays out all of op(A) as {@link #sequential} packs it block by block: for the depth block
     * starting at {@code pc}, the panels of MR rows from {@code pc · mPadded}, rows {@code [i, i+MR)}
     * at {@code pc · mPadded + i · kc}. So the block {@code (ic, pc)} that {@link #macroKernel}
     * reads starts at {@code pc · mPadded + ic · kc}.
     */
    @Override
    public void packA(boolean transA, int m, int k, float[] a, int aOff, int lda, PackedA into) {
        into.set(transA, m, k, a, aOff, lda);
        if (m == 0 || k == 0) {
            return;
        }
        int mPadded = paddedRows(m);
        int size = mPadded * k;
        if (into.packed.length < size) {
            into.packed = new float[size];
        }
        for (int pc = 0; pc < k; pc += KC) {
            packA(transA, a, aOff, lda, 0, m, pc, Math.min(KC, k - pc), into.packed, pc * mPadded);
        }
        into.isPacked = true;
    }

    @Override
    public void gemmPackedA(PackedA a, boolean transB, int n, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        int m = a.m, k = a.k;
        boolean oneThread = Parallel.threads() == 1 || (long) m * n * k < SMALL || Parallel.insideParallel();
        if (!a.isPacked || !oneThread || n == 0 || DotGemm.serves(a.transA, transB, m, k)) {
            // The threaded path packs its own row blocks, DotGemm reads A in place; the result is the same either way.
            gemm(a.transA, transB, m, n, k, a.a, a.aOff, a.lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        sequential(a.transA, m, k, a.a, a.aOff, a.lda, a, transB, n, b, bOff, ldb, c, cOff, ldc, accumulate, null, 0);
    }

    /** The bias is added in {@link #merge} as each tile of C is first written. */
    @Override
    public void gemmPackedAWithRowBias(PackedA a, boolean transB, int n, float[] b, int bOff, int ldb,
                                       float[] c, int cOff, int ldc, float[] rowBias, int biasOff) {
        int m = a.m, k = a.k;
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, rowBias[biasOff + i]);
            }
            return;
        }
        int threads = Parallel.threads();
        boolean oneThread = threads == 1 || (long) m * n * k < SMALL || Parallel.insideParallel();
        if (oneThread) {
            sequential(a.transA, m, k, a.a, a.aOff, a.lda, a.isPacked ? a : null, transB, n, b, bOff, ldb,
                    c, cOff, ldc, false, rowBias, biasOff);
        } else {
            threaded(a.transA, transB, m, n, k, a.a, a.aOff, a.lda, b, bOff, ldb, c, cOff, ldc, false, threads,
                    rowBias, biasOff);
        }
    }

    /**
     * Lays out all of op(B) as {@link #sequential} and {@link #threaded} pack it block by block:
     * one array per block of NC columns and KC depths, in NR-column panels, so that every product
     * of the pass reads the same bits those paths would have packed.
     */
    @Override
    public void packB(boolean transB, int k, int n, float[] b, int bOff, int ldb, PackedB into) {
        into.set(transB, k, n, b, bOff, ldb);
        if (k == 0 || n == 0) {
            return;
        }
        into.blockCols = NC;
        into.blockDepth = KC;
        into.depthBlocks = (k + KC - 1) / KC;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int panelCols = (nc + NR - 1) / NR * NR;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float[] block = into.block(jc / NC * into.depthBlocks + pc / KC, kc * panelCols);
                packB(transB, b, bOff, ldb, pc, kc, jc, nc, block, 0);
            }
        }
        into.isPacked = true;
    }

    /**
     * Takes the path {@link #gemm} would (one thread or the pool, by the same test) with B's
     * packing skipped, so the bits are {@link #gemm}'s. Any path of {@link #gemm} that does not
     * pack B must be excluded here too, by the same condition.
     */
    @Override
    public void gemmPackedB(boolean transA, int m, float[] a, int aOff, int lda, PackedB b,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        int n = b.n, k = b.k;
        if (!b.isPacked || m == 0 || DotGemm.serves(transA, b.transB, m, k)) {
            // DotGemm reads B in place (few rows of A): gemm's own path, for gemm's bits.
            gemm(transA, b.transB, m, n, k, a, aOff, lda, b.b, b.bOff, b.ldb, c, cOff, ldc, accumulate);
            return;
        }
        int threads = Parallel.threads();
        if (threads == 1 || (long) m * n * k < SMALL || Parallel.insideParallel()) {
            sequential(transA, m, k, a, aOff, lda, null, b.transB, n, b.b, b.bOff, b.ldb, c, cOff, ldc, accumulate,
                    null, 0, b, false);
            return;
        }
        threaded(transA, b.transB, m, n, k, a, aOff, lda, b.b, b.bOff, b.ldb, c, cOff, ldc, accumulate, threads,
                null, 0, b);
    }

    /**
     * Where part {@code part} of {@code parts} starts when {@code items} are split into parts whose
     * sizes differ by one at most ({@code items} for {@code part = parts}).
     */
    static int evenSplit(int part, int items, int parts) {
        return (int) ((long) part * items / parts);
    }

    /** Rows of op(A) rounded up to whole MR-row panels. */
    private static int paddedRows(int m) {
        return (m + MR - 1) / MR * MR;
    }

    /**
     * Multiplies the block of A described by {@code op} ({@code mc} rows, depth {@code kc}) by the
     * packed B panels covering block columns {@code [jFrom, jTo)} (multiples of NR, except
     * {@code jTo = nc}), writing or adding into C, whose block starts at {@code cBlock} (the row
     * of the first row of A's block, the first column of the depth block).
     */
    private static void macroKernel(Operands op, int mc, int kc, int jFrom, int jTo, int nc,
                                    float[] c, int cBlock, int ldc, boolean add, Buffers buf) {
        float[] tile = buf.tile;
        for (int jr = jFrom; jr < jTo; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int bPanel = jr * kc;
            for (int ir = 0; ir < mc; ir += MR) {
                int rows = Math.min(MR, mc - ir);
                int aPanel = op.aOff + ir * op.aPanelStep;
                if (op.inPlace) {
                    kernel8InPlace(kc, op.a, aPanel, op.aPanelStep, rows, op.bp, bPanel, tile);
                } else if (MR == 8) {
                    kernel8(kc, op.a, aPanel, op.bp, bPanel, tile);
                } else {
                    kernel6(kc, op.a, aPanel, op.bp, bPanel, tile);
                }
                if (op.transposedC) {
                    mergeTransposed(tile, rows, nr, c, cBlock + jr * ldc + ir, ldc, add);
                } else {
                    merge(tile, rows, nr, c, cBlock + ir * ldc + jr, ldc, add, op.rowBias, op.biasOff + ir);
                }
            }
        }
    }

    /**
     * The micro-kernel for MR = 8: {@code tile[MR][NR] = sum over p < kc of ap[p][r] * bp[p][j]},
     * where the packed panels hold MR values of A and NR values of B per step of p.
     */
    private static void kernel8(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, bp, bIdx + L);
            FloatVector x = FloatVector.broadcast(S, ap[aIdx]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[aIdx + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[aIdx + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[aIdx + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[aIdx + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[aIdx + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, ap[aIdx + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, ap[aIdx + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
            aIdx += 8;
            bIdx += NR;
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
    }

    /**
     * The micro-kernel for MR = 6 (16 vector registers); same contract as {@link #kernel8}. Twelve
     * accumulators, two vectors of B and one broadcast of A at a time: 15 registers, and four
     * chains of FMAs more than the FMA latency needs (4 cycles on 2 pipes on Zen 3 and Intel
     * cores), so one late load does not stall both pipes as it could with 4 rows' eight.
     *
     * <p>The loop's shape is what keeps it in registers and short. B's index is the loop
     * variable and A's a second one stepped by 6: C2 hoists B's bounds checks, keeps two compares
     * for A, and compiles a step into 32 instructions (12 FMAs, 8 loads) with no stack access.
     * Tried and dropped (docs/KERNELS.md, "The slow mode"): both indices stepped beside a
     * counter (the 6-row kernel until 2026-12-07) spilled two accumulators in about one JVM run
     * in two; indices computed from the counter ({@code aIdx + 6p}, which C2 turns into shifts
     * and adds before it looks for bounds checks to hoist) took 42 instructions; two steps per
     * iteration let C2 load the broadcasts of both steps first and spilled (again in 3 of 3 JVMs
     * with the kernel compiled from deep calls only, as {@link #warmKernelOnDeepProducts} does).
     * Check a change here with {@code scripts/gemm-spill-check.py --method kernel6} over many JVMs.
     *
     * <p>The loop is not where the product loses against OpenBLAS: fed from L2 it runs at
     * 95-98% of the core's FMA bound; the product's remaining 15-20% go to feeding it (B's next
     * panel, A's block larger than L2, C's lines at the merge, packing), which OpenBLAS hides with
     * prefetch instructions Java cannot emit (docs/KERNELS.md, "The ceiling").
     */
    private static void kernel6(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        int ai = aIdx;
        int bEnd = bIdx + kc * NR;
        for (int bi = bIdx; bi < bEnd; bi += NR, ai += 6) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector x;
            x = FloatVector.broadcast(S, ap[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        c00.intoArray(tile, 0 * NR);
        c01.intoArray(tile, 0 * NR + L);
        c10.intoArray(tile, 1 * NR);
        c11.intoArray(tile, 1 * NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
    }

    /**
     * {@link #kernel8} reading A in place ({@link #readableInPlace}): row r of the block starts at
     * {@code a[aIdx + r·lda]}. Rows from {@code rows} on repeat the last one, so the read never
     * runs past A; the merge drops them. A separate method because a kernel with A's two steps
     * as parameters ran 5-8% slower on packed operands.
     */
    private static void kernel8InPlace(int kc, float[] a, int aIdx, int lda, int rows,
                                float[] bp, int bIdx, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        int a0 = aIdx;
        int a1 = aIdx + Math.min(1, rows - 1) * lda;
        int a2 = aIdx + Math.min(2, rows - 1) * lda;
        int a3 = aIdx + Math.min(3, rows - 1) * lda;
        int a4 = aIdx + Math.min(4, rows - 1) * lda;
        int a5 = aIdx + Math.min(5, rows - 1) * lda;
        int a6 = aIdx + Math.min(6, rows - 1) * lda;
        int a7 = aIdx + Math.min(7, rows - 1) * lda;
        for (int p = 0; p < kc; p++, bIdx += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, bp, bIdx + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[a4 + p]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[a5 + p]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[a6 + p]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[a7 + p]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
    }

    /**
     * Writes (or adds, when {@code add}) the top-left {@code mr × nr} of the tile into C; when
     * writing with a {@code rowBias}, row r gets {@code rowBias[biasIdx + r]} added.
     */
    private static void merge(float[] tile, int mr, int nr, float[] c, int cIdx, int ldc, boolean add,
                              float[] rowBias, int biasIdx) {
        if (nr == NR) {
            for (int r = 0; r < mr; r++, cIdx += ldc) {
                FloatVector t0 = FloatVector.fromArray(S, tile, r * NR);
                FloatVector t1 = FloatVector.fromArray(S, tile, r * NR + L);
                if (add) {
                    t0 = t0.add(FloatVector.fromArray(S, c, cIdx));
                    t1 = t1.add(FloatVector.fromArray(S, c, cIdx + L));
                } else if (rowBias != null) {
                    float bias = rowBias[biasIdx + r];
                    t0 = t0.add(bias);
                    t1 = t1.add(bias);
                }
                t0.intoArray(c, cIdx);
                t1.intoArray(c, cIdx + L);
            }
            return;
        }
        for (int r = 0; r < mr; r++, cIdx += ldc) {
            int t = r * NR;
            if (add) {
                for (int j = 0; j < nr; j++) {
                    c[cIdx + j] += tile[t + j];
                }
            } else if (rowBias != null) {
                float bias = rowBias[biasIdx + r];
                for (int j = 0; j < nr; j++) {
                    c[cIdx + j] = tile[t + j] + bias;
                }
            } else {
                System.arraycopy(tile, t, c, cIdx, nr);
            }
        }
    }

    /**
     * {@link #merge} for a product computed transposed ({@link #sequentialTransposedC}): element
     * {@code (r, j)} of the tile goes to {@code c[cIdx + j·ldc + r]}. Scalar: about 45 µs of the mlp's
     * 560 µs first forward on Zen 5. Reading each column with an 8-lane gather took 20 µs less in a
     * micro-benchmark, but in training the gather was not intrinsified and allocated 8 MB a step.
     */
    private static void mergeTransposed(float[] tile, int mr, int nr, float[] c, int cIdx, int ldc, boolean add) {
        for (int j = 0; j < nr; j++, cIdx += ldc) {
            if (add) {
                for (int r = 0; r < mr; r++) {
                    c[cIdx + r] += tile[r * NR + j];
                }
            } else {
                for (int r = 0; r < mr; r++) {
                    c[cIdx + r] = tile[r * NR + j];
                }
            }
        }
    }

    /**
     * Packs rows {@code [i0, i0+mc)} and depths {@code [p0, p0+kc)} of op(A) into panels of MR rows:
     * {@code ap[apOff + panel*MR*kc + p*MR + r] = op(A)[i0 + panel*MR + r][p0 + p]}, zero past the last row.
     */
    private static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc,
                              float[] ap, int apOff) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int dst = apOff + ir * kc;
            if (transA) {
                // A is stored k × m: the MR values of one step p are contiguous.
                int src = aOff + p0 * lda + i0 + ir;
                for (int p = 0; p < kc; p++, src += lda, dst += MR) {
                    System.arraycopy(a, src, ap, dst, mr);
                    for (int r = mr; r < MR; r++) {
                        ap[dst + r] = 0f;
                    }
                }
            } else {
                for (int r = 0; r < mr; r++) {
                    int src = aOff + (i0 + ir + r) * lda + p0;
                    int d = dst + r;
                    for (int p = 0; p < kc; p++, d += MR) {
                        ap[d] = a[src + p];
                    }
                }
                for (int r = mr; r < MR; r++) {
                    int d = dst + r;
                    for (int p = 0; p < kc; p++, d += MR) {
                        ap[d] = 0f;
                    }
                }
            }
        }
    }

    /**
     * Packs depths {@code [p0, p0+kc)} and columns {@code [j0, j0+nc)} of op(B) into panels of NR
     * columns: {@code bp[bpOff + panel*NR*kc + p*NR + j] = op(B)[p0 + p][j0 + panel*NR + j]}, zero
     * past the last column.
     */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                              float[] bp, int bpOff) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int dst = bpOff + jr * kc;
            if (!transB) {
                // B is stored k × n: the NR values of one step p are contiguous.
                int src = bOff + p0 * ldb + j0 + jr;
                if (nr == NR) {
                    for (int p = 0; p < kc; p++, src += ldb, dst += NR) {
                        FloatVector.fromArray(S, b, src).intoArray(bp, dst);
                        FloatVector.fromArray(S, b, src + L).intoArray(bp, dst + L);
                    }
                } else {
                    for (int p = 0; p < kc; p++, src += ldb, dst += NR) {
                        System.arraycopy(b, src, bp, dst, nr);
                        for (int j = nr; j < NR; j++) {
                            bp[dst + j] = 0f;
                        }
                    }
                }
            } else {
                // B stored n × k: a transpose, in strips of PACK_STRIP depths, so that the strip of the panel
                // being written stays in L1 while each column is read into it. Writing a whole column of the
                // panel at a time touched every line of it (kc × NR floats, more than L1) once per
                // column: packing the transposed weights of a DQN layer took as long as the product.
                for (int q = 0; q < kc; q += PACK_STRIP) {
                    int qEnd = Math.min(kc, q + PACK_STRIP);
                    for (int j = 0; j < nr; j++) {
                        int src = bOff + (j0 + jr + j) * ldb + p0;
                        int d = dst + q * NR + j;
                        for (int p = q; p < qEnd; p++, d += NR) {
                            bp[d] = b[src + p];
                        }
                    }
                }
                for (int j = nr; j < NR; j++) {
                    int d = dst + j;
                    for (int p = 0; p < kc; p++, d += NR) {
                        bp[d] = 0f;
                    }
                }
            }
        }
    }

    /**
     * Where the micro-kernel finds one block of A (packed by this class, or read in place:
     * {@link #readableInPlace}) and the packed panels of B. Kept per thread and refilled for every block, so
     * describing them allocates nothing.
     */
    private static final class Operands {
        float[] a;
        int aOff;
        /** A is read in place, row r of the block at {@code aOff + r·aPanelStep}; else packed. */
        boolean inPlace;
        /** Distance from one panel of MR rows to the next: kc packed, A's row length in place. */
        int aPanelStep;
        /** B's packed panels. */
        float[] bp;
        /** Added to each row of C as it is first written (null: none); row i of the block gets {@code rowBias[biasOff + i]}. */
        float[] rowBias;
        int biasOff;
        /** The product computes Cᵀ: tiles are written into C transposed ({@link #sequentialTransposedC}). */
        boolean transposedC;

        void aPacked(float[] packed, int off, int kc) {
            a = packed;
            aOff = off;
            inPlace = false;
            aPanelStep = kc;
        }

        void aInPlace(float[] matrix, int off, int lda) {
            a = matrix;
            aOff = off;
            inPlace = true;
            aPanelStep = lda;
        }

        /** Forgets the caller's matrices, so that a thread's buffers never keep them alive. */
        void clear() {
            a = null;
            bp = null;
            rowBias = null;
            transposedC = false;
        }
    }

    /**
     * One thread's packing buffers and register-tile scratch. B's buffer (up to 8 MiB) grows to the
     * largest block this thread has needed, so small products do not pay for it and repeated calls
     * allocate nothing.
     */
    private static final class Buffers {
        final float[] a = new float[MC * KC];
        final float[] tile = new float[MR * NR];
        final Operands operands = new Operands();
        private float[] b = new float[0];

        float[] packedB(int kc, int nc) {
            int needed = kc * ((nc + NR - 1) / NR) * NR;
            if (b.length < needed) {
                b = new float[needed];
            }
            return b;
        }
    }

    /**
     * One multithreaded call, reused per calling thread so a call allocates nothing. For each block
     * of depths and columns it runs two parallel phases: the threads pack B's panels into this
     * job's shared buffer, then each part multiplies one block of rows by one chunk of the panels.
     * Row blocks are of equal height (at most MC, whole MR-row panels), so no part is left with a
     * sliver. When C has too few rows to give every thread several blocks, the panels are split
     * into chunks too, and A's rows are then packed once, in the packing phase, into a second
     * shared buffer instead of once per chunk (the small products of a DQN or LSTM step, where that
     * repeated packing was a large share of the work). Parts are claimed dynamically, so a thread
     * slowed by other work takes fewer.
     */
    private static final class Job implements IntConsumer {
        /** Compute parts to aim for per thread: enough to even out threads that run at different speeds. */
        private static final int PARTS_PER_THREAD = 4;

        boolean transA, transB, add, computing;
        /** See {@link Operands#rowBias}; applied by the parts of the first depth block only. */
        float[] rowBias;
        int biasOff;
        int m, k, aOff, lda, bOff, ldb, cOff, ldc;
        int jc, nc, pc, kc, panels, packParts, packPartsB, rowPanels, rowBlocks, colChunks;
        /** Whether A's block is packed once into {@link #ap} in the packing phase, or by each part for itself. */
        boolean sharedA;
        float[] a, b, c;
        /** B prepacked for the whole product (null: packed here, block by block, into {@link #bp}). */
        PackedB packedB;
        /** The current block's panels of B: {@link #bp}, or the prepacked block. */
        private float[] panelsB;
        private float[] bp = new float[0];
        private float[] ap = new float[0];

        void set(boolean transA, boolean transB, int m, int k, float[] a, int aOff, int lda,
                 float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
            this.transA = transA;
            this.transB = transB;
            this.m = m;
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

        /** Prepares the packing phase of the block at columns {@code jc}, depths {@code pc}. */
        void block(int jc, int nc, int pc, int kc, boolean add, int threads) {
            this.jc = jc;
            this.nc = nc;
            this.pc = pc;
            this.kc = kc;
            this.add = add;
            this.computing = false;
            panels = (nc + NR - 1) / NR;
            if (packedB != null) {
                panelsB = packedB.blockAt(jc, pc);
                packPartsB = 0;
            } else {
                int needed = kc * panels * NR;
                if (bp.length < needed) {
                    bp = new float[needed];
                }
                panelsB = bp;
                packPartsB = Math.min(threads, panels);
            }
            // Parts are cut by whole panels and as evenly as whole panels allow: blocks of MC rows with
            // the remainder in a last, thin block left one thread idle at the end (1024 rows: 13 blocks
            // of 13 panels and one of 2, so at 2 threads one did 91 panels' work and the other 80).
            rowPanels = (m + MR - 1) / MR;
            rowBlocks = (rowPanels + MC / MR - 1) / (MC / MR);
            int wanted = PARTS_PER_THREAD * threads;
            colChunks = Math.max(1, Math.min(panels, (wanted + rowBlocks - 1) / rowBlocks));
            if (colChunks == 1) {
                // A whole number of equal parts per thread (27 blocks of 2048 rows at 2 threads: 14 against 13).
                rowBlocks = Math.min(rowPanels, (rowBlocks + threads - 1) / threads * threads);
            }
            sharedA = colChunks > 1;
            packParts = packPartsB;
            if (sharedA) {
                int aNeeded = paddedRows(m) * kc;
                if (ap.length < aNeeded) {
                    ap = new float[aNeeded];
                }
                packParts += rowBlocks;
            }
        }

        /**
         * First row of row block {@code block} (of {@link #rowBlocks}), {@code m} for
         * {@code block = rowBlocks}: blocks of whole MR-row panels, their sizes differing by one panel at most.
         */
        int rowStart(int block) {
            return Math.min(m, evenSplit(block, rowPanels, rowBlocks) * MR);
        }

        /** First panel of B of column chunk {@code chunk} (of {@link #colChunks}), as evenly split. */
        int panelStart(int chunk) {
            return evenSplit(chunk, panels, colChunks);
        }

        void clear() {
            a = null;
            b = null;
            c = null;
            rowBias = null;
            packedB = null;
            panelsB = null;
        }

        @Override
        public void accept(int part) {
            if (!computing) {
                if (part >= packPartsB) {
                    // Row block i of A, at ic·kc in the shared buffer (where packA's panels put them).
                    int block = part - packPartsB;
                    int ic = rowStart(block);
                    packA(transA, a, aOff, lda, ic, rowStart(block + 1) - ic, pc, kc, ap, ic * kc);
                    return;
                }
                int perPart = (panels + packPartsB - 1) / packPartsB;
                int from = part * perPart * NR;
                int to = Math.min(nc, (part + 1) * perPart * NR);
                if (from < to) {
                    packB(transB, b, bOff, ldb, pc, kc, jc + from, to - from, bp, from * kc);
                }
                return;
            }
            int block = part / colChunks;
            int ic = rowStart(block);
            int mc = rowStart(block + 1) - ic;
            int chunk = part % colChunks;
            int jFrom = panelStart(chunk) * NR;
            int jTo = Math.min(nc, panelStart(chunk + 1) * NR);
            Buffers buf = BUFFERS.get();
            Operands op = buf.operands;
            if (sharedA) {
                op.aPacked(ap, ic * kc, kc);
            } else {
                packA(transA, a, aOff, lda, ic, mc, pc, kc, buf.a, 0);
                op.aPacked(buf.a, 0, kc);
            }
            op.bp = panelsB;
            op.transposedC = false;
            op.rowBias = add ? null : rowBias;
            op.biasOff = biasOff + ic;
            macroKernel(op, mc, kc, jFrom, jTo, nc, c, cOff + jc + ic * ldc, ldc, add, buf);
            op.clear();
        }
    }
}
