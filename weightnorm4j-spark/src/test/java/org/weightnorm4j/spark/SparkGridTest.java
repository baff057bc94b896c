package org.weightnorm4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.TaskContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.experiments.CompareExperiment;
import org.weightnorm4j.experiments.CompareResult;
import org.weightnorm4j.experiments.CompareRun;
import org.weightnorm4j.experiments.EpochHistory;
import org.weightnorm4j.experiments.GridRun;
import org.weightnorm4j.experiments.LrSweep;
import org.weightnorm4j.experiments.LrSweepResult;
import org.weightnorm4j.experiments.RunOutcome;
import org.weightnorm4j.experiments.TrainSettings;
import org.weightnorm4j.experiments.GridData;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.optim.OptimizerSpec;
import org.weightnorm4j.tensor.Parallel;
import org.weightnorm4j.train.StepRecord;
import org.weightnorm4j.train.TrainingListener;
import org.weightnorm4j.train.checkpoint.Checkpoint;

/** Grids as Spark jobs in local mode: the same bytes as the runs alone, retries that resume, reruns that skip. */
class SparkGridTest {
    private static final TinySource SOURCE = new TinySource(96, 48);
    /** What a run must reproduce exactly: its metrics log and its final weights and optimizer state. */
    private static final List<String> SAME_BYTES = List.of("metrics.csv", Checkpoint.MODEL_FILE, Checkpoint.OPTIMIZER_FILE);

    @BeforeAll
    static void oneThread() {
        Parallel.setThreads(1); // the runs alone use the thread count the Spark tasks get
    }

    private static CompareExperiment compare(Path out, List<Parameterization> params, List<Long> seeds) {
        TrainSettings recipe = new TrainSettings(2, 16, OptimizerSpec.Adam.of(1e-2), 32, seeds.get(0));
        return new CompareExperiment(SOURCE.load(), new CompareExperiment.Settings(params, recipe, Double.NaN, seeds), out,
                new PrintWriter(new StringWriter()), false);
    }

    @Test
    void aCompareGridThroughSparkHasTheBytesOfItsRunsAlone(@TempDir Path tmp) throws IOException {
        List<Parameterization> params = List.of(Parameterization.NORMAL, Parameterization.WN);
        CompareResult alone = compare(tmp.resolve("alone"), params, List.of(5L)).run();

        CompareExperiment viaSpark = compare(tmp.resolve("spark"), params, List.of(5L));
        List<CompareRun> runs = viaSpark.runs(SOURCE);
        StringWriter log = new StringWriter();
        new SparkGridRunner().runAll("local[2]", runs, 1, new PrintWriter(log));
        assertTrue(runs.stream().allMatch(GridRun::finished), "every run ended: " + log);
        CompareResult collected = viaSpark.run();

        for (Parameterization p : params) {
            for (String f : SAME_BYTES) {
                assertArrayEquals(Files.readAllBytes(tmp.resolve("alone").resolve(p.cliName()).resolve(f)),
                        Files.readAllBytes(tmp.resolve("spark").resolve(p.cliName()).resolve(f)), p + " " + f);
            }
        }
        for (int i = 0; i < params.size(); i++) {
            RunOutcome a = alone.outcomes().get(i);
            RunOutcome s = collected.outcomes().get(i);
            assertTrue(s.reused(), "the driver reads the Spark runs back instead of training again");
            assertEquals(a.segments(), s.segments());
            assertEquals(withoutTimes(a.epochs()), withoutTimes(s.epochs()));
        }
        assertEquals(alone.lossTarget(), collected.lossTarget());

        // A rerun finds every run ended and starts no task.
        StringWriter again = new StringWriter();
        new SparkGridRunner().runAll("local[2]", runs.stream().filter(r -> !r.finished()).toList(), 1, new PrintWriter(again));
        assertTrue(again.toString().contains("nothing to run"), again.toString());
    }

    @Test
    void seedsGiveOneRunEachAndASpreadInTheResult(@TempDir Path tmp) {
        CompareExperiment e = compare(tmp, List.of(Parameterization.WN), List.of(1L, 2L));
        List<CompareRun> runs = e.runs(SOURCE);
        assertEquals(List.of(tmp.resolve("wn-s1").toAbsolutePath().toString(), tmp.resolve("wn-s2").toAbsolutePath().toString()),
                runs.stream().map(CompareRun::dir).toList());
        new SparkGridRunner().runAll("local[2]", runs, 1, new PrintWriter(new StringWriter()));
        CompareResult r = e.run();
        assertEquals(List.of("wn s1", "wn s2"), List.of(r.label(0), r.label(1)));
        CompareResult.Spread s = r.spreads().get(0);
        assertEquals(2, s.runs());
        double l1 = r.outcomes().get(0).last().trainLoss();
        double l2 = r.outcomes().get(1).last().trainLoss();
        assertFalse(l1 == l2, "two seeds, two different runs");
        assertEquals((l1 + l2) / 2, s.trainLoss().mean(), 1e-12);
        assertEquals(Math.abs(l1 - l2) / Math.sqrt(2), s.trainLoss().std(), 1e-12);
    }

    @Test
    void aTaskThatFailsAfterACheckpointIsRetriedAndEndsAsIfUninterrupted(@TempDir Path tmp) throws IOException {
        List<Parameterization> params = List.of(Parameterization.WN);
        compare(tmp.resolve("alone"), params, List.of(5L)).run();

        CompareExperiment viaSpark = compare(tmp.resolve("spark"), params, List.of(5L));
        CompareRun run = viaSpark.runs(SOURCE).get(0);
        StringWriter log = new StringWriter();
        new SparkGridRunner().runAll("local[1,2]", List.of(new FailsOnceInEpochTwo(run)), 1, new PrintWriter(log));

        Path dir = Path.of(run.dir());
        assertTrue(Files.exists(dir.resolve(FailsOnceInEpochTwo.MARKER)), "the first attempt failed: " + log);
        assertEquals("checkpoint at step 6", Files.readString(dir.resolve(FailsOnceInEpochTwo.MARKER)));
        assertTrue(log.toString().contains("attempt 2"), log.toString());
        for (String f : SAME_BYTES) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("alone/wn").resolve(f)), Files.readAllBytes(dir.resolve(f)), f);
        }
    }

    @Test
    void aTaskThatKeepsFailingFailsTheGridWithItsMessage(@TempDir Path tmp) {
        CompareRun run = compare(tmp, List.of(Parameterization.NORMAL), List.of(5L)).runs(SOURCE).get(0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new SparkGridRunner().runAll("local[1,2]",
                List.of(new AlwaysFails(run)), 1, new PrintWriter(new StringWriter())));
        assertTrue(e.getMessage().contains("the grid failed on Spark") && e.getMessage().contains("failed 2 times")
                && e.getMessage().contains("injected failure"), e.getMessage());
    }

    @Test
    void anLrSweepThroughSparkGivesTheSweepsPoints(@TempDir Path tmp) {
        LrSweep.Settings settings = new LrSweep.Settings(List.of(Parameterization.NORMAL, Parameterization.WN),
                List.of(1e-2, 1e3), new TrainSettings(1, 16, new OptimizerSpec.Sgd(1e-3, 0.9, false, 0), 16, 3));
        LrSweepResult alone = new LrSweep(SOURCE.load(), settings, new PrintWriter(new StringWriter()), false).run();
        LrSweep sweep = new LrSweep(SOURCE.load(), settings, new PrintWriter(new StringWriter()), false);
        List<CompareRun> runs = sweep.runs(SOURCE, tmp);
        new SparkGridRunner().runAll("local[2]", runs, 1, new PrintWriter(new StringWriter()));
        LrSweepResult viaSpark = sweep.collect(runs);
        assertEquals(alone.points(), viaSpark.points());
        assertTrue(alone.points().stream().anyMatch(LrSweep.Point::diverged), "lr 1000 diverges: the sweep covers both kinds");
    }

    @Test
    void aLocalMasterGetsRetriesAndTooFewCoresAreNamed() {
        assertEquals("local[*,4]", SparkJobs.master("local[*]"));
        assertEquals("local[2,4]", SparkJobs.master("local[2]"));
        assertEquals("local[1,4]", SparkJobs.master("local"));
        assertEquals("local[2,3]", SparkJobs.master("local[2,3]"));
        assertEquals("spark://head:7077", SparkJobs.master("spark://head:7077"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkJobs.start("x", "local[1]", 2));
        assertTrue(e.getMessage().contains("gives 1 core(s) but each task asks for 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SparkJobs.master("local[two]"));
        assertTrue(e.getMessage().contains("'local[two]' is not a Spark master"), e.getMessage());
    }

    /** The epochs without their timings (throughput differs between any two runs). */
    private static List<List<Double>> withoutTimes(List<EpochHistory.Point> points) {
        return points.stream().map(p -> List.of((double) p.epoch(), (double) p.step(), p.trainLoss(), p.trainAccuracy(),
                p.testLoss(), p.testAccuracy(), p.lr())).toList();
    }

    /** A run that is another run with a fault injected: its name, directory and state are the other's. */
    interface Wrapping extends GridRun {
        CompareRun inner();

        @Override
        default String id() {
            return inner().id();
        }

        @Override
        default String dir() {
            return inner().dir();
        }

        @Override
        default boolean finished() {
            return inner().finished();
        }
    }

    /**
     * A run whose first attempt dies at the first step of epoch 2, after the checkpoint of epoch 1 (as
     * an executor lost mid-run would); later attempts run it normally, which resumes it.
     */
    record FailsOnceInEpochTwo(CompareRun inner) implements Wrapping {
        static final String MARKER = "first-attempt-failed";

        @Override
        public void run(PrintWriter log) {
            if (TaskContext.get().attemptNumber() > 0) {
                inner.run(log);
                return;
            }
            TrainingListener dies = new TrainingListener() {
                @Override
                public void onStep(StepRecord r) {
                    if (r.epoch() == 2) {
                        try {
                            Path dir = Path.of(inner.dir());
                            long step = org.weightnorm4j.train.checkpoint.Sidecar.read(dir.resolve(Checkpoint.SIDECAR_FILE)).step();
                            Files.writeString(dir.resolve(MARKER), "checkpoint at step " + step);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        throw new IllegalStateException("injected failure: the executor is lost");
                    }
                }
            };
            inner.execute(GridData.cached(inner.source()), log, false, List.of(dies), t -> { });
        }
    }

    /** A run that fails on every attempt. */
    record AlwaysFails(CompareRun inner) implements Wrapping {
        @Override
        public boolean finished() {
            return false;
        }

        @Override
        public void run(PrintWriter log) {
            throw new IllegalStateException("injected failure on every attempt");
        }
    }
}
