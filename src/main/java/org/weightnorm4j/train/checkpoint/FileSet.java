package org.weightnorm4j.train.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.weightnorm4j.io.AtomicFiles;

/**
 * Replaces several files of one directory so that they change together: a checkpoint's model,
 * sidecar, optimizer state and trainer state always come from the same step, even when the
 * process is killed half-way through.
 *
 * <p>How (a redo journal): every new file is first written to a flushed temporary file; then a
 * small journal listing the pending renames is written atomically; then the renames happen and
 * the journal is deleted. A kill before the journal exists leaves the old files (the temporaries
 * are removed by {@link #recover}); a kill after it is rolled forward by {@link #recover}, which
 * every reader calls first. Either way the directory holds one complete checkpoint.
 */
public final class FileSet {
    /** The journal's name inside the checkpoint directory. */
    public static final String JOURNAL = "checkpoint.journal";

    private FileSet() {
    }

    /** Writes {@code files} (name → content) into {@code dir} as one unit. */
    public static void writeTogether(Path dir, Map<String, AtomicFiles.Body> files) {
        createDirectory(dir);
        recover(dir);
        Map<String, Path> temps = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, AtomicFiles.Body> e : files.entrySet()) {
                temps.put(e.getKey(), writeTemp(dir.resolve(e.getKey()), e.getValue()));
            }
            JsonArray renames = new JsonArray();
            temps.forEach((name, tmp) -> {
                JsonObject r = new JsonObject();
                r.addProperty("from", tmp.getFileName().toString());
                r.addProperty("to", name);
                renames.add(r);
            });
            JsonObject journal = new JsonObject();
            journal.add("renames", renames);
            Path journalFile = dir.resolve(JOURNAL);
            try {
                AtomicFiles.write(journalFile, journal.toString().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw CheckpointException.writing(journalFile, e);
            }
        } catch (RuntimeException e) {
            temps.values().forEach(AtomicFiles::deleteQuietly);
            throw e;
        }
        recover(dir);
    }

    private static Path writeTemp(Path file, AtomicFiles.Body body) {
        try {
            return AtomicFiles.writeTemp(file, body);
        } catch (IOException e) {
            throw CheckpointException.writing(file, e);
        }
    }

    /**
     * Finishes or undoes an interrupted {@link #writeTogether}: applies a journal's pending renames,
     * deletes the journal and any stray temporary file. A no-op on a clean directory.
     */
    public static void recover(Path dir) {
        Path journal = dir.resolve(JOURNAL);
        if (Files.exists(journal)) {
            for (String[] rename : readJournal(journal)) {
                Path from = dir.resolve(rename[0]);
                if (Files.exists(from)) {
                    try {
                        Files.move(from, dir.resolve(rename[1]), StandardCopyOption.ATOMIC_MOVE,
                                StandardCopyOption.REPLACE_EXISTING);
                    } catch (IOException e) {
                        throw new CheckpointException("cannot complete the interrupted checkpoint write in " + dir
                                + " (renaming " + rename[0] + " to " + rename[1] + ": " + e.getMessage()
                                + "); make the directory writable and retry", e);
                    }
                }
            }
            AtomicFiles.syncDirectory(dir);
            try {
                Files.delete(journal);
            } catch (IOException e) {
                throw new CheckpointException("cannot delete " + journal + " after completing the checkpoint: "
                        + e.getMessage() + "; make the directory writable and retry", e);
            }
            AtomicFiles.syncDirectory(dir);
        }
        deleteStrayTemporaries(dir);
    }

    private static List<String[]> readJournal(Path journal) {
        try {
            JsonObject o = JsonParser.parseString(Files.readString(journal, StandardCharsets.UTF_8)).getAsJsonObject();
            List<String[]> out = new ArrayList<>();
            for (JsonElement e : o.getAsJsonArray("renames")) {
                JsonObject r = e.getAsJsonObject();
                String from = r.get("from").getAsString(), to = r.get("to").getAsString();
                if (from.contains("/") || to.contains("/") || from.contains("\\") || to.contains("\\")) {
                    throw new CheckpointException("checkpoint journal " + journal + " names a path outside its directory");
                }
                out.add(new String[] {from, to});
            }
            return out;
        } catch (IOException | JsonParseException | IllegalStateException | NullPointerException | ClassCastException e) {
            throw new CheckpointException("checkpoint journal " + journal + " is unreadable (" + e.getMessage()
                    + "); delete it to keep the previous checkpoint", e);
        }
    }

    private static void deleteStrayTemporaries(Path dir) {
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            return;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path p : s) {
                AtomicFiles.deleteQuietly(p);
            }
        } catch (IOException ignored) {
            // leftovers are harmless: hidden names ending in .tmp, never read
        }
    }

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CheckpointException("cannot create the output directory " + dir + " (" + e.getMessage()
                    + "); choose a writable --out directory", e);
        }
        if (!Files.isWritable(dir)) {
            throw new CheckpointException("the output directory " + dir + " is not writable; the previous"
                    + " checkpoint, if any, is intact; make it writable or choose another --out directory");
        }
    }
}
