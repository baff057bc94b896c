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
}
