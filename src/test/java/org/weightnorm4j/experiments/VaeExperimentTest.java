package org.weightnorm4j.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.data.Dataset;
import org.weightnorm4j.generative.ReferenceVae;
import org.weightnorm4j.generative.Vae;
import org.weightnorm4j.generative.VaeEvaluation;
import org.weightnorm4j.generative.VaeRun;
import org.weightnorm4j.generative.VaeSettings;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.train.checkpoint.Checkpoint;

/** A VAE run directory end to end on a tiny model (8×8 images): resume, the average, the grid. */
class VaeExperimentTest {
    @TempDir
    Path tmp;

    /** 60 training and 12 test 8×8 images: a bright blob at a random place, intensities in [0, 1]. */
    static VaeExperiment.Data data() {
        return new VaeExperiment.Data(new Dataset("blobs/train", blobs(60, 1), new int[60], List.of("x")), blobs(12, 2));
    }

    private static Tensor blobs(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(DType.FLOAT32, n, 1, 8, 8);
        for (int i = 0; i < n; i++) {
            int cy = rng.nextInt(2, 6), cx = rng.nextInt(2, 6);
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    double d2 = (y - cy) * (y - cy) + (x - cx) * (x - cx);
                    t.set((i * 8 + y) * 8 + x, Math.exp(-d2 / 3) * 0.95 + 0.02 * rng.nextDouble());
                }
            }
        }
        return t;
    }

    static VaeSettings tiny(boolean wn, int epochs, long seed) {
        return new VaeSettings(wn, epochs, seed, new ReferenceVae.Sizes(2, 3, 8, 2, 8), 10, 0.002, 0.9, 20, 0, 0, 4, 0);
    }

    private static PrintWriter quiet() {
        return new PrintWriter(new StringWriter());
    }

    @Test
    void killAndResumeGivesTheSameBytesAsAnUninterruptedRun() throws Exception {
        for (boolean wn : new boolean[] {true, false}) {
            Path whole = tmp.resolve("whole-" + wn), parts = tmp.resolve("parts-" + wn);
            EpochRuns.Outcome o = VaeExperiment.runOne(tiny(wn, 3, 5), data(), whole, false, quiet(), () -> false, 1e9);
            assertTrue(o.finished());
            // Stop mid-epoch (after step 8, with 6 per epoch: epoch 2, step 2), then at epoch 2's end, then finish.
            AtomicInteger calls = new AtomicInteger();
            EpochRuns.Outcome first = VaeExperiment.runOne(tiny(wn, 3, 5), data(), parts, false, quiet(),
                    () -> calls.incrementAndGet() == 8, 1e9);
            assertFalse(first.finished());
            assertEquals(8, first.steps());
            Exception past = assertThrows(IllegalArgumentException.class,
                    () -> VaeExperiment.runOne(tiny(wn, 1, 5), data(), parts, true, quiet(), () -> false, 1e9),
                    "a checkpoint inside epoch 2 resumed with --epochs 1 is refused, not evaluated under epoch 1");
            assertTrue(past.getMessage().contains("inside epoch 2") && past.getMessage().contains("--epochs 2 or more"), past.getMessage());
            calls.set(0);
            EpochRuns.Outcome second = VaeExperiment.runOne(tiny(wn, 3, 5), data(), parts, true, quiet(),
                    () -> calls.incrementAndGet() == 4, 1e9);          // checks after steps 9, 10, 11, then at epoch 2's end
            assertFalse(second.finished());
            assertEquals(12, second.steps());
            assertEquals(2, second.epochs());
            EpochRuns.Outcome third = VaeExperiment.runOne(tiny(wn, 3, 5), data(), parts, true, quiet(), () -> false, 1e9);
            assertTrue(third.finished());
            assertEquals(o.steps(), third.steps());
            for (String f : new String[] {VaeExperiment.METRICS, Checkpoint.MODEL_FILE, Checkpoint.OPTIMIZER_FILE}) {
                assertArrayEquals(Files.readAllBytes(whole.resolve(f)), Files.readAllBytes(parts.resolve(f)), f + ", wn " + wn);
            }
            for (String k : new String[] {"test_elbo", "test_log_likelihood_is", "test_kl"}) {
                assertEquals(o.summary().get(k).getAsDouble(), third.summary().get(k).getAsDouble(), 0, k);
            }
            assertEquals(4, Files.readAllLines(whole.resolve(VaeExperiment.METRICS)).size(), "a header and 3 epochs");
        }
    }

    @Test
    void aDirectoryWithARunNeedsResumeAndResumeNeedsARun() throws Exception {
        Path dir = tmp.resolve("run");
        VaeExperiment.runOne(tiny(true, 1, 1), data(), dir, false, quiet(), () -> false, 1e9);
        assertThrows(IllegalArgumentException.class,
                () -> VaeExperiment.runOne(tiny(true, 1, 1), data(), dir, false, quiet(), () -> false, 1e9));
        assertThrows(IllegalArgumentException.class,
                () -> VaeExperiment.runOne(tiny(true, 1, 1), data(), tmp.resolve("none"), true, quiet(), () -> false, 1e9));
        // Other settings than the checkpoint's (a different lr) are refused on resume; more epochs are not.
        VaeSettings s = tiny(true, 1, 1);
        VaeSettings otherLr = new VaeSettings(true, 2, 1, s.sizes(), s.batch(), 0.01, s.emaDecay(), s.initBatch(), 0, 0, 4, 0);
        Exception e = assertThrows(RuntimeException.class, () -> VaeExperiment.runOne(otherLr, data(), dir, true, quiet(), () -> false, 1e9));
        assertTrue(e.getMessage().contains("only --epochs"), e.getMessage());
        assertTrue(VaeExperiment.runOne(tiny(true, 2, 1), data(), dir, true, quiet(), () -> false, 1e9).finished());
        assertEquals(3, Files.readAllLines(dir.resolve(VaeExperiment.METRICS)).size());
    }

    /** Evaluation scores the Polyak average, not the raw weights: it equals the checkpoint's averaged model, not the raw one. */
    @Test
    void evaluationUsesTheAveragedParameters() throws Exception {
        Path dir = tmp.resolve("ema");
        VaeSettings s = tiny(true, 2, 3);
        VaeRun run = new VaeRun(s, data().train(), data().test());
        run.run(new VaeRun.Listener() { }, () -> false);
        run.save(dir);
        double byRun = run.evaluate(run.testImages(), 6, 0).logLikelihood();

        Vae averaged = ReferenceVae.build(s.sizes(), true, DType.FLOAT32, 99);
        Checkpoint.loadModel(dir, averaged);                             // model.safetensors: the averages
        double fromAverages = VaeEvaluation.of(averaged, run.testImages(), 5, 6, 0, VaeRun.importanceSeed(s.seed())).logLikelihood();
        double fromRaw = VaeEvaluation.of(run.model(), run.testImages(), 5, 6, 0, VaeRun.importanceSeed(s.seed())).logLikelihood();
        assertEquals(fromAverages, byRun, 1e-9);
        assertNotEquals(fromRaw, byRun, "the raw weights score differently: decay 0.9 over 12 steps");
    }

    /** A NaN that enters the model stops training with an error that names where it is. */
    @Test
    void aNonFiniteValueStopsTrainingNamingTheLayer() {
        VaeRun run = new VaeRun(tiny(false, 1, 2), data().train(), data().test());
        var params = org.weightnorm4j.nn.ModelTree.namedParams(run.model());
        String name = params.keySet().stream().filter(k -> k.startsWith("decoder.")).findFirst().orElseThrow();
        params.get(name).value().set(0, Double.NaN);
        var e = assertThrows(org.weightnorm4j.train.TrainingDivergedException.class,
                () -> run.run(new VaeRun.Listener() { }, () -> false));
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }

    @Test
    void theGridSkipsFinishedCellsAndWritesAReport() throws Exception {
        Path out = tmp.resolve("grid");
        List<VaeSettings> grid = VaeCompare.grid(tiny(true, 1, 1), List.of(false, true), List.of(1L, 2L));
        assertEquals(4, grid.size());
        StringWriter log = new StringWriter();
        List<VaeCompare.Cell> cells = VaeCompare.run(grid, data(), out, new PrintWriter(log), () -> false, 1e9);
        assertEquals(4, cells.size());
        assertTrue(Files.exists(VaeCompare.cellDir(out, "wn", 2).resolve(VaeExperiment.SAMPLES)));
        StringWriter again = new StringWriter();
        List<VaeCompare.Cell> kept = VaeCompare.run(grid, data(), out, new PrintWriter(again), () -> false, 1e9);
        assertTrue(kept.stream().allMatch(VaeCompare.Cell::reused), again.toString());
        JsonObject first = cells.get(0).summary();
        assertEquals(first.get("test_elbo").getAsDouble(), kept.get(0).summary().get("test_elbo").getAsDouble(), 0);
        Path report = VaeCompareReport.write(cells, "vae compare test", List.of("weightnorm", "vae", "compare"), out.resolve("report"));
        String html = Files.readString(report);
        assertTrue(html.contains("data:image/png;base64,"), "samples and curves embedded");
        assertTrue(html.contains("log p(x) (IS)"));
        assertTrue(html.contains("samples wn seed 2"));
    }
}
