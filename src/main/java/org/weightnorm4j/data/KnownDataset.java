package org.weightnorm4j.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The datasets weightnorm4j knows by name: their file names, class names and where a system may
 * have them installed.
 */
public enum KnownDataset {
    /** Zalando's Fashion-MNIST: 60000 + 10000 grayscale 28x28 images of 10 kinds of clothing. */
    FASHION_MNIST("fashion-mnist", Format.IDX,
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
            List.of(Path.of("/usr/share/datasets/fashion-mnist"))),
    /** LeCun's MNIST digits: 60000 + 10000 grayscale 28x28 images. */
    MNIST("mnist", Format.IDX,
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
            List.of()),
    /** CIFAR-10, binary version: 50000 + 10000 colour 32x32 images. */
    CIFAR10("cifar10", Format.CIFAR10_BINARY,
            List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
            List.of());

    /** How the files are stored. */
    public enum Format { IDX, CIFAR10_BINARY }

    /** IDX file stems; each may be present as {@code stem.gz} or {@code stem}. */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    /** The subfolder the CIFAR-10 binary tarball unpacks to. */
    public static final String CIFAR_SUBFOLDER = "cifar-10-batches-bin";

    private final String id;
    private final Format format;
    private final List<String> classNames;
    private final List<Path> systemDirs;

    KnownDataset(String id, Format format, List<String> classNames, List<Path> systemDirs) {
        this.id = id;
        this.format = format;
        this.classNames = classNames;
        this.systemDirs = systemDirs;
    }

    /** The name used on the command line and as the cache subfolder, e.g. "fashion-mnist". */
    public String id() {
        return id;
    }

    public Format format() {
        return format;
    }

    public List<String> classNames() {
        return classNames;
    }

    /** Directories where a system package installs this dataset. */
    public List<Path> systemDirs() {
        return systemDirs;
    }

    /** Looks a dataset up by its command-line name (case-insensitive; "cifar-10" also works). */
    public static KnownDataset byId(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace("_", "-");
        if (n.equals("cifar-10")) {
            n = "cifar10";
        }
        for (KnownDataset d : values()) {
            if (d.id.equals(n)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dataset '" + name + "'; known: fashion-mnist, mnist, cifar10");
    }

    /** The file stems (IDX) or file names (CIFAR-10) this dataset needs, train first. */
    public List<String> requiredFiles() {
        if (format == Format.IDX) {
            return List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);
        }
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            names.add("data_batch_" + i + ".bin");
        }
        names.add("test_batch.bin");
        return names;
    }

    /**
     * Finds a required file in {@code dir}: for IDX {@code stem.gz} then {@code stem}; for CIFAR-10
     * the name directly or under {@value #CIFAR_SUBFOLDER}. Returns null when absent.
     */
    public Path find(Path dir, String required) {
        List<Path> candidates = format == Format.IDX
                ? List.of(dir.resolve(required + ".gz"), dir.resolve(required))
                : List.of(dir.resolve(required), dir.resolve(CIFAR_SUBFOLDER).resolve(required));
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /** The required files missing from {@code dir} (empty when it holds the whole dataset). */
    public List<String> missingIn(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String f : requiredFiles()) {
            if (find(dir, f) == null) {
                missing.add(format == Format.IDX ? f + "[.gz]" : f);
            }
        }
        return missing;
    }
}
