package org.weightnorm4j.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file that cannot be used: missing, truncated, corrupt, of the wrong format, or holding
 * values out of range. The message always starts with the file's path, then says what is wrong
 * and, where it helps, what to do.
 */
public class DataFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public DataFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public DataFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file the problem is about. */
    public Path file() {
        return file;
    }
}
