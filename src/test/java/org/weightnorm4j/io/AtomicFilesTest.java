package org.weightnorm4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract both checkpoints and reports rely on; FileSetTest and StorageFaultsTest cover the checkpoint side. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void replacesTheFileWithAnOrdinaryReadableOne() throws IOException {
        Path f = dir.resolve("report.html");
        AtomicFiles.write(f, "old".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(f, "new".getBytes(StandardCharsets.UTF_8));
        assertEquals("new", Files.readString(f));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertEquals(List.of("report.html"), listing(), "no temporary file left behind");
    }

    @Test
    void aFailingWriterLeavesTheOldContentAndNoTemporary() throws IOException {
        Path f = dir.resolve("model.safetensors");
        AtomicFiles.write(f, "old".getBytes(StandardCharsets.UTF_8));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write("partial".getBytes(StandardCharsets.UTF_8));
            throw new IOException("No space left on device");
        }));
        assertEquals("No space left on device", e.getMessage());
        assertEquals("old", Files.readString(f));
        assertEquals(List.of("model.safetensors"), listing());
    }

    @Test
    void aMissingDirectoryIsNamed() {
        Path missing = dir.resolve("absent");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(missing.resolve("f"), new byte[1]));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void aCommitFailureDeletesTheTemporary() throws IOException {
        Path tmp = AtomicFiles.writeTemp(dir.resolve("a"), out -> out.write(1));
        // A directory in the way: the rename over it fails, and the flushed temporary must not linger.
        Path blocked = Files.createDirectory(dir.resolve("b"));
        Files.writeString(blocked.resolve("inside"), "x");
        assertThrows(IOException.class, () -> AtomicFiles.commit(tmp, blocked));
        assertEquals(List.of("b"), listing());
    }
}
