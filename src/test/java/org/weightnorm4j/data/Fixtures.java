package org.weightnorm4j.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/** Small generated data files for the data tests. */
final class Fixtures {
    private Fixtures() {
    }

    /** An unsigned-byte IDX file's bytes. */
    static byte[] idx(int[] dims, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(0);
        out.write(0x08);
        out.write(dims.length);
        for (int d : dims) {
            out.write(d >>> 24);
            out.write(d >>> 16);
            out.write(d >>> 8);
            out.write(d);
        }
        out.writeBytes(data);
        return out.toByteArray();
    }

    /** Random image bytes {@code n x h x w}. */
    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    /** Random labels below {@code classes}. */
    static byte[] randomLabels(int n, int classes, long seed) {
        byte[] b = new byte[n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(classes);
        }
        return b;
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CIFAR-10 binary records: label byte + 3072 pixels each. */
    static byte[] cifar(byte[] labels, byte[] pixels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < labels.length; i++) {
            out.write(labels[i]);
            out.write(pixels, i * Cifar10Reader.PIXELS, Cifar10Reader.PIXELS);
        }
        return out.toByteArray();
    }

    /**
     * Writes a small IDX dataset (train {@code nTrain}, test {@code nTest}, images h x w) into
     * {@code dir}, gzip when asked; returns the directory.
     */
    static Path idxDataset(Path dir, int nTrain, int nTest, int h, int w, boolean gzip, long seed) {
        writeIdx(dir, KnownDataset.TRAIN_IMAGES, new int[] {nTrain, h, w}, randomBytes(nTrain * h * w, seed), gzip);
        writeIdx(dir, KnownDataset.TRAIN_LABELS, new int[] {nTrain}, randomLabels(nTrain, 10, seed + 1), gzip);
        writeIdx(dir, KnownDataset.TEST_IMAGES, new int[] {nTest, h, w}, randomBytes(nTest * h * w, seed + 2), gzip);
        writeIdx(dir, KnownDataset.TEST_LABELS, new int[] {nTest}, randomLabels(nTest, 10, seed + 3), gzip);
        return dir;
    }

    static Path writeIdx(Path dir, String stem, int[] dims, byte[] data, boolean gzip) {
        byte[] bytes = idx(dims, data);
        return gzip ? write(dir.resolve(stem + ".gz"), gzip(bytes)) : write(dir.resolve(stem), bytes);
    }
}
