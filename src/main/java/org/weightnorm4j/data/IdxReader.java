package org.weightnorm4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST, raw or gzip-compressed (detected by the
 * gzip magic bytes, not by the file name).
 *
 * <p>Format: a 4-byte magic {@code 00 00 TT DD} ({@code TT} the element type, {@code 08} = unsigned
 * byte, the only type these datasets use; {@code DD} the number of dimensions), then {@code DD}
 * big-endian 32-bit dimension sizes, then the elements in row-major order. Nothing else may follow.
 *
 * <p>Everything is validated before it is trusted: the magic, the type, the dimension count, each
 * dimension, and the data length the dimensions imply against what the file can hold (its size, or
 * for gzip the deflate bound), so that a corrupt header claiming billions of elements fails with a
 * clear message instead of allocating gigabytes. Every failure is a {@link DataFileException}
 * naming the file.
 */
public final class IdxReader {
    /** Element type code of unsigned bytes. */
    public static final int UBYTE = 0x08;
    /** At most this many dimensions (images use 3, labels 1). */
    public static final int MAX_DIMS = 4;

    private IdxReader() {
    }

    /** An IDX array: its dimensions and its unsigned-byte elements in row-major order. */
    public record IdxArray(Path file, int[] dims, byte[] data) {
        /** Number of elements. */
        public int size() {
            return data.length;
        }
    }

    /** Reads any unsigned-byte IDX file. */
    public static IdxArray read(Path file) throws DataFileException {
        try {
            boolean gzip = DataFiles.isGzip(file);
            long capacity = DataFiles.maxContentBytes(file, gzip);
            try (InputStream in = DataFiles.open(file, gzip)) {
                byte[] magic = DataFiles.readExactly(in, 4, 0, file, "the IDX magic number");
                int dimCount = checkMagic(file, magic);
                byte[] header = DataFiles.readExactly(in, 4L * dimCount, 4, file, "the " + dimCount + " IDX dimensions");
                int[] dims = new int[dimCount];
                long elements = 1;
                for (int i = 0; i < dimCount; i++) {
                    dims[i] = ((header[4 * i] & 0xff) << 24) | ((header[4 * i + 1] & 0xff) << 16)
                            | ((header[4 * i + 2] & 0xff) << 8) | (header[4 * i + 3] & 0xff);
                    if (dims[i] <= 0) {
                        throw new DataFileException(file, "dimension " + i + " of the IDX header is " + dims[i]
                                + "; every dimension must be positive (corrupt header)");
                    }
                    elements *= dims[i];
                    if (elements > Integer.MAX_VALUE - 8) {
                        throw new DataFileException(file, "the IDX header claims dimensions " + describe(dims, i + 1)
                                + ", more elements than one array can hold (corrupt header)");
                    }
                }
                long headerBytes = 4 + 4L * dimCount;
                if (headerBytes + elements > capacity) {
                    throw new DataFileException(file, (gzip ? "" : "truncated or corrupt: ")
                            + "the IDX header claims dimensions " + Arrays.toString(dims) + " = " + elements
                            + " bytes of data, but the file " + (gzip ? "cannot decompress to more than " + capacity
                            + " bytes (corrupt header)" : "has only " + (capacity - headerBytes)
                            + " bytes after its header (expected " + (headerBytes + elements) + " bytes in all, got "
                            + capacity + ")"));
                }
                if (!gzip && headerBytes + elements < capacity) {
                    throw new DataFileException(file, "trailing data: the IDX header claims dimensions "
                            + Arrays.toString(dims) + " = " + (headerBytes + elements) + " bytes in all, but the file has "
                            + capacity + " bytes");
                }
                byte[] data = DataFiles.readExactly(in, elements, headerBytes, file,
                        "the IDX data of dimensions " + Arrays.toString(dims));
                DataFiles.requireEnd(in, headerBytes + elements, file);
                return new IdxArray(file, dims, data);
            }
        } catch (IOException e) {
            throw DataFiles.wrap(file, e);
        }
    }

    /** Reads images: an IDX file of 3 dimensions {@code [count, rows, columns]}. */
    public static IdxArray readImages(Path file) throws DataFileException {
        IdxArray a = read(file);
        if (a.dims().length != 3) {
            throw new DataFileException(file, "expected an image file of 3 dimensions [count, rows, columns], but it has "
                    + a.dims().length + " " + Arrays.toString(a.dims()) + "; is it a label file?");
        }
        return a;
    }

    /**
     * Reads labels: an IDX file of 1 dimension, every value below {@code classes}.
     *
     * @throws DataFileException naming the file and the first index whose label is out of range
     */
    public static int[] readLabels(Path file, int classes) throws DataFileException {
        IdxArray a = read(file);
        if (a.dims().length != 1) {
            throw new DataFileException(file, "expected a label file of 1 dimension, but it has " + a.dims().length
                    + " " + Arrays.toString(a.dims()) + "; is it an image file?");
        }
        byte[] d = a.data();
        int[] labels = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            labels[i] = d[i] & 0xff;
            if (labels[i] >= classes) {
                throw new DataFileException(file, "label " + labels[i] + " at index " + i + " is out of range: this dataset has "
                        + classes + " classes (0.." + (classes - 1) + ")");
            }
        }
        return labels;
    }

    private static int checkMagic(Path file, byte[] m) throws DataFileException {
        if (m[0] != 0 || m[1] != 0) {
            throw new DataFileException(file, String.format(
                    "not an IDX file: it starts with bytes %02x %02x %02x %02x, an IDX file starts with 00 00 08 0n"
                            + " (MNIST / Fashion-MNIST files, raw or gzip)", m[0] & 0xff, m[1] & 0xff, m[2] & 0xff, m[3] & 0xff));
        }
        if ((m[2] & 0xff) != UBYTE) {
            throw new DataFileException(file, String.format(
                    "IDX element type 0x%02x is not supported; only unsigned bytes (0x08) are, as in MNIST and Fashion-MNIST",
                    m[2] & 0xff));
        }
        int dims = m[3] & 0xff;
        if (dims < 1 || dims > MAX_DIMS) {
            throw new DataFileException(file, "the IDX header declares " + dims + " dimensions; expected 1 to " + MAX_DIMS);
        }
        return dims;
    }

    private static String describe(int[] dims, int n) {
        return Arrays.toString(Arrays.copyOf(dims, n)).replace(", ", "x");
    }
}
