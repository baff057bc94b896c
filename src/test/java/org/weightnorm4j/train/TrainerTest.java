package org.weightnorm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.weightnorm4j.data.Dataset;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.testing.TinyTask;
import org.weightnorm4j.train.checkpoint.Checkpoint;
import org.weightnorm4j.train.checkpoint.Sidecar;

class TrainerTest {
    @TempDir
    Path tmp;

    private static final Dataset TRAIN = TinyTask.data("synthetic/train", 600, 1);
    private static final Dataset TEST = TinyTask.data("synthetic/test", 300, 2);

    private static TrainConfig.Builder config() {
        return TrainConfig.builder().epochs(4).batchSize(32).optimizer("adam", 0.01).initBatch(100)
                .logEverySteps(5).evalBatch(64).seed(11);
    }

    private static Trainer trainer(Parameterization p, TrainConfig c, Path out) {
        Trainer t = new Trainer(TinyTask.model(p, 5), TRAIN, TEST, c, TinyTask.info(p), out);
        t.addListener(new MetricsLog(out.resolve("metrics.csv")));
        return t;
    }

    @Test
    void learnsTheSyntheticTaskAndWritesMetricsAndCheckpoint() throws IOException {
        Path out = tmp.resolve("run"); // created by the metrics log and the checkpoint
        TrainingSummary s = trainer(Parameterization.WN, config().build(), out).run();
        assertEquals(4, s.epochs());
        assertEquals(4 * (600 / 32), s.steps());
        assertTrue(s.testAccuracy() > 0.9, "test accuracy " + s.testAccuracy());
        List<String> lines = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals("kind,step,epoch,lr,loss,accuracy,test_loss,test_accuracy,1.v_norm,1.g,1.g_over_v_norm,"
                + "4.v_norm,4.g,4.g_over_v_norm", lines.get(0));
        assertEquals(4, lines.stream().filter(l -> l.startsWith("epoch,")).count());
        assertEquals(s.steps() / 5, lines.stream().filter(l -> l.startsWith("step,")).count());
        Sidecar side = Checkpoint.readSidecar(out);
        assertEquals(4, side.epoch());
        assertEquals(s.steps(), side.step());
        // The saved model evaluates to the summary's test accuracy.
        Sequential fresh = TinyTask.model(Parameterization.WN, 99);
        Checkpoint.loadModel(out, fresh);
        assertEquals(s.testAccuracy(), Evaluation.of(fresh, TEST, 64).accuracy());
    }

    @Test
    void sameSeedGivesBitIdenticalMetricsAndCheckpoints() throws IOException {
        Path a = Files.createDirectories(tmp.resolve("a")), b = Files.createDirectories(tmp.resolve("b"));
        trainer(Parameterization.WN_MOBN, config().build(), a).run();
        trainer(Parameterization.WN_MOBN, config().build(), b).run();
        assertArrayEquals(Files.readAllBytes(a.resolve("metrics.csv")), Files.readAllBytes(b.resolve("metrics.csv")));
        for (String f : List.of(Checkpoint.MODEL_FILE, Checkpoint.OPTIMIZER_FILE)) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }
    }

    /** Stops (as a kill would) after {@code stopAt} steps; resumes from the last checkpoint; compares with a straight run. */
    @ParameterizedTest
    @CsvSource({"wn, adam, 0, 7", "wn-mobn, adam, 0.9, 20", "bn, sgd, 0, 13", "normal, adam, 0.5, 37"})
    void resumeAfterAStopEqualsTheUninterruptedRun(String param, String optimizer, double ema, int stopAt) throws IOException {
        Parameterization p = Parameterization.parse(param);
        TrainConfig c = config().optimizer(optimizer, optimizer.equals("sgd") ? 0.05 : 0.01).emaDecay(ema)
                .linearDecay(2).beta1(0.9, 0.5, 2).augmentation(true, 1).checkpointEvery(1, 6).logEverySteps(1).build();
        Path straight = Files.createDirectories(tmp.resolve("straight"));
        TrainingSummary expected = trainer(p, c, straight).run();

        Path broken = Files.createDirectories(tmp.resolve("broken"));
        Trainer first = trainer(p, c, broken);
        first.addListener(new TrainingListener() {
            @Override
            public void onStep(StepRecord r) {
                if (r.step() == stopAt) {
                    first.requestStop();
                }
            }
        });
        assertNull(first.run());
        // Rows after the last checkpoint, and a row torn by the kill, must disappear on resume.
        Path metrics = broken.resolve("metrics.csv");
        assertTrue(Files.readString(metrics).contains("\nstep," + stopAt + ","), "the stopped run logged its last step");
        Files.writeString(metrics, "step,99999,9,0.0", java.nio.file.StandardOpenOption.APPEND);
        Trainer second = trainer(p, Trainer.configOf(Checkpoint.readTrainingState(broken)), broken);
        second.restore(broken);
        assertTrue(second.step() < stopAt && second.step() > 0, "resumed from step " + second.step());
        TrainingSummary got = second.run();

        assertEquals(expected.testAccuracy(), got.testAccuracy());
        assertEquals(expected.testLoss(), got.testLoss());
        assertEquals(expected.trainLoss(), got.trainLoss());
        assertEquals(Files.readString(straight.resolve("metrics.csv")), Files.readString(broken.resolve("metrics.csv")));
        for (String f : List.of(Checkpoint.MODEL_FILE, Checkpoint.OPTIMIZER_FILE)) {
            assertArrayEquals(Files.readAllBytes(straight.resolve(f)), Files.readAllBytes(broken.resolve(f)), f);
        }
    }

    @Test
    void divergenceStopsAtTheFirstNonFiniteValueAndKeepsTheLastGoodCheckpoint() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("diverge"));
        // lr 0.05 for the first epoch, then 5e37: the second epoch blows up.
        TrainConfig c = config().sgd(0.05, 0, false).stepSchedule(1, 1e39).initBatch(0).build();
        Trainer t = trainer(Parameterization.NORMAL, c, out);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, t::run);
        int spe = 600 / 32;
        assertTrue(e.step() > spe, "diverged at step " + e.step());
        assertTrue(e.getMessage().contains("step " + e.step()) && e.getMessage().contains(out.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("loss") || e.getMessage().contains("parameter '"), e.getMessage());
        assertEquals(spe, Checkpoint.readSidecar(out).step());
        Sequential fresh = TinyTask.model(Parameterization.NORMAL, 1);
        Checkpoint.loadModel(out, fresh);
        assertTrue(Evaluation.of(fresh, TEST, 64).accuracy() > 0.5);
    }
}
