package org.weightnorm4j.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Bounded, validating reads of data files that may be gzip-compressed.
 *
 * <p>Why this class exists: a corrupt or hostile header can claim any size. Every read here is
 * bounded by what the file can actually hold, and buffers grow only as data really arrives, so a
 * lying header costs at most about twice the data actually present, never gigabytes.
 */
final class DataFiles {
    /**
     * Deflate cannot compress better than about 1032:1, so a gzip file of {@code s} bytes cannot
     * decompress to more than {@code 1032 s} bytes (plus a little slack for tiny files).
     */
    static final long GZIP_MAX_RATIO = 1032;
    private static final int FIRST_CHUNK = 1 << 20;

    private DataFiles() {
    }

    /** True when the file starts with the gzip magic bytes {@code 1f 8b} (its name does not matter). */
    static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            int b0 = in.read();
            int b1 = in.read();
            return b0 == 0x1f && b1 == 0x8b;
        }
    }

    /** Opens the file, decompressing on the fly when it is gzip (strictly: see {@link StrictGzipInputStream}). */
    static InputStream open(Path file, boolean gzip) throws IOException {
        if (gzip) {
            InputStream raw = Files.newInputStream(file);
            try {
                return new StrictGzipInputStream(raw, file);
            } catch (IOException | RuntimeException e) {
                raw.close();
                throw e;
            }
        }
        return new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    }

    /** The most content bytes the file can hold: its size, or the deflate bound for gzip. */
    static long maxContentBytes(Path file, boolean gzip) throws IOException {
        long size = Files.size(file);
        return gzip ? size * GZIP_MAX_RATIO + (1 << 16) : size;
    }

    /**
     * Reads exactly {@code n} bytes, allocating progressively as data arrives.
     *
     * @param what describes the bytes in the error message, e.g. "60000 images of 28x28"
     */
    static byte[] readExactly(InputStream in, long n, long offset, Path file, String what) throws IOException {
        if (n > Integer.MAX_VALUE - 8) {
            throw new DataFileException(file, what + " would need " + n + " bytes, more than one array can hold");
        }
        int total = (int) n;
        byte[] buf = new byte[Math.min(total, FIRST_CHUNK)];
        int filled = 0;
        while (filled < total) {
            if (filled == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(total, 2L * buf.length));
            }
            int r = in.read(buf, filled, buf.length - filled);
            if (r < 0) {
                throw new DataFileException(file, "truncated: " + what + " take " + total + " bytes from byte "
                        + offset + " on, but the data ends after " + filled + " of them (expected "
                        + (offset + total) + " bytes in all, got " + (offset + filled) + "); fetch the file again");
            }
            filled += r;
        }
        return buf;
    }

    /** Reads the whole rest of the stream, at most {@code cap} bytes. */
    static byte[] readAll(InputStream in, long cap, Path file) throws IOException {
        byte[] buf = new byte[(int) Math.min(Math.min(cap, Integer.MAX_VALUE - 8), FIRST_CHUNK)];
        int filled = 0;
        while (true) {
            if (filled == buf.length) {
                if (filled >= cap || filled >= Integer.MAX_VALUE - 8) {
                    if (in.read() < 0) {
                        return buf;
                    }
                    throw new DataFileException(file, "holds more than " + filled + " bytes, more than expected");
                }
                buf = Arrays.copyOf(buf, (int) Math.min(Math.min(cap, Integer.MAX_VALUE - 8), 2L * buf.length));
            }
            int r = in.read(buf, filled, buf.length - filled);
            if (r < 0) {
                return Arrays.copyOf(buf, filled);
            }
            filled += r;
        }
    }

    /** Fails unless the stream is at its end (for gzip, reading on also checks the CRC trailer). */
    static void requireEnd(InputStream in, long expected, Path file) throws IOException {
        if (in.read() >= 0) {
            throw new DataFileException(file, "trailing data: the header describes exactly " + expected
                    + " bytes but the file holds more; it is corrupt or not the file its header says");
        }
    }

    /** Wraps a low-level read failure (gzip CRC, zlib error, ...) so that it names the file. */
    static DataFileException wrap(Path file, IOException e) {
        if (e instanceof DataFileException d) {
            return d;
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException) {
            return new DataFileException(file, "no such file", e);
        }
        return new DataFileException(file, "cannot be read: " + detail
                + " (corrupt or truncated; fetch it again)", e);
    }
}
