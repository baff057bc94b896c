package org.weightnorm4j.data;

import java.util.SplittableRandom;

/**
 * Training-time augmentation of one image {@code [C, H, W]}: a random horizontal flip (with
 * probability 1/2) and a random translation by up to {@code maxShift} pixels in each direction,
 * the "pad by {@code maxShift} with zeros, then crop back to H x W at a random offset" scheme.
 * Pixels shifted in from outside are 0, which after normalisation is the channel mean.
 *
 * <p>Each image draws, in this order: flip (if enabled), then dy, then dx (each uniform in
 * {@code [-maxShift, maxShift]}); so a fixed random stream gives a fixed augmentation.
 *
 * @param flip whether to flip horizontally with probability 1/2
 * @param maxShift the largest translation in pixels (0: none)
 */
public record Augmentation(boolean flip, int maxShift) {
    /** No augmentation. */
    public static final Augmentation NONE = new Augmentation(false, 0);

    public Augmentation {
        if (maxShift < 0) {
            throw new IllegalArgumentException("maxShift must be >= 0, got " + maxShift);
        }
    }

    public boolean isNone() {
        return !flip && maxShift == 0;
    }

    /**
     * Augments the image at {@code data[off ..]} in place.
     *
     * @param scratch at least {@code c*h*w} floats of work space
     */
    public void apply(float[] data, int off, int c, int h, int w, SplittableRandom rng, float[] scratch) {
        if (flip && rng.nextBoolean()) {
            flipHorizontal(data, off, c, h, w);
        }
        if (maxShift > 0) {
            int dy = rng.nextInt(-maxShift, maxShift + 1);
            int dx = rng.nextInt(-maxShift, maxShift + 1);
            if (dy != 0 || dx != 0) {
                int size = c * h * w;
                System.arraycopy(data, off, scratch, 0, size);
                translate(scratch, 0, data, off, c, h, w, dy, dx);
            }
        }
    }

    /** Mirrors each row of the image at {@code data[off ..]} in place: {@code x[y][j] ↔ x[y][w-1-j]}. */
    public static void flipHorizontal(float[] data, int off, int c, int h, int w) {
        for (int row = 0; row < c * h; row++) {
            int base = off + row * w;
            for (int i = 0, j = w - 1; i < j; i++, j--) {
                float t = data[base + i];
                data[base + i] = data[base + j];
                data[base + j] = t;
            }
        }
    }

    /**
     * {@code dst[y][x] = src[y - dy][x - dx]}, 0 where that falls outside the image: the content
     * moves down by {@code dy} and right by {@code dx}. {@code src} and {@code dst} must not overlap.
     */
    public static void translate(float[] src, int srcOff, float[] dst, int dstOff, int c, int h, int w, int dy, int dx) {
        for (int ch = 0; ch < c; ch++) {
            int plane = ch * h * w;
            for (int y = 0; y < h; y++) {
                int sy = y - dy;
                int d = dstOff + plane + y * w;
                if (sy < 0 || sy >= h) {
                    java.util.Arrays.fill(dst, d, d + w, 0f);
                    continue;
                }
                int s = srcOff + plane + sy * w;
                int x0 = Math.max(0, dx);
                int x1 = Math.min(w, w + dx);
                java.util.Arrays.fill(dst, d, d + Math.min(x0, w), 0f);
                if (x1 > x0) {
                    System.arraycopy(src, s + x0 - dx, dst, d + x0, x1 - x0);
                }
                if (x1 < w) {
                    java.util.Arrays.fill(dst, d + Math.max(x1, 0), d + w, 0f);
                }
            }
        }
    }
}
