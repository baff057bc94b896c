package org.weightnorm4j.generative;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape of a {@link Draw} model: images {@code width × height}, {@code glimpses} steps
 * ({@code T}), encoder and decoder LSTMs of {@code hidden} units, {@code latent} units of {@code z}
 * per step, read attention {@code readN × readN} and write attention {@code writeN × writeN}.
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
        if (readN < 2 || writeN < 2) {
            throw new IllegalArgumentException("DRAW: attention grids must be at least 2x2 (read " + readN + ", write " + writeN
                    + "); the filter spacing δ divides by N − 1");
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

    /** The read vector's length: two {@code readN × readN} glimpses (of {@code x} and of the error image). */
    public int readSize() {
        return 2 * readN * readN;
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
                + ", read " + readN + "x" + readN + ", write " + writeN + "x" + writeN;
    }
}
