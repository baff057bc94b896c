package org.weightnorm4j.generative;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.weightnorm4j.data.Augmentation;
import org.weightnorm4j.data.BatchIterator;
import org.weightnorm4j.data.Binarization;
import org.weightnorm4j.data.Dataset;
import org.weightnorm4j.nn.ModelTree;
import org.weightnorm4j.nn.RandomStreams;
import org.weightnorm4j.optim.Adam;
import org.weightnorm4j.optim.GradientClipping;
import org.weightnorm4j.optim.OptimizerState;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.train.TrainStep;
import org.weightnorm4j.train.checkpoint.Checkpoint;
import org.weightnorm4j.train.checkpoint.CheckpointException;
import org.weightnorm4j.train.checkpoint.Sidecar;

/**
 * Training DRAW on binarized MNIST as the paper did (§5.3): Adam (lr 3e-4, β 0.9/0.999), gradient
 * norm clipped at 10, batch 100, the bound averaged over the batch; training images binarized
 * afresh every epoch ({@link Binarization#dynamic}), the test set once ({@link Binarization#fixed}).
 *
 * <p><b>Determinism.</b> Everything random is a counter-based stream of the seed
 * ({@link RandomStreams}): the model's initialisation, the epoch's order of examples, each
 * epoch's binarization, each step's noise ε (by global step), and the evaluation's noise (the same
 * every epoch, so test bounds are comparable). So the state to save is the parameters, Adam's
 * moments and three counters, and a run resumed from a checkpoint continues bit-identically.
 */
public final class DrawRun {
    /**
     * Where the read attention starts: {@link #ZERO}, the paper's and the peer's (every bias zero:
     * a 2×2 grid then has its filters on the image border), or {@link #DIGIT}, the read
     * attention's bias set to {@link DrawAttention#digitBoxParameters} (the grid over the digit box,
     * σ = δ/2) — a departure from the paper, chosen per run.
     */
    public enum ReadInit {
        ZERO, DIGIT;

        /** The option's spelling: {@code zero} or {@code digit}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** From {@link #label()}; an unknown name is an error listing both. */
        public static ReadInit parse(String s) {
            for (ReadInit r : values()) {
                if (r.label().equalsIgnoreCase(s)) {
                    return r;
                }
            }
            throw new IllegalArgumentException("--read-init must be zero (the paper's) or digit (the read grid over the digit), got '"
                    + s + "'");
        }
    }

    /** The settings of one run. */
    public record Settings(DrawConfig model, boolean weightNorm, long seed, int batch, double lr, double clip, double initStd,
                           ReadInit readInit) implements java.io.Serializable {
        public Settings {
            if (batch < 1 || !(lr > 0) || !(clip > 0) || !(initStd > 0)) {
                throw new IllegalArgumentException("DRAW run: batch " + batch + ", lr " + lr + ", clip " + clip + ", init std "
                        + initStd + ": all must be positive");
            }
            if (readInit == ReadInit.DIGIT && !model.readAttention()) {
                throw new IllegalArgumentException("DRAW run: --read-init digit places the read attention's grid, but --read 0 has"
                        + " no read attention; drop --read-init or choose a read grid (--read N, N >= 2)");
            }
        }

        /** With the paper's read-attention initialisation ({@link ReadInit#ZERO}). */
        public Settings(DrawConfig model, boolean weightNorm, long seed, int batch, double lr, double clip, double initStd) {
            this(model, weightNorm, seed, batch, lr, clip, initStd, ReadInit.ZERO);
        }

        /** The paper's optimisation (batch 100, Adam 3e-4, clip 10, init std 0.01) for a model and parameterization. */
        public static Settings paper(DrawConfig model, boolean weightNorm, long seed) {
            return new Settings(model, weightNorm, seed, 100, 3e-4, 10, 0.01);
        }

        /**
         * The reduced configuration ({@code --preset reduced}; docs/DRAW.md gives the probes behind the
         * choice): DRAW <b>without attention</b> (Gregor et al. §3.2's baseline: read the whole image and
         * error image, write a whole image), 16 glimpses, LSTMs of 128, latent 100, Adam <b>1e-3</b>;
         * the paper's batch 100, clipping at 10 and init std 0.01. Of the reduced configurations probed,
         * the only one whose weight-normed bound left the ~200-nat plateau (an average digit, latents
         * unused) within one epoch: 147.4 and 144.4 nats (seeds 1, 2) after 600 steps, where read 2×2 / write 5×5 at 3e-4 gives
         * 209.6 and with every attention remedy probed 178.4.
         */
        public static Settings reduced(boolean weightNorm, long seed) {
            return new Settings(new DrawConfig(28, 28, 16, 128, 100, 0, 0), weightNorm, seed, 100, 1e-3, 10, 0.01, ReadInit.ZERO);
        }

        public String param() {
            return weightNorm ? "wn" : "normal";
        }
    }

    /** Means over one epoch's training steps. */
    public record EpochStats(double bound, double reconstruction, double kl, double gradNorm, int steps) {
    }

    /** Means over the test set. */
    public record Evaluation(double bound, double reconstruction, double kl) {
    }

    private static final long STREAM_INIT = 0, STREAM_ORDER = 1, STREAM_NOISE = 2, STREAM_EVAL = 3;

    private final Settings settings;
    private final Draw model;
    private final Adam adam;
    private final GradientClipping.Clipped optimizer;
    private final TrainStep<Void> trainStep;
    private final Tensor trainImages;   // [N, P], intensities in [0, 1]
    private final Tensor testBinary;    // [M, P], fixed binarization
    private final int stepsPerEpoch;
    /** The epoch's order of the training examples (shuffled from the seed and the epoch; the last partial batch dropped). */
    private final BatchIterator batches;

    private int epoch;                  // completed epochs
    private int stepInEpoch;            // steps done in the current epoch
    private long step;                  // steps done in all
    private double sumBound;
    private double sumRec;
    private double sumKl;
    private double sumGradNorm;

    /**
     * A new run on {@code train [N, P]} (intensities in [0, 1]) and {@code test [M, P]} (already
     * binarized, fixed), at epoch 0.
     */
    public DrawRun(Settings settings, Tensor train, Tensor testBinary) {
        int pix = settings.model().pixels();
        if (train.rank() != 2 || train.dim(1) != pix || testBinary.rank() != 2 || testBinary.dim(1) != pix) {
            throw new IllegalArgumentException("DRAW run: images must be [N, " + pix + "] (train " + java.util.Arrays.toString(train.shape())
                    + ", test " + java.util.Arrays.toString(testBinary.shape()) + ")");
        }
        if (train.dim(0) < settings.batch()) {
            throw new IllegalArgumentException("DRAW run: " + train.dim(0) + " training images are fewer than one batch of "
                    + settings.batch() + "; lower --batch or raise --train-limit");
        }
        this.settings = settings;
        this.model = Draw.create(settings.model(), settings.weightNorm(), settings.initStd(), DType.FLOAT32,
                RandomStreams.forCall(RandomStreams.derive(settings.seed(), STREAM_INIT), 0));
        if (settings.readInit() == ReadInit.DIGIT) {
            model.initReadOverDigit();
        }
        this.adam = new Adam(ModelTree.namedParams(model), settings.lr());
        this.optimizer = GradientClipping.clipped(adam, settings.clip());
        this.trainStep = trainStep(model, optimizer);
        this.trainImages = train;
        this.testBinary = testBinary;
        DrawConfig m = settings.model();
        this.batches = new BatchIterator(new Dataset("draw training images", train.reshape(train.dim(0), 1, m.height(), m.width()),
                new int[train.dim(0)], List.of("-")), settings.batch(), true, RandomStreams.derive(settings.seed(), STREAM_ORDER),
                BatchIterator.LastBatch.DROP, Augmentation.NONE);
        this.stepsPerEpoch = batches.stepsPerEpoch();
    }

    public Draw model() {
        return model;
    }

    public Settings settings() {
        return settings;
    }

    public int epoch() {
        return epoch;
    }

    public long step() {
        return step;
    }

    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    public Tensor testImages() {
        return testBinary;
    }

    /**
     * The library's one training step ({@link TrainStep}) set up for DRAW: zero the gradients,
     * forward (ε drawn inside, from the model's noise stream), the bound averaged over the batch
     * ({@link DrawBoundObjective}), backward, the non-finite guards, then the optimizer wrapped in
     * global gradient-norm clipping ({@link GradientClipping#clipped}). The span the benchmark times.
     */
    public static TrainStep<Void> trainStep(Draw model, GradientClipping.Clipped optimizer) {
        return new TrainStep<>(model, optimizer, new DrawBoundObjective(), null);
    }

    /**
     * Trains until the current epoch ends (returns its means) or {@code stop} says so between steps
     * (returns null; the run can be checkpointed there and resumed mid-epoch).
     */
    public EpochStats trainEpoch(BooleanSupplier stop) {
        int b = settings.batch(), pix = settings.model().pixels();
        int[] order = batches.order(epoch);
        Tensor batchImages = Tensor.zeros(b, pix);
        Tensor binary = Tensor.zeros(b, pix);
        int[] ids = new int[b];
        float[] src = trainImages.data(), dst = batchImages.data();
        while (stepInEpoch < stepsPerEpoch) {
            if (stop.getAsBoolean()) {
                return null;
            }
            for (int i = 0; i < b; i++) {
                ids[i] = order[stepInEpoch * b + i];
                System.arraycopy(src, ids[i] * pix, dst, i * pix, pix);
            }
            Binarization.dynamic(batchImages, ids, settings.seed(), epoch, binary);
            model.setNoise(RandomStreams.derive(settings.seed(), STREAM_NOISE), step);     // ε of this step: stream (seed, step)
            double bound = trainStep.run(binary, null, step + 1, epoch + 1, null);
            sumBound += bound;
            sumRec += trainStep.metric(0);
            sumKl += trainStep.metric(1);
            sumGradNorm += optimizer.lastNorm();
            stepInEpoch++;
            step++;
        }
        EpochStats s = new EpochStats(sumBound / stepsPerEpoch, sumRec / stepsPerEpoch, sumKl / stepsPerEpoch,
                sumGradNorm / stepsPerEpoch, stepsPerEpoch);
        epoch++;
        stepInEpoch = 0;
        sumBound = sumRec = sumKl = sumGradNorm = 0;
        return s;
    }

    /** The bound on the (fixed-binarized) test set, one noise sample per image, the same noise at every evaluation. */
    public Evaluation evaluate() {
        int b = settings.batch(), pix = settings.model().pixels(), m = testBinary.dim(0);
        double sb = 0, sr = 0, sk = 0;
        float[] src = testBinary.data();
        for (int start = 0, k = 0; start < m; start += b, k++) {
            int size = Math.min(b, m - start);
            Tensor x = Tensor.zeros(size, pix);
            System.arraycopy(src, start * pix, x.data(), 0, size * pix);
            Tensor eps = Tensor.zeros(settings.model().glimpses(), size, settings.model().latent());
            Draw.drawNoise(eps, RandomStreams.forCall(RandomStreams.derive(settings.seed(), STREAM_EVAL), k));
            Draw.Bound bound = model.bound(x, eps);
            sb += bound.mean() * size;
            sr += bound.meanReconstruction() * size;
            sk += bound.meanKl() * size;
        }
        return new Evaluation(sb / m, sr / m, sk / m);
    }

    // ---------------------------------------------------------------- checkpoints

    /** Writes the run's checkpoint into {@code dir} (model, Adam, counters; checksummed, replaced as a unit). */
    public void save(Path dir) {
        OptimizerState os = adam.state();
        JsonObject json = new JsonObject();
        json.addProperty("epoch", epoch);
        json.addProperty("step_in_epoch", stepInEpoch);
        json.addProperty("step", step);
        json.addProperty("sum_bound", sumBound);
        json.addProperty("sum_reconstruction", sumRec);
        json.addProperty("sum_kl", sumKl);
        json.addProperty("sum_grad_norm", sumGradNorm);
        json.add("settings", settingsJson());
        JsonObject scalars = new JsonObject();
        os.scalars().forEach(scalars::addProperty);
        json.add("optimizer_scalars", scalars);
        Sidecar sidecar = new Sidecar(Checkpoint.FORMAT_VERSION, architecture(), settings.param(), "mnist",
                "binarized", epoch, step, settings.seed(), false);
        Checkpoint.save(dir, Checkpoint.stateDict(model), sidecar, new Checkpoint.TrainingState(os.tensors(), json));
    }

    /** Restores a checkpoint written by {@link #save} for the same settings; a mismatch is an error naming what differs. */
    public void restore(Path dir) {
        Checkpoint.TrainingState state = Checkpoint.readTrainingState(dir);
        JsonObject json = state.json();
        JsonObject saved = json.getAsJsonObject("settings");
        if (saved == null || !saved.equals(settingsJson())) {
            throw new CheckpointException(dir + " was written by a DRAW run with settings " + saved + ", not " + settingsJson()
                    + "; resume with the same options, or choose another --out");
        }
        Checkpoint.loadModel(dir, model);
        Map<String, Double> scalars = new LinkedHashMap<>();
        json.getAsJsonObject("optimizer_scalars").entrySet().forEach(e -> scalars.put(e.getKey(), e.getValue().getAsDouble()));
        adam.loadState(new OptimizerState(state.tensors(), scalars));
        epoch = json.get("epoch").getAsInt();
        stepInEpoch = json.get("step_in_epoch").getAsInt();
        step = json.get("step").getAsLong();
        sumBound = json.get("sum_bound").getAsDouble();
        sumRec = json.get("sum_reconstruction").getAsDouble();
        sumKl = json.get("sum_kl").getAsDouble();
        sumGradNorm = json.get("sum_grad_norm").getAsDouble();
    }

    /** What must match for a resume: the model, the optimisation, the seed and the data sizes. */
    private JsonObject settingsJson() {
        JsonObject o = architecture();
        o.addProperty("param", settings.param());
        o.addProperty("seed", settings.seed());
        o.addProperty("batch", settings.batch());
        o.addProperty("lr", settings.lr());
        o.addProperty("clip", settings.clip());
        o.addProperty("init_std", settings.initStd());
        if (settings.readInit() != ReadInit.ZERO) {                          // absent for the paper's, as in older checkpoints
            o.addProperty("read_init", settings.readInit().label());
        }
        o.addProperty("train_images", trainImages.dim(0));
        o.addProperty("test_images", testBinary.dim(0));
        return o;
    }

    private JsonObject architecture() {
        JsonObject o = new JsonObject();
        o.addProperty("model", "draw");
        settings.model().toMap().forEach((k, v) -> o.addProperty(k, (Number) v));
        return o;
    }
}
