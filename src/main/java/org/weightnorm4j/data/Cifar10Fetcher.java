package org.weightnorm4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Acquires CIFAR-10 (binary version) into a directory, by default the user cache: downloads
 * {@value #DEFAULT_URL} (the dataset's canonical address, Krizhevsky's page) into a temporary file
 * beside the destination, checks the MD5 that page publishes ({@value #PUBLISHED_MD5}), unpacks the
 * {@code cifar-10-batches-bin/} folder into a temporary folder and renames it into place, so the
 * destination holds either the whole verified dataset or nothing new. The tarball is deleted after.
 *
 * <p>The URL can be replaced with the system property {@value #URL_PROPERTY} or the constructor (the
 * tests serve a small generated tarball from a loopback server, with its own checksum).
 */
public final class Cifar10Fetcher {
    /** The canonical address of the binary version. */
    public static final String DEFAULT_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";
    /** The MD5 published for it on https://www.cs.toronto.edu/~kriz/cifar.html. */
    public static final String PUBLISHED_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";
    /** System property overriding the URL. */
    public static final String URL_PROPERTY = "weightnorm4j.cifar10.url";
    /** The real tarball has 170052171 bytes; a download beyond this is not it. */
    public static final long MAX_BYTES = 200L << 20;

    private final URI url;
    private final String md5;
    private final long maxBytes;
    private final Consumer<String> log;

    /**
     * @param url the tarball's address, or null for the {@value #URL_PROPERTY} property or else {@value #DEFAULT_URL}
     * @param md5 the tarball's MD5 (hex)
     * @param maxBytes the download is aborted beyond this many bytes
     */
    public Cifar10Fetcher(URI url, String md5, long maxBytes, Consumer<String> log) {
        this.url = url != null ? url : URI.create(System.getProperty(URL_PROPERTY, DEFAULT_URL));
        if (!"http".equalsIgnoreCase(this.url.getScheme()) && !"https".equalsIgnoreCase(this.url.getScheme())) {
            throw new IllegalArgumentException("URL must be http or https, got " + this.url);
        }
        if (!md5.matches("[0-9a-fA-F]{32}")) {
            throw new IllegalArgumentException("'" + md5 + "' is not an MD5 digest (32 hex digits)");
        }
        this.md5 = md5.toLowerCase(Locale.ROOT);
        this.maxBytes = maxBytes;
        this.log = log;
    }

    /** The production fetcher: the published MD5, the default or configured URL. */
    public static Cifar10Fetcher standard(URI urlOrNull, Consumer<String> log) {
        return new Cifar10Fetcher(urlOrNull, PUBLISHED_MD5, MAX_BYTES, log);
    }

    public URI url() {
        return url;
    }

    /**
     * Fetches the dataset into {@code dest}/{@value KnownDataset#CIFAR_SUBFOLDER} unless {@code dest}
     * already holds it, and returns {@code dest}.
     *
     * @throws IOException naming the URL and what failed
     */
    public Path fetch(Path dest) throws IOException {
        Files.createDirectories(dest);
        if (!Files.isWritable(dest)) {
            throw new IOException(dest + ": directory is not writable; choose another with --dest DIR");
        }
        if (KnownDataset.CIFAR10.missingIn(dest).isEmpty()) {
            log.accept("CIFAR-10 already present in " + dest);
            return dest;
        }
        Path tarball = Files.createTempFile(dest, ".cifar-10-binary.", ".tar.gz.part");
        Path unpacked = null;
        try {
            download(tarball);
            unpacked = Files.createTempDirectory(dest, ".cifar-10-batches-bin.");
            unpack(tarball, unpacked);
            var missing = KnownDataset.CIFAR10.missingIn(unpacked);
            if (!missing.isEmpty()) {
                throw new IOException(url + ": the tarball lacks " + KnownDataset.CIFAR_SUBFOLDER + "/" + String.join(", ", missing));
            }
            Path target = dest.resolve(KnownDataset.CIFAR_SUBFOLDER);
            VerifiedFiles.deleteTree(target);                         // an incomplete earlier copy
            try {
                Files.move(unpacked, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(unpacked, target);
            }
            unpacked = null;
            log.accept("unpacked CIFAR-10 into " + target);
            return dest;
        } finally {
            Files.deleteIfExists(tarball);
            if (unpacked != null) {
                VerifiedFiles.deleteTree(unpacked);
            }
        }
    }

    /** Downloads the tarball into {@code file}, checking its size limit and its MD5. */
    private void download(Path file) throws IOException {
        log.accept("downloading " + url);
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(url + ": download interrupted", e);
        } catch (IOException e) {
            throw new IOException(url + ": cannot download (" + e.getMessage() + "); check the network, or download"
                    + " cifar-10-binary.tar.gz by hand and unpack it into the destination", e);
        }
        MessageDigest digest = md5Digest();
        long written = 0;
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException(url + ": server answered HTTP " + response.statusCode());
            }
            try (DigestInputStream in = new DigestInputStream(body, digest); OutputStream out = Files.newOutputStream(file)) {
                byte[] buf = new byte[1 << 16];
                for (int r; (r = in.read(buf)) >= 0; ) {
                    written += r;
                    if (written > maxBytes) {
                        throw new IOException(url + ": larger than " + maxBytes + " bytes; not the CIFAR-10 tarball");
                    }
                    out.write(buf, 0, r);
                }
            }
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(md5)) {
            throw new DataFileException(file, "MD5 mismatch for the download from " + url + ": expected " + md5 + ", got "
                    + actual + " (" + written + " bytes); the download is corrupt or not the official file, nothing was installed");
        }
        log.accept("verified " + url + " (" + written + " bytes, md5 " + actual + ")");
    }

    /** Writes the regular files of {@code cifar-10-batches-bin/} (plain names only) into {@code into}. */
    private static void unpack(Path tarball, Path into) throws IOException {
        String prefix = KnownDataset.CIFAR_SUBFOLDER + "/";
        try (InputStream raw = Files.newInputStream(tarball); GZIPInputStream gz = new GZIPInputStream(raw, 1 << 16)) {
            TarReader tar = new TarReader(gz);
            for (TarReader.Entry e = tar.next(); e != null; e = tar.next()) {
                String name = e.name().startsWith("./") ? e.name().substring(2) : e.name();
                if (!name.startsWith(prefix)) {
                    continue;
                }
                String file = name.substring(prefix.length());
                if (file.isEmpty() || file.contains("/") || file.contains("\\") || file.startsWith(".")) {
                    continue;                                         // nothing outside the folder, no hidden or nested files
                }
                Files.copy(e.content(), into.resolve(file));
            }
        }
    }

    private static MessageDigest md5Digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks MD5, which every Java platform must provide", e);
        }
    }
}
