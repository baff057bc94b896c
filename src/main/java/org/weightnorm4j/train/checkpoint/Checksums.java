package org.weightnorm4j.train.checkpoint;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.weightnorm4j.io.AtomicFiles;

/**
 * The manifest {@code checksums.sha256} of a checkpoint: the SHA-256 of each of its files, in the
 * format of {@code sha256sum} ({@code <64 hex digits><two spaces><name>}, one line each), so that
 * {@code sha256sum -c checksums.sha256} checks a checkpoint without weightnorm4j. It is written in
 * the same {@link FileSet} unit as the files it covers, and every reader checks the file it reads
 * against it before using a byte of it (docs/CHECKPOINTS.md, "Checksums").
 *
 * <p>The parser is strict (exact line shape, known names only, one line per file, a final
 * newline), so that a flipped bit in the manifest itself is never read as another valid manifest:
 * a hex digit that changes stays a mismatch, anything else is a syntax error.
 */
public final class Checksums {
    public static final String MANIFEST = "checksums.sha256";
    private static final Pattern LINE = Pattern.compile("([0-9a-f]{64})  ([A-Za-z0-9._-]+)");
    private static final Set<String> KNOWN = Set.of(Checkpoint.MODEL_FILE, Checkpoint.SIDECAR_FILE,
            Checkpoint.OPTIMIZER_FILE, Checkpoint.STATE_FILE);
    /** Where the one-line notice about a checkpoint without checksums goes (stderr; tests capture it). */
    private static volatile Consumer<String> notices = line -> System.err.println(line);

    private static final Set<Path> noticed = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private Checksums() {
    }

    /** Sends the legacy-checkpoint notices elsewhere (e.g. a test's buffer); returns the previous sink. */
    public static Consumer<String> setNoticeSink(Consumer<String> sink) {
        Consumer<String> old = notices;
        notices = sink;
        return old;
    }

    /**
     * Wraps {@code files} (name → body, in writing order) so that each body's SHA-256 is taken as it
     * is written, and appends the manifest's own body, which runs last and lists them.
     */
    static Map<String, AtomicFiles.Body> withManifest(Map<String, AtomicFiles.Body> files) {
        Map<String, byte[]> digests = new LinkedHashMap<>();
        Map<String, AtomicFiles.Body> wrapped = new LinkedHashMap<>();
        files.forEach((name, body) -> wrapped.put(name, stream -> {
            MessageDigest md = sha256();
            body.writeTo(new FilterOutputStream(stream) {
                @Override
                public void write(int b) throws IOException {
                    md.update((byte) b);
                    out.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    md.update(b, off, len);
                    out.write(b, off, len);
                }
            });
            digests.put(name, md.digest());
        }));
        wrapped.put(MANIFEST, stream -> {
            StringBuilder sb = new StringBuilder();
            // Sorted by name: the manifest's bytes depend on the contents only.
            for (String name : new TreeSet<>(digests.keySet())) {
                sb.append(HexFormat.of().formatHex(digests.get(name))).append("  ").append(name).append('\n');
            }
            stream.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        });
        return wrapped;
    }

    /**
     * Checks {@code dir/name} against the manifest. A checkpoint without a manifest whose weights
     * carry no CRC32C either was written before checksums existed: it loads, with a one-line notice.
     *
     * @throws CheckpointException naming the file, what the mismatch means and what to do
     */
    static void verify(Path dir, String name) {
        Path manifest = dir.resolve(MANIFEST);
        Map<String, String> recorded;
        try {
            recorded = parse(manifest, Files.readString(manifest, StandardCharsets.US_ASCII));
        } catch (NoSuchFileException e) {
            legacyOrMissing(dir);
            return;
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + manifest + ": " + e.getMessage()
                    + "; it holds the checksums of the checkpoint" + KeptCheckpoints.advice(dir), e);
        }
        Path file = dir.resolve(name);
        String want = recorded.get(name);
        if (want == null) {
            throw new CheckpointException(manifest + " records no checksum for " + name + ", which this checkpoint needs;"
                    + " the manifest is damaged or the file does not belong here" + KeptCheckpoints.advice(dir));
        }
        String actual = sha256(file);
        if (!want.equals(actual)) {
            throw new CheckpointException("checkpoint file " + file + " is damaged: its SHA-256 does not match the one"
                    + " recorded in " + MANIFEST + " when it was written (one of the two changed on disk since)"
                    + whichTensor(file) + ". Its contents cannot be trusted: loading it could silently give other"
                    + " numbers" + KeptCheckpoints.advice(dir));
        }
    }

    /** For a damaged safetensors file, what its per-tensor CRC32Cs say: the tensor, or that the header changed. */
    private static String whichTensor(Path file) {
        if (!file.getFileName().toString().endsWith(".safetensors")) {
            return "";
        }
        try {
            SafeTensors.read(file);
            return "; every tensor's data still matches its CRC32C, so the damage is in the header (names, shapes,"
                    + " metadata) or in the manifest";
        } catch (CheckpointException e) {
            String prefix = "checkpoint file " + file + " is damaged: ";
            String m = e.getMessage();
            return "; " + (m.startsWith(prefix) ? m.substring(prefix.length()) : m);
        }
    }

    private static void legacyOrMissing(Path dir) {
        Path weights = dir.resolve(Checkpoint.MODEL_FILE);
        boolean checksummed = Files.exists(weights) && SafeTensors.read(weights).metadata().keySet().stream()
                .anyMatch(k -> k.startsWith(SafeTensors.CRC_PREFIX));
        if (checksummed) {
            throw new CheckpointException("checkpoint " + dir + " has lost its " + MANIFEST + " (its weights carry"
                    + " checksums, so it was written with one): its files cannot be verified" + KeptCheckpoints.advice(dir));
        }
        if (!noticed.add(dir.toAbsolutePath().normalize())) {
            return; // one notice per checkpoint, not one per file read
        }
        notices.accept("note: checkpoint " + dir + " has no " + MANIFEST + " (written by weightnorm4j before"
                + " checksums, issue 16): loaded unverified; checkpoints written from now on carry them");
    }

    /** Parses a manifest strictly: every line well-formed, names known and distinct, a final newline. */
    static Map<String, String> parse(Path manifest, String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!text.endsWith("\n")) {
            throw damagedManifest(manifest, "it does not end with a newline");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = LINE.matcher(lines[i]);
            if (!m.matches()) {
                throw damagedManifest(manifest, "line " + (i + 1) + " is not '<sha-256>  <file>'");
            }
            if (!KNOWN.contains(m.group(2)) || out.put(m.group(2), m.group(1)) != null) {
                throw damagedManifest(manifest, "line " + (i + 1) + " names '" + m.group(2)
                        + "', not one checkpoint file once");
            }
        }
        return out;
    }

    private static CheckpointException damagedManifest(Path manifest, String why) {
        return new CheckpointException("checkpoint manifest " + manifest + " is damaged (" + why + "), so the"
                + " checkpoint's files cannot be verified" + KeptCheckpoints.advice(manifest.getParent()));
    }

    static String sha256(Path file) {
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
        } catch (NoSuchFileException e) {
            throw new CheckpointException("checkpoint file " + file + " does not exist" + KeptCheckpoints.advice(file.getParent()), e);
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e); // every JDK must have it
        }
    }
}
