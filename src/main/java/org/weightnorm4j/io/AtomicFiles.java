package org.weightnorm4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes files so that a crash, a full disk or a kill at any moment leaves either the old file or
 * the complete new one, never a mix: the bytes go to a temporary file in the target's directory,
 * which is flushed to disk ({@code fsync}), renamed over the target in one atomic step, after
 * which the directory itself is flushed so that the rename survives a power cut. A report open in
 * a browser and a checkpoint read by a resuming run both see a whole file.
 *
 * <p>Failures are plain {@link IOException}s; callers add what the user should do (the checkpoint
 * code says the previous checkpoint is intact, the report code names the page).
 */
public final class AtomicFiles {

    /** Writes the content of a file to a stream; may throw {@link IOException}. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Replaces {@code target} atomically with {@code data}. */
    public static void write(Path target, byte[] data) throws IOException {
        write(target, out -> out.write(data));
    }

    /** Replaces {@code target} atomically with what {@code body} writes. */
    public static void write(Path target, Body body) throws IOException {
        Path tmp = writeTemp(target, body);
        commit(tmp, target);
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * Writes {@code body} to a new temporary file next to {@code target} and flushes it to disk.
     * The caller {@link #commit commits} it (or deletes it) later; on failure nothing is left.
     */
    public static Path writeTemp(Path target, Body body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        // A missing directory would otherwise surface as a NoSuchFileException naming the temporary file.
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException("directory " + dir + " does not exist");
        }
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        boolean written = false;
        try {
            makeReadable(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = Channels.newOutputStream(ch)) {
                body.writeTo(out);
                out.flush();
                ch.force(true);
            }
            written = true;
            return tmp;
        } finally {
            if (!written) {
                deleteQuietly(tmp);
            }
        }
    }

    /**
     * Renames a flushed temporary file over {@code target} in one atomic step, deleting it on failure.
     * A file system that cannot rename atomically is an error, not a silent copy: a reader could
     * then see half a file, which is what this class exists to prevent.
     */
    public static void commit(Path tmp, Path target) throws IOException {
        try {
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + target.toAbsolutePath().getParent()
                        + " cannot rename atomically", e);
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    /** Flushes a directory's entries (renames, new files) to disk, where the platform allows it. */
    public static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open a directory; the rename is still atomic there.
        }
    }

    /** Deletes a file if it exists, ignoring errors (used to clean up after a failure). */
    public static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort: the file is a temporary one, hidden and with a .tmp suffix
            }
        }
    }

    /**
     * Temporary files start private (0600); the files written here (reports, checkpoints, logs)
     * are ordinary ones (0644), readable by whoever can see the directory.
     */
    private static void makeReadable(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException notPosix) {
            // Not a POSIX file system: its default permissions apply.
        }
    }
}
