package org.weightnorm4j.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.io.AtomicFiles;

class FileSetTest {
    @TempDir
    Path dir;

    private static AtomicFiles.Body text(String s) {
        return out -> out.write(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, AtomicFiles.Body> files(String a, String b) {
        Map<String, AtomicFiles.Body> m = new LinkedHashMap<>();
        m.put("a.txt", text(a));
        m.put("b.txt", text(b));
        return m;
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesAllFilesAndLeavesNothingElse() throws IOException {
        FileSet.writeTogether(dir, files("one", "two"));
        assertEquals("one", Files.readString(dir.resolve("a.txt")));
        assertEquals("two", Files.readString(dir.resolve("b.txt")));
        assertEquals(List.of("a.txt", "b.txt"), listing());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a.txt"))),
                "a checkpoint is an ordinary readable file, not a private temporary one");
    }

    @Test
    void aFailureMidWriteLeavesThePreviousFilesIntact() throws IOException {
        FileSet.writeTogether(dir, files("old-a", "old-b"));
        Map<String, AtomicFiles.Body> m = files("new-a", "ignored");
        m.put("b.txt", out -> {
            out.write("partial".getBytes(StandardCharsets.UTF_8));
            throw new IOException("No space left on device");
        });
        CheckpointException e = assertThrows(CheckpointException.class, () -> FileSet.writeTogether(dir, m));
        assertTrue(e.getMessage().contains(dir.resolve("b.txt").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("No space left on device") && e.getMessage().contains("intact"), e.getMessage());
        assertEquals("old-a", Files.readString(dir.resolve("a.txt")));
        assertEquals("old-b", Files.readString(dir.resolve("b.txt")));
        assertEquals(List.of("a.txt", "b.txt"), listing(), "no temporary file left behind");
    }

    @Test
    void aKillAfterTheJournalIsRolledForward() throws IOException {
        FileSet.writeTogether(dir, files("old-a", "old-b"));
        // Simulate a kill after the journal and the first rename: a.txt new, b.txt still pending.
        Files.writeString(dir.resolve("a.txt"), "new-a");
        Files.writeString(dir.resolve(".b.txt.123.tmp"), "new-b");
        Files.writeString(dir.resolve(FileSet.JOURNAL),
                "{\"renames\":[{\"from\":\".a.txt.9.tmp\",\"to\":\"a.txt\"},{\"from\":\".b.txt.123.tmp\",\"to\":\"b.txt\"}]}");
        FileSet.recover(dir);
        assertEquals("new-a", Files.readString(dir.resolve("a.txt")));
        assertEquals("new-b", Files.readString(dir.resolve("b.txt")));
        assertEquals(List.of("a.txt", "b.txt"), listing());
    }

    @Test
    void aKillBeforeTheJournalKeepsTheOldFilesAndCleansTemporaries() throws IOException {
        FileSet.writeTogether(dir, files("old-a", "old-b"));
        Path half = Files.writeString(dir.resolve(".a.txt.77.tmp"), "half");
        Files.setLastModifiedTime(half, FileTime.from(Instant.now().minus(FileSet.STRAY_AGE).minusSeconds(1)));
        FileSet.recover(dir);
        assertEquals("old-a", Files.readString(dir.resolve("a.txt")));
        assertEquals(List.of("a.txt", "b.txt"), listing());
    }

    @Test
    void aTemporaryStillBeingWrittenBesideTheCheckpointIsLeftToItsWriter() throws IOException {
        // Another writer in the same directory (a Spark worker's metrics log while its peer restores
        // the checkpoint) is between writing its temporary and renaming it: recover must not take it.
        FileSet.writeTogether(dir, files("old-a", "old-b"));
        Path live = Files.writeString(dir.resolve(".metrics.csv.5.tmp"), "rows");
        FileSet.recover(dir);
        FileSet.writeTogether(dir, files("new-a", "new-b"));
        assertEquals("rows", Files.readString(live));
        Files.writeString(dir.resolve(".a.txt.9.tmp"), "half"); // the set's own: a killed writer's, cleaned at once
        FileSet.recover(dir, java.util.Set.of("a.txt", "b.txt"));
        assertEquals(List.of(".metrics.csv.5.tmp", "a.txt", "b.txt"), listing());
        Files.setLastModifiedTime(live, FileTime.from(Instant.now().minus(FileSet.STRAY_AGE).minusSeconds(1)));
        FileSet.recover(dir);
        assertEquals(List.of("a.txt", "b.txt"), listing(), "an old leftover is cleaned");
    }

    @Test
    void anOutputPathUnderAFileIsAClearError() throws IOException {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> FileSet.writeTogether(file.resolve("run"), files("a", "b")));
        assertTrue(e.getMessage().contains(file.resolve("run").toString()) && e.getMessage().contains("writable"), e.getMessage());
    }

    @Test
    void aReadOnlyDirectoryIsAClearErrorAndKeepsThePreviousCheckpoint() throws IOException {
        FileSet.writeTogether(dir, files("old-a", "old-b"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeTrue(!Files.isWritable(dir), "running as root: permissions are not enforced");
            CheckpointException e = assertThrows(CheckpointException.class, () -> FileSet.writeTogether(dir, files("n", "n")));
            assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("not writable"), e.getMessage());
            assertEquals("old-a", Files.readString(dir.resolve("a.txt")));
            assertFalse(Files.exists(dir.resolve(FileSet.JOURNAL)));
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
