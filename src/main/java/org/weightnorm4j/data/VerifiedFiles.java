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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What every dataset fetcher shares: installing a stream as a verified file (written to a temporary
 * file beside the target, flushed, its SHA-256 and size checked against a {@link FileChecksum}, then
 * renamed atomically), running an external tool, and cleaning up a work directory.
 */
final class VerifiedFiles {
    private VerifiedFiles() {
    }

    /**
     * Copies {@code in} to a temporary file beside the target, verifies its SHA-256 and size, and
     * renames it into place; on any failure the temporary file is deleted.
     */
    static void install(InputStream in, String origin, Path dest, FileChecksum f, Consumer<String> log) throws IOException {
        Path target = dest.resolve(f.name());
        Path tmp = Files.createTempFile(dest, "." + f.name() + ".", ".part");
        boolean done = false;
        try {
            MessageDigest md = sha256Digest();
            long written = 0;
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = Channels.newOutputStream(ch);
                 DigestInputStream din = new DigestInputStream(in, md)) {
                byte[] buf = new byte[1 << 16];
                int r;
                while ((r = din.read(buf)) >= 0) {
                    written += r;
                    if (written > f.maxBytes()) {
                        throw new IOException(origin + ": larger than the " + f.maxBytes() + " bytes " + f.name()
                                + " can be; not the expected file");
                    }
                    out.write(buf, 0, r);
                }
                out.flush();
                ch.force(true);
            }
            String actual = HexFormat.of().formatHex(md.digest());
            if (!f.accepts(actual)) {
                throw new DataFileException(target, "SHA-256 mismatch for the download from " + origin + ": expected "
                        + String.join(" or ", f.sha256().stream().sorted().toList()) + ", got " + actual + " ("
                        + written + " bytes); the download is corrupt or not the official file, nothing was installed");
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
            log.accept("verified " + f.name() + " (" + written + " bytes, sha256 " + actual + ")");
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** SHA-256 of a file, lower-case hex. */
    /** The files of {@code files} not yet present in {@code dest} with an accepted digest. */
    static List<FileChecksum> missing(Path dest, List<FileChecksum> files) throws IOException {
        List<FileChecksum> out = new ArrayList<>();
        for (FileChecksum f : files) {
            Path p = dest.resolve(f.name());
            if (!Files.isRegularFile(p) || !f.accepts(sha256(p))) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * The start of every fetch: creates {@code dest}, refuses one that is not writable, and says so
     * and returns true when every file is already there and verified (nothing to fetch).
     */
    static boolean alreadyPresent(Path dest, List<FileChecksum> files, Consumer<String> log) throws IOException {
        Files.createDirectories(dest);
        if (!Files.isWritable(dest)) {
            throw new IOException(dest + ": directory is not writable; choose another with --dest DIR");
        }
        if (missing(dest, files).isEmpty()) {
            log.accept("all " + files.size() + " files already present and verified in " + dest);
            return true;
        }
        return false;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md = sha256Digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-256, which every Java platform must provide", e);
        }
    }

    static void run(Path dir, String... command) throws IOException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": timed out");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + ": interrupted", e);
        }
        if (p.exitValue() != 0) {
            String tail = output.length() > 600 ? "..." + output.substring(output.length() - 600) : output;
            throw new IOException(String.join(" ", command) + " failed with exit code " + p.exitValue() + ": " + tail.strip());
        }
    }

    static boolean onPath(String command) {
        if (command.contains("/")) {
            return Files.isExecutable(Path.of(command));
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A leftover temporary directory is harmless; the fetch result does not depend on it.
        }
    }
}
