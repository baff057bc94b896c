package org.weightnorm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsImagesAndLabelsRawAndGzip(boolean gzip) throws Exception {
        byte[] pixels = Fixtures.randomBytes(5 * 4 * 3, 1);
        byte[] labels = {0, 9, 3, 3, 7};
        Path img = Fixtures.writeIdx(tmp, "img", new int[] {5, 4, 3}, pixels, gzip);
        Path lab = Fixtures.writeIdx(tmp, "lab", new int[] {5}, labels, gzip);
        IdxReader.IdxArray a = IdxReader.readImages(img);
        assertArrayEquals(new int[] {5, 4, 3}, a.dims());
        assertArrayEquals(pixels, a.data());
        assertArrayEquals(new int[] {0, 9, 3, 3, 7}, IdxReader.readLabels(lab, 10));
    }

    @Test
    void detectsGzipByMagicNotByName() throws Exception {
        byte[] pixels = Fixtures.randomBytes(2 * 2 * 2, 2);
        Path p = Fixtures.write(tmp.resolve("no-extension"), Fixtures.gzip(Fixtures.idx(new int[] {2, 2, 2}, pixels)));
        assertArrayEquals(pixels, IdxReader.readImages(p).data());
        Path q = Fixtures.write(tmp.resolve("raw.gz"), Fixtures.idx(new int[] {2, 2, 2}, pixels));
        assertArrayEquals(pixels, IdxReader.readImages(q).data());
    }

    @Test
    void wrongMagicNamesFileAndBytes() {
        Path p = Fixtures.write(tmp.resolve("x.idx"), new byte[] {'P', 'K', 3, 4, 0, 0, 0, 1, 5});
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.read(p));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not an IDX file") && e.getMessage().contains("50 4b 03 04"), e.getMessage());
    }

    @Test
    void unsupportedElementTypeAndDimensionCount() {
        Path f = Fixtures.write(tmp.resolve("float.idx"), new byte[] {0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0});
        assertTrue(assertThrows(DataFileException.class, () -> IdxReader.read(f)).getMessage().contains("0x0d"));
        Path d = Fixtures.write(tmp.resolve("dims.idx"), new byte[] {0, 0, 8, 9, 0, 0, 0, 1});
        assertTrue(assertThrows(DataFileException.class, () -> IdxReader.read(d)).getMessage().contains("9 dimensions"));
        Path z = Fixtures.write(tmp.resolve("zero.idx"), new byte[] {0, 0, 8, 0});
        assertTrue(assertThrows(DataFileException.class, () -> IdxReader.read(z)).getMessage().contains("0 dimensions"));
    }

    @Test
    void truncatedRawFileReportsExpectedAndActualBytes() {
        byte[] full = Fixtures.idx(new int[] {10, 4, 4}, Fixtures.randomBytes(160, 3));
        Path p = Fixtures.write(tmp.resolve("t.idx"), Arrays.copyOf(full, 100));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("expected 176 bytes") && e.getMessage().contains("got 100"), e.getMessage());
    }

    @Test
    void truncatedGzipContentReportsExpectedAndActualBytes() {
        byte[] shortContent = Arrays.copyOf(Fixtures.idx(new int[] {10, 4, 4}, Fixtures.randomBytes(160, 3)), 100);
        Path p = Fixtures.write(tmp.resolve("t.gz"), Fixtures.gzip(shortContent));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("expected 176 bytes in all, got 100"),
                e.getMessage());
    }

    @Test
    void truncatedGzipStreamNamesFile() {
        byte[] gz = Fixtures.gzip(Fixtures.idx(new int[] {50, 8, 8}, Fixtures.randomBytes(3200, 4)));
        Path p = Fixtures.write(tmp.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void trailingDataIsRejected(boolean gzip) {
        byte[] bytes = Fixtures.idx(new int[] {3}, new byte[] {1, 2, 3});
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 5);
        Path p = Fixtures.write(tmp.resolve("trail"), gzip ? Fixtures.gzip(longer) : longer);
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readLabels(p, 10));
        assertTrue(e.getMessage().contains("trailing data"), e.getMessage());
    }

    @Test
    void garbageAfterTheGzipStreamIsRejectedButConcatenatedMembersAreNot() throws Exception {
        byte[] bytes = Fixtures.idx(new int[] {3}, new byte[] {1, 2, 3});
        byte[] gz = Fixtures.gzip(bytes);
        byte[] withGarbage = Arrays.copyOf(gz, gz.length + 3);
        withGarbage[gz.length] = 'x';
        Path p = Fixtures.write(tmp.resolve("garbage.gz"), withGarbage);
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readLabels(p, 10));
        assertTrue(e.getMessage().contains("trailing data after the gzip stream"), e.getMessage());

        // The same content split over two gzip members is valid gzip and reads back whole.
        byte[] first = Fixtures.gzip(Arrays.copyOf(bytes, 6));
        byte[] second = Fixtures.gzip(Arrays.copyOfRange(bytes, 6, bytes.length));
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        Path q = Fixtures.write(tmp.resolve("members.gz"), both);
        assertArrayEquals(new int[] {1, 2, 3}, IdxReader.readLabels(q, 10));
    }

    @Test
    void gzipCrcMismatchIsReported() {
        byte[] gz = Fixtures.gzip(Fixtures.idx(new int[] {3}, new byte[] {1, 2, 3}));
        gz[gz.length - 8] ^= 1; // first byte of the stored CRC-32
        Path p = Fixtures.write(tmp.resolve("crc.gz"), gz);
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readLabels(p, 10));
        assertTrue(e.getMessage().contains("CRC mismatch"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void hugeDimensionsFailBeforeAllocating(boolean gzip) {
        long before = usedHeap();
        byte[] header = Fixtures.idx(new int[] {46340, 46340}, new byte[64]);
        Path p = Fixtures.write(tmp.resolve("huge"), gzip ? Fixtures.gzip(header) : header);
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.read(p));
        assertTrue(e.getMessage().contains("[46340, 46340]"), e.getMessage());
        Path q = Fixtures.write(tmp.resolve("overflow"), Fixtures.idx(new int[] {70000, 70000, 70000}, new byte[8]));
        assertTrue(assertThrows(DataFileException.class, () -> IdxReader.read(q)).getMessage().contains("more elements"));
        Path neg = Fixtures.write(tmp.resolve("neg"), Fixtures.idx(new int[] {-5}, new byte[8]));
        assertTrue(assertThrows(DataFileException.class, () -> IdxReader.read(neg)).getMessage().contains("positive"));
        assertTrue(usedHeap() - before < 256L << 20, "reading a lying header must not allocate its claimed size");
    }

    @Test
    void labelOutOfRangeNamesFileAndIndex() {
        Path p = Fixtures.writeIdx(tmp, "labels", new int[] {4}, new byte[] {1, 2, 10, 3}, true);
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readLabels(p, 10));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("label 10 at index 2"), e.getMessage());
    }

    @Test
    void wrongKindOfFileIsNamed() {
        Path lab = Fixtures.writeIdx(tmp, "labels", new int[] {4}, new byte[] {1, 2, 3, 4}, false);
        assertTrue(assertThrows(DataFileException.class, () -> IdxReader.readImages(lab)).getMessage().contains("label file"));
        Path img = Fixtures.writeIdx(tmp, "images", new int[] {1, 2, 2}, new byte[] {1, 2, 3, 4}, false);
        assertTrue(assertThrows(DataFileException.class, () -> IdxReader.readLabels(img, 10)).getMessage().contains("image file"));
    }

    @Test
    void missingFileIsADataFileException() {
        Path p = tmp.resolve("absent.gz");
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.read(p));
        assertEquals(p, e.file());
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
