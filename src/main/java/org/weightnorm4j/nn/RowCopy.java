package org.weightnorm4j.nn;

import org.weightnorm4j.tensor.Tensor;

/**
 * Copies blocks of rows between tensors of the same dtype, with offsets and leading dimensions:
 * how the step-driven recurrent layers ({@link LstmCell}, {@link StepDense}) move one step's
 * {@code [N, ·]} rows in and out of their {@code [T, N, ·]} buffers, and a weight's columns in and
 * out of a concatenated matrix.
 */
final class RowCopy {
    private RowCopy() {
    }

    /**
     * {@code rows} rows of {@code width} values: row {@code r} of the source starts at
     * {@code srcOff + r·srcLd} ({@code srcLd = 0} repeats one row), of the destination at
     * {@code dstOff + r·dstLd}.
     */
    static void copy(Tensor src, int srcOff, int srcLd, Tensor dst, int dstOff, int dstLd, int rows, int width) {
        src.requireSameType("row copy", dst);
        if (src.isFloat32()) {
            float[] s = src.data(), d = dst.data();
            for (int r = 0; r < rows; r++) {
                System.arraycopy(s, srcOff + r * srcLd, d, dstOff + r * dstLd, width);
            }
        } else {
            double[] s = src.data64(), d = dst.data64();
            for (int r = 0; r < rows; r++) {
                System.arraycopy(s, srcOff + r * srcLd, d, dstOff + r * dstLd, width);
            }
        }
    }

    /** Accumulates: {@code dst rows += src rows}, laid out as in {@link #copy}. */
    static void add(Tensor src, int srcOff, int srcLd, Tensor dst, int dstOff, int dstLd, int rows, int width) {
        src.requireSameType("row add", dst);
        if (src.isFloat32()) {
            float[] s = src.data(), d = dst.data();
            for (int r = 0; r < rows; r++) {
                for (int j = 0, a = srcOff + r * srcLd, b = dstOff + r * dstLd; j < width; j++) {
                    d[b + j] += s[a + j];
                }
            }
        } else {
            double[] s = src.data64(), d = dst.data64();
            for (int r = 0; r < rows; r++) {
                for (int j = 0, a = srcOff + r * srcLd, b = dstOff + r * dstLd; j < width; j++) {
                    d[b + j] += s[a + j];
                }
            }
        }
    }
}
