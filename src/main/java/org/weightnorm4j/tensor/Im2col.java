package org.weightnorm4j.tensor;

import java.util.Arrays;

/**
 * The two data rearrangements that turn a convolution into a matrix multiply, for one image.
 *
 * <p>{@code im2col} lays out every receptive field as a column: row {@code r = (c, p, q)} of the
 * {@code [C·KH·KW, OH·OW]} matrix holds {@code x[c, i·stride − pad + p, j·stride − pad + q]} for
 * every output position {@code (i, j)}, with zeros where the window hangs over the padding. Then
 * the forward convolution is {@code Y = W · col} with W viewed as {@code [O, C·KH·KW]}.
 * {@code col2im} is its adjoint: it adds every column entry back to the input pixel it came from,
 * which turns the gradient of the columns {@code Wᵀ · dY} into the gradient of the input.
 *
 * <p>For each kernel offset {@code q} the output columns {@code j} that read inside the image form
 * one interval, computed once; the inner loops then run without bounds tests (a plain copy for
 * stride 1).
 */
final class Im2col {
    /**
     * Runs shorter than this are copied by a plain loop: a {@code System.arraycopy} call costs
     * more than moving the 5 or 7 floats of a small feature map's row (the 7x7 → 5x5 convolution
     * of the cnn spent more time in im2col than in its GEMM).
     */
    static final int SHORT_RUN = 16;

    private Im2col() {
    }

    /**
     * Geometry of one image and its filters. Mutable so that a reused work buffer can hold it
     * without allocating on every kernel call.
     */
    static final class Geometry {
        int c, h, w, kh, kw, stride, pad, oh, ow;
        /**
         * {@link #firstValidColumn} and {@link #endValidColumn} of every tap q, computed once by
         * {@link #set}: im2col needs them for each of its C·KH·KW rows, and the two integer
         * divisions were 1.5% of a 128-channel convolution.
         */
        private int[] validFrom = new int[0];
        private int[] validTo = new int[0];

        void set(int c, int h, int w, int kh, int kw, int stride, int pad, int oh, int ow) {
            this.c = c;
            this.h = h;
            this.w = w;
            this.kh = kh;
            this.kw = kw;
            this.stride = stride;
            this.pad = pad;
            this.oh = oh;
            this.ow = ow;
            if (validFrom.length < kw) {
                validFrom = new int[kw];
                validTo = new int[kw];
            }
            for (int q = 0; q < kw; q++) {
                int from = Math.min(ow, Math.max(0, Math.floorDiv(pad - q + stride - 1, stride)));
                int end = Math.min(ow, Math.floorDiv(w - 1 + pad - q, stride) + 1);
                validFrom[q] = from;
                validTo[q] = Math.max(end, from);
            }
        }

        /** Rows of the column matrix: {@code C·KH·KW}. */
        int rows() {
            return c * kh * kw;
        }

        /** Columns of the column matrix: {@code OH·OW}. */
        int cols() {
            return oh * ow;
        }

        /** A 1x1 filter with stride 1 and no padding: the image itself is the column matrix. */
        boolean pointwise() {
            return kh == 1 && kw == 1 && stride == 1 && pad == 0;
        }

        /** First output column j whose tap q reads inside the image ({@code ow} if none does). */
        int firstValidColumn(int q) {
            return validFrom[q];
        }

        /** One past the last output column j whose tap q reads inside the image (at least {@code firstValidColumn(q)}). */
        int endValidColumn(int q) {
            return validTo[q];
        }
    }

    /** Fills {@code col[0 .. rows·cols)} from the image at {@code x[xOff ..]}. */
    static void im2col(Geometry g, float[] x, int xOff, float[] col) {
        im2col(g, x, xOff, col, g.cols(), 0);
    }

    /**
     * Fills columns {@code [colOff, colOff + cols)} of a column matrix whose rows are {@code ld}
     * long, from the image at {@code x[xOff ..]}: several images side by side make one wider
     * product for a convolution whose output is small.
     */
    static void im2col(Geometry g, float[] x, int xOff, float[] col, int ld, int colOff) {
        int c = g.c, h = g.h, w = g.w, kh = g.kh, kw = g.kw;
        int stride = g.stride, pad = g.pad, oh = g.oh, ow = g.ow;
        for (int ch = 0; ch < c; ch++) {
            for (int p = 0; p < kh; p++) {
                for (int q = 0; q < kw; q++) {
                    int rowBase = ((ch * kh + p) * kw + q) * ld + colOff;
                    int j0 = g.firstValidColumn(q);
                    int j1 = g.endValidColumn(q);
                    if (stride == 1 && ow == w && copyShifted(g, x, xOff + ch * h * w, col, rowBase, p, q, j0, j1)) {
                        continue;
                    }
                    for (int i = 0; i < oh; i++) {
                        int dst = rowBase + i * ow;
                        int yi = i * stride - pad + p;
                        if (yi < 0 || yi >= h) {
                            Arrays.fill(col, dst, dst + ow, 0f);
                            continue;
                        }
                        // x index of output column j: src + j * stride
                        int src = xOff + (ch * h + yi) * w + q - pad;
                        for (int j = 0; j < j0; j++) {
                            col[dst + j] = 0f;
                        }
                        if (stride == 1 && j1 - j0 >= SHORT_RUN) {
                            System.arraycopy(x, src + j0, col, dst + j0, j1 - j0);
                        } else if (stride == 1) {
                            for (int j = j0; j < j1; j++) {
                                col[dst + j] = x[src + j];
                            }
                        } else {
                            for (int j = j0; j < j1; j++) {
                                col[dst + j] = x[src + j * stride];
                            }
                        }
                        for (int j = j1; j < ow; j++) {
                            col[dst + j] = 0f;
                        }
                    }
                }
            }
        }
    }

    /**
     * The row {@code (c, p, q)} of a stride-1 convolution whose output is as wide as its input
     * ("same" padding): its valid rows are one contiguous run of the image, shifted by
     * {@code (p − pad)·W + q − pad}. One copy moves them; the columns that wrapped around the
     * image edge and the rows above and below it are then zeroed. Returns false (nothing done)
     * when the image is too small for the run to exist.
     */
    private static boolean copyShifted(Geometry g, float[] x, int imageOff, float[] col, int rowBase, int p, int q,
                                       int j0, int j1) {
        int ow = g.ow, oh = g.oh, w = g.w, pad = g.pad;
        int i0 = Math.max(0, pad - p);
        int i1 = Math.min(oh, g.h + pad - p);
        // The first and last entries of the run may lie outside the image: start at j0, end at j1.
        int length = (i1 - i0) * ow - j0 - (ow - j1);
        if (i1 <= i0 || length <= 0) {
            return false;
        }
        Arrays.fill(col, rowBase, rowBase + i0 * ow, 0f);
        int src = imageOff + (i0 + p - pad) * w + q - pad;
        int dst = rowBase + i0 * ow;
        System.arraycopy(x, src + j0, col, dst + j0, length);
        for (int i = i0; i < i1; i++) {
            int row = rowBase + i * ow;
            for (int j = 0; j < j0; j++) {
                col[row + j] = 0f;
            }
            for (int j = j1; j < ow; j++) {
                col[row + j] = 0f;
            }
        }
        Arrays.fill(col, rowBase + i1 * ow, rowBase + oh * ow, 0f);
        return true;
    }


    /**
     * Adds every entry of the image's columns {@code [colOff, colOff + OH·OW)} of a column matrix
     * whose rows are {@code ld} long (several images side by side, as
     * {@link #im2col(Geometry, float[], int, float[], int, int)} writes them) to the input pixel it
     * was read from; the image at {@code dx[dxOff ..]} must be zeroed (or hold what the result
     * should add to).
     */
    static void col2im(Geometry g, float[] col, int ld, int colOff, float[] dx, int dxOff, VectorOps ops) {
        int c = g.c, h = g.h, w = g.w, kh = g.kh, kw = g.kw;
        int stride = g.stride, pad = g.pad, oh = g.oh, ow = g.ow;
        for (int ch = 0; ch < c; ch++) {
            for (int p = 0; p < kh; p++) {
                for (int q = 0; q < kw; q++) {
                    int rowBase = ((ch * kh + p) * kw + q) * ld + colOff;
                    int j0 = g.firstValidColumn(q);
                    int j1 = g.endValidColumn(q);
                    for (int i = 0; i < oh; i++) {
                        int yi = i * stride - pad + p;
                        if (yi < 0 || yi >= h) {
                            continue;
                        }
                        int src = rowBase + i * ow;
                        int dst = dxOff + (ch * h + yi) * w + q - pad;
                        if (stride == 1) {
                            if (j1 - j0 >= SHORT_RUN) {
                                ops.add(col, src + j0, dx, dst + j0, j1 - j0);
                            } else {
                                for (int j = j0; j < j1; j++) {
                                    dx[dst + j] += col[src + j];
                                }
                            }
                        } else {
                            for (int j = j0; j < j1; j++) {
                                dx[dst + j * stride] += col[src + j];
                            }
                        }
                    }
                }
            }
        }
    }
}
