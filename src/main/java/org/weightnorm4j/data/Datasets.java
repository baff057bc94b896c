package org.weightnorm4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.weightnorm4j.tensor.Tensor;

/**
 * Loads a known dataset's train and test splits as float32 NCHW tensors scaled to [0, 1]
 * (pixel / 255).
 *
 * <pre>{@code
 * DatasetSplits d = Datasets.load("fashion-mnist", null);   // [60000,1,28,28] and [10000,1,28,28]
 * }</pre>
 */
public final class Datasets {
    private Datasets() {
    }

    /**
     * Locates (see {@link DatasetLocator}) and loads a dataset.
     *
     * @param name "fashion-mnist", "mnist" or "cifar10"
     * @param dataDirOrNull the {@code --data} directory, or null to search the standard places
     * @throws DatasetNotFoundException when no place holds it (the message lists where it looked)
     * @throws DataFileException when a file is corrupt, truncated or inconsistent
     */
    public static DatasetSplits load(String name, Path dataDirOrNull) throws IOException {
        KnownDataset dataset = KnownDataset.byId(name);
        return loadFrom(dataset, DatasetLocator.standard(dataDirOrNull).locate(dataset));
    }

    /** Loads a dataset from a directory that holds its files. */
    public static DatasetSplits loadFrom(KnownDataset dataset, Path dir) throws IOException {
        List<String> missing = dataset.missingIn(dir);
        if (!missing.isEmpty()) {
            throw new DataFileException(dir, "does not hold dataset '" + dataset.id() + "': missing " + String.join(", ", missing));
        }
        if (dataset.format() == KnownDataset.Format.IDX) {
            Dataset train = loadIdx(dataset, "train", dataset.find(dir, KnownDataset.TRAIN_IMAGES),
                    dataset.find(dir, KnownDataset.TRAIN_LABELS));
            Dataset test = loadIdx(dataset, "test", dataset.find(dir, KnownDataset.TEST_IMAGES),
                    dataset.find(dir, KnownDataset.TEST_LABELS));
            return new DatasetSplits(train, test, dir);
        }
        List<String> files = dataset.requiredFiles();
        Path[] train = new Path[files.size() - 1];
        for (int i = 0; i < train.length; i++) {
            train[i] = dataset.find(dir, files.get(i));
        }
        return new DatasetSplits(loadCifar(dataset, "train", train),
                loadCifar(dataset, "test", dataset.find(dir, files.get(files.size() - 1))), dir);
    }

    /** Reads an IDX image file and its label file into one split. */
    public static Dataset loadIdx(KnownDataset dataset, String split, Path imagesFile, Path labelsFile) throws IOException {
        IdxReader.IdxArray images = IdxReader.readImages(imagesFile);
        int[] labels = IdxReader.readLabels(labelsFile, dataset.classNames().size());
        int n = images.dims()[0];
        if (n != labels.length) {
            throw new DataFileException(imagesFile, "holds " + n + " images but " + labelsFile + " holds " + labels.length
                    + " labels; the two files must come from the same split (re-fetch the dataset)");
        }
        int h = images.dims()[1];
        int w = images.dims()[2];
        return new Dataset(dataset.id() + "/" + split, toUnitFloats(images.data(), n, 1, h, w), labels, dataset.classNames());
    }

    /** Reads CIFAR-10 batch files and concatenates them into one split. */
    public static Dataset loadCifar(KnownDataset dataset, String split, Path... batchFiles) throws IOException {
        Cifar10Reader.CifarBatch[] batches = new Cifar10Reader.CifarBatch[batchFiles.length];
        int n = 0;
        for (int i = 0; i < batchFiles.length; i++) {
            batches[i] = Cifar10Reader.read(batchFiles[i]);
            n += batches[i].count();
        }
        byte[] pixels = new byte[n * Cifar10Reader.PIXELS];
        int[] labels = new int[n];
        int at = 0;
        for (Cifar10Reader.CifarBatch b : batches) {
            System.arraycopy(b.pixels(), 0, pixels, at * Cifar10Reader.PIXELS, b.pixels().length);
            System.arraycopy(b.labels(), 0, labels, at, b.count());
            at += b.count();
        }
        Tensor images = toUnitFloats(pixels, n, Cifar10Reader.CHANNELS, Cifar10Reader.SIZE, Cifar10Reader.SIZE);
        return new Dataset(dataset.id() + "/" + split, images, labels, dataset.classNames());
    }

    /** Unsigned bytes to floats in [0, 1]. */
    static Tensor toUnitFloats(byte[] bytes, int n, int c, int h, int w) {
        Tensor t = Tensor.zeros(n, c, h, w);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (bytes[i] & 0xff) / 255f;
        }
        return t;
    }
}
