package org.weightnorm4j.generative;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape of a {@link Draw} model: images {@code width × height}, {@code glimpses} steps
 * ({@code T}), encoder and decoder LSTMs of {@code hidden} units, {@code latent} units of {@code z}
 * per step, read attention {@code readN × readN} and write attention {@code writeN × writeN}.
 *
 * <p>{@code readN = 0} or {@code writeN = 0} means <b>no attention</b> on that side, Gregor et
 * al.'s baseline (§3.2, "reading and writing without attention"): the read is the whole image and
 * the whole error image, {@code r_t = [x, x̂_t]} ({@code 2·width·height} values), and the write
 * adds a whole image to the canvas, {@code c_t = c_{t−1} + write_w(h_dec)} with
 * {@code write_w = Linear(H, width·height)}. Each side is chosen on its own.
 *
 * @see #paper() the configuration of Salimans &amp; Kingma §5.3 (DRAW with attention, Gregor et al. table 3)
 */
public record DrawConfig(int width, int height, int glimpses, int hidden, int latent, int readN, int writeN)
        implements java.io.Serializable {

    public DrawConfig {
        if (width < 1 || height < 1 || glimpses < 1 || hidden < 1 || latent < 1) {
            throw new IllegalArgumentException("DRAW: image " + width + "x" + height + ", glimpses " + glimpses
                    + ", hidden " + hidden + ", latent " + latent + ": all must be at least 1");
        }
        if (!validGrid(readN) || !validGrid(writeN)) {
            throw new IllegalArgumentException("DRAW: read " + readN + ", write " + writeN + ": each must be 0 (no attention:"
                    + " read the whole image, write a whole image) or an attention grid of at least 2 (N x N; the filter"
                    + " spacing δ divides by N − 1)");
        }
    }

    /** The paper's: 28×28 MNIST, 64 glimpses, LSTMs of 256, latent 100, read 2×2, write 5×5. */
    public static DrawConfig paper() {
        return new DrawConfig(28, 28, 64, 256, 100, 2, 5);
    }

    /** Pixels per image. */
    public int pixels() {
        return width * height;
    }

    private static boolean validGrid(int n) {
        return n == 0 || n >= 2;
    }

    /** Whether the read goes through an attention grid ({@code readN ≥ 2}); if not, it is the whole image. */
    public boolean readAttention() {
        return readN > 0;
    }

    /** Whether the write goes through an attention grid ({@code writeN ≥ 2}); if not, it writes a whole image. */
    public boolean writeAttention() {
        return writeN > 0;
    }

    /**
     * The read vector's length: two {@code readN × readN} glimpses (of {@code x} and of the error
     * image), or without read attention the two whole images.
     */
    public int readSize() {
        return readAttention() ? 2 * readN * readN : 2 * pixels();
    }

    /** What {@code write_w} writes per step: a {@code writeN × writeN} patch, or without write attention a whole image. */
    public int writeSize() {
        return writeAttention() ? writeN * writeN : pixels();
    }

    public DrawConfig withGlimpses(int t) {
        return new DrawConfig(width, height, t, hidden, latent, readN, writeN);
    }

    /** For summaries and checkpoints, in a fixed order. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("width", width);
        m.put("height", height);
        m.put("glimpses", glimpses);
        m.put("hidden", hidden);
        m.put("latent", latent);
        m.put("read", readN);
        m.put("write", writeN);
        return m;
    }

    @Override
    public String toString() {
        return "DRAW " + width + "x" + height + ", T " + glimpses + ", hidden " + hidden + ", latent " + latent
                + ", read " + side(readN) + ", write " + side(writeN);
    }

    private static String side(int n) {
        return n == 0 ? "whole image (no attention)" : n + "x" + n;
    }
}
