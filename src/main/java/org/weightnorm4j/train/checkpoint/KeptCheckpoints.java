package org.weightnorm4j.train.checkpoint;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.weightnorm4j.io.AtomicFiles;

/**
 * {@code --keep N}: the latest checkpoint stays where it always was, in the run directory itself
 * (so {@code --resume DIR} and {@code eval --checkpoint DIR} work on every existing run), and the
 * N − 1 before it are kept as {@code DIR/checkpoints/step-000000123/}, each a complete checkpoint
 * directory (docs/CHECKPOINTS.md, "Keeping older checkpoints").
 *
 * <p>Crash safety: an older checkpoint is kept by hard-linking its files (a copy where links are
 * not supported) into a hidden {@code .step-….tmp} directory that is renamed into place in one
 * atomic step; the new checkpoint then replaces DIR's files by rename ({@link FileSet}), which
 * leaves the linked old contents untouched. Pruning renames a directory to a hidden name before
 * deleting it. So a crash at any point leaves only complete {@code step-*} directories; hidden
 * leftovers are removed by the next {@link #recover}.
 */
public final class KeptCheckpoints {
    public static final String SUBDIR = "checkpoints";
    private static final String PREFIX = "step-";

    private KeptCheckpoints() {
    }

    /** The directory an older checkpoint at {@code step} is kept in. */
    public static Path pathOf(Path dir, long step) {
        return dir.resolve(SUBDIR).resolve(String.format(Locale.ROOT, PREFIX + "%09d", step));
    }

    /** The kept older checkpoints of run directory {@code dir}, newest (highest step) first. */
    public static List<Path> list(Path dir) {
        Path sub = dir.resolve(SUBDIR);
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(sub)) {
            return out;
        }
        try (Stream<Path> s = Files.list(sub)) {
            s.filter(p -> p.getFileName().toString().matches(PREFIX + "[0-9]+") && Files.isDirectory(p)).forEach(out::add);
        } catch (IOException e) {
            return out;
        }
        out.sort(Comparator.comparingLong((Path p) -> Long.parseLong(p.getFileName().toString().substring(PREFIX.length())))
                .reversed());
        return out;
    }

    /**
     * Before a checkpoint at {@code newStep} replaces the one in {@code dir}: keeps the current one
     * under {@link #SUBDIR} if {@code keep > 1}, it is complete and verifies, and is of another step.
     */
    static void keepCurrent(Path dir, long newStep, int keep) {
        if (keep <= 1 || !Files.exists(dir.resolve(Checkpoint.SIDECAR_FILE))) {
            return;
        }
        recover(dir);
        long step;
        try {
            for (String f : List.of(Checkpoint.SIDECAR_FILE, Checkpoint.MODEL_FILE, Checkpoint.OPTIMIZER_FILE,
                    Checkpoint.STATE_FILE)) {
                if (f.equals(Checkpoint.SIDECAR_FILE) || f.equals(Checkpoint.MODEL_FILE) || Files.exists(dir.resolve(f))) {
                    Checksums.verify(dir, f); // every file it has: a kept checkpoint must be resumable
                }
            }
            step = Sidecar.read(dir.resolve(Checkpoint.SIDECAR_FILE)).step();
        } catch (CheckpointException e) {
            // A damaged current checkpoint is not one of the "last good" ones: it is replaced, not kept.
            System.err.println("note: not keeping the previous checkpoint in " + dir + ": " + e.getMessage());
            return;
        }
        Path target = pathOf(dir, step);
        if (step == newStep || Files.exists(target)) {
            return;
        }
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            Files.createDirectories(tmp);
            for (String f : List.of(Checkpoint.MODEL_FILE, Checkpoint.SIDECAR_FILE, Checkpoint.OPTIMIZER_FILE,
                    Checkpoint.STATE_FILE, Checksums.MANIFEST)) {
                Path src = dir.resolve(f);
                if (Files.exists(src)) {
                    linkOrCopy(src, tmp.resolve(f));
                }
            }
            AtomicFiles.syncDirectory(tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.syncDirectory(target.getParent());
        } catch (IOException e) {
            deleteTree(tmp);
            throw CheckpointException.writing(target, e);
        }
    }

    /** Deletes all but the newest {@code keep − 1} kept checkpoints. */
    static void prune(Path dir, int keep) {
        List<Path> kept = list(dir);
        for (Path old : kept.subList(Math.min(kept.size(), Math.max(0, keep - 1)), kept.size())) {
            Path doomed = old.resolveSibling("." + old.getFileName() + ".del");
            try {
                Files.move(old, doomed, StandardCopyOption.ATOMIC_MOVE); // gone from list() in one step
            } catch (IOException e) {
                continue; // an old checkpoint left in place is harmless; the next save tries again
            }
            deleteTree(doomed);
        }
        AtomicFiles.syncDirectory(dir.resolve(SUBDIR));
    }

    /** Removes what a crash inside {@link #keepCurrent} or {@link #prune} left: hidden {@code .step-*} directories. */
    static void recover(Path dir) {
        Path sub = dir.resolve(SUBDIR);
        if (!Files.isDirectory(sub) || !Files.isWritable(sub)) {
            return;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(sub, "." + PREFIX + "*")) {
            for (Path p : s) {
                deleteTree(p);
            }
        } catch (IOException ignored) {
            // hidden leftovers are never read; the next save tries again
        }
    }

    /** What to do about a damaged checkpoint in {@code dir}: the newest kept older one, if any. */
    static String advice(Path dir) {
        if (dir == null) {
            return ".";
        }
        List<Path> kept = list(dir);
        if (kept.isEmpty()) {
            return ". No older checkpoint is kept in " + dir.resolve(SUBDIR) + " (train with --keep N to keep some);"
                    + " restore the directory from a backup or train again";
        }
        Path k = kept.get(0);
        return ". An older checkpoint is kept in " + k + ": evaluate it with 'weightnorm eval --checkpoint " + k
                + "', or go back to it with 'cp " + k + "/* " + dir + "/' and resume with 'weightnorm train --resume "
                + dir + "'";
    }

    private static void linkOrCopy(Path src, Path dst) throws IOException {
        try {
            Files.createLink(dst, src);
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING); // a file system without hard links
        }
    }

    private static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(AtomicFiles::deleteQuietly);
        } catch (IOException ignored) {
            // left for the next recover()
        }
    }
}
