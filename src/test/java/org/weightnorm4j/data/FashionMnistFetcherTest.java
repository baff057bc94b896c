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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fetch paths against a loopback HTTP server and fake apt tools, with test checksum tables. */
class FashionMnistFetcherTest {
    @TempDir
    Path tmp;

    private HttpServer server;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final List<String> requests = new ArrayList<>();
    private Map<String, byte[]> files;
    private List<FileChecksum> table;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/fm/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring("/fm/".length());
            synchronized (requests) {
                requests.add(name);
            }
            byte[] body = served.get(name);
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
        Path src = Fixtures.idxDataset(tmp.resolve("src"), 6, 3, 4, 4, true, 99);
        files = new java.util.LinkedHashMap<>();
        table = new ArrayList<>();
        for (String stem : KnownDataset.FASHION_MNIST.requiredFiles()) {
            String name = stem + ".gz";
            byte[] bytes = Files.readAllBytes(src.resolve(name));
            files.put(name, bytes);
            table.add(new FileChecksum(name, Set.of(FashionMnistFetcher.sha256(src.resolve(name))), 1 << 20));
        }
        served.putAll(files);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/fm/");
    }

    private FashionMnistFetcher fetcher(List<String> log) {
        return new FashionMnistFetcher(table, base(), "/nonexistent/apt-get", "/nonexistent/dpkg-deb", log::add);
    }

    @Test
    void downloadsVerifiesAndInstallsEveryFile() throws Exception {
        Path dest = tmp.resolve("cache/fashion-mnist");
        List<String> log = new ArrayList<>();
        assertEquals(dest, fetcher(log).fetch(dest, FashionMnistFetcher.Source.HTTP));
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            assertArrayEquals(f.getValue(), Files.readAllBytes(dest.resolve(f.getKey())));
        }
        assertNoPartFiles(dest);
        assertEquals(6, Datasets.loadFrom(KnownDataset.FASHION_MNIST, dest).train().size());

        // A second fetch finds everything verified and downloads nothing.
        int before = requests.size();
        fetcher(log).fetch(dest, FashionMnistFetcher.Source.HTTP);
        assertEquals(before, requests.size());
        assertTrue(log.get(log.size() - 1).contains("already present"), log.toString());
    }

    @Test
    void autoFallsBackToHttpWithoutApt() throws Exception {
        Path dest = tmp.resolve("auto");
        List<String> log = new ArrayList<>();
        fetcher(log).fetch(dest, FashionMnistFetcher.Source.AUTO);
        assertTrue(log.get(0).contains("not available"), log.toString());
        assertTrue(fetcher(log).missing(dest).isEmpty());
    }

    @Test
    void corruptDownloadIsDeletedAndNamesBothDigests() throws Exception {
        String name = "train-labels-idx1-ubyte.gz";
        byte[] bad = files.get(name).clone();
        bad[bad.length / 2] ^= 0x10;
        served.put(name, bad);
        Path dest = tmp.resolve("dest");
        DataFileException e = assertThrows(DataFileException.class,
                () -> fetcher(new ArrayList<>()).fetch(dest, FashionMnistFetcher.Source.HTTP));
        String expected = table.get(1).sha256().iterator().next();
        String actual = FashionMnistFetcher.sha256(Fixtures.write(tmp.resolve("bad"), bad));
        assertTrue(e.getMessage().contains("SHA-256 mismatch") && e.getMessage().contains(expected)
                && e.getMessage().contains(actual) && e.getMessage().contains(name), e.getMessage());
        assertFalse(Files.exists(dest.resolve(name)), "a corrupt download must not be installed");
        assertTrue(Files.exists(dest.resolve("train-images-idx3-ubyte.gz")), "files before it stay installed");
        assertNoPartFiles(dest);

        // Once the server is fixed, fetching again completes the set.
        served.put(name, files.get(name));
        fetcher(new ArrayList<>()).fetch(dest, FashionMnistFetcher.Source.HTTP);
        assertArrayEquals(files.get(name), Files.readAllBytes(dest.resolve(name)));
    }

    @Test
    void corruptFileOnDiskIsReplaced() throws Exception {
        Path dest = tmp.resolve("dest");
        fetcher(new ArrayList<>()).fetch(dest, FashionMnistFetcher.Source.HTTP);
        Files.write(dest.resolve("t10k-labels-idx1-ubyte.gz"), new byte[] {1, 2, 3});
        assertEquals(1, fetcher(new ArrayList<>()).missing(dest).size());
        fetcher(new ArrayList<>()).fetch(dest, FashionMnistFetcher.Source.HTTP);
        assertTrue(fetcher(new ArrayList<>()).missing(dest).isEmpty());
    }

    @Test
    void httpErrorNamesTheUrlAndStatus() {
        served.remove("t10k-images-idx3-ubyte.gz");
        Path dest = tmp.resolve("dest");
        IOException e = assertThrows(IOException.class, () -> fetcher(new ArrayList<>()).fetch(dest, FashionMnistFetcher.Source.HTTP));
        assertTrue(e.getMessage().contains(base() + "t10k-images-idx3-ubyte.gz") && e.getMessage().contains("404"), e.getMessage());
        assertNoPartFiles(dest);
    }

    @Test
    void oversizedDownloadIsAborted() throws Exception {
        String name = "t10k-labels-idx1-ubyte.gz";
        served.put(name, new byte[5000]);
        List<FileChecksum> small = new ArrayList<>(table);
        small.set(3, new FileChecksum(name, table.get(3).sha256(), 1000));
        FashionMnistFetcher f = new FashionMnistFetcher(small, base(), "apt-get", "dpkg-deb", s -> { });
        Path dest = tmp.resolve("dest");
        IOException e = assertThrows(IOException.class, () -> f.fetch(dest, FashionMnistFetcher.Source.HTTP));
        assertTrue(e.getMessage().contains("larger than the 1000 bytes"), e.getMessage());
        assertFalse(Files.exists(dest.resolve(name)));
        assertNoPartFiles(dest);
    }

    @Test
    void baseUrlComesFromTheSystemPropertyWhenNotGiven() {
        String old = System.getProperty(FashionMnistFetcher.BASE_URL_PROPERTY);
        try {
            System.setProperty(FashionMnistFetcher.BASE_URL_PROPERTY, "http://127.0.0.1:1/mirror");
            assertEquals(URI.create("http://127.0.0.1:1/mirror/"), FashionMnistFetcher.standard(null, s -> { }).baseUrl());
            System.clearProperty(FashionMnistFetcher.BASE_URL_PROPERTY);
            assertEquals(URI.create(FashionMnistFetcher.DEFAULT_BASE_URL), FashionMnistFetcher.standard(null, s -> { }).baseUrl());
            assertThrows(IllegalArgumentException.class, () -> FashionMnistFetcher.standard(URI.create("ftp://x/"), s -> { }));
        } finally {
            if (old != null) {
                System.setProperty(FashionMnistFetcher.BASE_URL_PROPERTY, old);
            }
        }
    }

    @Test
    void aptPathUnpacksTheDebianPackage() throws Exception {
        // Fake tools: apt-get writes a .deb; dpkg-deb -x lays out the package's files from a fixture directory.
        Path fixtures = tmp.resolve("src");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path aptGet = script(bin.resolve("apt-get"), "#!/bin/sh\n[ \"$1\" = download ] && [ \"$2\" = dataset-fashion-mnist ] || exit 3\n"
                + "echo fake > dataset-fashion-mnist_0.0_all.deb\n");
        Path dpkgDeb = script(bin.resolve("dpkg-deb"), "#!/bin/sh\n[ \"$1\" = -x ] && [ -f \"$2\" ] || exit 4\n"
                + "mkdir -p \"$3/usr/share/datasets/fashion-mnist\"\ncp '" + fixtures + "'/*.gz \"$3/usr/share/datasets/fashion-mnist/\"\n");
        List<String> log = new ArrayList<>();
        FashionMnistFetcher f = new FashionMnistFetcher(table, URI.create("http://127.0.0.1:1/unused/"),
                aptGet.toString(), dpkgDeb.toString(), log::add);
        Path dest = tmp.resolve("apt-dest");
        f.fetch(dest, FashionMnistFetcher.Source.AUTO);
        assertTrue(requests.isEmpty(), "apt path must not use HTTP");
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(dest.resolve(e.getKey())));
        }
        assertTrue(log.get(0).startsWith("apt-get download"), log.toString());
    }

    @Test
    void failingAptReportsTheCommandAndAutoFallsBack() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path aptGet = script(bin.resolve("apt-get"), "#!/bin/sh\necho 'E: Unable to locate package' >&2\nexit 100\n");
        Path dpkgDeb = script(bin.resolve("dpkg-deb"), "#!/bin/sh\nexit 1\n");
        FashionMnistFetcher f = new FashionMnistFetcher(table, base(), aptGet.toString(), dpkgDeb.toString(), s -> { });
        IOException e = assertThrows(IOException.class, () -> f.fetch(tmp.resolve("a"), FashionMnistFetcher.Source.APT));
        assertTrue(e.getMessage().contains("exit code 100") && e.getMessage().contains("Unable to locate package"), e.getMessage());
        List<String> log = new ArrayList<>();
        new FashionMnistFetcher(table, base(), aptGet.toString(), dpkgDeb.toString(), log::add)
                .fetch(tmp.resolve("b"), FashionMnistFetcher.Source.AUTO);
        assertTrue(log.get(1).contains("falling back to HTTP"), log.toString());
        assertEquals(4, requests.size());
    }

    @Test
    void productionTableCoversTheDebianFilesOnThisMachine() throws Exception {
        Path sys = Path.of("/usr/share/datasets/fashion-mnist");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(sys), "dataset-fashion-mnist not installed");
        FashionMnistFetcher f = FashionMnistFetcher.standard(null, s -> { });
        assertTrue(f.missing(sys).isEmpty(), "the hard-coded digests must accept Debian's files");
    }

    private static Path script(Path p, String body) throws IOException {
        Files.writeString(p, body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private static void assertNoPartFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> part = s.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
            assertTrue(part.isEmpty(), "temporary files left behind: " + part);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
