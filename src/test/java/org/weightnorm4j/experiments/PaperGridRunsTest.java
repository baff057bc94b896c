package org.weightnorm4j.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.generative.DrawConfig;
import org.weightnorm4j.generative.DrawRun;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.rl.DqnCheckpoint;
import org.weightnorm4j.rl.DqnConfig;
import org.weightnorm4j.rl.DqnJob;
import org.weightnorm4j.rl.DqnTraining;
import org.weightnorm4j.tensor.Parallel;
import org.weightnorm4j.train.checkpoint.Checkpoint;

/**
 * The DQN, VAE and DRAW grids' runs as {@link GridRun}s, without Spark (the module's tests run them
 * as Spark tasks): they travel as serialized values, run to the end, skip a finished run, and
 * resume a stopped one, or one whose first attempt died before its first checkpoint, to the same
 * bytes as a run that never stopped.
 */
class PaperGridRunsTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void oneThread() {
        Parallel.setThreads(1);
    }

    /** The tiny VAE data of {@link VaeExperimentTest}, as a source a task could load. */
    record TinyVaeData() implements GridData<VaeExperiment.Data> {
        @Override
        public VaeExperiment.Data load() {
            return VaeExperimentTest.data();
        }
    }

    /** The tiny DRAW data of {@link DrawExperimentTest}. */
    record TinyDrawData() implements GridData<DrawExperiment.Data> {
        @Override
        public DrawExperiment.Data load() {
            return DrawExperimentTest.data();
        }
    }

    static final DrawRun.Settings DRAW = new DrawRun.Settings(new DrawConfig(8, 7, 3, 6, 3, 2, 3), true, 3, 20, 3e-3, 10, 0.1);

    static DqnJob dqn(Parameterization p, long frames) {
        DqnConfig c = DqnConfig.baseline(p).withBatch(4).withSchedule(500, 100, 1000, 100_000);
        return new DqnJob("breakout", c, 1, frames, 100, 200);
    }

    private static PrintWriter quiet() {
        return new PrintWriter(new StringWriter());
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    @Test
    void theRunsTravelAsValues() throws Exception {
        List<GridRun> runs = List.of(
                VaeGridRun.grid(VaeCompare.grid(VaeExperimentTest.tiny(true, 2, 5), List.of(false, true), List.of(5L)),
                        VaeGridRun.Mnist.of(tmp.resolve("mnist"), 100, 10), tmp.resolve("vae"), 30).get(1),
                DrawGridRun.grid(List.of(DRAW), 2, DrawGridRun.Mnist.of(null, 0, 0), tmp.resolve("draw"), 60, 600).get(0),
                DqnGridRun.grid(List.of(dqn(Parameterization.WN, 400)), tmp.resolve("dqn"), 10).get(0));
        for (GridRun r : runs) {
            assertEquals(r, roundTrip(r), r.id());
            assertTrue(Path.of(r.dir()).isAbsolute(), r.dir());
        }
        assertEquals(tmp.resolve("vae/wn-s5").toAbsolutePath().toString(), runs.get(0).dir());
        assertEquals(tmp.resolve("draw/wn-s3").toAbsolutePath().toString(), runs.get(1).dir());
        assertEquals(tmp.resolve("dqn/breakout-wn-s1").toAbsolutePath().toString(), runs.get(2).dir());
        assertEquals(List.of("vae wn seed 5", "draw wn seed 3", "breakout-wn-s1"), runs.stream().map(GridRun::id).toList());
    }

    @Test
    void aVaeCellResumesAStopAndRestartsAnAttemptThatDiedBeforeItsFirstCheckpoint() throws Exception {
        VaeExperiment.Data data = VaeExperimentTest.data();
        Path whole = tmp.resolve("whole");
        VaeExperiment.runOne(VaeExperimentTest.tiny(true, 2, 5), data, whole, false, quiet(), () -> false, 1e9);

        VaeGridRun run = VaeGridRun.grid(List.of(VaeExperimentTest.tiny(true, 2, 5)), new TinyVaeData(), tmp.resolve("grid"), 1e9)
                .get(0);
        Path dir = Path.of(run.dir());
        // A first attempt that died in epoch 1: a metrics header and no checkpoint.
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(VaeExperiment.METRICS), "epoch,partial\n");
        AtomicInteger steps = new AtomicInteger();
        assertThrows(RunInterruptedException.class, () -> run.run(quiet(), () -> steps.incrementAndGet() == 8));
        assertFalse(run.finished());
        assertTrue(EpochRuns.hasCheckpoint(dir));
        StringWriter log = new StringWriter();
        run.run(new PrintWriter(log));
        assertTrue(run.finished(), log.toString());
        for (String f : List.of(VaeExperiment.METRICS, Checkpoint.MODEL_FILE, Checkpoint.OPTIMIZER_FILE)) {
            assertArrayEquals(Files.readAllBytes(whole.resolve(f)), Files.readAllBytes(dir.resolve(f)), f);
        }
        byte[] metrics = Files.readAllBytes(dir.resolve(VaeExperiment.METRICS));
        StringWriter again = new StringWriter();
        run.run(new PrintWriter(again));
        assertTrue(again.toString().contains("finished earlier, skipped"), again.toString());
        assertArrayEquals(metrics, Files.readAllBytes(dir.resolve(VaeExperiment.METRICS)));
    }

    @Test
    void aDrawCellRestartsAnAttemptThatDiedBeforeItsFirstCheckpoint() throws Exception {
        Path whole = tmp.resolve("whole");
        DrawExperiment.runOne(DRAW, 2, DrawExperimentTest.data(), whole, false, quiet(), () -> false, 1e9, 1e9);

        DrawGridRun run = DrawGridRun.grid(List.of(DRAW), 2, new TinyDrawData(), tmp.resolve("grid"), 1e9, 1e9).get(0);
        Path dir = Path.of(run.dir());
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(DrawExperiment.METRICS), "epoch,partial\n");
        StringWriter log = new StringWriter();
        run.run(new PrintWriter(log));
        assertTrue(run.finished());
        assertTrue(log.toString().contains("ended before its first checkpoint; starting the run again"), log.toString());
        for (String f : List.of(DrawExperiment.METRICS, Checkpoint.MODEL_FILE, Checkpoint.OPTIMIZER_FILE)) {
            assertArrayEquals(Files.readAllBytes(whole.resolve(f)), Files.readAllBytes(dir.resolve(f)), f);
        }
    }

    @Test
    void aDqnRunIsDqnCompareRunOneInItsDirectory() throws Exception {
        DqnJob job = dqn(Parameterization.WN, 400);
        Path alone = tmp.resolve("alone");
        assertEquals(DqnCompare.Status.RAN, DqnCompare.runOne(job, alone, line -> { }, 1e9, () -> false));

        DqnGridRun run = DqnGridRun.grid(List.of(job), tmp.resolve("grid"), 1e9).get(0);
        Path dir = Path.of(run.dir());
        assertFalse(run.finished());
        // Stopped after its first checkpoint (frame 200): the next call resumes it.
        AtomicInteger polls = new AtomicInteger();
        RunInterruptedException e = assertThrows(RunInterruptedException.class,
                () -> run.run(quiet(), () -> DqnCheckpoint.exists(dir) && polls.incrementAndGet() == 1));
        assertEquals(300, e.step(), "stopped at the first look after the checkpoint of frame 200");
        assertEquals(DqnTraining.State.PARTIAL, DqnTraining.state(dir, 400));
        StringWriter log = new StringWriter();
        run.run(new PrintWriter(log));
        assertTrue(run.finished() && log.toString().contains("breakout-wn-s1 resumed"), log.toString());
        for (String f : List.of(DqnTraining.EPISODES_CSV, DqnTraining.TRAINING_CSV, DqnCheckpoint.FILE)) {
            assertEquals(-1, Files.mismatch(job.directoryIn(alone).resolve(f), dir.resolve(f)), f);
        }
    }
}
