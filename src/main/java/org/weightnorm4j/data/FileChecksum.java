package org.weightnorm4j.data;

import java.util.Locale;
import java.util.Set;

/**
 * What a downloaded file must be: its name, the SHA-256 digests accepted for it, and a size
 * limit that stops a misbehaving server from filling the disk.
 *
 * @param name the file name, e.g. {@code train-images-idx3-ubyte.gz}
 * @param sha256 accepted digests, lower-case hex (more than one when mirrors differ byte-wise)
 * @param maxBytes the download is aborted beyond this many bytes
 */
public record FileChecksum(String name, Set<String> sha256, long maxBytes) {
    public FileChecksum {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IllegalArgumentException("not a plain file name: '" + name + "'");
        }
        if (sha256.isEmpty()) {
            throw new IllegalArgumentException(name + ": at least one SHA-256 digest is needed");
        }
        for (String s : sha256) {
            if (!s.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException(name + ": '" + s + "' is not a SHA-256 digest (64 hex digits)");
            }
        }
        sha256 = Set.copyOf(sha256.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList());
        if (maxBytes <= 0) {
            throw new IllegalArgumentException(name + ": maxBytes must be positive, got " + maxBytes);
        }
    }

    /** True when {@code digest} (hex) is one of the accepted digests. */
    public boolean accepts(String digest) {
        return sha256.contains(digest.toLowerCase(Locale.ROOT));
    }
}
