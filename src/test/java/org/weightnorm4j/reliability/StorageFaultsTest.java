package org.weightnorm4j.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.data.Dataset;
import org.weightnorm4j.io.AtomicFiles;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.testing.TinyTask;
import org.weightnorm4j.train.MetricsLog;
import org.weightnorm4j.train.StepRecord;
import org.weightnorm4j.train.TrainConfig;
import org.weightnorm4j.train.Trainer;
import org.weightnorm4j.train.TrainingListener;
import org.weightnorm4j.train.checkpoint.Checkpoint;
import org.weightnorm4j.train.checkpoint.CheckpointException;
import org.weightnorm4j.train.checkpoint.Checksums;
import org.weightnorm4j.train.checkpoint.KeptCheckpoints;
import org.weightnorm4j.train.checkpoint.Sidecar;
import org.weightnorm4j.train.checkpoint.FileSet;

/**
 * Issue 7, item 2 (storage): a checkpoint write that fails (disk full) or is cut short (crash,
 * kill) at any point leaves the previous checkpoint complete; a run whose output directory goes
 * away stops with a clear message and resumes to the same bytes as a run that never failed.
 * Uses the real files of two checkpoints of one run (steps 5 and 10).
 */
class StorageFaultsTest {
    private static final Dataset TRAIN = TinyTask.data("tiny/train", 320, 1, 4, 1);
    /** The order {@link Checkpoint#save} writes and renames the files in (the checksum manifest last, issue 16). */
    private static final List<String> FILES = List.of(Checkpoint.OPTIMIZER_FILE, Checkpoint.STATE_FILE, Checkpoint.MODEL_FILE,
            Checkpoint.SIDECAR_FILE, Checksums.MANIFEST);

    @TempDir
    Path tmp;

    private static TrainConfig config() {
        return TrainConfig.builder().epochs(2).batchSize(32).optimizer("adam", 0.01).initBatch(64).logEverySteps(1)
                .checkpointEvery(1, 5).seed(8).build();
    }

    private static Trainer trainer(Path out) {
        Trainer t = TinyTask.trainer(TinyTask.mlp(), Parameterization.WN_MOBN, TRAIN, null, config(), out);
        t.addListener(new MetricsLog(out.resolve("metrics.csv")));
        return t;
    }

    /** The four files of the checkpoint a run writes at step {@code step} (it stops right after). */
    private Map<String, byte[]> checkpointAt(int step) throws IOException {
        Path out = tmp.resolve("ckpt-" + step);
        Trainer t = trainer(out);
        t.addListener(new TrainingListener() {
            @Override
            public void onStep(StepRecord r) {
                if (r.step() == step + 1) {
                    t.requestStop();
                }
            }
        });
        assertNull(t.run());
        assertEquals(step, Checkpoint.readSidecar(out).step());
        return read(out);
    }

    private static Map<String, byte[]> read(Path dir) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (String f : FILES) {
            m.put(f, Files.readAllBytes(dir.resolve(f)));
        }
        return m;
    }

    private static Path writeAll(Path dir, Map<String, byte[]> files) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
        return dir;
    }

    /** Recovers as every reader does, then checks the directory holds exactly {@code expected} and it loads. */
    private static void assertHolds(Path dir, Map<String, byte[]> expected, long step, String what) throws IOException {
        assertEquals(step, Checkpoint.readSidecar(dir).step(), what);
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(FILES.stream().sorted().toList(), names, what + ": nothing but the checkpoint is left");
        }
        assertLoads(dir, expected, step, what);
    }

    /** The checkpoint in {@code dir} is {@code expected}, byte for byte, at {@code step}, and loads. */
    private static void assertLoads(Path dir, Map<String, byte[]> expected, long step, String what) throws IOException {
        assertEquals(step, Checkpoint.readSidecar(dir).step(), what);
        for (String f : FILES) {
            assertArrayEquals(expected.get(f), Files.readAllBytes(dir.resolve(f)), what + ": " + f);
        }
        Sequential fresh = TinyTask.mlp().build(Parameterization.WN_MOBN, 1, DType.FLOAT32);
        Checkpoint.loadModel(dir, fresh);
        Checkpoint.readTrainingState(dir);
    }

    /**
     * Every point where a kill can cut {@link FileSet#writeTogether} short, re-created on disk: k
     * temporaries complete and the next one half written, no journal (11 states); the journal's own
     * temporary written but not renamed (1); the journal in place with j of the 5 renames done (6).
     * Before the journal the old checkpoint must survive whole, after it the new one.
     */
    @Test
    void aCrashAtEveryPointOfACheckpointWriteLeavesTheOldOrTheNewCheckpoint() throws IOException {
        Map<String, byte[]> old = checkpointAt(5), next = checkpointAt(10);
        int states = 0;
        for (int k = 0; k <= FILES.size(); k++) {
            for (boolean half : new boolean[] {false, true}) {
                if (half && k == FILES.size()) {
                    continue;
                }
                Path dir = writeAll(tmp.resolve("crash-a-" + k + "-" + half), old);
                for (int i = 0; i < k; i++) {
                    Files.write(dir.resolve(temp(FILES.get(i))), next.get(FILES.get(i)));
                }
                if (half) {
                    byte[] b = next.get(FILES.get(k));
                    Files.write(dir.resolve(temp(FILES.get(k))), Arrays.copyOf(b, b.length / 2));
                }
                assertHolds(dir, old, 5, "killed with " + k + " temporaries written" + (half ? " and one half" : ""));
                states++;
            }
        }
        Path dir = writeAll(tmp.resolve("crash-journal-temp"), old);
        List<String> temps = new ArrayList<>();
        for (String f : FILES) {
            temps.add(temp(f));
            Files.write(dir.resolve(temps.get(temps.size() - 1)), next.get(f));
        }
        Files.writeString(dir.resolve(temp(FileSet.JOURNAL)), journal(temps));
        assertHolds(dir, old, 5, "killed before the journal's rename");
        states++;
        for (int j = 0; j <= FILES.size(); j++) {
            dir = writeAll(tmp.resolve("crash-b-" + j), old);
            for (int i = 0; i < FILES.size(); i++) {
                Files.write(dir.resolve(i < j ? FILES.get(i) : temps.get(i)), next.get(FILES.get(i)));
            }
            Files.writeString(dir.resolve(FileSet.JOURNAL), journal(temps));
            assertHolds(dir, next, 10, "killed after the journal, " + j + " renames done");
            states++;
        }
        assertEquals(18, states);
    }

    private static String temp(String name) {
        return "." + name + "." + Math.abs(name.hashCode()) + ".tmp";
    }

    private static String journal(List<String> temps) {
        StringBuilder b = new StringBuilder("{\"renames\":[");
        for (int i = 0; i < temps.size(); i++) {
            b.append(i == 0 ? "" : ",").append("{\"from\":\"").append(temps.get(i)).append("\",\"to\":\"")
                    .append(FILES.get(i)).append("\"}");
        }
        return b.append("]}").toString();
    }

    /**
     * The disk fills up while one of the five files of the next checkpoint is being written, at a
     * seeded offset (25 faults: each file, five offsets, the first at byte 0): the write fails with
     * the system's reason, says the previous checkpoint is intact, and it is, with no temporary left.
     */
    @Test
    void aFullDiskDuringAnyFileOfACheckpointKeepsThePreviousOne() throws IOException {
        Map<String, byte[]> old = checkpointAt(5), next = checkpointAt(10);
        Path dir = writeAll(tmp.resolve("full"), old);
        SplittableRandom rng = new SplittableRandom(28);
        int faults = 0;
        for (int failing = 0; failing < FILES.size(); failing++) {
            for (int attempt = 0; attempt < 5; attempt++) {
                String name = FILES.get(failing);
                int cut = attempt == 0 ? 0 : rng.nextInt(next.get(name).length);
                Map<String, AtomicFiles.Body> bodies = new LinkedHashMap<>();
                for (String f : FILES) {
                    byte[] b = next.get(f);
                    bodies.put(f, f.equals(name) ? out -> {
                        out.write(b, 0, cut);
                        throw new FileSystemException(dir.resolve(f).toString(), null, "No space left on device");
                    } : out -> out.write(b));
                }
                CheckpointException e = assertThrows(CheckpointException.class, () -> FileSet.writeTogether(dir, bodies));
                assertTrue(e.getMessage().contains(dir.resolve(name).toString()) && e.getMessage().contains("No space left")
                        && e.getMessage().contains("previous checkpoint, if any, is intact"), e.getMessage());
                assertHolds(dir, old, 5, "disk full in " + name + " after " + cut + " bytes");
                faults++;
            }
        }
        assertEquals(25, faults);
        // Space freed: the same write now goes through.
        Map<String, AtomicFiles.Body> bodies = new LinkedHashMap<>();
        next.forEach((f, b) -> bodies.put(f, out -> out.write(b)));
        FileSet.writeTogether(dir, bodies);
        assertHolds(dir, next, 10, "after space was freed");
    }

    /**
     * The output directory's parent is replaced by a regular file mid-run (the disk it was on went
     * away): the next checkpoint fails with a message naming the directory, the checkpoint written
     * before (moved aside with its parent) is intact, and resuming from it ends with the same
     * metrics and checkpoint bytes as a run that never failed.
     */
    @Test
    void anOutputDirectoryThatGoesAwayStopsClearlyAndTheRunResumesExactly() throws IOException {
        Path straight = tmp.resolve("straight");
        trainer(straight).run();

        Path disk = tmp.resolve("disk"), moved = tmp.resolve("disk-moved");
        Path out = disk.resolve("run");
        Trainer t = trainer(out);
        t.addListener(new TrainingListener() {
            @Override
            public void onStep(StepRecord r) {
                if (r.step() == 7) {
                    try {
                        Files.move(disk, moved);
                        Files.writeString(disk, "a regular file where the output directory's parent was",
                                StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
        });
        CheckpointException e = assertThrows(CheckpointException.class, t::run);
        assertTrue(e.getMessage().contains(out.toString()) && e.getMessage().contains("writable --out"), e.getMessage());
        Path kept = moved.resolve("run");
        assertEquals(5, Checkpoint.readSidecar(kept).step());

        Trainer resumed = new Trainer(TinyTask.mlp().build(Parameterization.WN_MOBN, 8, DType.FLOAT32), TRAIN, null,
                Trainer.configOf(Checkpoint.readTrainingState(kept)),
                new Trainer.ModelInfo(TinyTask.mlp().toJson(), "wn-mobn", "tiny", "none"), kept);
        resumed.addListener(new MetricsLog(kept.resolve("metrics.csv")));
        resumed.restore(kept);
        assertEquals(5, resumed.step());
        resumed.run();
        assertEquals(Files.readString(straight.resolve("metrics.csv")), Files.readString(kept.resolve("metrics.csv")));
        for (String f : List.of(Checkpoint.MODEL_FILE, Checkpoint.OPTIMIZER_FILE)) {
            assertArrayEquals(Files.readAllBytes(straight.resolve(f)), Files.readAllBytes(kept.resolve(f)), f);
        }
    }

    /**
     * Issue 16, {@code --keep}: a kill at every point of keeping the previous checkpoint and pruning
     * old ones, re-created on disk with the real files of two checkpoints (steps 5 and 10): the
     * latest checkpoint and every {@code checkpoints/step-*} directory load and verify, hidden
     * leftovers are never listed, and the next save removes them and prunes to {@code keep}.
     */
    @Test
    void aCrashAtEveryPointOfKeepingOlderCheckpointsLeavesOnlyCompleteOnes() throws IOException {
        Map<String, byte[]> old = checkpointAt(5), next = checkpointAt(10);
        List<String> states = List.of(
                "linking the previous checkpoint, half its files linked",
                "the previous checkpoint kept, the new one not yet written",
                "the new checkpoint written, an old one not yet pruned",
                "pruning, a directory renamed for deletion and half deleted");
        for (int state = 0; state < states.size(); state++) {
            String what = "killed while " + states.get(state);
            Path dir = writeAll(tmp.resolve("keep-" + state), state < 2 ? old : next);
            Path kept = Files.createDirectories(dir.resolve(KeptCheckpoints.SUBDIR));
            switch (state) {
                case 0 -> writeSome(Files.createDirectories(kept.resolve(".step-000000005.tmp")), old, 2);
                case 1 -> writeAll(kept.resolve("step-000000005"), old);
                case 2 -> {
                    writeAll(kept.resolve("step-000000005"), old);
                    writeAll(kept.resolve("step-000000001"), old);
                }
                default -> {
                    writeAll(kept.resolve("step-000000005"), old);
                    writeSome(Files.createDirectories(kept.resolve(".step-000000001.del")), old, 3);
                }
            }
            assertLoads(dir, state < 2 ? old : next, state < 2 ? 5 : 10, what);
            for (Path k : KeptCheckpoints.list(dir)) {
                assertHolds(k, old, 5, what + ": " + k);
            }
            List<String> visible = KeptCheckpoints.list(dir).stream().map(p -> p.getFileName().toString()).toList();
            assertEquals(state == 0 ? List.of() : state == 2 ? List.of("step-000000005", "step-000000001")
                    : List.of("step-000000005"), visible, what);

            // The next checkpoint (step 15, keep 2) cleans up and keeps exactly the one before it.
            Sidecar s = Checkpoint.readSidecar(dir);
            Sequential model = TinyTask.mlp().build(Parameterization.WN_MOBN, 1, DType.FLOAT32);
            Checkpoint.loadModel(dir, model);
            Checkpoint.save(dir, Checkpoint.stateDict(model), new Sidecar(s.formatVersion(), s.architecture(),
                    s.parameterization(), s.dataset(), s.preprocessing(), s.epoch(), 15, s.seed(), s.averaged()),
                    Checkpoint.readTrainingState(dir), 2);
            assertEquals(15, Checkpoint.readSidecar(dir).step(), what);
            try (Stream<Path> left = Files.list(kept)) {
                assertEquals(List.of(state < 2 ? "step-000000005" : "step-000000010"),
                        left.map(p -> p.getFileName().toString()).sorted().toList(), what + ": after the next save");
            }
            assertHolds(KeptCheckpoints.list(dir).get(0), state < 2 ? old : next, state < 2 ? 5 : 10, what + ", kept");
        }
    }

    private static void writeSome(Path dir, Map<String, byte[]> files, int n) throws IOException {
        int i = 0;
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            if (i++ < n) {
                Files.write(dir.resolve(e.getKey()), e.getValue());
            }
        }
    }
}
