package org.weightnorm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Shared helpers of the float32 kernel tests: the backends under test, seeded random tensors, and
 * the comparison against the double-precision {@link ReferenceKernels}.
 *
 * <p>Tolerances follow the classic bound on a float sum of {@code k} products,
 * {@code |fl(Σ aᵢbᵢ) − Σ aᵢbᵢ| ≤ k·u·Σ|aᵢbᵢ|} with {@code u = 2⁻²⁴}: a test computes
 * {@code Σ|aᵢbᵢ|} by running the reference on the absolute values of the inputs, and allows
 * {@code (k + 2)·2⁻²³} times that (twice the bound, plus the final rounding to float). The
 * bound scales with the reduction length and does not depend on the vector width or the order
 * of summation, so it holds for every backend and thread count.
 */
final class Float32Fixtures {
    /** The unit roundoff doubled: 2⁻²³. */
    static final double EPS = Math.scalb(1.0, -23);

    private Float32Fixtures() {
    }

    /** A GEMM that runs the reference (double accumulation): isolates the other kernels from the fast GEMM. */
    static final GemmKernel REFERENCE_GEMM = new GemmKernel() {
        @Override
        public String name() {
            return "reference-gemm";
        }

        @Override
        public void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                         float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
            ReferenceKernels.INSTANCE.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        }
    };

    /** The GEMM of the backend the library picks at start-up for float32 tensors. */
    static final GemmKernel PROVIDER_GEMM = new GemmKernel() {
        @Override
        public String name() {
            return "provider:" + KernelProvider.float32().name();
        }

        @Override
        public void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                         float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
            KernelProvider.float32().gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        }
    };

    /**
     * Float32Kernels with and without the Vector API, on the reference GEMM and the provider's
     * GEMM, and directly on PanamaGemm, so that the convolutions also run its packed-filter path
     * ({@link GemmKernel#packA}), which the provider wrapper above does not forward.
     */
    static Stream<Float32Kernels> backends() {
        return Stream.of(
                new Float32Kernels(REFERENCE_GEMM, false),
                new Float32Kernels(REFERENCE_GEMM, true),
                new Float32Kernels(PROVIDER_GEMM, false),
                new Float32Kernels(PROVIDER_GEMM, true),
                new Float32Kernels(new PanamaGemm(), true));
    }

    /** The simd=false and simd=true backends on the reference GEMM (for kernels that do not use GEMM). */
    static List<Float32Kernels> loopBackends() {
        return List.of(new Float32Kernels(REFERENCE_GEMM, false), new Float32Kernels(REFERENCE_GEMM, true));
    }

    static String describe(Float32Kernels k) {
        return k.name() + (k.simd() ? "/simd" : "/scalar");
    }

    /** Uniform in [-1, 1), float32. */
    static Tensor random(SplittableRandom rnd, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < t.size(); i++) {
            d[i] = (float) (2 * rnd.nextDouble() - 1);
        }
        return t;
    }

    static Tensor toDouble(Tensor t) {
        return t.to(DType.FLOAT64);
    }

    /** The element-wise absolute value, as FLOAT64. */
    static Tensor abs(Tensor t) {
        Tensor a = Tensor.zeros(DType.FLOAT64, t.shape());
        for (int i = 0; i < t.size(); i++) {
            a.set(i, Math.abs(t.get(i)));
        }
        return a;
    }

    /**
     * Asserts {@code |actual − expected| ≤ (k + 2)·2⁻²³·bound + 1e-30} element-wise, where
     * {@code bound} holds {@code Σ|terms|} of each element and {@code k} the number of terms.
     */
    static void assertWithinSumBound(String what, Tensor expected, Tensor actual, Tensor bound, long k) {
        assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), what + ": shape");
        double factor = (k + 2) * EPS;
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.get(i), a = actual.get(i);
            double tol = factor * bound.get(i) + 1e-30;
            if (!(Math.abs(a - e) <= tol)) {
                fail(what + ": element " + i + " of " + Arrays.toString(expected.shape()) + " is " + a + ", expected " + e
                        + " (tolerance " + tol + " for a sum of " + k + " terms)");
            }
        }
    }

    /** Asserts element-wise {@code |actual − expected| ≤ ulps·2⁻²⁴·|expected| + 1e-37}: for kernels without sums. */
    static void assertRelative(String what, Tensor expected, Tensor actual, double ulps) {
        assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), what + ": shape");
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.get(i), a = actual.get(i);
            double tol = ulps * EPS / 2 * Math.abs(e) + 1e-37;
            if (!(Math.abs(a - e) <= tol) && !(Double.isNaN(e) && Double.isNaN(a))) {
                fail(what + ": element " + i + " of " + Arrays.toString(expected.shape()) + " is " + a + ", expected " + e
                        + " (tolerance " + tol + ")");
            }
        }
    }

    /** Awkward lengths for the element-wise and reduction kernels. */
    static List<Integer> awkwardLengths() {
        return new ArrayList<>(List.of(1, 7, 15, 16, 17, 33, 64, 1023, 1025, 3000));
    }
}
