package org.weightnorm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.weightnorm4j.testing.RestoreThreads;

/**
 * The prepacked right operand ({@link PackedB}, an LSTM's recurrent weight packed once per pass)
 * against the existing GEMM: the same bits as {@link GemmKernel#gemm} with the original B, on the
 * awkward shapes, the four transpose variants, one and two threads (the sequential and the pooled
 * path), with this host's micro-kernel and, in JVMs of their own, the 6-row AVX2 kernel and blocks
 * small enough that every shape crosses several of them. Bit equality with {@code gemm}, itself
 * checked against the double reference in {@link GemmTest}, is the contract LSTM results rely on.
 */
@ExtendWith(RestoreThreads.class)
class PackedBGemmTest {
    /** m, n, k: around the tile and the blocks, and the LSTM's own recurrent products (forward, backward). */
    private static final int[][] SHAPES = {
        {1, 1, 1}, {1, 7, 17}, {7, 1, 33}, {17, 33, 1}, {7, 9, 1023}, {1023, 17, 5}, {17, 1023, 7},
        {9, 33, 257}, {13, 100, 1024}, {45, 70, 2100}, {20, 2100, 300}, {100, 1024, 256}, {100, 256, 1024},
        // computed as Cᵀ by gemm on one thread (PanamaGemm.transposesC), straight from the packed B
        {128, 512, 784}, {17, 700, 129}, {45, 1000, 1030},
    };

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        long seed = 500;
        for (GemmKernel kernel : GemmTest.kernels()) {
            for (int[] s : SHAPES) {
                for (int variant = 0; variant < 4; variant++) {
                    out.add(Arguments.of(kernel, s[0], s[1], s[2], (variant & 1) != 0, (variant & 2) != 0, seed++));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} m={1} n={2} k={3} transA={4} transB={5}")
    @MethodSource("cases")
    void aPackedRightOperandGivesTheBitsOfTheOriginal(GemmKernel kernel, int m, int n, int k, boolean transA,
                                                      boolean transB, long seed) {
        String failure = compare(kernel, m, n, k, transA, transB, seed);
        assertTrue(failure == null, failure);
    }

    /**
     * {@code gemmPackedB} against {@code gemm} for one problem, accumulating and overwriting, on 1
     * and 2 threads, with one packing reused for all four products; null when they agree bit for bit.
     */
    static String compare(GemmKernel kernel, int m, int n, int k, boolean transA, boolean transB, long seed) {
        GemmTest.Problem p = new GemmTest.Problem(new SplittableRandom(seed), m, n, k, transA, transB);
        PackedB packed = new PackedB();
        kernel.packB(transB, k, n, p.b, p.bOff, p.ldb, packed);
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (boolean accumulate : new boolean[] {true, false}) {
                float[] expected = p.c.clone();
                kernel.gemm(transA, transB, m, n, k, p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb, expected, p.cOff, p.ldc,
                        accumulate);
                float[] c = p.c.clone();
                kernel.gemmPackedB(transA, m, p.a, p.aOff, p.lda, packed, c, p.cOff, p.ldc, accumulate);
                if (!java.util.Arrays.equals(expected, c)) {
                    return kernel.name() + " m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB
                            + " accumulate=" + accumulate + " threads=" + threads + ": packed B differs from gemm";
                }
            }
        }
        return null;
    }

    /** One PackedB packed for a large operand, then a smaller, then the large again: its kept buffers never leak old values. */
    @Test
    void repackingForAnotherShapeReusesTheBuffersCorrectly() {
        PanamaGemm kernel = new PanamaGemm();
        PackedB packed = new PackedB();
        int[][] sequence = {{30, 1100, 700}, {5, 17, 9}, {30, 1100, 700}, {3, 1, 1}};
        long seed = 900;
        for (int[] s : sequence) {
            GemmTest.Problem p = new GemmTest.Problem(new SplittableRandom(seed++), s[0], s[1], s[2], false, true);
            kernel.packB(true, s[2], s[1], p.b, p.bOff, p.ldb, packed);
            float[] expected = p.c.clone();
            kernel.gemm(false, true, s[0], s[1], s[2], p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb, expected, p.cOff, p.ldc, false);
            float[] c = p.c.clone();
            kernel.gemmPackedB(false, s[0], p.a, p.aOff, p.lda, packed, c, p.cOff, p.ldc, false);
            assertArrayEquals(expected, c, "after repacking to " + java.util.Arrays.toString(s));
        }
    }

    /** Through the public facade: the product, then a released operand refused with a message that says what to do. */
    @Test
    void aReleasedOperandIsRefusedAndBadShapesNamed() {
        float[] b = new float[12 * 5];
        for (int i = 0; i < b.length; i++) {
            b[i] = i * 0.25f - 3;
        }
        float[] a = new float[3 * 12];
        for (int i = 0; i < a.length; i++) {
            a[i] = 1 - i * 0.125f;
        }
        PackedB packed = new PackedB();
        Kernels.packB(false, 12, 5, b, 0, 5, packed);
        assertTrue(packed.holdsOperand());
        float[] expected = new float[15];
        Kernels.gemm(false, false, 3, 5, 12, a, 0, 12, b, 0, 5, expected, 0, 5, false);
        float[] c = new float[15];
        Kernels.gemmPackedB(false, 3, a, 0, 12, packed, c, 0, 5, false);
        assertArrayEquals(expected, c);

        packed.release();
        assertFalse(packed.holdsOperand());
        IllegalStateException stale = assertThrows(IllegalStateException.class,
                () -> Kernels.gemmPackedB(false, 3, a, 0, 12, packed, c, 0, 5, false));
        assertTrue(stale.getMessage().contains("packB"), stale.getMessage());
        assertThrows(IllegalStateException.class, () -> Kernels.gemmPackedB(false, 3, a, 0, 12, new PackedB(), c, 0, 5, false));

        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> Kernels.packB(false, 13, 5, b, 0, 5, new PackedB()));
        assertTrue(small.getMessage().contains("B"), small.getMessage());
        Kernels.packB(false, 12, 5, b, 0, 5, packed);
        assertThrows(IllegalArgumentException.class, () -> Kernels.gemmPackedB(false, 3, a, 0, 12, packed, new float[14], 0, 5, false));
    }

    /** The 6-row micro-kernel (a JVM limited to AVX2). */
    @Test
    void theAvx2KernelGivesTheSameBits() throws IOException, InterruptedException {
        String arch = System.getProperty("os.arch");
        Assumptions.assumeTrue(arch.equals("amd64") || arch.equals("x86_64"), "needs x86-64, not " + arch);
        String output = GemmTest.runProbe("-XX:UseAVX=2", Probe.class);
        assertTrue(output.contains("packed B checked, MR=6"), output);
    }

    /** Blocks far smaller than any host's, so that every shape crosses several depth and column blocks. */
    @Test
    void tinyBlocksGiveTheSameBits() throws IOException, InterruptedException {
        String output = GemmTest.runProbe("-D" + GemmBlocking.PROPERTY + "=64,12,48", Probe.class);
        assertTrue(output.contains("packed B checked") && output.contains("blocking 64,"), output);
    }

    /** Every shape and variant in a JVM of its own; exits 1 on a mismatch. */
    public static final class Probe {
        public static void main(String[] args) {
            PanamaGemm kernel = new PanamaGemm();
            long seed = 7000;
            for (int[] s : SHAPES) {
                for (int variant = 0; variant < 4; variant++) {
                    String failure = compare(kernel, s[0], s[1], s[2], (variant & 1) != 0, (variant & 2) != 0, seed++);
                    if (failure != null) {
                        System.out.println(failure);
                        System.exit(1);
                    }
                }
            }
            System.out.println("packed B checked, MR=" + PanamaGemm.MR + " " + kernel.name() + " blocking "
                    + PanamaGemm.BLOCKING.sizes());
        }
    }
}
