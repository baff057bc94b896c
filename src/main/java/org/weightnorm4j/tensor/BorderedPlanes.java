package org.weightnorm4j.tensor;

/**
 * Copies an image into zero-bordered planes, the input as the direct convolutions
 * ({@link DirectConv}, {@link RowConv}, {@link ChannelVectorConv}) read it: every tap of a padded
 * convolution is then an in-bounds read, and the border supplies the zeros.
 */
final class BorderedPlanes {
    private BorderedPlanes() {
    }

    /**
     * The {@code channels} planes of {@code h × w} at {@code src[srcOff]} into {@code dst} from
     * {@code dstOff}: plane c at {@code dstOff + c·planeSize}, row y at row {@code y + pad},
     * column {@code pad}, rows {@code rowLength} apart. The caller zeroes the border (the whole
     * destination) first.
     */
    static void copy(float[] src, int srcOff, int channels, int h, int w, int pad, int rowLength, int planeSize,
                     float[] dst, int dstOff) {
        for (int c = 0; c < channels; c++) {
            int to = dstOff + c * planeSize + pad * rowLength + pad;
            int from = srcOff + c * h * w;
            for (int y = 0; y < h; y++) {
                System.arraycopy(src, from + y * w, dst, to + y * rowLength, w);
            }
        }
    }

    /**
     * {@link #zeroBorders} and then {@link #copy} (with {@code top = pad}) in one sweep over each
     * plane, the same values: the short gaps between image rows (2 floats for padding 1) are
     * zeroed by plain stores instead of an {@code Arrays.fill} call each (the VAE's padded copies
     * fell from 4.5% to 3.7% of its training step, JFR). What is left is the copy's memory traffic:
     * a Vector-API row copy was no faster than {@code System.arraycopy} (docs/BENCHMARKS.md).
     */
    static void copyBordered(float[] src, int srcOff, int channels, int h, int w, int pad, int rowLength, int planeSize,
                             float[] dst, int dstOff) {
        int gap = rowLength - w;                                      // the right border and the next row's left
        for (int c = 0; c < channels; c++) {
            int p = dstOff + c * planeSize;
            int to = p + pad * rowLength + pad;
            int from = srcOff + c * h * w;
            java.util.Arrays.fill(dst, p, to, 0f);                   // the rows above and the first row's left border
            for (int y = 0; y < h; y++, to += rowLength, from += w) {
                System.arraycopy(src, from, dst, to, w);
                int end = Math.min(to + w + gap, p + planeSize);
                for (int i = to + w; i < end; i++) {
                    dst[i] = 0f;
                }
            }
            java.util.Arrays.fill(dst, p + (pad + h) * rowLength, p + planeSize, 0f);
        }
    }

    /**
     * Zeroes what {@link #copy} leaves alone in {@code channels} planes at {@code dst[dstOff]}: the
     * {@code top} rows above the image, the left {@code pad} and the right columns of each image row,
     * and every row below the image to the plane's end. Cheaper than zeroing the whole destination
     * when the interior is about to be overwritten (the VAE's 16- and 32-channel images, every
     * pass of every convolution).
     */
    static void zeroBorders(float[] dst, int dstOff, int channels, int h, int w, int top, int pad, int rowLength,
                            int planeSize) {
        int right = rowLength - pad - w;
        for (int c = 0; c < channels; c++) {
            int p = dstOff + c * planeSize;
            java.util.Arrays.fill(dst, p, p + top * rowLength + pad, 0f);
            for (int y = 0; y < h; y++) {
                int rowEnd = p + (top + y) * rowLength + pad + w;         // the image row's right border, the next row's left
                java.util.Arrays.fill(dst, rowEnd, Math.min(rowEnd + right + pad, p + planeSize), 0f);
            }
            java.util.Arrays.fill(dst, p + (top + h) * rowLength, p + planeSize, 0f);
        }
    }
}
