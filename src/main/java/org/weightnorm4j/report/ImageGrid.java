package org.weightnorm4j.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * A grid of small grayscale images (MNIST digits, a VAE's samples) as one PNG: {@code cols} images
 * per row, each pixel drawn as a {@code scale × scale} block, one pixel of gutter between
 * images, mid-grey so that black digit backgrounds stay apart. Intensities are clamped to [0, 1];
 * 1 is white, as the digits are drawn in MNIST.
 */
public final class ImageGrid {
    /** The grey of the lines between images. */
    static final int GUTTER = 96;

    private ImageGrid() {
    }

    /**
     * @param pixels {@code count} images of {@code height × width} intensities, row-major, one after the other
     * @return the PNG bytes
     */
    public static byte[] png(float[] pixels, int count, int height, int width, int cols, int scale) {
        if (count < 1 || height < 1 || width < 1 || cols < 1 || scale < 1 || pixels.length < count * height * width) {
            throw new IllegalArgumentException("image grid: " + count + " images of " + height + "×" + width + " in " + cols
                    + " columns at scale " + scale + " need " + (long) count * height * width + " pixels, got " + pixels.length);
        }
        Headless.ensure();
        int rows = (count + cols - 1) / cols;
        int cellW = width * scale + 1, cellH = height * scale + 1;
        BufferedImage img = new BufferedImage(cols * cellW + 1, rows * cellH + 1, BufferedImage.TYPE_BYTE_GRAY);
        var raster = img.getRaster();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                raster.setSample(x, y, 0, GUTTER);
            }
        }
        for (int k = 0; k < count; k++) {
            int ox = (k % cols) * cellW + 1, oy = (k / cols) * cellH + 1;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    float v = pixels[(k * height + y) * width + x];
                    int g = Math.round(255 * Math.max(0, Math.min(1, Float.isNaN(v) ? 0 : v)));
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            raster.setSample(ox + x * scale + dx, oy + y * scale + dy, 0, g);
                        }
                    }
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", out)) {
                throw new IllegalStateException("no PNG writer in this JVM");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
