package org.weightnorm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of the IDX and CIFAR-10 readers (issue 7, item 1): truncations at random offsets,
 * random bit flips, headers claiming random (often huge) dimensions, and garbage appended, raw and gzip. Each case
 * must end in a {@link DataFileException} naming the file or in a correct read: never another
 * exception, an OutOfMemoryError, a hang, or data other than what was written.
 */
class ReaderFuzzTest {
    private static final int CASES = 300;

    @TempDir
    Path tmp;

    private enum Mutation { TRUNCATE, FLIP_BITS, HUGE_DIMS, APPEND_GARBAGE }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void idxReaderSurvivesMutatedFiles() {
        SplittableRandom rng = new SplittableRandom(20160225);
        int[] dims = {6, 5, 4};
        byte[] pixels = Fixtures.randomBytes(6 * 5 * 4, 11);
        byte[] original = Fixtures.idx(dims, pixels);
        int rejected = 0;
        for (int c = 0; c < CASES; c++) {
            boolean gzip = rng.nextBoolean();
            Mutation m = Mutation.values()[rng.nextInt(Mutation.values().length)];
            byte[] content = original;
            if (m == Mutation.HUGE_DIMS) {
                content = original.clone();
                int which = rng.nextInt(3);
                int value = rng.nextInt(4) == 0 ? rng.nextInt() : rng.nextInt(1, Integer.MAX_VALUE);
                putInt(content, 4 + 4 * which, value);
            }
            byte[] file = gzip ? Fixtures.gzip(content) : content;
            if (m == Mutation.TRUNCATE) {
                file = Arrays.copyOf(file, rng.nextInt(file.length));
            } else if (m == Mutation.APPEND_GARBAGE) {
                int extra = 1 + rng.nextInt(64);
                file = Arrays.copyOf(file, file.length + extra);
                for (int i = file.length - extra; i < file.length; i++) {
                    file[i] = (byte) rng.nextInt(256);
                }
            } else if (m == Mutation.FLIP_BITS) {
                file = file.clone();
                int flips = 1 + rng.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    int at = rng.nextInt(file.length);
                    file[at] ^= (byte) (1 << rng.nextInt(8));
                }
            }
            Path p = Fixtures.write(tmp.resolve("case-" + c + (gzip ? ".gz" : "")), file);
            try {
                IdxReader.IdxArray a = IdxReader.read(p);
                if (m == Mutation.APPEND_GARBAGE) {
                    fail("case " + c + ": garbage appended to a " + (gzip ? "gzip" : "raw") + " file was accepted");
                }
                long n = 1;
                for (int d : a.dims()) {
                    n *= d;
                }
                assertEquals(n, a.data().length, "case " + c + ": element count must match the dimensions");
                if (gzip || m != Mutation.FLIP_BITS) {
                    // gzip's CRC protects the content; an unmutated raw header must give the original data.
                    assertArrayEquals(dims, a.dims(), "case " + c + " (" + m + ", gzip=" + gzip + ")");
                    assertArrayEquals(pixels, a.data(), "case " + c + " (" + m + ", gzip=" + gzip + ")");
                }
            } catch (DataFileException e) {
                assertTrue(e.getMessage().startsWith(p.toString()), "case " + c + ": " + e.getMessage());
                rejected++;
            } catch (RuntimeException | Error e) {
                fail("case " + c + " (" + m + ", gzip=" + gzip + ") threw " + e, e);
            }
        }
        assertTrue(rejected > CASES / 2, "most mutations must be detected, got " + rejected + " of " + CASES);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void cifarReaderSurvivesMutatedFiles() {
        SplittableRandom rng = new SplittableRandom(1602);
        byte[] labels = {1, 5, 9};
        byte[] pixels = Fixtures.randomBytes(3 * Cifar10Reader.PIXELS, 12);
        byte[] original = Fixtures.cifar(labels, pixels);
        int rejected = 0;
        for (int c = 0; c < CASES / 2; c++) {
            boolean gzip = rng.nextBoolean();
            byte[] file = gzip ? Fixtures.gzip(original) : original.clone();
            boolean truncate = rng.nextBoolean();
            if (truncate) {
                file = Arrays.copyOf(file, rng.nextInt(file.length));
            } else {
                int at = rng.nextInt(file.length);
                file[at] ^= (byte) (1 << rng.nextInt(8));
            }
            Path p = Fixtures.write(tmp.resolve("cifar-" + c + (gzip ? ".gz" : "")), file);
            try {
                Cifar10Reader.CifarBatch b = Cifar10Reader.read(p);
                assertEquals(b.count() * Cifar10Reader.PIXELS, b.pixels().length);
                if (gzip) {
                    assertArrayEquals(pixels, b.pixels(), "case " + c);
                    assertArrayEquals(new int[] {1, 5, 9}, b.labels(), "case " + c);
                }
            } catch (DataFileException e) {
                assertTrue(e.getMessage().startsWith(p.toString()), "case " + c + ": " + e.getMessage());
                rejected++;
            } catch (RuntimeException | Error e) {
                fail("case " + c + " (gzip=" + gzip + ", truncate=" + truncate + ") threw " + e, e);
            }
        }
        assertTrue(rejected > CASES / 4, "most mutations must be detected, got " + rejected);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
