package org.weightnorm4j.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.weightnorm4j.train.checkpoint.Checkpoint;
import org.weightnorm4j.train.checkpoint.Checksums;

/**
 * Rewrites a checkpoint's {@code checksums.sha256} after a test changed one of its files on purpose
 * (e.g. a sidecar of a future format version), as a writer of that content would have: the test
 * then exercises the reader's own checks, not the checksum that would otherwise stop it first.
 */
public final class Manifests {
    private Manifests() {
    }

    public static void rewrite(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String f : List.of(Checkpoint.SIDECAR_FILE, Checkpoint.MODEL_FILE, Checkpoint.OPTIMIZER_FILE, Checkpoint.STATE_FILE)) {
            if (Files.exists(dir.resolve(f))) {
                sb.append(sha256(Files.readAllBytes(dir.resolve(f)))).append("  ").append(f).append('\n');
            }
        }
        Files.writeString(dir.resolve(Checksums.MANIFEST), sb.toString(), StandardCharsets.US_ASCII);
    }

    public static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
