package org.weightnorm4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.apache.spark.TaskContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.data.Dataset;
import org.weightnorm4j.experiments.DqnCompare;
import org.weightnorm4j.experiments.DqnGridRun;
import org.weightnorm4j.experiments.DrawCompare;
import org.weightnorm4j.experiments.DrawExperiment;
import org.weightnorm4j.experiments.DrawGridRun;
import org.weightnorm4j.experiments.EpochRuns;
import org.weightnorm4j.experiments.GridData;
import org.weightnorm4j.experiments.GridRun;
import org.weightnorm4j.experiments.VaeCompare;
import org.weightnorm4j.experiments.VaeExperiment;
import org.weightnorm4j.experiments.VaeGridRun;
import org.weightnorm4j.generative.DrawConfig;
import org.weightnorm4j.generative.DrawRun;
import org.weightnorm4j.generative.ReferenceVae;
import org.weightnorm4j.generative.VaeSettings;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.rl.DqnCheckpoint;
import org.weightnorm4j.rl.DqnConfig;
import org.weightnorm4j.rl.DqnJob;
import org.weightnorm4j.rl.DqnTraining;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Parallel;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.train.checkpoint.Checkpoint;

/**
 * The DQN, VAE and DRAW grids as Spark jobs in local mode, on tiny models: a two-cell grid through
 * Spark leaves the bytes of the same cells run alone (same seed, one thread), with one of the two
 * cells killed part-way through its first attempt, after a checkpoint, and finished by Spark's retry
 * from that checkpoint; the driver then reads the cells back as without Spark.
 */
class SparkPaperGridsTest {
    private static final TinyVaeData VAE_DATA = new TinyVaeData();
    private static final TinyDrawData DRAW_DATA = new TinyDrawData();
    private static final DrawConfig TINY_DRAW = new DrawConfig(8, 7, 3, 6, 3, 2, 3);

    @BeforeAll
    static void oneThread() {
        Parallel.setThreads(1); // the cells alone use the thread count the Spark tasks get
    }

    private static PrintWriter quiet() {
        return new PrintWriter(new StringWriter());
    }

    @Test
    void aVaeGridThroughSparkHasTheBytesOfItsCellsAloneAndAKilledCellResumes(@TempDir Path tmp) throws IOException {
        VaeSettings base = new VaeSettings(true, 2, 5, new ReferenceVae.Sizes(2, 3, 8, 2, 8), 10, 0.002, 0.9, 20, 0, 0, 4, 0);
        List<VaeSettings> grid = VaeCompare.grid(base, List.of(false, true), List.of(5L));
        List<VaeCompare.Cell> alone = VaeCompare.run(grid, VAE_DATA.load(), tmp.resolve("alone"), quiet(), () -> false, 1e9);

        List<VaeGridRun> runs = VaeGridRun.grid(grid, VAE_DATA, tmp.resolve("spark"), 1e9);
        String log = runOnSpark(runs.get(0), new FailsOnceAfterACheckpoint(runs.get(1)));
        List<VaeCompare.Cell> collected = VaeCompare.run(grid, VAE_DATA.load(), tmp.resolve("spark"), quiet(), () -> false, 1e9);

        for (int i = 0; i < grid.size(); i++) {
            String cell = grid.get(i).param() + "-s5";
            for (String f : List.of(VaeExperiment.METRICS, Checkpoint.MODEL_FILE, Checkpoint.OPTIMIZER_FILE)) {
                assertArrayEquals(Files.readAllBytes(tmp.resolve("alone").resolve(cell).resolve(f)),
                        Files.readAllBytes(tmp.resolve("spark").resolve(cell).resolve(f)), cell + "/" + f + "\n" + log);
            }
            assertTrue(collected.get(i).reused(), "the driver reads the cell back instead of training it again");
            assertEquals(withoutTimings(alone.get(i).summary()), withoutTimings(collected.get(i).summary()), cell);
        }
    }

    @Test
    void aDrawGridThroughSparkHasTheBytesOfItsCellsAloneAndAKilledCellResumes(@TempDir Path tmp) throws IOException {
        List<DrawRun.Settings> grid = DrawCompare.grid(new DrawRun.Settings(TINY_DRAW, true, 3, 20, 3e-3, 10, 0.1),
                List.of(false, true), List.of(3L));
        List<DrawCompare.Cell> alone = DrawCompare.run(grid, 2, DRAW_DATA.load(), tmp.resolve("alone"), quiet(), () -> false,
                1e9, 1e9);

        List<DrawGridRun> runs = DrawGridRun.grid(grid, 2, DRAW_DATA, tmp.resolve("spark"), 1e9, 1e9);
        String log = runOnSpark(new FailsOnceAfterACheckpoint(runs.get(0)), runs.get(1));
        List<DrawCompare.Cell> collected = DrawCompare.run(grid, 2, DRAW_DATA.load(), tmp.resolve("spark"), quiet(),
                () -> false, 1e9, 1e9);

        for (int i = 0; i < grid.size(); i++) {
            String cell = grid.get(i).param() + "-s3";
            for (String f : List.of(DrawExperiment.METRICS, Checkpoint.MODEL_FILE, Checkpoint.OPTIMIZER_FILE)) {
                assertArrayEquals(Files.readAllBytes(tmp.resolve("alone").resolve(cell).resolve(f)),
                        Files.readAllBytes(tmp.resolve("spark").resolve(cell).resolve(f)), cell + "/" + f + "\n" + log);
            }
            assertTrue(collected.get(i).reused());
            assertEquals(withoutTimings(alone.get(i).summary()), withoutTimings(collected.get(i).summary()), cell);
        }
    }

    @Test
    void aDqnGridThroughSparkHasTheBytesOfItsRunsAloneAndAKilledRunResumes(@TempDir Path tmp) throws IOException {
        List<DqnJob> jobs = DqnCompare.grid(List.of("breakout"), List.of(Parameterization.NORMAL, Parameterization.WN),
                List.of(1L), 400, p -> DqnConfig.baseline(p).withBatch(4).withSchedule(500, 100, 1000, 100_000), 100, 200);
        for (DqnJob j : jobs) {
            assertEquals(DqnCompare.Status.RAN, DqnCompare.runOne(j, tmp.resolve("alone"), line -> { }, 1e9, () -> false));
        }

        List<DqnGridRun> runs = DqnGridRun.grid(jobs, tmp.resolve("spark"), 1e9);
        runOnSpark(runs.get(0), new FailsOnceAfterACheckpoint(runs.get(1)));
        for (DqnJob j : jobs) { // the driver's pass over the grid finds every run finished
            assertEquals(DqnCompare.Status.SKIPPED_FINISHED, DqnCompare.runOne(j, tmp.resolve("spark"), line -> { }, 1e9,
                    () -> false));
            for (String f : List.of(DqnTraining.EPISODES_CSV, DqnTraining.TRAINING_CSV, DqnCheckpoint.FILE)) {
                assertArrayEquals(Files.readAllBytes(j.directoryIn(tmp.resolve("alone")).resolve(f)),
                        Files.readAllBytes(j.directoryIn(tmp.resolve("spark")).resolve(f)), j.directoryName() + "/" + f);
            }
        }
    }

    /**
     * Runs the two cells as one Spark job on {@code local[2,2]} (two attempts per task) and checks
     * that both ended and that the first attempt of the {@link FailsOnceAfterACheckpoint} one failed
     * after its checkpoint; returns the job's log (the tasks' own lines go to standard output).
     */
    private static String runOnSpark(GridRun a, GridRun b) throws IOException {
        StringWriter log = new StringWriter();
        new SparkGridRunner().runAll("local[2,2]", List.of(a, b), 1, new PrintWriter(log));
        assertTrue(a.finished() && b.finished(), "every cell ended: " + log);
        GridRun killed = a instanceof FailsOnceAfterACheckpoint ? a : b;
        assertEquals("died with a checkpoint to resume", Files.readString(Path.of(killed.dir(), FailsOnceAfterACheckpoint.MARKER)));
        assertTrue(log.toString().contains(killed.id() + ": ended in " + killed.dir()) && log.toString().contains("attempt 2"),
                log.toString());
        return log.toString();
    }

    /** A summary without what depends on the clock. */
    private static JsonObject withoutTimings(JsonObject summary) {
        JsonObject o = summary.deepCopy();
        for (String k : summary.keySet()) {
            if (k.contains("seconds") || k.contains("per_s")) {
                o.remove(k);
            }
        }
        return o;
    }

    /**
     * A cell whose first attempt dies (as with a lost executor) two looks at its stop flag after it
     * has written a checkpoint: part-way into its second epoch (VAE, DRAW) or 100 frames past its
     * first checkpoint (DQN). Later attempts run the cell normally, which resumes it.
     */
    record FailsOnceAfterACheckpoint(GridRun inner) implements GridRun {
        static final String MARKER = "first-attempt-failed";

        @Override
        public String id() {
            return inner.id();
        }

        @Override
        public String dir() {
            return inner.dir();
        }

        @Override
        public boolean finished() {
            return inner.finished();
        }

        @Override
        public void run(PrintWriter log) {
            if (TaskContext.get().attemptNumber() > 0) {
                inner.run(log);
                return;
            }
            Path dir = Path.of(inner.dir());
            int[] looks = {0};
            BooleanSupplier dies = () -> {
                boolean checkpointed = inner instanceof DqnGridRun ? DqnCheckpoint.exists(dir) : EpochRuns.hasCheckpoint(dir);
                if (checkpointed && ++looks[0] == 2) {
                    try {
                        Files.writeString(dir.resolve(MARKER), "died with a checkpoint to resume");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    throw new IllegalStateException("injected failure: the executor is lost");
                }
                return false;
            };
            if (inner instanceof VaeGridRun v) {
                v.run(log, dies);
            } else if (inner instanceof DrawGridRun d) {
                d.run(log, dies);
            } else {
                ((DqnGridRun) inner).run(log, dies);
            }
        }
    }

    /** 60 training and 12 test 8×8 images of a bright blob at a random place, intensities in [0, 1]. */
    record TinyVaeData() implements GridData<VaeExperiment.Data> {
        @Override
        public VaeExperiment.Data load() {
            return new VaeExperiment.Data(new Dataset("blobs/train", blobs(60, 1, 8, 8), new int[60], List.of("x")),
                    blobs(12, 2, 8, 8));
        }
    }

    /** 60 training and 20 test 8×7 images of blobs, flattened and binarized as DRAW takes them. */
    record TinyDrawData() implements GridData<DrawExperiment.Data> {
        @Override
        public DrawExperiment.Data load() {
            return DrawExperiment.Data.of(blobs(60, 3, 7, 8), blobs(20, 4, 7, 8));
        }
    }

    static Tensor blobs(int n, long seed, int h, int w) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(DType.FLOAT32, n, 1, h, w);
        for (int i = 0; i < n; i++) {
            int cy = rng.nextInt(1, h - 1), cx = rng.nextInt(1, w - 1);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double d2 = (y - cy) * (y - cy) + (x - cx) * (x - cx);
                    t.set((i * h + y) * w + x, Math.exp(-d2 / 3) * 0.95 + 0.02 * rng.nextDouble());
                }
            }
        }
        return t;
    }
}
