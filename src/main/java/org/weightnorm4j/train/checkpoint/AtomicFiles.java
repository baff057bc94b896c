package org.weightnorm4j.train.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes files so that a crash, a full disk or a kill at any moment leaves either the old file or
 * the complete new one, never a mix: the bytes go to a temporary file in the target's directory,
 * which is flushed to disk ({@code fsync}), renamed over the target in one atomic step, after
 * which the directory itself is flushed so that the rename survives a power cut.
 */
public final class AtomicFiles {

    /** Writes the content of a file to a stream; may throw {@link IOException}. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Replaces {@code target} atomically with what {@code body} writes. */
    public static void write(Path target, Body body) {
        Path tmp = writeTemp(target, body);
        commit(tmp, target);
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * Writes {@code body} to a new temporary file next to {@code target} and flushes it to disk.
     * The caller {@link #commit commits} it (or deletes it) later.
     */
    public static Path writeTemp(Path target, Body body) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            makeReadable(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = Channels.newOutputStream(ch)) {
                body.writeTo(out);
                out.flush();
                ch.force(true);
            }
            return tmp;
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw failure("cannot write " + target, e);
        }
    }

    /** Renames a flushed temporary file over {@code target} in one atomic step. */
    public static void commit(Path tmp, Path target) {
        try {
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + target.getParent() + " cannot rename atomically", e);
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw failure("cannot replace " + target, e);
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

    /** Temporary files start private (0600); a checkpoint is an ordinary file (0644), readable by others. */
    private static void makeReadable(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its default permissions apply
        }
    }

    /** Deletes a file if it exists, ignoring errors (used to clean up after a failure). */
    public static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort: the file is a temporary one and carries a .tmp suffix
            }
        }
    }

    private static CheckpointException failure(String what, IOException e) {
        String reason = e instanceof AccessDeniedException ? "permission denied"
                : e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason()
                : e.getMessage() == null ? e.toString() : e.getMessage();
        return new CheckpointException(what + ": " + reason + ". The previous checkpoint, if any, is intact;"
                + " free disk space or choose a writable output directory, then resume.", e);
    }
}
