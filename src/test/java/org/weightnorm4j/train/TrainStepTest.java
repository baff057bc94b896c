package org.weightnorm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.testing.TinyTask;
import org.weightnorm4j.data.Augmentation;
import org.weightnorm4j.data.BatchIterator;
import org.weightnorm4j.data.Dataset;
import org.weightnorm4j.nn.ActivationLayer;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.nn.SoftmaxCrossEntropy;
import org.weightnorm4j.norm.LinearUnit;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.optim.Adam;
import org.weightnorm4j.optim.Optimizer;
import org.weightnorm4j.optim.Schedule;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/** {@link TrainStep} and {@link Objective}: the one training step, with the default and a custom objective. */
class TrainStepTest {
    private static final Dataset TRAIN = TinyTask.data("synthetic/train", 320, 1);

    /**
     * The step as the Trainer wrote it out before objectives and {@link TrainStep} existed (zero,
     * forward, cross-entropy, backward to the parameters, optimizer step, with the schedules set
     * first): the Trainer's losses, accuracies and final parameters equal it, bit for bit.
     */
    @Test
    void trainerStepsAreBitIdenticalToTheStepWrittenOut() {
        TrainConfig c = TrainConfig.builder().epochs(3).batchSize(32).optimizer("adam", 0.01).linearDecay(1)
                .beta1(0.9, 0.5, 2).initBatch(0).seed(7).build();
        Sequential model = TinyTask.model(Parameterization.WN_MOBN, 5);
        List<StepRecord> records = new ArrayList<>();
        Trainer trainer = Trainer.builder(model, TRAIN).config(c).listener(new TrainingListener() {
            @Override
            public void onStep(StepRecord r) {
                records.add(r);
            }
        }).build();
        trainer.run();

        Sequential ref = TinyTask.model(Parameterization.WN_MOBN, 5);
        Optimizer optimizer = c.newOptimizer(ref.namedParams());
        Schedule lr = c.lrSchedule();
        Schedule beta1 = c.beta1Schedule();
        BatchIterator batches = new BatchIterator(TRAIN, 32, true, 7, BatchIterator.LastBatch.DROP, c.augmentation());
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        int spe = batches.stepsPerEpoch();
        long step = 0;
        for (int epoch = 0; epoch < 3; epoch++) {
            batches.seek(epoch, 0);
            while (batches.hasNext()) {
                BatchIterator.Batch b = batches.next();
                double position = (double) step / spe;
                optimizer.setLearningRate(lr.at(position));
                ((Adam) optimizer).setBeta1(beta1.at(position));
                ref.zeroGrad();
                double l = loss.forward(ref.forward(b.images(), Mode.TRAIN), b.labels());
                ref.backwardParamsOnly(loss.backward());
                optimizer.step();
                StepRecord r = records.get((int) step);
                assertEquals(l, r.loss(), "loss of step " + (step + 1));
                assertEquals((double) loss.correctCount() / b.size(), r.accuracy(), "accuracy of step " + (step + 1));
                step++;
            }
        }
        assertEquals(step, records.size());
        assertSameParams(ref, model);
    }

    private static void assertSameParams(Sequential expected, Sequential actual) {
        Map<String, Param> a = actual.namedParams();
        expected.namedParams().forEach((name, p) ->
                assertArrayEquals(p.value().data(), a.get(name).value().data(), name));
    }

    /** The default through the builder and the constructor: the same run, bit for bit. */
    @Test
    void builderAndConstructorTrainAlike(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        TrainConfig c = TrainConfig.builder().epochs(2).batchSize(32).optimizer("adam", 0.01).initBatch(64)
                .emaDecay(0.9).evalBatch(50).logEverySteps(1).seed(3).build();
        Dataset test = TinyTask.data("synthetic/test", 130, 2);
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Trainer viaConstructor = new Trainer(TinyTask.model(Parameterization.WN, 5), TRAIN, test, c,
                TinyTask.info(Parameterization.WN), a);
        viaConstructor.addListener(new MetricsLog(a.resolve("metrics.csv")));
        TrainingSummary sa = viaConstructor.run();
        Sequential model = TinyTask.model(Parameterization.WN, 5);
        TrainingSummary sb = Trainer.builder(model, TRAIN).test(test).config(c).outDir(b)
                .checkpointInfo(TinyTask.info(Parameterization.WN).architecture(), "synthetic", "none")
                .listener(new MetricsLog(b.resolve("metrics.csv"))).build().run();
        assertEquals(sa.trainLoss(), sb.trainLoss());
        assertEquals(sa.testLoss(), sb.testLoss());
        assertEquals(sa.testAccuracy(), sb.testAccuracy());
        for (String f : List.of("metrics.csv", org.weightnorm4j.train.checkpoint.Checkpoint.MODEL_FILE,
                org.weightnorm4j.train.checkpoint.Checkpoint.OPTIMIZER_FILE)) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }
    }

    /** An objective without an accuracy metric: the same losses as the default, accuracies NaN. */
    @Test
    void aCustomObjectiveDrivesTheTrainer() {
        TrainConfig c = TrainConfig.builder().epochs(2).batchSize(32).optimizer("adam", 0.01).initBatch(64).seed(3).build();
        Dataset test = TinyTask.data("synthetic/test", 130, 2);
        List<StepRecord> plain = new ArrayList<>();
        List<StepRecord> custom = new ArrayList<>();
        TrainingSummary sp = Trainer.builder(TinyTask.model(Parameterization.WN, 5), TRAIN).test(test).config(c)
                .listener(recorder(plain)).build().run();
        Objective<int[]> lossOnly = crossEntropyWithoutMetrics(g -> g);
        TrainingSummary sc = Trainer.builder(TinyTask.model(Parameterization.WN, 5), TRAIN).test(test).config(c)
                .objective(lossOnly).listener(recorder(custom)).build().run();
        assertEquals(plain.size(), custom.size());
        for (int i = 0; i < plain.size(); i++) {
            assertEquals(plain.get(i).loss(), custom.get(i).loss(), "step " + (i + 1));
            assertTrue(Double.isNaN(custom.get(i).accuracy()));
        }
        assertEquals(sp.testLoss(), sc.testLoss());
        assertTrue(sp.testAccuracy() > 0.5, "default test accuracy " + sp.testAccuracy());
        assertTrue(Double.isNaN(sc.testAccuracy()) && Double.isNaN(sc.trainAccuracy()));
    }

    /** Softmax cross-entropy that reports no metrics, its gradient passed through {@code onGradient}. */
    private static Objective<int[]> crossEntropyWithoutMetrics(java.util.function.UnaryOperator<Tensor> onGradient) {
        SoftmaxCrossEntropyObjective ce = Objective.softmaxCrossEntropy();
        return new Objective<>() {
            @Override
            public double loss(Tensor output, int[] labels) {
                return ce.loss(output, labels);
            }

            @Override
            public Tensor gradient() {
                return onGradient.apply(ce.gradient());
            }
        };
    }

    private static TrainingListener recorder(List<StepRecord> into) {
        return new TrainingListener() {
            @Override
            public void onStep(StepRecord r) {
                into.add(r);
            }
        };
    }

    /** Mean squared error over all elements of an output and a target tensor; reports the summed absolute error per example. */
    static final class MeanSquaredError implements Objective<Tensor> {
        private Tensor output;
        private Tensor target;
        private Tensor grad;
        final List<String> calls = new ArrayList<>();

        @Override
        public double loss(Tensor output, Tensor target) {
            calls.add("loss");
            if (output.size() != target.size()) {
                throw new IllegalArgumentException("MSE: " + output.size() + " outputs, " + target.size() + " targets");
            }
            this.output = output;
            this.target = target;
            double sum = 0;
            for (int i = 0; i < output.size(); i++) {
                double d = output.get(i) - target.get(i);
                sum += d * d;
            }
            return sum / output.size();
        }

        @Override
        public Tensor gradient() {
            calls.add("gradient");
            if (grad == null || grad.size() != output.size() || grad.dtype() != output.dtype()) {
                grad = output.zerosLike(output.shape());
            }
            for (int i = 0; i < output.size(); i++) {
                grad.set(i, 2 * (output.get(i) - target.get(i)) / output.size());
            }
            return grad;
        }

        @Override
        public List<String> metricNames() {
            return List.of("abs_error");
        }

        @Override
        public void metricTotals(double[] into) {
            calls.add("metrics");
            double sum = 0;
            for (int i = 0; i < output.size(); i++) {
                sum += Math.abs(output.get(i) - target.get(i));
            }
            into[0] = sum;
        }
    }

    /** The custom objective's gradient, in float64, against central finite differences of its loss. */
    @Test
    void meanSquaredErrorGradientMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(5);
        double[] out = new double[4 * 3];
        double[] tgt = new double[out.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = r.nextGaussian();
            tgt[i] = r.nextGaussian();
        }
        Tensor output = Tensor.wrap(out, 4, 3);
        Tensor target = Tensor.wrap(tgt, 4, 3);
        MeanSquaredError mse = new MeanSquaredError();
        mse.loss(output, target);
        double[] analytic = mse.gradient().data64().clone();
        assertEquals(DType.FLOAT64, mse.gradient().dtype());
        double h = 1e-6;
        for (int i = 0; i < out.length; i++) {
            double x = out[i];
            out[i] = x + h;
            double plus = mse.loss(output, target);
            out[i] = x - h;
            double minus = mse.loss(output, target);
            out[i] = x;
            double numeric = (plus - minus) / (2 * h);
            assertEquals(numeric, analytic[i], 1e-8 * Math.max(1, Math.abs(numeric)), "element " + i);
        }
    }

    /** A regression trained through {@link TrainStep} with a custom objective: its loss falls, its metric is reported. */
    @Test
    void aCustomObjectiveTrainsARegressionThroughTheStep() {
        SplittableRandom r = new SplittableRandom(9);
        int n = 64;
        float[] x = new float[n * 4];
        float[] y = new float[n * 2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = (float) r.nextGaussian();
            }
            y[i * 2] = (float) Math.tanh(x[i * 4] - 0.5 * x[i * 4 + 1]);
            y[i * 2 + 1] = (float) (0.3 * x[i * 4 + 2] * x[i * 4 + 3]);
        }
        Tensor input = Tensor.wrap(x, n, 4);
        Tensor target = Tensor.wrap(y, n, 2);
        SplittableRandom init = new SplittableRandom(1);
        Sequential model = Sequential.builder()
                .addAll(LinearUnit.dense(Parameterization.WN, 4, 16, DType.FLOAT32, init))
                .add(ActivationLayer.relu())
                .addAll(LinearUnit.dense(Parameterization.WN, 16, 2, DType.FLOAT32, init))
                .seed(1)
                .build();
        MeanSquaredError mse = new MeanSquaredError();
        TrainStep<Tensor> step = new TrainStep<>(model, new Adam(model.namedParams(), 0.01, 0.9, 0.999, 1e-8, 0), mse, null);
        assertEquals(List.of("abs_error"), step.metricNames());
        double first = step.run(input, target, 1, 1, null);
        assertEquals(List.of("loss", "metrics", "gradient"), mse.calls, "the documented call order");
        assertEquals(first, step.loss());
        assertEquals(n, step.examples());
        assertEquals(step.metricTotal(0) / n, step.metric(0));
        double firstError = step.metric(0);
        double last = first;
        for (int k = 2; k <= 300; k++) {
            last = step.run(input, target, k, 1, null);
        }
        assertTrue(last < 0.2 * first, "loss " + first + " -> " + last);
        assertTrue(step.metric(0) < firstError, "abs error " + firstError + " -> " + step.metric(0));
    }

    /** A NaN gradient under a finite loss: the step's guard stops it, naming the step, before the optimizer moves anything. */
    @Test
    void theGuardNamesTheStepAndTheOptimizerDoesNotRun() {
        Sequential model = TinyTask.model(Parameterization.WN, 5);
        Objective<int[]> poisoned = crossEntropyWithoutMetrics(g -> {
            g.set(3, Double.NaN);
            return g;
        });
        TrainStep<int[]> step = new TrainStep<>(model, new Adam(model.namedParams(), 0.01, 0.9, 0.999, 1e-8, 0), poisoned, null);
        BatchIterator it = new BatchIterator(TRAIN, 16, true, 1, BatchIterator.LastBatch.DROP, Augmentation.NONE);
        it.startEpoch(0);
        BatchIterator.Batch b = it.next();
        Map<String, float[]> before = new java.util.LinkedHashMap<>();
        model.namedParams().forEach((k, p) -> before.put(k, p.value().data().clone()));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> step.run(b.images(), b.labels(), 42, 3, null));
        assertTrue(e.getMessage().contains("at step 42 (epoch 3)") && e.getMessage().contains("gradient of parameter"),
                e.getMessage());
        assertTrue(Double.isFinite(step.loss()));
        model.namedParams().forEach((k, p) -> assertArrayEquals(before.get(k), p.value().data(), k));

        // A NaN parameter of the last layer (a ReLU would hide one in an earlier layer): the loss is NaN,
        // and that guard names the step too.
        List<Param> params = new ArrayList<>(model.namedParams().values());
        params.get(params.size() - 1).value().set(0, Float.NaN);
        TrainStep<int[]> plain = new TrainStep<>(model, new Adam(model.namedParams(), 0.01, 0.9, 0.999, 1e-8, 0),
                Objective.softmaxCrossEntropy(), null);
        e = assertThrows(TrainingDivergedException.class, () -> plain.run(b.images(), b.labels(), 7, 2, null));
        assertTrue(e.getMessage().contains("the loss of step 7 (epoch 2) is NaN"), e.getMessage());
    }

    /** The recorded parameterization is the model's: derived, or checked, never silently different. */
    @Test
    void theParameterizationIsDerivedFromTheModelOrAMismatchRefused() {
        for (Parameterization p : Parameterization.values()) {
            Sequential model = TinyTask.model(p, 5);
            assertEquals(p, Trainer.parameterizationOf(model));
            assertEquals(p.cliName(), Trainer.ModelInfo.of(model, new com.google.gson.JsonObject(), "d", "none").parameterization());
        }
        Sequential normal = TinyTask.model(Parameterization.NORMAL, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder(normal, TRAIN)
                .modelInfo(TinyTask.info(Parameterization.WN)).build());
        assertTrue(e.getMessage().contains("'wn'") && e.getMessage().contains("'normal'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Trainer(normal, TRAIN, null, TrainConfig.builder().build(),
                TinyTask.info(Parameterization.WN_MOBN), null));
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder(normal, TRAIN).outDir(Path.of("x")).build());
        assertTrue(e.getMessage().contains("ModelInfo"), e.getMessage());
        Trainer inMemory = Trainer.builder(normal, TRAIN).build();
        assertThrows(IllegalStateException.class, () -> inMemory.saveCheckpoint(Path.of("never-written"), 0));
    }

    /**
     * There is one training step in the library: outside the layers themselves, only {@link TrainStep}
     * zeroes gradients and runs a backward pass (bench train and the Trainer call it).
     */
    @Test
    void noOtherCopyOfTheStepInTheSources() throws IOException {
        Path main = Path.of("src/main/java/org/weightnorm4j");
        List<String> offenders;
        try (Stream<Path> files = Files.walk(main)) {
            offenders = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.startsWith(main.resolve("nn")) && !f.startsWith(main.resolve("norm"))
                            && !f.startsWith(main.resolve("tensor")) && !f.endsWith("TrainStep.java"))
                    .filter(f -> {
                        try {
                            String s = Files.readString(f);
                            return s.contains(".zeroGrad()") || s.contains(".backwardParamsOnly(");
                        } catch (IOException ex) {
                            throw new java.io.UncheckedIOException(ex);
                        }
                    })
                    .map(Path::toString).collect(Collectors.toList());
        }
        assertTrue(Files.isDirectory(main.resolve("train")), "run from the project root");
        assertEquals(List.of(), offenders);
    }
}
