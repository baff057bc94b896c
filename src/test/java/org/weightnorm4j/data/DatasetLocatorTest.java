package org.weightnorm4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLocatorTest {
    @TempDir
    Path tmp;

    private Path home() {
        return tmp.resolve("home");
    }

    @Test
    void orderIsEnvThenCacheThenSystem() throws Exception {
        Path envRoot = tmp.resolve("env");
        DatasetLocator loc = new DatasetLocator(null, Map.of(DatasetLocator.ENV, envRoot.toString()), home());
        List<DatasetLocator.Probe> probes = loc.probe(KnownDataset.FASHION_MNIST);
        assertEquals(List.of("$WEIGHTNORM_DATA", "$WEIGHTNORM_DATA", "user cache", "system"),
                probes.stream().map(DatasetLocator.Probe::source).toList());
        assertEquals(envRoot, probes.get(0).dir());
        assertEquals(envRoot.resolve("fashion-mnist"), probes.get(1).dir());
        assertEquals(home().resolve(".cache/weightnorm4j/fashion-mnist"), probes.get(2).dir());
        assertEquals(Path.of("/usr/share/datasets/fashion-mnist"), probes.get(3).dir());

        // Present in both the cache and the env root's subfolder: the env root wins.
        Path cache = loc.cacheDir(KnownDataset.MNIST);
        Fixtures.idxDataset(cache, 2, 1, 2, 2, true, 1);
        assertEquals(cache, loc.locate(KnownDataset.MNIST));
        Fixtures.idxDataset(envRoot.resolve("mnist"), 2, 1, 2, 2, true, 1);
        assertEquals(envRoot.resolve("mnist"), loc.locate(KnownDataset.MNIST));
        Fixtures.idxDataset(envRoot, 2, 1, 2, 2, false, 1);
        assertEquals(envRoot, loc.locate(KnownDataset.MNIST));
    }

    @Test
    void explicitDirectoryIsTheOnlyPlaceLooked() throws Exception {
        Path cacheHolder = home().resolve(".cache/weightnorm4j/mnist");
        Fixtures.idxDataset(cacheHolder, 2, 1, 2, 2, true, 1);
        Path explicit = tmp.resolve("mine");
        DatasetLocator loc = new DatasetLocator(explicit, Map.of(), home());
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class, () -> loc.locate(KnownDataset.MNIST));
        assertEquals(2, e.probes().size());
        assertTrue(e.getMessage().contains("--data") && e.getMessage().contains(explicit.toString()), e.getMessage());
        Fixtures.idxDataset(explicit.resolve("mnist"), 2, 1, 2, 2, true, 1);
        assertEquals(explicit.resolve("mnist"), loc.locate(KnownDataset.MNIST));
    }

    @Test
    void xdgCacheHomeIsUsedWhenAbsolute() {
        Path xdg = tmp.resolve("xdg");
        assertEquals(xdg.resolve("weightnorm4j"),
                new DatasetLocator(null, Map.of("XDG_CACHE_HOME", xdg.toString()), home()).cacheRoot());
        assertEquals(home().resolve(".cache/weightnorm4j"),
                new DatasetLocator(null, Map.of("XDG_CACHE_HOME", "relative/dir"), home()).cacheRoot());
    }

    @Test
    void missingDatasetListsEveryPlaceAndWhatToDo() {
        Path envRoot = tmp.resolve("env");
        Fixtures.writeIdx(envRoot, KnownDataset.TRAIN_IMAGES, new int[] {1, 2, 2}, new byte[4], true);
        DatasetLocator loc = new DatasetLocator(null, Map.of(DatasetLocator.ENV, envRoot.toString()), home());
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class, () -> loc.locate(KnownDataset.MNIST));
        String m = e.getMessage();
        assertTrue(m.contains(envRoot.toString()) && m.contains(envRoot.resolve("mnist").toString())
                && m.contains(loc.cacheDir(KnownDataset.MNIST).toString()), m);
        assertTrue(m.contains("missing train-labels-idx1-ubyte[.gz]"), m);
        assertTrue(m.contains("no such directory"), m);
        assertTrue(m.contains("--data DIR"), m);

        DatasetLocator explicit = new DatasetLocator(tmp.resolve("nowhere"), Map.of(), home());
        String f = assertThrows(DatasetNotFoundException.class, () -> explicit.locate(KnownDataset.FASHION_MNIST)).getMessage();
        assertTrue(f.contains("weightnorm data fetch fashion-mnist"), f);
    }
}
