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
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.norm.DataDependentInit;
import org.weightnorm4j.norm.WeightNormStats;
import org.weightnorm4j.norm.WeightNormed;
import org.weightnorm4j.optim.Adamax;
import org.weightnorm4j.optim.OptimizerState;
import org.weightnorm4j.optim.ParameterAverage;
import org.weightnorm4j.nn.RandomStreams;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.train.TrainStep;
import org.weightnorm4j.train.checkpoint.Checkpoint;
import org.weightnorm4j.train.checkpoint.CheckpointException;
import org.weightnorm4j.train.checkpoint.ResumeState;
import org.weightnorm4j.train.checkpoint.Sidecar;

/**
 * The paper's §5.2 training of a convolutional VAE on binarized MNIST, as a resumable loop:
 * <ul>
 *   <li>the model is {@link ReferenceVae} at {@link VaeSettings#sizes()}, {@code normal} (PyTorch's
 *       default initialisation) or {@code wn} (every layer weight-normed, then data-dependent init,
 *       §3, on {@link VaeSettings#initBatch()} dynamically binarized training images);</li>
 *   <li>each step: a shuffled minibatch ({@link BatchIterator}, seeded), binarized afresh for the
 *       epoch ({@link Binarization#dynamic}), one {@link TrainStep} of the negative ELBO
 *       ({@link ElboObjective}) with Adamax (α {@link VaeSettings#lr()}, β1 0.9, β2 0.999), then the
 *       Polyak average ({@link ParameterAverage}, decay {@link VaeSettings#emaDecay()});</li>
 *   <li>after each epoch the test set, binarized once ({@link Binarization#fixed}), is scored with
 *       the <b>averaged</b> parameters ({@link #evaluate});</li>
 *   <li>a checkpoint ({@link Checkpoint}: {@code model.safetensors} holds the averaged parameters,
 *       {@code optimizer.safetensors} the raw ones, Adamax's moments and the averages) holds the
 *       position and the epoch's running sums too, so a resumed run gives the same bits as one that
 *       never stopped (same thread count).</li>
 * </ul>
 * A non-finite loss or gradient stops the step with {@link org.weightnorm4j.train.TrainingDivergedException},
 * naming the layer ({@link TrainStep}'s guard).
 */
public final class VaeRun {
    static final int STATE_VERSION = 1;
    /** Salts of the seeds derived from the run's seed (any fixed, distinct values). */
    private static final long TEST_BINARIZATION = 0x7465737442L;
    private static final long TRAIN_BINARIZATION = 0x7472616942L;
    private static final long INIT = 0x696e6974L;
    private static final long IS = 0x4953L;

    /** Training totals of an epoch, in nats per image, and where the run stood. */
    public record Epoch(int epoch, long step, double trainElbo, double trainReconstruction, double trainKl,
                        VaeEvaluation test, Map<String, WeightNormStats> weightNorm, double trainSeconds) {
    }

    /** Told of each step and each epoch. */
    public interface Listener {
        default void onStep(VaeRun run) {
        }

        default void onEpoch(VaeRun run, Epoch epoch) {
        }
    }

    private final VaeSettings settings;
    private final Vae vae;
    private final Dataset train;
    private final Tensor testBinarized;
    private final ElboObjective objective;
    private final Adamax optimizer;
    private final ParameterAverage average;
    private final TrainStep<Tensor> trainStep;
    private final BatchIterator batches;
    private int[] order;
    private int orderEpoch = -1;
    private Tensor binarized;

    // Position and running sums: all in trainer.json.
    private long step;
    private int epoch;
    private int stepInEpoch;
    private double sumElbo;
    private double sumRecon;
    private double sumKl;
    private long seen;
    private double trainSeconds;
    private double epochSeconds;
    private boolean initialised;
    private Path lastCheckpoint;
    private Epoch lastEpoch;

    /**
     * @param train training images with intensities in [0, 1] ({@code [N, 1, side, side]}), binarized per epoch here
     * @param test  test images with intensities in [0, 1], binarized once here
     */
    public VaeRun(VaeSettings settings, Dataset train, Tensor test) {
        if (train.size() < settings.batch()) {
            throw new IllegalArgumentException("VAE: " + train.size() + " training images cannot fill one batch of "
                    + settings.batch());
        }
        int side = settings.sizes().image();
        if (train.channels() != 1 || train.height() != side || train.width() != side || test.rank() != 4
                || test.dim(1) != 1 || test.dim(2) != side || test.dim(3) != side) {
            throw new IllegalArgumentException("VAE: the model takes 1×" + side + "×" + side + " images; got training "
                    + train + " and test " + java.util.Arrays.toString(test.shape()));
        }
        this.settings = settings;
        this.vae = ReferenceVae.build(settings.sizes(), settings.weightNorm(), DType.FLOAT32, settings.seed());
        this.train = train;
        this.testBinarized = binarizeTest(test, settings.seed());
        this.objective = new ElboObjective(settings.sizes().latent());
        Map<String, Param> params = ModelTree.namedParams(vae);
        this.optimizer = new Adamax(params, settings.lr(), 0.9, 0.999, 1e-8);
        this.average = new ParameterAverage(params, settings.emaDecay());
        this.trainStep = new TrainStep<>(vae, optimizer, objective, average);
        this.batches = new BatchIterator(train, settings.batch(), true, settings.seed(), BatchIterator.LastBatch.DROP,
                Augmentation.NONE);
    }

    /** The fixed binarization of test images that a run with {@code seed} scores (what {@code weightnorm eval} scores again). */
    public static Tensor binarizeTest(Tensor test, long seed) {
        return Binarization.fixed(test, RandomStreams.derive(seed, TEST_BINARIZATION));
    }

    /** The seed of the importance samples of a run with {@code seed}. */
    public static long importanceSeed(long seed) {
        return RandomStreams.derive(seed, IS);
    }

    public VaeSettings settings() {
        return settings;
    }

    public Vae model() {
        return vae;
    }

    public long step() {
        return step;
    }

    /** Epochs completed. */
    public int completedEpochs() {
        return epoch;
    }

    public int stepsPerEpoch() {
        return batches.stepsPerEpoch();
    }

    /** The last finished epoch's record (null before the first, and after a restore until the next). */
    public Epoch lastEpoch() {
        return lastEpoch;
    }

    /** The fixed binarization of the test images scored after each epoch. */
    public Tensor testImages() {
        return testBinarized;
    }

    /** The seed from which the dynamic binarization of training epoch {@code t} is drawn. */
    long trainBinarizationSeed() {
        return RandomStreams.derive(settings.seed(), TRAIN_BINARIZATION);
    }

    /** §3 for {@code wn}: the first {@code initBatch} images of a seeded order, binarized as epoch 0 binarizes them. */
    private void initialise() {
        initialised = true;
        if (!settings.weightNorm()) {
            return;
        }
        int n = Math.min(settings.initBatch(), train.size());
        BatchIterator it = new BatchIterator(train, n, true, settings.seed() ^ INIT, BatchIterator.LastBatch.DROP, Augmentation.NONE);
        it.startEpoch(0);
        int[] ids = java.util.Arrays.copyOf(it.order(0), n);
        Tensor images = it.next().images();
        Tensor x = images.zerosLike();
        Binarization.dynamic(images, ids, trainBinarizationSeed(), 0, x);
        DataDependentInit.apply(vae, x, DataDependentInit.Options.paper(settings.seed()));
    }

    /**
     * Trains until {@link VaeSettings#epochs()} epochs are done, or until {@code stop} says so after
     * a step (then returns false; a checkpoint is the caller's to write, with {@link #save}).
     */
    public boolean run(Listener listener, BooleanSupplier stop) {
        if (!initialised) {
            initialise();
        }
        int spe = batches.stepsPerEpoch();
        while (epoch < settings.epochs()) {
            batches.seek(epoch, stepInEpoch);
            if (orderEpoch != epoch) {
                order = batches.order(epoch);
                orderEpoch = epoch;
            }
            while (batches.hasNext()) {
                long t0 = System.nanoTime();
                BatchIterator.Batch b = batches.next();
                int[] ids = java.util.Arrays.copyOfRange(order, b.step() * settings.batch(), b.step() * settings.batch() + b.size());
                if (binarized == null || !binarized.hasShape(b.images().shape())) {
                    binarized = b.images().zerosLike();
                }
                Binarization.dynamic(b.images(), ids, trainBinarizationSeed(), epoch, binarized);
                trainStep.run(binarized, binarized, step + 1, epoch + 1, lastCheckpoint);
                step++;
                stepInEpoch++;
                sumElbo += trainStep.metricTotal(0);
                sumRecon += trainStep.metricTotal(1);
                sumKl += trainStep.metricTotal(2);
                seen += b.size();
                double s = (System.nanoTime() - t0) * 1e-9;
                trainSeconds += s;
                epochSeconds += s;
                listener.onStep(this);
                if (stepInEpoch < spe && stop.getAsBoolean()) {
                    return false;
                }
            }
            endEpoch(listener);
            if (epoch < settings.epochs() && stop.getAsBoolean()) {
                return false;
            }
        }
        return true;
    }

    private void endEpoch(Listener listener) {
        VaeEvaluation test = evaluate(testBinarized, 0, 0);
        lastEpoch = new Epoch(epoch + 1, step, sumElbo / seen, sumRecon / seen, sumKl / seen, test,
                WeightNormed.statsByModule(vae), epochSeconds);
        epoch++;
        stepInEpoch = 0;
        sumElbo = sumRecon = sumKl = 0;
        seen = 0;
        epochSeconds = 0;
        listener.onEpoch(this, lastEpoch);
    }

    /**
     * Scores {@code images} (binarized) with the averaged parameters, then puts the raw ones back;
     * with {@code isSamples > 0} also the importance-sampled {@code log p(x)} on the first
     * {@code isExamples} (0 = all).
     */
    public VaeEvaluation evaluate(Tensor images, int isSamples, int isExamples) {
        average.swapIn();
        try {
            return VaeEvaluation.of(vae, images, VaeSettings.EVAL_BATCH, isSamples, isExamples,
                    importanceSeed(settings.seed()));
        } finally {
            average.swapOut();
        }
    }

    /** Runs {@code body} with the averaged parameters in the model (to sample or reconstruct with them). */
    public <T> T withAverage(java.util.function.Supplier<T> body) {
        average.swapIn();
        try {
            return body.get();
        } finally {
            average.swapOut();
        }
    }

    /** Writes a complete checkpoint of the run into {@code dir}, atomically ({@link Checkpoint#save}). */
    public void save(Path dir) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        OptimizerState os = optimizer.state();
        tensors.putAll(os.tensors());
        OptimizerState as = average.state();
        tensors.putAll(as.tensors());
        ResumeState.putRawParams(vae, tensors);
        Map<String, Tensor> weights = ResumeState.averagedWeights(vae, average);
        JsonObject s = new JsonObject();
        s.addProperty("state_version", STATE_VERSION);
        s.add("settings", settings.toJson());
        s.addProperty("step", step);
        s.addProperty("completed_epochs", epoch);
        s.addProperty("step_in_epoch", stepInEpoch);
        JsonObject sums = new JsonObject();
        sums.addProperty("elbo", sumElbo);
        sums.addProperty("reconstruction", sumRecon);
        sums.addProperty("kl", sumKl);
        sums.addProperty("seen", seen);
        sums.addProperty("seconds", epochSeconds);
        s.add("epoch_sums", sums);
        s.addProperty("train_seconds", trainSeconds);
        s.add("optimizer_scalars", ResumeState.scalars(os.scalars()));
        s.add("average", ResumeState.scalars(as.scalars()));
        s.add("random_counters", ResumeState.randomCounters(vae));
        Sidecar sidecar = new Sidecar(Checkpoint.FORMAT_VERSION, settings.architecture(), settings.param(), "mnist",
                "binarized", epoch, step, settings.seed(), true);
        Checkpoint.save(dir, weights, sidecar, new Checkpoint.TrainingState(tensors, s));
        lastCheckpoint = dir;
    }

    /** The settings a checkpoint was written with. */
    public static VaeSettings savedSettings(Path dir) {
        JsonObject s = Checkpoint.readTrainingState(dir).json();
        try {
            return VaeSettings.fromJson(s.getAsJsonObject("settings"));
        } catch (RuntimeException e) {
            throw new CheckpointException(dir.resolve(Checkpoint.STATE_FILE) + " holds no VAE settings (" + e.getMessage()
                    + "); it was not written by 'weightnorm vae'", e);
        }
    }

    /** Restores everything from the checkpoint in {@code dir}; the run must have been built with settings it {@linkplain VaeSettings#continues continues}. */
    public void restore(Path dir) {
        Checkpoint.TrainingState state = Checkpoint.readTrainingState(dir);
        JsonObject s = state.json();
        try {
            if (s.get("state_version").getAsInt() != STATE_VERSION) {
                throw new CheckpointException(dir.resolve(Checkpoint.STATE_FILE) + " has VAE state version "
                        + s.get("state_version") + "; this weightnorm4j reads " + STATE_VERSION);
            }
            VaeSettings saved = VaeSettings.fromJson(s.getAsJsonObject("settings"));
            if (!settings.continues(saved)) {
                throw new CheckpointException("cannot resume from " + dir + ": it was trained with " + saved.toJson()
                        + ", this run has " + settings.toJson() + " (only --epochs and the IS budget may change)");
            }
            ResumeState.loadRawModel(dir, vae, state.tensors());
            average.loadState(new OptimizerState(state.tensors(), ResumeState.doubles(s.getAsJsonObject("average"))));
            optimizer.loadState(new OptimizerState(state.tensors(), ResumeState.doubles(s.getAsJsonObject("optimizer_scalars"))));
            ResumeState.restoreRandomCounters(dir, vae, s.getAsJsonObject("random_counters"));
            step = s.get("step").getAsLong();
            epoch = s.get("completed_epochs").getAsInt();
            stepInEpoch = s.get("step_in_epoch").getAsInt();
            JsonObject sums = s.getAsJsonObject("epoch_sums");
            sumElbo = sums.get("elbo").getAsDouble();
            sumRecon = sums.get("reconstruction").getAsDouble();
            sumKl = sums.get("kl").getAsDouble();
            seen = sums.get("seen").getAsLong();
            epochSeconds = sums.get("seconds").getAsDouble();
            trainSeconds = s.get("train_seconds").getAsDouble();
        } catch (NullPointerException | IllegalStateException | ClassCastException | UnsupportedOperationException
                 | NumberFormatException e) {
            throw new CheckpointException(dir.resolve(Checkpoint.STATE_FILE) + " is missing a field or has one of the wrong type ("
                    + e.getMessage() + "); it was not written by 'weightnorm vae'", e);
        }
        if (stepInEpoch > batches.stepsPerEpoch()) {
            throw new CheckpointException("cannot resume from " + dir + ": it stopped at step " + stepInEpoch + " of an epoch of "
                    + batches.stepsPerEpoch() + " steps; the data or batch size differ");
        }
        initialised = true;
        lastCheckpoint = dir;
    }

    public double trainSeconds() {
        return trainSeconds;
    }

    /** Names of the weight-normed layers, in model order (the CSV's column groups). */
    public List<String> weightNormKeys() {
        return List.copyOf(WeightNormed.statsByModule(vae).keySet());
    }
}
