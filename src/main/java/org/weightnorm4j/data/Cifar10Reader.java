package org.weightnorm4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Reads the binary version of CIFAR-10 ({@code data_batch_1.bin} .. {@code data_batch_5.bin},
 * {@code test_batch.bin}), raw or gzip-compressed (detected by magic bytes).
 *
 * <p>Format: a sequence of records, each 1 label byte (0..9) followed by 3072 pixel bytes: the
 * 1024 red values of the 32x32 image row by row, then green, then blue, i.e. CHW order, which is
 * our NCHW layout already. There is no header, so the checks are: the length is a positive
 * multiple of 3073 and every label is below 10.
 */
public final class Cifar10Reader {
    public static final int CHANNELS = 3;
    public static final int SIZE = 32;
    public static final int PIXELS = CHANNELS * SIZE * SIZE;
    public static final int RECORD = 1 + PIXELS;
    public static final int CLASSES = 10;
    /** No CIFAR-10 file holds more records than this (the official batches hold 10000). */
    public static final int MAX_RECORDS = 60000;

    private Cifar10Reader() {
    }

    /** One batch file: pixels {@code [count, 3, 32, 32]} as unsigned bytes and labels. */
    public record CifarBatch(Path file, byte[] pixels, int[] labels) {
        public int count() {
            return labels.length;
        }
    }

    /** Reads and validates one batch file. */
    public static CifarBatch read(Path file) throws DataFileException {
        try {
            boolean gzip = DataFiles.isGzip(file);
            long capacity = Math.min(DataFiles.maxContentBytes(file, gzip), (long) MAX_RECORDS * RECORD);
            byte[] all;
            try (InputStream in = DataFiles.open(file, gzip)) {
                all = DataFiles.readAll(in, capacity, file);
            }
            if (all.length == 0 || all.length % RECORD != 0) {
                throw new DataFileException(file, "is " + all.length + " bytes" + (gzip ? " decompressed" : "")
                        + ", not a positive multiple of the CIFAR-10 record size " + RECORD
                        + " (1 label byte + 3072 pixels): truncated, corrupt, or not a CIFAR-10 binary batch"
                        + " (the Python pickle version is not supported; use cifar-10-binary.tar.gz)");
            }
            int n = all.length / RECORD;
            byte[] pixels = new byte[n * PIXELS];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                int label = all[i * RECORD] & 0xff;
                if (label >= CLASSES) {
                    throw new DataFileException(file, "record " + i + " (byte " + ((long) i * RECORD) + ") has label "
                            + label + "; CIFAR-10 labels are 0..9: the file is corrupt or not a CIFAR-10 batch");
                }
                labels[i] = label;
                System.arraycopy(all, i * RECORD + 1, pixels, i * PIXELS, PIXELS);
            }
            return new CifarBatch(file, pixels, labels);
        } catch (IOException e) {
            throw DataFiles.wrap(file, e);
        }
    }
}
