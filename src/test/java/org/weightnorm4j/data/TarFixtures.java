package org.weightnorm4j.data;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Writes small ustar archives (gzip them with {@link Fixtures#gzip}) for the fetchers' tests. */
final class TarFixtures {
    private TarFixtures() {
    }

    /** A tar of these files (path → bytes), in order, with a directory entry first as real archives have. */
    static byte[] tar(String directory, Map<String, byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (directory != null) {
            header(out, directory, 0, '5');
        }
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            header(out, e.getKey(), e.getValue().length, '0');
            out.writeBytes(e.getValue());
            out.writeBytes(new byte[(512 - e.getValue().length % 512) % 512]);
        }
        out.writeBytes(new byte[1024]);                                    // two zero blocks end the archive
        return out.toByteArray();
    }

    private static void header(ByteArrayOutputStream out, String name, long size, char type) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 108, "0001750");
        put(h, 116, "0001750");
        put(h, 124, String.format("%011o", size));
        put(h, 136, String.format("%011o", 0));
        h[156] = (byte) type;
        put(h, 257, "ustar");
        put(h, 263, "00");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';                                                    // the checksum counts its own field as spaces
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        out.writeBytes(h);
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }
}
