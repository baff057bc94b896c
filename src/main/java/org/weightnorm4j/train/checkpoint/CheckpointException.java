package org.weightnorm4j.train.checkpoint;

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
}
