package org.weightnorm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.weightnorm4j.tensor.Float32Fixtures.abs;
import static org.weightnorm4j.tensor.Float32Fixtures.assertWithinSumBound;
import static org.weightnorm4j.tensor.Float32Fixtures.toDouble;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The checks the convolution kernels' tests ({@link RowConvTest}, {@link DirectConvTest},
 * {@link ChannelVectorConvTest}, {@link WinogradConvTest}) share: a pass against the double
 * reference within the sum's error bound ({@link Float32Fixtures#assertWithinSumBound}), the filter
 * gradient in both modes, results across thread counts, and where a NaN in the input goes.
 */
final class ConvChecks {
    private ConvChecks() {
    }

    /** A filter gradient under test: {@code dw (+)= ∂L/∂w} for fixed x and dy. */
    interface FilterGradient {
        void run(float[] dw, boolean accumulate);
    }

    /**
     * y (already computed by the kernel) against the reference {@code conv(x, w) + bias} (bias may
     * be null), within {@code terms} roundings of the sum of absolute values.
     */
    static void assertForwardMatchesReference(String label, Tensor x, Tensor w, Tensor bias, Tensor y, ConvSpec spec,
                                              long terms) {
        Tensor expected = Tensor.zeros(DType.FLOAT64, y.shape());
        Tensor bound = Tensor.zeros(DType.FLOAT64, y.shape());
        if (bias == null) {
            ReferenceKernels.INSTANCE.conv2dForward(toDouble(x), toDouble(w), expected, spec);
            ReferenceKernels.INSTANCE.conv2dForward(abs(x), abs(w), bound, spec);
        } else {
            ReferenceKernels.INSTANCE.conv2dForward(toDouble(x), toDouble(w), toDouble(bias), expected, spec);
            ReferenceKernels.INSTANCE.conv2dForward(abs(x), abs(w), abs(bias), bound, spec);
        }
        assertWithinSumBound(label, expected, y, bound, terms);
    }

    /** dx (already computed by the kernel) against the reference input gradient of dy, within {@code terms} roundings. */
    static void assertBackwardDataMatchesReference(String label, Tensor dy, Tensor w, Tensor dx, ConvSpec spec, long terms) {
        Tensor expected = Tensor.zeros(DType.FLOAT64, dx.shape());
        ReferenceKernels.INSTANCE.conv2dBackwardData(toDouble(dy), toDouble(w), expected, spec);
        Tensor bound = Tensor.zeros(DType.FLOAT64, dx.shape());
        ReferenceKernels.INSTANCE.conv2dBackwardData(abs(dy), abs(w), bound, spec);
        assertWithinSumBound(label, expected, dx, bound, terms);
    }

    /** As {@link #assertFilterGradientInBothModes(String, Tensor, Tensor, Tensor, ConvSpec, Tensor, long, FilterGradient)} with the direct sum's bound. */
    static void assertFilterGradientInBothModes(String label, Tensor x, Tensor dy, Tensor start, ConvSpec spec, long terms,
                                                FilterGradient kernel) {
        Tensor bound = Tensor.zeros(DType.FLOAT64, start.shape());
        ReferenceKernels.INSTANCE.conv2dBackwardFilter(abs(x), abs(dy), bound, spec, false);
        assertFilterGradientInBothModes(label, x, dy, start, spec, bound, terms, kernel);
    }

    /**
     * The kernel's filter gradient against the reference, overwriting {@code start} (garbage it
     * must not read) and added to it, within {@code terms} roundings of {@code bound} (one more,
     * and {@code |start|} added, for the accumulating mode).
     */
    static void assertFilterGradientInBothModes(String label, Tensor x, Tensor dy, Tensor start, ConvSpec spec, Tensor bound,
                                                long terms, FilterGradient kernel) {
        Tensor overwritten = start.copy();
        kernel.run(overwritten.data(), false);
        Tensor expected = Tensor.zeros(DType.FLOAT64, start.shape());
        ReferenceKernels.INSTANCE.conv2dBackwardFilter(toDouble(x), toDouble(dy), expected, spec, false);
        assertWithinSumBound(label, expected, overwritten, bound, terms);

        Tensor accumulated = start.copy();
        kernel.run(accumulated.data(), true);
        Tensor expectedAcc = toDouble(start);
        ReferenceKernels.INSTANCE.conv2dBackwardFilter(toDouble(x), toDouble(dy), expectedAcc, spec, true);
        Tensor boundAcc = abs(start);
        for (int i = 0; i < boundAcc.size(); i++) {
            boundAcc.set(i, boundAcc.get(i) + bound.get(i));
        }
        assertWithinSumBound(label + " (accumulate)", expectedAcc, accumulated, boundAcc, terms + 1);
    }

    /**
     * At each thread count, a fresh kernel: its forward has the bits of the first count's, and its
     * filter gradient (null: none checked), run twice on the same kernel (the second call on the
     * reused job), repeats bit for bit. The pool's thread count is restored afterwards.
     */
    static <K> void assertForwardSameAndFilterGradientRepeats(int[] threadCounts, Supplier<K> fresh, Function<K, float[]> forward,
                                                              Function<K, float[]> filterGradient) {
        int saved = Parallel.threads();
        try {
            float[] first = null;
            for (int threads : threadCounts) {
                Parallel.setThreads(threads);
                K conv = fresh.get();
                float[] y = forward.apply(conv);
                if (first == null) {
                    first = y;
                } else {
                    assertArrayEquals(first, y, "forward, threads " + threads);
                }
                if (filterGradient != null) {
                    assertArrayEquals(filterGradient.apply(conv), filterGradient.apply(conv), "filter gradient repeated, threads " + threads);
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /**
     * y {@code [n, o, oh, ow]} of a 3x3, stride-1 convolution with padding 1 whose input had a NaN
     * at {@code (row, col)} of one channel of image {@code image}: NaN exactly at the outputs whose
     * window covers it, in every output channel, and nowhere else.
     */
    static void assertNanExactlyWhereRead(Tensor y, int image, int row, int col) {
        int n = y.dim(0), outs = y.dim(1), oh = y.dim(2), ow = y.dim(3);
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < outs; o++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double v = y.get(((b * outs + o) * oh + i) * ow + j);
                        boolean reads = b == image && Math.abs(i - row) <= 1 && Math.abs(j - col) <= 1;
                        assertEquals(reads, Double.isNaN(v), "output " + b + "," + o + "," + i + "," + j);
                    }
                }
            }
        }
    }
}
