package org.weightnorm4j.report;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * An animated PNG (APNG, the PNG format with its animation chunks {@code acTL}, {@code fcTL},
 * {@code fdAT}; every current browser plays it, and a viewer that does not shows the first frame):
 * grayscale frames of one size, looping. Why APNG rather than GIF: it is a PNG, so a report embeds
 * it as a {@link Block.Picture} like any other image, and a single self-contained HTML page animates
 * (DRAW's canvas being drawn glimpse by glimpse).
 */
public final class AnimatedPng {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private AnimatedPng() {
    }

    /**
     * The APNG bytes of {@code frames} ({@code width × height} gray levels 0–255 each, row-major),
     * each shown {@code delayMs} milliseconds except the last, shown {@code lastDelayMs}; loops forever.
     */
    public static byte[] gray(List<byte[]> frames, int width, int height, int delayMs, int lastDelayMs) {
        if (frames.isEmpty() || width < 1 || height < 1 || delayMs < 1 || lastDelayMs < 1 || delayMs > 65_535 || lastDelayMs > 65_535) {
            throw new IllegalArgumentException("animated PNG: " + frames.size() + " frames of " + width + "×" + height
                    + ", delays " + delayMs + " and " + lastDelayMs + " ms (need at least one frame, delays 1..65535)");
        }
        for (byte[] f : frames) {
            if (f.length != width * height) {
                throw new IllegalArgumentException("animated PNG: a frame has " + f.length + " pixels, not " + width * height);
            }
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(SIGNATURE);
            ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
            DataOutputStream h = new DataOutputStream(ihdr);
            h.writeInt(width);
            h.writeInt(height);
            h.writeByte(8);          // bit depth
            h.writeByte(0);          // grayscale
            h.writeByte(0);          // deflate
            h.writeByte(0);          // adaptive filtering (we use filter 0 on every row)
            h.writeByte(0);          // no interlace
            chunk(out, "IHDR", ihdr.toByteArray());
            ByteArrayOutputStream actl = new ByteArrayOutputStream();
            DataOutputStream a = new DataOutputStream(actl);
            a.writeInt(frames.size());
            a.writeInt(0);           // loop forever
            chunk(out, "acTL", actl.toByteArray());
            int sequence = 0;
            for (int k = 0; k < frames.size(); k++) {
                ByteArrayOutputStream fctl = new ByteArrayOutputStream();
                DataOutputStream f = new DataOutputStream(fctl);
                f.writeInt(sequence++);
                f.writeInt(width);
                f.writeInt(height);
                f.writeInt(0);
                f.writeInt(0);
                f.writeShort(k == frames.size() - 1 ? lastDelayMs : delayMs);
                f.writeShort(1000);  // delay in milliseconds
                f.writeByte(0);      // dispose: none
                f.writeByte(0);      // blend: source (frames are full and opaque)
                chunk(out, "fcTL", fctl.toByteArray());
                byte[] data = compress(frames.get(k), width, height);
                if (k == 0) {
                    chunk(out, "IDAT", data);
                } else {
                    ByteArrayOutputStream fd = new ByteArrayOutputStream();
                    DataOutputStream d = new DataOutputStream(fd);
                    d.writeInt(sequence++);
                    d.write(data);
                    chunk(out, "fdAT", fd.toByteArray());
                }
            }
            chunk(out, "IEND", new byte[0]);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // in-memory streams do not fail
        }
    }

    /** Gray levels for intensities in [0, 1] (clamped; NaN is black), 1 white as MNIST digits are drawn. */
    public static byte[] grayLevels(double[] intensities) {
        byte[] out = new byte[intensities.length];
        for (int i = 0; i < out.length; i++) {
            double v = intensities[i];
            out[i] = (byte) Math.round(255 * Math.max(0, Math.min(1, Double.isNaN(v) ? 0 : v)));
        }
        return out;
    }

    private static byte[] compress(byte[] frame, int width, int height) throws IOException {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(z, new Deflater(Deflater.BEST_COMPRESSION))) {
            for (int y = 0; y < height; y++) {
                d.write(0);          // filter type 0 (none) for this row
                d.write(frame, y * width, width);
            }
        }
        return z.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(data.length);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }
}
