package org.weightnorm4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Acquires Fashion-MNIST into a directory (by default the user cache), without root.
 *
 * <p>Two sources:
 * <ul>
 *   <li><b>apt</b>: {@code apt-get download dataset-fashion-mnist} into a temporary directory (no
 *       root needed to download a package), {@code dpkg-deb -x} to unpack it there, then the four
 *       files from its {@code usr/share/datasets/fashion-mnist}.</li>
 *   <li><b>http</b>: the four files from the dataset's published location,
 *       {@value #DEFAULT_BASE_URL} by default (the Fashion-MNIST repository; its README also lists
 *       the S3 mirror {@code http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/}),
 *       overridable with the system property {@value #BASE_URL_PROPERTY} or the constructor.</li>
 * </ul>
 * {@link Source#AUTO} tries apt where {@code apt-get} and {@code dpkg-deb} exist and falls back to
 * http if that fails.
 *
 * <p>Either way every file is written to a temporary file in the destination directory, flushed to
 * disk, its SHA-256 compared with {@link #FASHION_MNIST_FILES}, and only then renamed (atomically)
 * to its final name. A mismatch deletes the temporary file and reports expected and actual
 * digests; a file already present with an accepted digest is kept as it is.
 */
public final class FashionMnistFetcher {
    /** System property overriding the HTTP base URL (tests point it at a loopback server). */
    public static final String BASE_URL_PROPERTY = "weightnorm4j.fashionMnist.url";
    /** The Fashion-MNIST project's own copy of the files (HTTPS). */
    public static final String DEFAULT_BASE_URL = "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/";
    /** The Debian package that installs the dataset under {@code /usr/share/datasets/fashion-mnist}. */
    public static final String DEBIAN_PACKAGE = "dataset-fashion-mnist";
    static final String DEBIAN_DIR = "usr/share/datasets/fashion-mnist";

    /**
     * The four files and their accepted SHA-256 digests. Two per file because the two sources
     * differ byte-wise: upstream's gzip headers store the original file name, Debian's
     * ({@code gzip -n}) do not, so Debian's files are 24 bytes shorter with the same content.
     * Upstream digests: those published for the Fashion-MNIST files (the upstream README publishes
     * MD5s 8d4fb7e6…, 25c81989…, bef4ecab…, bb300cfd…; these SHA-256 values are the ones widely
     * used to pin the same files). Debian digests: computed from {@code dataset-fashion-mnist}'s
     * files in {@code /usr/share/datasets/fashion-mnist}.
     */
    public static final List<FileChecksum> FASHION_MNIST_FILES = List.of(
            new FileChecksum("train-images-idx3-ubyte.gz", Set.of(
                    "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
                    "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7"), 64L << 20),
            new FileChecksum("train-labels-idx1-ubyte.gz", Set.of(
                    "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
                    "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056"), 1L << 20),
            new FileChecksum("t10k-images-idx3-ubyte.gz", Set.of(
                    "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
                    "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa"), 16L << 20),
            new FileChecksum("t10k-labels-idx1-ubyte.gz", Set.of(
                    "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
                    "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05"), 1L << 20));

    /** Where to get the files from. */
    public enum Source { AUTO, APT, HTTP }

    private final List<FileChecksum> files;
    private final URI baseUrl;
    private final String aptGet;
    private final String dpkgDeb;
    private final Consumer<String> log;

    /**
     * @param files what to fetch and how to verify it ({@link #FASHION_MNIST_FILES} in production)
     * @param baseUrl the HTTP directory holding the files (ends with '/'), or null for the
     *     {@value #BASE_URL_PROPERTY} property or else {@value #DEFAULT_BASE_URL}
     * @param aptGet the {@code apt-get} command, {@code dpkgDeb} the {@code dpkg-deb} command
     * @param log receives one line per action
     */
    public FashionMnistFetcher(List<FileChecksum> files, URI baseUrl, String aptGet, String dpkgDeb, Consumer<String> log) {
        this.files = List.copyOf(files);
        URI base = baseUrl != null ? baseUrl : URI.create(System.getProperty(BASE_URL_PROPERTY, DEFAULT_BASE_URL));
        String s = base.toString();
        this.baseUrl = s.endsWith("/") ? base : URI.create(s + "/");
        if (!"http".equalsIgnoreCase(this.baseUrl.getScheme()) && !"https".equalsIgnoreCase(this.baseUrl.getScheme())) {
            throw new IllegalArgumentException("base URL must be http or https, got " + base);
        }
        this.aptGet = aptGet;
        this.dpkgDeb = dpkgDeb;
        this.log = log;
    }

    /** The production fetcher: the real checksums, the system's apt tools, the default or configured URL. */
    public static FashionMnistFetcher standard(URI baseUrlOrNull, Consumer<String> log) {
        return new FashionMnistFetcher(FASHION_MNIST_FILES, baseUrlOrNull, "apt-get", "dpkg-deb", log);
    }

    public URI baseUrl() {
        return baseUrl;
    }

    /**
     * Fetches every file into {@code dest} (created if needed) and returns it.
     *
     * @throws IOException naming the file, URL or command that failed and why
     */
    public Path fetch(Path dest, Source source) throws IOException {
        if (VerifiedFiles.alreadyPresent(dest, files, log)) {
            return dest;
        }
        switch (source) {
            case APT -> fetchApt(dest);
            case HTTP -> fetchHttp(dest);
            case AUTO -> {
                if (onPath(aptGet) && onPath(dpkgDeb)) {
                    try {
                        fetchApt(dest);
                        return dest;
                    } catch (IOException e) {
                        log.accept("apt failed (" + e.getMessage() + "); falling back to HTTP");
                    }
                } else {
                    log.accept("apt-get/dpkg-deb not available; using HTTP");
                }
                fetchHttp(dest);
            }
            default -> throw new IllegalStateException("unknown source " + source);
        }
        return dest;
    }

    /** The files not yet present in {@code dest} with an accepted digest. */
    public List<FileChecksum> missing(Path dest) throws IOException {
        return VerifiedFiles.missing(dest, files);
    }

    /** Downloads the missing files over HTTP(S). */
    public void fetchHttp(Path dest) throws IOException {
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
        for (FileChecksum f : missing(dest)) {
            URI url = baseUrl.resolve(f.name());
            log.accept("downloading " + url);
            HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(2)).GET().build();
            HttpResponse<InputStream> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(url + ": download interrupted", e);
            } catch (IOException e) {
                throw new IOException(url + ": cannot download (" + e.getMessage() + "); check the network, or use"
                        + " --source apt, or copy the files into " + dest + " by hand", e);
            }
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException(url + ": server answered HTTP " + response.statusCode());
                }
                install(body, url.toString(), dest, f);
            }
        }
    }

    /** Downloads and unpacks Debian's package, then installs its files. */
    public void fetchApt(Path dest) throws IOException {
        Path work = Files.createTempDirectory("weightnorm4j-apt-");
        try {
            log.accept("apt-get download " + DEBIAN_PACKAGE);
            run(work, aptGet, "download", DEBIAN_PACKAGE);
            Path deb;
            try (Stream<Path> s = Files.list(work)) {
                deb = s.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst()
                        .orElseThrow(() -> new IOException(aptGet + " download " + DEBIAN_PACKAGE + " produced no .deb file in " + work));
            }
            Path extracted = work.resolve("x");
            log.accept("dpkg-deb -x " + deb.getFileName());
            run(work, dpkgDeb, "-x", deb.toString(), extracted.toString());
            Path dir = extracted.resolve(DEBIAN_DIR);
            for (FileChecksum f : missing(dest)) {
                Path src = dir.resolve(f.name());
                if (!Files.isRegularFile(src)) {
                    throw new IOException(deb.getFileName() + " does not contain " + DEBIAN_DIR + "/" + f.name());
                }
                try (InputStream in = Files.newInputStream(src)) {
                    install(in, src + " (from " + deb.getFileName() + ")", dest, f);
                }
            }
        } finally {
            deleteTree(work);
        }
    }

    /**
     * Copies {@code in} to a temporary file beside the target, verifies its SHA-256 and size, and
     * renames it into place; on any failure the temporary file is deleted ({@link VerifiedFiles#install}).
     */
    void install(InputStream in, String origin, Path dest, FileChecksum f) throws IOException {
        VerifiedFiles.install(in, origin, dest, f, log);
    }

    /** SHA-256 of a file, lower-case hex. */
    public static String sha256(Path file) throws IOException {
        return VerifiedFiles.sha256(file);
    }

    private static void run(Path dir, String... command) throws IOException {
        VerifiedFiles.run(dir, command);
    }

    private static boolean onPath(String command) {
        return VerifiedFiles.onPath(command);
    }

    private static void deleteTree(Path root) {
        VerifiedFiles.deleteTree(root);
    }
}
