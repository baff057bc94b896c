package org.weightnorm4j.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal reader of POSIX tar archives (ustar, as {@code npm pack} and the CIFAR-10 tarball are
 * written), enough to stream the regular files out of one: each entry is a 512-byte header (name at
 * offset 0, size in octal at 124, type at 156, ustar prefix at 345) followed by its data padded to
 * 512 bytes; two zero blocks end the archive. GNU long names ({@code 'L'} entries) are honoured;
 * pax headers, links and directories are skipped. The caller decompresses (a {@code .tar.gz} is a
 * {@link java.util.zip.GZIPInputStream} around the tar).
 */
final class TarReader {
    private static final int BLOCK = 512;

    /** One regular file of the archive: its path and a stream of exactly its bytes. */
    record Entry(String name, long size, InputStream content) {
    }

    private final InputStream in;
    private long remaining;
    private long padding;

    TarReader(InputStream in) {
        this.in = in;
    }

    /** The next regular file, or null at the end; the previous entry's unread bytes are skipped. */
    Entry next() throws IOException {
        String longName = null;
        while (true) {
            skipFully(remaining + padding);
            remaining = 0;
            padding = 0;
            byte[] header = new byte[BLOCK];
            if (!readBlock(header) || isZero(header)) {
                return null;                                          // end of archive (or a truncated one's end)
            }
            long size = octal(header, 124, 12);
            if (size < 0) {
                throw new IOException("tar: corrupt header (size field is not octal)");
            }
            char type = (char) header[156];
            remaining = size;
            padding = (BLOCK - size % BLOCK) % BLOCK;
            if (type == 'L') {                                        // GNU long name: the data is the next entry's name
                byte[] name = new byte[(int) Math.min(size, 1 << 16)];
                readFully(name);
                remaining -= name.length;
                longName = cString(name, 0, name.length);
                continue;
            }
            if (type != '0' && type != '\0') {
                longName = null;                                      // directory, link, pax header: skipped
                continue;
            }
            String name = longName != null ? longName : fullName(header);
            longName = null;
            return new Entry(name, size, new EntryStream());
        }
    }

    private static String fullName(byte[] header) {
        String name = cString(header, 0, 100);
        boolean ustar = new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        String prefix = ustar ? cString(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    /** An octal number, NUL- or space-terminated; -1 if it is not one. */
    private static long octal(byte[] b, int off, int len) {
        long v = 0;
        boolean any = false;
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            if (c == 0 || c == ' ') {
                if (any) {
                    break;
                }
                continue;
            }
            if (c < '0' || c > '7') {
                return -1;
            }
            v = v * 8 + (c - '0');
            any = true;
        }
        return v;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private boolean readBlock(byte[] b) throws IOException {
        int n = in.readNBytes(b, 0, b.length);
        if (n == 0) {
            return false;
        }
        if (n < b.length) {
            throw new EOFException("tar: archive ends inside a header");
        }
        return true;
    }

    private void readFully(byte[] b) throws IOException {
        if (in.readNBytes(b, 0, b.length) < b.length) {
            throw new EOFException("tar: archive ends inside an entry");
        }
    }

    private void skipFully(long n) throws IOException {
        while (n > 0) {
            long skipped = in.skip(n);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("tar: archive ends inside an entry");
                }
                skipped = 1;
            }
            n -= skipped;
        }
    }

    /** The current entry's bytes; closing it does not close the archive. */
    private final class EntryStream extends InputStream {
        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int c = in.read();
            if (c < 0) {
                throw new EOFException("tar: archive ends inside an entry");
            }
            remaining--;
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int r = in.read(b, off, (int) Math.min(len, remaining));
            if (r < 0) {
                throw new EOFException("tar: archive ends inside an entry");
            }
            remaining -= r;
            return r;
        }

        @Override
        public long skip(long n) {
            return 0;                                                // the reader skips what is left itself
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(remaining, in.available());
        }

        @Override
        public void close() {
        }
    }
}
