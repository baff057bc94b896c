package org.weightnorm4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A gzip decoder (RFC 1952) that accepts nothing but gzip: unlike {@link java.util.zip.GZIPInputStream},
 * which silently ignores bytes after the last member that do not form a valid header, this one
 * fails on them, and on a stream that ends before its end marker, a bad header, a CRC or length
 * mismatch in a member's trailer. Concatenated members are allowed (they are valid gzip). Every
 * failure is a {@link DataFileException} naming the file.
 */
final class StrictGzipInputStream extends InputStream {
    private static final int FTEXT_MASK_RESERVED = 0xE0;
    private static final int FHCRC = 0x02;
    private static final int FEXTRA = 0x04;
    private static final int FNAME = 0x08;
    private static final int FCOMMENT = 0x10;

    private final InputStream in;
    private final Path file;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int lim;
    private long consumed;
    private long memberBytes;
    private boolean finished;

    StrictGzipInputStream(InputStream in, Path file) throws IOException {
        this.in = in;
        this.file = file;
        readHeader();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (finished) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        while (true) {
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw new DataFileException(file, "corrupt gzip data near compressed byte " + consumed + " ("
                        + e.getMessage() + "); fetch the file again");
            }
            pos = lim - inflater.getRemaining();
            if (n > 0) {
                crc.update(b, off, n);
                memberBytes += n;
                return n;
            }
            if (inflater.finished()) {
                readTrailer();
                if (!fill()) {
                    finished = true;
                    return -1;
                }
                readHeader();
            } else if (inflater.needsDictionary()) {
                throw new DataFileException(file, "corrupt gzip data (asks for a preset dictionary)");
            } else if (inflater.needsInput()) {
                if (!fill()) {
                    throw new DataFileException(file, "truncated: the gzip stream ends after " + consumed
                            + " bytes, before its end marker; fetch the file again");
                }
                inflater.setInput(buf, pos, lim - pos);
            } else {
                throw new DataFileException(file, "corrupt gzip data near compressed byte " + consumed
                        + " (the decoder cannot make progress)");
            }
        }
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }

    /** Makes at least one unread byte available; false at the end of the file. */
    private boolean fill() throws IOException {
        if (pos < lim) {
            return true;
        }
        int r = in.read(buf, 0, buf.length);
        if (r <= 0) {
            return false;
        }
        consumed += r;
        pos = 0;
        lim = r;
        return true;
    }

    private int readByte(String what) throws IOException {
        if (!fill()) {
            throw new DataFileException(file, "truncated: the gzip stream ends inside its " + what);
        }
        return buf[pos++] & 0xff;
    }

    private void readHeader() throws IOException {
        int id1 = readByte("header");
        int id2 = readByte("header");
        if (id1 != 0x1f || id2 != 0x8b) {
            throw new DataFileException(file, String.format("trailing data after the gzip stream (bytes %02x %02x"
                    + " where a new gzip member or the end of the file should be); the file is corrupt", id1, id2));
        }
        int method = readByte("header");
        if (method != 8) {
            throw new DataFileException(file, "gzip compression method " + method + " is not deflate (8); corrupt file");
        }
        int flags = readByte("header");
        if ((flags & FTEXT_MASK_RESERVED) != 0) {
            throw new DataFileException(file, String.format("gzip header has reserved flag bits set (0x%02x); corrupt file", flags));
        }
        for (int i = 0; i < 6; i++) {
            readByte("header"); // mtime (4), extra flags, OS
        }
        if ((flags & FEXTRA) != 0) {
            int xlen = readByte("header") | (readByte("header") << 8);
            for (int i = 0; i < xlen; i++) {
                readByte("header extra field");
            }
        }
        if ((flags & FNAME) != 0) {
            skipZeroTerminated("header file name");
        }
        if ((flags & FCOMMENT) != 0) {
            skipZeroTerminated("header comment");
        }
        if ((flags & FHCRC) != 0) {
            readByte("header");
            readByte("header");
        }
        inflater.reset();
        crc.reset();
        memberBytes = 0;
        inflater.setInput(buf, pos, lim - pos);
    }

    private void skipZeroTerminated(String what) throws IOException {
        for (int i = 0; readByte(what) != 0; i++) {
            if (i > 1 << 16) {
                throw new DataFileException(file, "gzip " + what + " is not terminated within 64 KiB; corrupt file");
            }
        }
    }

    private void readTrailer() throws IOException {
        long storedCrc = readLe32();
        long storedSize = readLe32();
        if (storedCrc != crc.getValue()) {
            throw new DataFileException(file, String.format("gzip CRC mismatch (stored %08x, computed %08x): the content"
                    + " is corrupt; fetch the file again", storedCrc, crc.getValue()));
        }
        if (storedSize != (memberBytes & 0xffffffffL)) {
            throw new DataFileException(file, "gzip length mismatch (trailer says " + storedSize + " bytes, decompressed "
                    + memberBytes + "); corrupt file");
        }
    }

    private long readLe32() throws IOException {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (long) readByte("trailer") << (8 * i);
        }
        return v;
    }
}
