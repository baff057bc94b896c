package org.weightnorm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.weightnorm4j.testing.RestoreThreads;
import picocli.CommandLine;

/** {@code bench train}'s output format and option checks (synthetic data, tiny batches; no timing asserted). */
@ExtendWith(RestoreThreads.class)
class BenchTrainCommandTest {

    private static int execute(StringWriter out, StringWriter err, String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void printsOneLinePerParameterizationWithThePeersFields() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = execute(out, err, "bench", "train", "--workload", "mlp", "--param", "all", "--synthetic",
                "--steps", "3", "--warmup", "1", "--batch", "8", "--threads", "1");
        assertEquals(0, code, "stderr: " + err);
        List<String> lines = Arrays.stream(out.toString().split("\n")).filter(s -> !s.isBlank()).collect(Collectors.toList());
        List<String> params = List.of("normal", "bn", "wn", "wn-mobn", "mobn");
        assertEquals(params.size(), lines.size(), out.toString());
        for (int i = 0; i < lines.size(); i++) {
            JsonObject o = JsonParser.parseString(lines.get(i)).getAsJsonObject();
            assertEquals("mlp", o.get("workload").getAsString());
            assertEquals(params.get(i), o.get("param").getAsString());
            assertEquals(8, o.get("batch").getAsInt());
            assertEquals(1, o.get("threads").getAsInt());
            assertEquals(3, o.get("steps_timed").getAsInt());
            assertTrue(o.get("images_per_s_best").getAsDouble() >= o.get("images_per_s_median").getAsDouble(), lines.get(i));
            assertTrue(o.get("images_per_s_median").getAsDouble() > 0, lines.get(i));
            assertTrue(o.get("peak_heap_mb").getAsDouble() > 0, lines.get(i));
            assertTrue(o.get("live_heap_mb").getAsDouble() > 0, lines.get(i));
            assertTrue(o.get("alloc_bytes_per_step").getAsLong() >= 0, lines.get(i));
        }
    }

    /** Interleaved rounds: one line per parameterization, each with its per-round medians and its ratio to the first's. */
    @Test
    void roundsTimeTheModelsInTurnAndGiveRatiosToTheFirst() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = execute(out, err, "bench", "train", "--workload", "mlp", "--param", "normal,wn-mobn", "--rounds", "3",
                "--synthetic", "--steps", "2", "--warmup", "1", "--batch", "8", "--threads", "1");
        assertEquals(0, code, "stderr: " + err);
        List<String> lines = Arrays.stream(out.toString().split("\n")).filter(s -> !s.isBlank()).collect(Collectors.toList());
        assertEquals(2, lines.size(), out.toString());
        for (int i = 0; i < 2; i++) {
            JsonObject o = JsonParser.parseString(lines.get(i)).getAsJsonObject();
            assertEquals(List.of("normal", "wn-mobn").get(i), o.get("param").getAsString());
            assertEquals(3, o.get("rounds").getAsInt());
            assertEquals(6, o.get("steps_timed").getAsInt());
            assertEquals(3, o.get("step_ms_median_per_round").getAsJsonArray().size());
            assertEquals("normal", o.get("step_time_vs").getAsString());
            double min = o.get("step_time_ratio_min").getAsDouble(), max = o.get("step_time_ratio_max").getAsDouble();
            double median = o.get("step_time_ratio_median").getAsDouble();
            assertTrue(min > 0 && min <= median && median <= max, lines.get(i));
        }
        JsonObject first = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals(1.0, first.get("step_time_ratio_min").getAsDouble());
        assertEquals(1.0, first.get("step_time_ratio_max").getAsDouble());
    }

    /** Several thread counts in rounds: a line per (param, threads), ratios to the first, the pool left as asked. */
    @Test
    void roundsOverThreadCountsMeasureScaling() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = execute(out, err, "bench", "train", "--workload", "mlp", "--param", "wn", "--threads", "1,2", "--rounds", "2",
                "--synthetic", "--steps", "2", "--warmup", "1", "--batch", "8");
        assertEquals(0, code, "stderr: " + err);
        List<String> lines = Arrays.stream(out.toString().split("\\n")).filter(s -> !s.isBlank()).collect(Collectors.toList());
        assertEquals(2, lines.size(), out.toString());
        for (int i = 0; i < 2; i++) {
            JsonObject o = JsonParser.parseString(lines.get(i)).getAsJsonObject();
            assertEquals("wn", o.get("param").getAsString());
            assertEquals(i + 1, o.get("threads").getAsInt());
            assertEquals(1, o.get("step_time_vs_threads").getAsInt());
            assertEquals(4, o.get("steps_timed").getAsInt());
        }
    }

    @Test
    void roundsAreRefusedWithAnEpochAndBelowOne() {
        StringWriter err = new StringWriter();
        assertEquals(2, execute(new StringWriter(), err, "bench", "train", "--epoch", "--rounds", "3"));
        assertTrue(err.toString().contains("--rounds times single steps"), err.toString());
        StringWriter err2 = new StringWriter();
        assertEquals(2, execute(new StringWriter(), err2, "bench", "train", "--synthetic", "--rounds", "0"));
        assertTrue(err2.toString().contains("--rounds must be >= 1") || err2.toString().contains("rounds 0"), err2.toString());
        StringWriter err3 = new StringWriter();
        assertEquals(2, execute(new StringWriter(), err3, "bench", "train", "--synthetic", "--param", "wn,weird"));
        assertTrue(err3.toString().contains("'weird'"), err3.toString());
    }

    /** The mlp's 3.5 ms steps need hundreds of warm-up steps before the JIT has settled (BENCHMARKS.md). */
    @Test
    void stepCountsDefaultPerWorkloadAndYieldToTheOptions() {
        BenchTrainCommand defaults = new BenchTrainCommand();
        new CommandLine(defaults).parseArgs();
        assertEquals(1000, defaults.timedSteps("mlp"));
        assertEquals(500, defaults.warmupSteps("mlp"));
        assertEquals(30, defaults.timedSteps("cnn"));
        assertEquals(15, defaults.warmupSteps("paper-cifar"));
        BenchTrainCommand given = new BenchTrainCommand();
        new CommandLine(given).parseArgs("--steps", "7", "--warmup", "2");
        assertEquals(7, given.timedSteps("mlp"));
        assertEquals(2, given.warmupSteps("cnn"));
    }

    @Test
    void unknownWorkloadIsAUsageErrorNamingTheChoices() {
        StringWriter err = new StringWriter();
        int code = execute(new StringWriter(), err, "bench", "train", "--workload", "resnet", "--synthetic");
        assertEquals(2, code);
        assertTrue(err.toString().contains("--workload must be one of [mlp, cnn, paper-cifar]"), err.toString());
    }

    @Test
    void epochModeRefusesSyntheticData() {
        StringWriter err = new StringWriter();
        int code = execute(new StringWriter(), err, "bench", "train", "--epoch", "--synthetic");
        assertEquals(2, code);
        assertTrue(err.toString().contains("--epoch trains on Fashion-MNIST"), err.toString());
    }

    /**
     * {@code bench train} and the {@link org.weightnorm4j.train.Trainer} run the same step: on the same
     * data, seed, model and Adam settings (a constant learning rate, no data-dependent
     * initialisation), their losses agree bit for bit, step after step.
     */
    @Test
    void benchTrainAndTheTrainerShareTheStep() {
        int b = 16;
        int steps = 12;
        int[] shape = org.weightnorm4j.model.Models.preset("mlp").inputShape();
        org.weightnorm4j.data.Dataset data = gaussianImages(b * steps, shape, 4);
        for (String p : List.of("normal", "mobn")) {
            BenchTrainCommand bench = new BenchTrainCommand();
            bench.seed = 3;
            double[] benchLosses = bench.losses("mlp", p, b, data, steps);

            org.weightnorm4j.train.TrainConfig config = org.weightnorm4j.train.TrainConfig.builder().epochs(1).batchSize(b)
                    .optimizer("adam", 1e-3).schedule("constant").initBatch(0).seed(3).build();
            List<Double> trainerLosses = new java.util.ArrayList<>();
            org.weightnorm4j.train.Trainer.builder(org.weightnorm4j.model.Models.preset("mlp")
                            .build(org.weightnorm4j.norm.Parameterization.parse(p), 3, org.weightnorm4j.tensor.DType.FLOAT32), data)
                    .config(config)
                    .listener(new org.weightnorm4j.train.TrainingListener() {
                        @Override
                        public void onStep(org.weightnorm4j.train.StepRecord s) {
                            trainerLosses.add(s.loss());
                        }
                    }).build().run();
            assertEquals(steps, trainerLosses.size());
            for (int k = 0; k < steps; k++) {
                assertEquals(trainerLosses.get(k), benchLosses[k], p + ": loss of step " + (k + 1));
            }
            assertTrue(benchLosses[steps - 1] != benchLosses[0], p + ": the steps trained");
        }
    }

    /**
     * {@code --epoch --warmup N}: the throwaway model's steps come first and are said in the line;
     * the timed epoch trains a fresh model, so it ends where the cold epoch does.
     */
    @Test
    void epochWarmUpTrainsAThrowawayModelAndLeavesTheTimedEpochAlone() {
        int[] shape = org.weightnorm4j.model.Models.preset("mlp").inputShape();
        org.weightnorm4j.data.DatasetSplits splits = new org.weightnorm4j.data.DatasetSplits(
                gaussianImages(48, shape, 5), gaussianImages(16, shape, 6), null);
        for (String p : List.of("normal", "wn")) {
            BenchTrainCommand cold = new BenchTrainCommand();
            cold.seed = 2;
            java.util.Map<String, Object> coldLine = cold.epoch("mlp", p, 8, splits);
            BenchTrainCommand warm = new BenchTrainCommand();
            warm.seed = 2;
            warm.warmup = 7;
            java.util.Map<String, Object> warmLine = warm.epoch("mlp", p, 8, splits);
            assertEquals(0, coldLine.get("warmup_steps"), coldLine.toString());
            assertEquals(7, warmLine.get("warmup_steps"), warmLine.toString());
            assertEquals(coldLine.get("train_loss"), warmLine.get("train_loss"), p + ": the timed epoch is the cold one's");
            assertEquals(coldLine.get("test_accuracy"), warmLine.get("test_accuracy"), p);
            assertTrue((double) warmLine.get("images_per_s_epoch") > 0, warmLine.toString());
        }
    }

    /** {@code n} standard-normal images of {@code shape}, then uniform labels 0-9, from one stream seeded {@code seed}. */
    private static org.weightnorm4j.data.Dataset gaussianImages(int n, int[] shape, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] x = new float[n * shape[0] * shape[1] * shape[2]];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(10);
        }
        List<String> classes = java.util.stream.IntStream.range(0, 10).mapToObj(k -> "class " + k).toList();
        return new org.weightnorm4j.data.Dataset("synthetic", org.weightnorm4j.tensor.Tensor.wrap(x, n, shape[0], shape[1], shape[2]),
                labels, classes);
    }

    /** {@code --clock cpu}: steps timed by the thread's CPU clock, said in the line; refused with two threads and with --epoch. */
    @Test
    void cpuClockTimesOneThreadAndSaysSo() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = execute(out, err, "bench", "train", "--workload", "mlp", "--param", "wn", "--synthetic",
                "--steps", "3", "--warmup", "1", "--batch", "8", "--threads", "1", "--clock", "cpu");
        assertEquals(0, code, "stderr: " + err);
        JsonObject o = JsonParser.parseString(out.toString().trim()).getAsJsonObject();
        assertEquals("cpu", o.get("clock").getAsString());
        assertTrue(o.get("images_per_s_median").getAsDouble() > 0, out.toString());

        StringWriter wall = new StringWriter();
        assertEquals(0, execute(wall, err, "bench", "train", "--workload", "mlp", "--param", "normal", "--synthetic",
                "--steps", "1", "--warmup", "0", "--batch", "8", "--threads", "1"));
        assertEquals("wall", JsonParser.parseString(wall.toString().trim()).getAsJsonObject().get("clock").getAsString());

        StringWriter refused = new StringWriter();
        assertEquals(2, execute(new StringWriter(), refused, "bench", "train", "--workload", "mlp", "--synthetic", "--steps", "1",
                "--threads", "1,2", "--clock", "cpu"));
        assertTrue(refused.toString().contains("--clock cpu times the calling thread only"), refused.toString());
        refused = new StringWriter();
        assertEquals(2, execute(new StringWriter(), refused, "bench", "train", "--workload", "mlp", "--epoch", "--threads", "1",
                "--clock", "cpu"));
        assertTrue(refused.toString().contains("--epoch"), refused.toString());
        refused = new StringWriter();
        assertEquals(2, execute(new StringWriter(), refused, "bench", "train", "--workload", "mlp", "--synthetic", "--steps", "1",
                "--clock", "sundial"));
        assertTrue(refused.toString().contains("--clock must be wall or cpu"), refused.toString());
    }
}
