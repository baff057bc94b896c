package org.weightnorm4j.train.checkpoint;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * A checkpoint could not be written or read. The message names the file and says what to do;
 * the command line prints it as one line and exits with status 1.
 */
public final class CheckpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * A checkpoint file could not be written: names it, gives the system's reason (a
     * {@link FileSystemException}'s message repeats the path, so only its reason is kept) and says
     * what to do. The writes are atomic, so whatever was there before is still whole.
     */
    static CheckpointException writing(Path file, IOException e) {
        String reason = e instanceof AccessDeniedException ? "permission denied"
                : e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason()
                : e.getMessage() == null ? e.toString() : e.getMessage();
        return new CheckpointException("cannot write " + file + ": " + reason + ". The previous checkpoint, if any, is intact;"
                + " free disk space or choose a writable output directory, then resume.", e);
    }
}
