package org.weightnorm4j.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.weightnorm4j.generative.DrawConfig;
import org.weightnorm4j.generative.DrawRun;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.train.checkpoint.Checkpoint;

/**
 * A DRAW run killed mid-epoch and resumed ends bit-identical to one never stopped (parameters,
 * Adam's state, metrics.csv), plain and weight-normed, with and without attention, on a tiny configuration and synthetic
 * images; a time-based checkpoint within an epoch changes nothing either; a finished run writes its
 * summary and the canvas pictures.
 */
class DrawExperimentTest {
    private static final DrawConfig TINY = new DrawConfig(8, 7, 3, 6, 3, 2, 3);

    static DrawExperiment.Data data() {
        SplittableRandom r = new SplittableRandom(4);
        Tensor train = Tensor.zeros(60, TINY.pixels());
        Tensor test = Tensor.zeros(20, TINY.pixels());
        for (Tensor t : new Tensor[] {train, test}) {
            for (int i = 0; i < t.size(); i++) {
                t.set(i, r.nextDouble() < 0.3 ? r.nextDouble() : 0);
            }
        }
        return DrawExperiment.Data.of(train, test);
    }

    /** Plain and weight-normed; without attention (Gregor et al.'s baseline); with the read grid started over the digit. */
    @ParameterizedTest(name = "wn={0}, read {1}, write {2}, read-init {3}")
    @CsvSource({"false, 2, 3, ZERO", "true, 2, 3, ZERO", "true, 0, 0, ZERO", "false, 2, 3, DIGIT"})
    void killedAndResumedRunIsBitIdentical(boolean wn, int read, int write, DrawRun.ReadInit readInit, @TempDir Path tmp)
            throws Exception {
        DrawConfig cfg = new DrawConfig(TINY.width(), TINY.height(), TINY.glimpses(), TINY.hidden(), TINY.latent(), read, write);
        DrawRun.Settings s = new DrawRun.Settings(cfg, wn, 3, 20, 3e-3, 10, 0.1, readInit);
        DrawExperiment.Data data = data();
        PrintWriter log = new PrintWriter(new StringWriter());
        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        EpochRuns.Outcome full = DrawExperiment.runOne(s, 2, data, a, false, log, () -> false, 1e9, 1e9);
        assertTrue(full.finished());
        int[] calls = {0};
        EpochRuns.Outcome stopped = DrawExperiment.runOne(s, 2, data, b, false, log, () -> ++calls[0] > 4, 1e9, 1e9);
        assertFalse(stopped.finished());
        assertEquals(4, stopped.steps(), "stopped after 4 steps, in epoch 2 of 3-step epochs");
        assertThrows(IllegalArgumentException.class, () -> DrawExperiment.runOne(s, 2, data, b, false, log, () -> false, 1e9, 1e9),
                "a second fresh start into the same directory is refused");
        Exception past = assertThrows(IllegalArgumentException.class,
                () -> DrawExperiment.runOne(s, 1, data, b, true, log, () -> false, 1e9, 1e9),
                "resuming a checkpoint inside epoch 2 with --epochs 1 is refused, not evaluated under epoch 1");
        assertTrue(past.getMessage().contains("inside epoch 2") && past.getMessage().contains("--epochs 2 or more"), past.getMessage());
        assertFalse(Files.exists(b.resolve(DrawExperiment.SUMMARY)), "the refusal wrote no summary");
        // resumed with a checkpoint at every step (0 s), which must not change anything either
        EpochRuns.Outcome resumed = DrawExperiment.runOne(s, 2, data, b, true, log, () -> false, 1e9, 0);
        assertTrue(resumed.finished());
        for (String f : new String[] {Checkpoint.MODEL_FILE, Checkpoint.OPTIMIZER_FILE, DrawExperiment.METRICS,
                DrawExperiment.CANVAS_TEST, DrawExperiment.STRIP_SAMPLES}) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }
        assertEquals(full.summary().get("test_bound").getAsDouble(), resumed.summary().get("test_bound").getAsDouble(), 0);
        assertTrue(Double.isFinite(full.summary().get("test_bound").getAsDouble()));
        assertEquals(2, DrawExperiment.readMetrics(a).get("test_bound").length);
        assertTrue(EpochRuns.finished(a, 2));
        assertEquals(readInit.label(), full.summary().getAsJsonObject("config").get("read_init").getAsString());
    }

    @org.junit.jupiter.api.Test
    void resumingWithAnotherReadInitIsRefused(@TempDir Path tmp) throws Exception {
        DrawExperiment.Data data = data();
        PrintWriter log = new PrintWriter(new StringWriter());
        int[] calls = {0};
        DrawExperiment.runOne(new DrawRun.Settings(TINY, true, 3, 20, 3e-3, 10, 0.1), 1, data, tmp, false, log, () -> ++calls[0] > 1,
                1e9, 1e9);
        DrawRun.Settings digit = new DrawRun.Settings(TINY, true, 3, 20, 3e-3, 10, 0.1, DrawRun.ReadInit.DIGIT);
        Exception e = assertThrows(Exception.class, () -> DrawExperiment.runOne(digit, 1, data, tmp, true, log, () -> false, 1e9, 1e9));
        assertTrue(e.getMessage().contains("read_init"), e.getMessage());
    }
}
