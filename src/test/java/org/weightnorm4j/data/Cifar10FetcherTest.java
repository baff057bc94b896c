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
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Cifar10Fetcher} against a loopback server serving a small generated
 * {@code cifar-10-binary.tar.gz} (two records per batch file), with its MD5 injected as the
 * published one would be.
 */
class Cifar10FetcherTest {
    @TempDir
    Path tmp;

    private HttpServer server;
    private volatile byte[] tarball;
    private String md5;
    private final Map<String, byte[]> batches = new LinkedHashMap<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestURI().getPath().equals("/kriz/cifar-10-binary.tar.gz") ? tarball : null;
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
        Map<String, byte[]> entries = new LinkedHashMap<>();
        long seed = 1;
        for (String name : KnownDataset.CIFAR10.requiredFiles()) {
            byte[] records = Fixtures.cifar(Fixtures.randomLabels(2, 10, seed), Fixtures.randomBytes(2 * Cifar10Reader.PIXELS, seed + 1));
            seed += 2;
            batches.put(name, records);
            entries.put("cifar-10-batches-bin/" + name, records);
        }
        entries.put("cifar-10-batches-bin/batches.meta.txt", "airplane\n".getBytes());
        tarball = Fixtures.gzip(TarFixtures.tar("cifar-10-batches-bin/", entries));
        md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(tarball));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void downloadsChecksUnpacksAndTheReaderLoadsIt() throws Exception {
        List<String> log = new ArrayList<>();
        Path dest = tmp.resolve("cifar10");
        new Cifar10Fetcher(url("/kriz/cifar-10-binary.tar.gz"), md5, 1 << 20, log::add).fetch(dest);
        Path dir = dest.resolve(KnownDataset.CIFAR_SUBFOLDER);
        for (Map.Entry<String, byte[]> e : batches.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(dir.resolve(e.getKey())), e.getKey());
        }
        assertTrue(Files.isRegularFile(dir.resolve("batches.meta.txt")));
        try (Stream<Path> s = Files.list(dest)) {
            assertEquals(List.of(dir), s.toList(), "only the unpacked folder: no tarball or temporary folder left");
        }
        DatasetSplits splits = Datasets.loadFrom(KnownDataset.CIFAR10, dest);
        assertArrayEquals(new int[] {10, 3, 32, 32}, splits.train().images().shape());
        assertTrue(log.stream().anyMatch(l -> l.contains("md5 " + md5)), log.toString());
        tarball = null;                                                      // a second fetch must not download
        new Cifar10Fetcher(url("/kriz/cifar-10-binary.tar.gz"), md5, 1 << 20, log::add).fetch(dest);
        assertTrue(log.get(log.size() - 1).contains("already present"), log.toString());
    }

    @Test
    void aWrongChecksumInstallsNothing() throws Exception {
        Path dest = tmp.resolve("bad");
        String wrong = "0".repeat(32);
        IOException e = assertThrows(IOException.class,
                () -> new Cifar10Fetcher(url("/kriz/cifar-10-binary.tar.gz"), wrong, 1 << 20, s -> { }).fetch(dest));
        assertTrue(e.getMessage().contains("MD5 mismatch") && e.getMessage().contains(md5), e.getMessage());
        try (Stream<Path> s = Files.list(dest)) {
            assertEquals(0, s.count(), "nothing installed, nothing left behind");
        }
    }

    @Test
    void httpErrorsAndOversizedDownloadsNameTheUrl() throws Exception {
        IOException notFound = assertThrows(IOException.class,
                () -> new Cifar10Fetcher(url("/elsewhere.tar.gz"), md5, 1 << 20, s -> { }).fetch(tmp.resolve("a")));
        assertTrue(notFound.getMessage().contains("/elsewhere.tar.gz") && notFound.getMessage().contains("404"), notFound.getMessage());
        IOException big = assertThrows(IOException.class,
                () -> new Cifar10Fetcher(url("/kriz/cifar-10-binary.tar.gz"), md5, 100, s -> { }).fetch(tmp.resolve("b")));
        assertTrue(big.getMessage().contains("larger than 100 bytes"), big.getMessage());
        assertFalse(Files.exists(tmp.resolve("b").resolve(KnownDataset.CIFAR_SUBFOLDER)));
    }

    @Test
    void theProductionFetcherUsesTheCanonicalAddressAndPublishedChecksum() {
        Cifar10Fetcher f = Cifar10Fetcher.standard(null, s -> { });
        assertEquals(URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"), f.url());
        assertEquals("c32a1d4ab5d03f1284b67883e8d87530", Cifar10Fetcher.PUBLISHED_MD5);
        assertThrows(IllegalArgumentException.class, () -> new Cifar10Fetcher(URI.create("file:///x"), md5, 1, s -> { }));
        assertThrows(IllegalArgumentException.class, () -> new Cifar10Fetcher(null, "abc", 1, s -> { }));
    }
}
