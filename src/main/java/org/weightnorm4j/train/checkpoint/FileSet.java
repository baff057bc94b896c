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
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.weightnorm4j.io.AtomicFiles;

/**
 * Replaces several files of one directory so that they change together: a checkpoint's model,
 * sidecar, optimizer state and trainer state always come from the same step, even when the
 * process is killed half-way through.
 *
 * <p>How (a redo journal): every new file is first written to a flushed temporary file; then a
 * small journal listing the pending renames is written atomically; then the renames happen and
 * the journal is deleted. A kill before the journal exists leaves the old files (the temporaries
 * are removed by {@link #recover} once they are older than any live write); a kill after it is rolled forward by {@link #recover}, which
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
        recover(dir, files.keySet());
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
        recover(dir, Set.of());
    }

    /**
     * {@link #recover(Path)}, also deleting at once the temporaries of {@code names} (the files of
     * this set, which only its own writer writes): those of any other file in the directory are
     * deleted only once older than {@link #STRAY_AGE}, because another writer may still be at work.
     */
    public static void recover(Path dir, Set<String> names) {
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
        deleteStrayTemporaries(dir, names);
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

    /**
     * Deletes the temporaries a killed writer left: those of the set's own files ({@code names})
     * at once, any other only once older than {@link #STRAY_AGE}, because a younger one may belong
     * to a writer still at work in the same directory (a Spark worker's metrics log while its peer
     * restores the checkpoint, a second process), whose rename would then fail. A leftover kept
     * meanwhile is harmless: a hidden name ending in .tmp, never read.
     */
    private static void deleteStrayTemporaries(Path dir, Set<String> names) {
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            return;
        }
        FileTime before = FileTime.from(Instant.now().minus(STRAY_AGE));
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path p : s) {
                try {
                    if (ofSetFile(p, names) || Files.getLastModifiedTime(p).compareTo(before) < 0) {
                        AtomicFiles.deleteQuietly(p);
                    }
                } catch (IOException gone) {
                    // renamed or deleted by its writer meanwhile: nothing to clean
                }
            }
        } catch (IOException ignored) {
            // leftovers are harmless: hidden names ending in .tmp, never read
        }
    }

    /** Whether {@code tmp} is a temporary of the journal or of one of {@code names} ({@code AtomicFiles}: ".NAME.RANDOM.tmp"). */
    private static boolean ofSetFile(Path tmp, Set<String> names) {
        String t = tmp.getFileName().toString();
        if (t.startsWith("." + JOURNAL + ".")) {
            return true; // the journal is every set's own
        }
        for (String name : names) {
            if (t.startsWith("." + name + ".")) {
                return true;
            }
        }
        return false;
    }

    /** How old a temporary must be to count as a killed writer's leftover (a live write takes seconds). */
    static final Duration STRAY_AGE = Duration.ofMinutes(10);

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
