package org.weightnorm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Cifar10ReaderTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsRecordsRawAndGzip(boolean gzip) throws Exception {
        byte[] labels = {3, 0, 9};
        byte[] pixels = Fixtures.randomBytes(3 * Cifar10Reader.PIXELS, 7);
        byte[] bytes = Fixtures.cifar(labels, pixels);
        Path p = Fixtures.write(tmp.resolve("data_batch_1.bin"), gzip ? Fixtures.gzip(bytes) : bytes);
        Cifar10Reader.CifarBatch b = Cifar10Reader.read(p);
        assertArrayEquals(new int[] {3, 0, 9}, b.labels());
        assertArrayEquals(pixels, b.pixels());
    }

    @Test
    void lengthNotAMultipleOfTheRecordIsRejected() {
        byte[] bytes = Fixtures.cifar(new byte[] {1, 2}, Fixtures.randomBytes(2 * Cifar10Reader.PIXELS, 8));
        Path p = Fixtures.write(tmp.resolve("cut.bin"), Arrays.copyOf(bytes, bytes.length - 10));
        DataFileException e = assertThrows(DataFileException.class, () -> Cifar10Reader.read(p));
        assertTrue(e.getMessage().startsWith(p.toString()) && e.getMessage().contains("6136 bytes")
                && e.getMessage().contains("3073"), e.getMessage());
        Path empty = Fixtures.write(tmp.resolve("empty.bin"), new byte[0]);
        assertThrows(DataFileException.class, () -> Cifar10Reader.read(empty));
    }

    @Test
    void labelAboveNineNamesRecord() {
        byte[] bytes = Fixtures.cifar(new byte[] {1, 2, 10}, Fixtures.randomBytes(3 * Cifar10Reader.PIXELS, 9));
        Path p = Fixtures.write(tmp.resolve("bad.bin"), bytes);
        DataFileException e = assertThrows(DataFileException.class, () -> Cifar10Reader.read(p));
        assertTrue(e.getMessage().contains("record 2") && e.getMessage().contains("label 10"), e.getMessage());
    }
}
