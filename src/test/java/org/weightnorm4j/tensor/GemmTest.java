package org.weightnorm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.weightnorm4j.testing.RestoreThreads;

/**
 * Both float32 GEMMs against the double-precision {@link ReferenceKernels} over many shapes, the
 * four transpose variants, accumulate and overwrite, offsets and padded leading dimensions.
 *
 * <p>The tolerance is the textbook bound for a float dot product of length k computed in any
 * order: {@code |error| <= (k + 2) u (|c0| + sum_p |a_ip| |b_pj|)} with unit roundoff
 * {@code u = 2^-24} (the +2 covers the add into C and the final rounding).
 */
@ExtendWith(RestoreThreads.class)
class GemmTest {
    private static final double U = 0x1p-24;


    static List<GemmKernel> kernels() {
        return List.of(new PanamaGemm(), new ScalarGemm());
    }

    /** m, n, k triples: edge sizes around the register tile and the blocks, and a few large ones. */
    static Stream<Arguments> cases() {
        int[][] shapes = {
                {1, 1, 1}, {1, 7, 17}, {7, 1, 33}, {17, 33, 1}, {8, 32, 256}, {9, 33, 257},
                {33, 17, 7}, {64, 64, 64}, {65, 31, 100}, {1023, 17, 5}, {5, 1023, 9}, {7, 9, 1023},
                {130, 67, 300}, {300, 257, 520}, {20, 2100, 300}, {3, 2051, 2}, {45, 70, 2100},
                // every remainder of m modulo the AVX2 tile's 6 rows (and the AVX-512 tile's 8), with
                // ragged columns and odd depths: the last panel's zero rows and the partial merges
                {66, 47, 130}, {67, 18, 70}, {68, 100, 41}, {69, 33, 300}, {70, 15, 65}, {71, 49, 129},
                // A's rows 4 KiB apart: packed, not read in place (PanamaGemm.readableInPlace)
                {13, 100, 1024}, {20, 33, 1024},
                // shallow, with a small block of B (the DQN's weight gradient at batch 64, and ragged neighbours)
                {128, 1024, 64}, {127, 1025, 63},
                // A·Bᵀ with few rows of A (DotGemm): DQN's layers and acting row, ragged tiles, depth tails
                {1, 128, 1024}, {32, 128, 1024}, {64, 6, 128}, {17, 7, 1023}, {4, 3, 65}, {63, 5, 127}, {3, 4, 64},
                // A·Bᵀ with B much taller than A, computed as Cᵀ = B·Aᵀ on one thread (PanamaGemm.transposesC):
                // the mlp's forward, ragged tiles both ways, two depth blocks, just above DotGemm's rows
                {128, 512, 784}, {17, 700, 129}, {45, 1000, 1030}, {9, 300, 100},
        };
        List<Arguments> out = new ArrayList<>();
        long seed = 1;
        for (GemmKernel kernel : kernels()) {
            for (int[] s : shapes) {
                for (int variant = 0; variant < 4; variant++) {
                    boolean transA = (variant & 1) != 0, transB = (variant & 2) != 0;
                    boolean accumulate = (seed & 1) == 0;
                    out.add(Arguments.of(kernel, s[0], s[1], s[2], transA, transB, accumulate, seed++));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} m={1} n={2} k={3} transA={4} transB={5} accumulate={6}")
    @MethodSource("cases")
    void matchesTheDoubleReference(GemmKernel kernel, int m, int n, int k, boolean transA, boolean transB,
                                   boolean accumulate, long seed) {
        Problem p = new Problem(new SplittableRandom(seed), m, n, k, transA, transB);
        float[] c = p.c.clone();
        kernel.gemm(transA, transB, m, n, k, p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb, c, p.cOff, p.ldc, accumulate);
        p.check(kernel.name(), c, accumulate);
    }

    /** A prepacked left operand gives the product of the original, bit for bit, single- and multi-threaded. */
    @ParameterizedTest(name = "{0} m={1} n={2} k={3} transA={4} transB={5} accumulate={6}")
    @MethodSource("cases")
    void aPackedLeftOperandGivesTheSameBits(GemmKernel kernel, int m, int n, int k, boolean transA, boolean transB,
                                            boolean accumulate, long seed) {
        Problem p = new Problem(new SplittableRandom(seed), m, n, k, transA, transB);
        PackedA packed = new PackedA();
        kernel.packA(transA, m, k, p.a, p.aOff, p.lda, packed);
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            float[] expected = p.c.clone();
            kernel.gemm(transA, transB, m, n, k, p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb, expected, p.cOff, p.ldc, accumulate);
            float[] c = p.c.clone();
            kernel.gemmPackedA(packed, transB, n, p.b, p.bOff, p.ldb, c, p.cOff, p.ldc, accumulate);
            assertArrayEquals(expected, c, kernel.name() + " with " + threads + " threads");
        }
    }

    /**
     * {@code C = op(A)·op(B) + bias[i]} (a convolution's forward with its bias) against the double
     * reference, with C's old contents ignored, on one and two threads (and so on the sequential,
     * threaded and, for k > KC, split-depth paths).
     */
    @ParameterizedTest(name = "{0} m={1} n={2} k={3} transA={4} transB={5}")
    @MethodSource("cases")
    void aRowBiasIsAddedOnceToEveryColumn(GemmKernel kernel, int m, int n, int k, boolean transA, boolean transB,
                                          boolean accumulate, long seed) {
        Problem p = new Problem(new SplittableRandom(seed), m, n, k, transA, transB);
        SplittableRandom r = new SplittableRandom(seed + 1);
        float[] bias = new float[m + 3];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (float) (r.nextDouble() * 4 - 2);
        }
        int biasOff = (int) (seed % 3);
        for (int i = 0; i < m; i++) {
            java.util.Arrays.fill(p.c, p.cOff + i * p.ldc, p.cOff + i * p.ldc + n, bias[biasOff + i]);   // what C must end as, less the product
        }
        PackedA packed = new PackedA();
        kernel.packA(transA, m, k, p.a, p.aOff, p.lda, packed);
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            float[] c = p.c.clone();
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(c, p.cOff + i * p.ldc, p.cOff + i * p.ldc + n, Float.NaN);          // must be overwritten
            }
            kernel.gemmPackedAWithRowBias(packed, transB, n, p.b, p.bOff, p.ldb, c, p.cOff, p.ldc, bias, biasOff);
            p.check(kernel.name() + " with a row bias, " + threads + " threads", c, true);
        }
    }

    /** As a convolution uses it: one packing, then every parallel part multiplies it by its own B. */
    @Test
    void onePackedOperandServesParallelParts() {
        Parallel.setThreads(2);
        for (GemmKernel kernel : kernels()) {
            int parts = 6, m = 70, k = 1100;
            Problem[] problems = new Problem[parts];
            float[][] results = new float[parts][];
            for (int i = 0; i < parts; i++) {
                // The same A (and layout) in every problem; each gets its own B.
                problems[i] = new Problem(new SplittableRandom(700), m, 90, k, false, false);
                SplittableRandom r = new SplittableRandom(800 + i);
                for (int j = 0; j < problems[i].b.length; j++) {
                    problems[i].b[j] = (float) (r.nextDouble() * 2 - 1);
                }
                results[i] = problems[i].c.clone();
            }
            Problem shared = problems[0];
            PackedA packed = new PackedA();
            kernel.packA(false, m, k, shared.a, shared.aOff, shared.lda, packed);
            Parallel.run(parts, i -> {
                Problem p = problems[i];
                kernel.gemmPackedA(packed, p.transB, p.n, p.b, p.bOff, p.ldb, results[i], p.cOff, p.ldc, false);
            });
            for (int i = 0; i < parts; i++) {
                problems[i].check(kernel.name() + " part " + i, results[i], false);
            }
        }
    }

    /** The dot-product path (DotGemm) spreads blocks of B's rows over the threads: the same bits for any count. */
    @Test
    void smallBatchTimesTransposedWeightDoesNotDependOnTheThreadCount() {
        for (int[] s : new int[][] {{8, 128, 1024}, {7, 100, 300}, {1, 1000, 64}}) {
            assertTrue(DotGemm.serves(false, true, s[0], s[2]), "served by DotGemm: " + Arrays.toString(s));
            Problem p = new Problem(new SplittableRandom(s[1]), s[0], s[1], s[2], false, true);
            float[] first = null;
            for (int threads : new int[] {1, 2, 3}) {
                Parallel.setThreads(threads);
                float[] c = p.c.clone();
                new PanamaGemm().gemm(false, true, s[0], s[1], s[2], p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb, c, p.cOff, p.ldc, false);
                p.check("dot " + Arrays.toString(s), c, false);
                if (first == null) {
                    first = c;
                } else {
                    assertArrayEquals(first, c, Arrays.toString(s) + " with " + threads + " threads");
                }
            }
        }
    }

    /**
     * A batch times a taller transposed weight on one thread is computed as {@code Cᵀ = B·Aᵀ}
     * (PanamaGemm.transposesC) with the 8-row tile; the pool computes it straight. The same bits:
     * every element is the same sum in the same order, and a fused multiply-add is symmetric.
     */
    @Test
    void aProductComputedTransposedGivesTheBitsOfTheStraightOne() {
        Assumptions.assumeTrue(PanamaGemm.MR == 8, "the transposed path reads B in place, with the 8-row tile only");
        for (int[] s : new int[][] {{128, 512, 784}, {17, 700, 129}, {45, 1000, 1030}, {32, 2100, 70}, {9, 300, 100}}) {
            Problem p = new Problem(new SplittableRandom(s[1]), s[0], s[1], s[2], false, true);
            assertTrue(PanamaGemm.transposesC(false, true, s[0], s[1], s[2], p.ldb), "computed transposed: " + Arrays.toString(s));
            assertFalse(DotGemm.serves(false, true, s[0], s[2]), "not DotGemm's: " + Arrays.toString(s));
            for (boolean accumulate : new boolean[] {false, true}) {
                float[] first = null;
                for (int threads : new int[] {1, 2}) {
                    Parallel.setThreads(threads);
                    float[] c = p.c.clone();
                    new PanamaGemm().gemm(false, true, s[0], s[1], s[2], p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb, c, p.cOff,
                            p.ldc, accumulate);
                    p.check("transposed " + Arrays.toString(s), c, accumulate);
                    if (first == null) {
                        first = c;
                    } else {
                        assertArrayEquals(first, c, Arrays.toString(s) + " accumulate=" + accumulate + ": 1 thread (Cᵀ) against 2 (straight)");
                    }
                }
            }
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        for (GemmKernel kernel : kernels()) {
            Problem p = new Problem(new SplittableRandom(99), 150, 140, 330, false, true);
            float[] first = null;
            for (int threads : new int[] {1, 2, 3}) {
                Parallel.setThreads(threads);
                float[] c = p.c.clone();
                kernel.gemm(false, true, 150, 140, 330, p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb, c, p.cOff, p.ldc, true);
                p.check(kernel.name(), c, true);
                if (first == null) {
                    first = c;
                } else {
                    assertArrayEquals(first, c, kernel.name() + " with " + threads + " threads");
                }
            }
        }
    }

    /**
     * The pool's parts are cut by {@link PanamaGemm#evenSplit}: consecutive, covering every item,
     * sizes differing by one at most (1024 rows in 14 blocks of 12 or 13 panels, not 13 of 13 and
     * one of 2, which left one of two threads idle for a tenth of the product).
     */
    @Test
    void poolPartsAreCutEvenly() {
        for (int items = 1; items <= 400; items++) {
            for (int parts = 1; parts <= items; parts++) {
                assertEquals(0, PanamaGemm.evenSplit(0, items, parts));
                assertEquals(items, PanamaGemm.evenSplit(parts, items, parts));
                int small = items / parts;
                for (int i = 0; i < parts; i++) {
                    int size = PanamaGemm.evenSplit(i + 1, items, parts) - PanamaGemm.evenSplit(i, items, parts);
                    assertTrue(size == small || size == small + 1, items + " in " + parts + ": part " + i + " has " + size);
                }
            }
        }
    }

    /**
     * The other micro-kernel: in a JVM limited to AVX2 the preferred vector is 256 bits and
     * PanamaGemm uses its 6-row kernel. Runs on x86-64 only, where {@code -XX:UseAVX} exists.
     */
    @Test
    void theAvx2KernelMatchesTheReferenceToo() throws IOException, InterruptedException {
        String arch = System.getProperty("os.arch");
        Assumptions.assumeTrue(arch.equals("amd64") || arch.equals("x86_64"), "needs x86-64, not " + arch);
        String output = runProbe("-XX:UseAVX=2", Avx2Probe.class);
        assertTrue(output.contains("checked MR=6"), output);
    }

    /** The warm-up of the 6-row kernel stops at its time bound, and runs nothing with none. */
    @Test
    void theKernelWarmUpKeepsToItsTimeBound() {
        assertEquals(0, PanamaGemm.warmKernelOnDeepProducts(0));
        long start = System.nanoTime();
        int rounds = PanamaGemm.warmKernelOnDeepProducts(50);
        assertTrue(rounds >= 1, "rounds " + rounds);
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "took " + (System.nanoTime() - start) / 1e6 + " ms");
    }

    /** Runs {@code probe}'s main in a JVM of its own with one extra JVM option; its output, once it exits with 0. */
    static String runProbe(String jvmOption, Class<?> probe) throws IOException, InterruptedException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process process = new ProcessBuilder(List.of(java, jvmOption, "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), probe.getName()))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "probe JVM did not finish");
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    /** Runs in the AVX2-limited JVM: every shape and variant through the 6-row kernel; exits 1 on a mismatch. */
    public static final class Avx2Probe {
        public static void main(String[] args) {
            if (PanamaGemm.MR != 6) {
                System.out.println("expected the 6-row kernel with 256-bit vectors but MR=" + PanamaGemm.MR);
                System.exit(1);
            }
            PanamaGemm kernel = new PanamaGemm();
            int[][] shapes = {{1, 1, 1}, {7, 17, 33}, {33, 7, 17}, {25, 49, 1100}, {130, 67, 300}, {20, 2100, 300},
                // shallow (the DQN's weight gradient at batch 64) and ragged ones
                {128, 1024, 64}, {17, 1023, 7}, {67, 33, 128}};
            long seed = 1000;
            for (int[] sh : shapes) {
                for (int variant = 0; variant < 8; variant++) {
                    boolean transA = (variant & 1) != 0, transB = (variant & 2) != 0, accumulate = (variant & 4) != 0;
                    Problem p = new Problem(new SplittableRandom(seed++), sh[0], sh[1], sh[2], transA, transB);
                    float[] c = p.c.clone();
                    kernel.gemm(transA, transB, sh[0], sh[1], sh[2], p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb, c, p.cOff, p.ldc, accumulate);
                    try {
                        p.check(kernel.name(), c, accumulate);
                    } catch (AssertionError e) {
                        System.out.println(e.getMessage());
                        System.exit(1);
                    }
                }
            }
            System.out.println("checked MR=" + PanamaGemm.MR + " " + kernel.name());
        }
    }

    /**
     * Blocks far smaller than any host's, so that the awkward shapes (1, 7, 17, 1023) cross
     * several depth, row and column blocks, with partial ones at every edge, on both paths (one
     * thread and the pool) and through the packed-A and row-bias entry points.
     */
    @Test
    void tinyBlocksMatchTheReferenceOnAwkwardShapes() throws IOException, InterruptedException {
        String output = runProbe("-D" + GemmBlocking.PROPERTY + "=64,12,48", BlockingProbe.class);
        assertTrue(output.contains("checked blocking 64,"), output);
    }

    /** Runs in a JVM with tiny blocks ({@link #tinyBlocksMatchTheReferenceOnAwkwardShapes}); exits 1 on a mismatch. */
    public static final class BlockingProbe {
        public static void main(String[] args) {
            PanamaGemm kernel = new PanamaGemm();
            if (PanamaGemm.KC != 64) {
                System.out.println("expected kc = 64 but the GEMM uses " + PanamaGemm.BLOCKING);
                System.exit(1);
            }
            int[][] shapes = {{1, 1, 1}, {1, 17, 1023}, {7, 1, 17}, {17, 7, 1023}, {1023, 17, 7}, {17, 1023, 65},
                {100, 70, 200}, {7, 300, 129}, {50, 700, 200}, {17, 700, 129}};
            long seed = 3000;
            try {
                for (int[] sh : shapes) {
                    for (int variant = 0; variant < 8; variant++) {
                        boolean transA = (variant & 1) != 0, transB = (variant & 2) != 0, accumulate = (variant & 4) != 0;
                        Problem p = new Problem(new SplittableRandom(seed++), sh[0], sh[1], sh[2], transA, transB);
                        float[] first = null;
                        for (int threads : new int[] {1, 2}) {
                            Parallel.setThreads(threads);
                            float[] c = p.c.clone();
                            kernel.gemm(transA, transB, sh[0], sh[1], sh[2], p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb,
                                    c, p.cOff, p.ldc, accumulate);
                            p.check(kernel.name() + " " + threads + " threads", c, accumulate);
                            PackedA packed = new PackedA();
                            kernel.packA(transA, sh[0], sh[2], p.a, p.aOff, p.lda, packed);
                            float[] viaPacked = p.c.clone();
                            kernel.gemmPackedA(packed, transB, sh[1], p.b, p.bOff, p.ldb, viaPacked, p.cOff, p.ldc, accumulate);
                            assertArrayEquals(c, viaPacked, "packed A, " + threads + " threads");
                            if (first == null) {
                                first = c;
                            } else {
                                assertArrayEquals(first, c, "1 and 2 threads");
                            }
                        }
                        if (accumulate) {
                            // C = op(A)·op(B) + bias: C's old contents become the bias, the check then adds the product.
                            float[] bias = new float[sh[0]];
                            SplittableRandom r = new SplittableRandom(seed);
                            for (int i = 0; i < sh[0]; i++) {
                                bias[i] = (float) r.nextDouble(-2, 2);
                                java.util.Arrays.fill(p.c, p.cOff + i * p.ldc, p.cOff + i * p.ldc + sh[1], bias[i]);
                            }
                            PackedA packed = new PackedA();
                            kernel.packA(transA, sh[0], sh[2], p.a, p.aOff, p.lda, packed);
                            for (int threads : new int[] {1, 2}) {
                                Parallel.setThreads(threads);
                                float[] c = p.c.clone();
                                for (int i = 0; i < sh[0]; i++) {
                                    java.util.Arrays.fill(c, p.cOff + i * p.ldc, p.cOff + i * p.ldc + sh[1], Float.NaN);
                                }
                                kernel.gemmPackedAWithRowBias(packed, transB, sh[1], p.b, p.bOff, p.ldb, c, p.cOff, p.ldc, bias, 0);
                                p.check(kernel.name() + " row bias, " + threads + " threads", c, true);
                            }
                        }
                    }
                }
            } catch (AssertionError e) {
                System.out.println(e.getMessage());
                System.exit(1);
            }
            System.out.println("checked blocking " + PanamaGemm.BLOCKING.sizes() + " " + kernel.name());
        }
    }

    /** As a convolution calls it: one product per parallel part, at once on every thread. */
    @Test
    void callsFromInsideParallelPartsDoNotShareBuffers() {
        Parallel.setThreads(2);
        for (GemmKernel kernel : kernels()) {
            int parts = 6;
            Problem[] problems = new Problem[parts];
            float[][] results = new float[parts][];
            for (int i = 0; i < parts; i++) {
                problems[i] = new Problem(new SplittableRandom(500 + i), 70, 90, 200, i % 2 == 1, i % 3 == 1);
                results[i] = problems[i].c.clone();
            }
            Parallel.run(parts, i -> {
                Problem p = problems[i];
                kernel.gemm(p.transA, p.transB, p.m, p.n, p.k, p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb,
                        results[i], p.cOff, p.ldc, false);
            });
            for (int i = 0; i < parts; i++) {
                problems[i].check(kernel.name() + " part " + i, results[i], false);
            }
        }
    }

    @Test
    void kZeroClearsOrKeepsC() {
        for (GemmKernel kernel : kernels()) {
            float[] c = {1, 2, 3, 4, 5, 6};
            kernel.gemm(false, false, 2, 2, 0, new float[0], 0, 1, new float[0], 0, 2, c, 1, 3, true);
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, c, kernel.name());
            kernel.gemm(false, false, 2, 2, 0, new float[0], 0, 1, new float[0], 0, 2, c, 1, 3, false);
            assertArrayEquals(new float[] {1, 0, 0, 4, 0, 0}, c, kernel.name());
        }
    }

    @Test
    void facadeNamesTheSizesOfABadOperand() {
        float[] a = new float[6], b = new float[6], c = new float[4];
        IllegalArgumentException shortB = assertThrows(IllegalArgumentException.class,
                () -> Kernels.gemm(false, false, 2, 2, 3, a, 0, 3, b, 1, 2, c, 0, 2, false));
        assertTrue(shortB.getMessage().contains("B [3 x 2]") && shortB.getMessage().contains("7"), shortB.getMessage());
        IllegalArgumentException badLd = assertThrows(IllegalArgumentException.class,
                () -> Kernels.gemm(true, false, 2, 2, 3, a, 0, 1, b, 0, 2, c, 0, 2, false));
        assertTrue(badLd.getMessage().contains("leading dimension of A is 1") && badLd.getMessage().contains("2 columns"),
                badLd.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> Kernels.gemm(false, false, -1, 2, 3, a, 0, 3, b, 0, 2, c, 0, 2, false));
        assertTrue(negative.getMessage().contains("m=-1"), negative.getMessage());
    }

    @Test
    void matmulNamesBothShapes() {
        Tensor x = Tensor.zeros(4, 3);
        Tensor w = Tensor.zeros(5, 2);
        Tensor y = Tensor.zeros(4, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.matmul(x, false, w, true, y, false));
        assertTrue(e.getMessage().contains("[4, 3]") && e.getMessage().contains("[5, 2]"), e.getMessage());
        Tensor wOk = Tensor.zeros(5, 3);
        Tensor yBad = Tensor.zeros(4, 6);
        IllegalArgumentException out = assertThrows(IllegalArgumentException.class,
                () -> Kernels.matmul(x, false, wOk, true, yBad, false));
        assertTrue(out.getMessage().contains("[4, 6]") && out.getMessage().contains("[4, 5]"), out.getMessage());
    }

    @Test
    void matmulThroughTheFacadeUsesTheFloat32Backend() {
        SplittableRandom r = new SplittableRandom(5);
        Tensor x = Tensor.wrap(randoms(r, 6 * 4), 6, 4);
        Tensor w = Tensor.wrap(randoms(r, 3 * 4), 3, 4);
        Tensor y = Tensor.zeros(6, 3);
        Kernels.matmul(x, false, w, true, y, false);
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 3; j++) {
                double sum = 0, abs = 0;
                for (int p = 0; p < 4; p++) {
                    sum += (double) x.data()[i * 4 + p] * w.data()[j * 4 + p];
                    abs += Math.abs((double) x.data()[i * 4 + p] * w.data()[j * 4 + p]);
                }
                assertEquals(sum, y.data()[i * 3 + j], 6 * U * abs + Float.MIN_NORMAL);
            }
        }
    }

    private static float[] randoms(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        return x;
    }

    /** Random operands stored with offsets and padded leading dimensions, plus guard values around C. */
    static final class Problem {
        final int m, n, k, aOff, lda, bOff, ldb, cOff, ldc;
        final boolean transA, transB;
        final float[] a, b, c;

        Problem(SplittableRandom r, int m, int n, int k, boolean transA, boolean transB) {
            this.m = m;
            this.n = n;
            this.k = k;
            this.transA = transA;
            this.transB = transB;
            int aRows = transA ? k : m, aCols = transA ? m : k;
            int bRows = transB ? n : k, bCols = transB ? k : n;
            aOff = r.nextInt(4);
            lda = aCols + r.nextInt(3);
            bOff = r.nextInt(4);
            ldb = bCols + r.nextInt(3);
            cOff = r.nextInt(4);
            ldc = n + r.nextInt(3);
            a = randoms(r, aOff + (aRows - 1) * lda + aCols + r.nextInt(3));
            b = randoms(r, bOff + (bRows - 1) * ldb + bCols + r.nextInt(3));
            c = randoms(r, cOff + (m - 1) * ldc + n + r.nextInt(3));
        }

        double av(int i, int p) {
            return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        }

        double bv(int p, int j) {
            return transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
        }

        /** Checks every element of C against the double reference, and that nothing else changed. */
        void check(String kernel, float[] got, boolean accumulate) {
            double[] ad = toDouble(a), bd = toDouble(b);
            double[] ref = new double[m * n];
            ReferenceKernels.INSTANCE.gemm(transA, transB, m, n, k, ad, aOff, lda, bd, bOff, ldb, ref, 0, n, false);
            double[] absA = abs(ad), absB = abs(bd);
            double[] mag = new double[m * n];
            ReferenceKernels.INSTANCE.gemm(transA, transB, m, n, k, absA, aOff, lda, absB, bOff, ldb, mag, 0, n, false);
            boolean[] inside = new boolean[c.length];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    int ci = cOff + i * ldc + j;
                    inside[ci] = true;
                    double c0 = accumulate ? c[ci] : 0;
                    double expected = c0 + ref[i * n + j];
                    double bound = (k + 2) * U * (Math.abs(c0) + mag[i * n + j]) + Float.MIN_NORMAL;
                    double err = Math.abs(got[ci] - expected);
                    if (!(err <= bound)) {
                        fail(kernel + " m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB
                                + " accumulate=" + accumulate + ": C[" + i + "][" + j + "] = " + got[ci]
                                + " but expected " + expected + " (error " + err + " > bound " + bound + ")");
                    }
                }
            }
            for (int idx = 0; idx < c.length; idx++) {
                if (!inside[idx] && Float.floatToRawIntBits(got[idx]) != Float.floatToRawIntBits(c[idx])) {
                    fail(kernel + " wrote outside C at array index " + idx);
                }
            }
        }

        private static double[] toDouble(float[] x) {
            double[] d = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                d[i] = x[i];
            }
            return d;
        }

        private static double[] abs(double[] x) {
            double[] d = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                d[i] = Math.abs(x[i]);
            }
            return d;
        }
    }
}
