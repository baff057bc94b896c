package org.weightnorm4j.train;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.weightnorm4j.data.BatchIterator;
import org.weightnorm4j.data.Dataset;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.nn.ModelTree;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.nn.RandomState;
import org.weightnorm4j.norm.BatchNorm;
import org.weightnorm4j.norm.DataDependentInit;
import org.weightnorm4j.norm.MeanOnlyBatchNorm;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.norm.WeightNormStats;
import org.weightnorm4j.norm.WeightNormed;
import org.weightnorm4j.optim.Adam;
import org.weightnorm4j.optim.Optimizer;
import org.weightnorm4j.optim.OptimizerState;
import org.weightnorm4j.optim.ParameterAverage;
import org.weightnorm4j.optim.Schedule;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.train.checkpoint.Checkpoint;
import org.weightnorm4j.train.checkpoint.CheckpointException;
import org.weightnorm4j.train.checkpoint.ResumeState;
import org.weightnorm4j.train.checkpoint.Sidecar;

/**
 * The training loop: minibatch steps over epochs, evaluation on the test split after each epoch,
 * listeners, checkpoints and exact resume.
 *
 * <p>One step, in order: set the scheduled learning rate (and Adam's β1) for the fractional epoch
 * {@code steps done / steps per epoch}; then {@link TrainStep#run}: zero the gradients; forward in
 * training mode; the {@link Objective} (softmax cross-entropy unless told otherwise); check the loss
 * is finite; backward; check every gradient is finite ({@link NonFiniteGuard}); optimizer step;
 * check no weight-normalized unit's {@code v} became exactly zero; update the parameter average,
 * if enabled.
 *
 * <p>The short way to build one:
 * <pre>{@code
 * TrainingSummary summary = Trainer.builder(model, data.train())
 *         .test(data.test())                          // optional: evaluated after each epoch
 *         .config(TrainConfig.builder().epochs(5).build())  // optional: TrainConfig's defaults
 *         .build()
 *         .run();
 * }</pre>
 * Checkpoints (an {@link Builder#outDir out directory}) also need what rebuilds the model
 * ({@link Builder#checkpointInfo}); the parameterization recorded for it is always derived from
 * the model, or checked against it ({@link #parameterizationOf}).
 *
 * <p><b>Determinism and resume.</b> Everything random is a pure function of the seed and a
 * position: the data order and augmentation of (epoch, step) ({@link BatchIterator}), each dropout
 * or noise layer's draw k ({@link RandomState}), the initialisation. The optimizer state, the
 * average, the random counters, the position and the epoch's running sums are saved in each
 * checkpoint, so a run resumed from any checkpoint ends with the same metrics, bit for bit, as one
 * that never stopped (same thread count: the kernels' reductions are ordered by thread count).
 */
public final class Trainer {
    static final int STATE_VERSION = 1;

    /**
     * What {@code model.json} records besides the tensors: how to rebuild the model and prepare its
     * inputs (see {@link Sidecar}).
     */
    public record ModelInfo(JsonObject architecture, String parameterization, String dataset, String preprocessing) {

        /**
         * The info of {@code model}, built from {@code architecture} (a {@code ModelSpec}'s JSON),
         * with the parameterization {@linkplain #parameterizationOf derived from the model}.
         */
        public static ModelInfo of(Layer model, JsonObject architecture, String dataset, String preprocessing) {
            return new ModelInfo(architecture, parameterizationOf(model).cliName(), dataset, preprocessing);
        }
    }

    /**
     * The {@link Parameterization} that {@code model}'s layers are built with: whether its linear
     * layers are weight-normalized ({@code g, v}), and which normalizer (batch norm, mean-only batch
     * norm, none) follows them.
     *
     * @throws IllegalArgumentException if no single parameterization describes the model (it mixes
     *                                  batch norm with weight norm or with mean-only batch norm)
     */
    public static Parameterization parameterizationOf(Layer model) {
        boolean weightNorm = !WeightNormed.find(model).isEmpty();
        boolean batchNorm = false;
        boolean meanOnly = false;
        for (Layer l : ModelTree.leaves(model).values()) {
            batchNorm |= l instanceof BatchNorm;
            meanOnly |= l instanceof MeanOnlyBatchNorm;
        }
        for (Parameterization p : Parameterization.values()) {
            if (p.usesWeightNorm() == weightNorm && (p.normalizer() == Parameterization.Normalizer.BATCH_NORM) == batchNorm
                    && (p.normalizer() == Parameterization.Normalizer.MEAN_ONLY) == meanOnly) {
                return p;
            }
        }
        throw new IllegalArgumentException("no parameterization (" + Parameterization.validNames() + ") describes this model: it has "
                + (weightNorm ? "weight-normalized" : "plain") + " linear layers" + (batchNorm ? ", batch norm" : "")
                + (meanOnly ? ", mean-only batch norm" : "") + "; a checkpoint of it could not be rebuilt from a model spec");
    }

    private final Layer model;
    private final Dataset train;
    private final Dataset test;
    private final TrainConfig config;
    private final ModelInfo info;
    private final Path outDir;
    private final Optimizer optimizer;
    private final ParameterAverage average;
    private final Schedule lrSchedule;
    private final Schedule beta1Schedule;
    private final BatchIterator batches;
    private final Objective<int[]> objective;
    private final TrainStep<int[]> trainStep;
    /** The objective's {@link Objective#ACCURACY} metric, or -1. */
    private final int accuracyIndex;
    private final List<TrainingListener> listeners = new ArrayList<>();

    // Position and running sums: all saved in trainer.json.
    private long step;
    private int epoch;
    private int stepInEpoch;
    private double epochLossSum;
    private long epochCorrect;
    private long epochSeen;
    private int epochSteps;
    private double trainSeconds;
    private double epochTrainSeconds;
    private double elapsedBefore;
    private boolean initialised;
    private EpochRecord lastEpoch;

    private Path lastCheckpoint;
    private volatile boolean stopRequested;
    private volatile boolean checkpointAndStopRequested;
    /** Good checkpoints kept in all, the latest in the output directory (see {@link #keepCheckpoints}). */
    private int keep = 1;
    private RunawayDetector runaway;
    /** The other workers of data-parallel training, or null ({@link #dataParallel}). */
    private DataParallelGroup group;

    /**
     * A trainer with the default objective, softmax cross-entropy ({@link #builder} is shorter).
     *
     * @param model  the network (its output: logits {@code [N, classes]})
     * @param test   the evaluation split, or null to skip evaluation
     * @param info   what rebuilds the model from a checkpoint; may be null when {@code outDir} is
     * @param outDir where checkpoints go, or null for none
     * @throws IllegalArgumentException if {@code info}'s parameterization is not the model's
     *                                  ({@link #parameterizationOf}), or checkpoints are asked for without {@code info}
     */
    public Trainer(Layer model, Dataset train, Dataset test, TrainConfig config, ModelInfo info, Path outDir) {
        this(model, train, test, config, info, outDir, Objective.softmaxCrossEntropy());
    }

    private Trainer(Layer model, Dataset train, Dataset test, TrainConfig config, ModelInfo info, Path outDir,
                    Objective<int[]> objective) {
        if (outDir != null && info == null) {
            throw new IllegalArgumentException("checkpoints to " + outDir + " need a ModelInfo (architecture, dataset,"
                    + " preprocessing) to rebuild the model from; give one, or no output directory");
        }
        if (info != null) {
            Parameterization actual = parameterizationOf(model);
            if (!actual.cliName().equals(info.parameterization())) {
                throw new IllegalArgumentException("the ModelInfo says parameterization '" + info.parameterization()
                        + "' but the model is '" + actual.cliName() + "'" + (actual.usesWeightNorm()
                        ? " (it has weight-normalized layers)" : " (it has no weight-normalized layer)")
                        + "; a checkpoint would be rebuilt wrongly. Use Trainer.ModelInfo.of(model, ...) to record the model's own");
            }
        }
        this.model = model;
        this.train = train;
        this.test = test;
        this.config = config;
        this.info = info;
        this.outDir = outDir;
        Map<String, Param> params = ModelTree.namedParams(model);
        this.optimizer = config.newOptimizer(params);
        this.average = config.emaDecay() > 0 ? new ParameterAverage(params, config.emaDecay()) : null;
        this.lrSchedule = config.lrSchedule();
        this.beta1Schedule = config.beta1Schedule();
        this.batches = new BatchIterator(train, config.batchSize(), true, config.seed(), BatchIterator.LastBatch.DROP,
                config.augmentation());
        this.objective = objective;
        this.trainStep = new TrainStep<>(model, optimizer, objective, average);
        this.accuracyIndex = trainStep.metricIndex(Objective.ACCURACY);
        divergenceRule(objective instanceof SoftmaxCrossEntropyObjective ? DivergenceRule.DEFAULT : DivergenceRule.OFF);
    }

    /**
     * The rule that stops a finite but runaway loss ({@link DivergenceRule}); by default
     * {@link DivergenceRule#DEFAULT} for softmax cross-entropy, {@link DivergenceRule#OFF} for any
     * other objective. Set it before {@link #run}.
     */
    public Trainer divergenceRule(DivergenceRule rule) {
        boolean classification = objective instanceof SoftmaxCrossEntropyObjective;
        RunawayDetector d = new RunawayDetector(rule, model, classification ? train.classes() : 0);
        if (runaway != null) {
            d.load(runaway.toJson()); // keep the state a restore put there: the CLI sets the rule after --resume's restore
        }
        this.runaway = d;
        return this;
    }

    public DivergenceRule divergenceRule() {
        return runaway.rule();
    }

    /**
     * How many good checkpoints to keep (default 1, the CLI's {@code --keep} 2): the latest in the
     * output directory, the {@code keep - 1} before it in {@code OUT/checkpoints/step-…}
     * ({@link org.weightnorm4j.train.checkpoint.KeptCheckpoints}).
     */
    public Trainer keepCheckpoints(int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("--keep must be at least 1, got " + keep);
        }
        this.keep = keep;
        return this;
    }

    /** Starts a trainer of {@code model} on {@code train}; every other setting is optional. */
    public static Builder builder(Layer model, Dataset train) {
        return new Builder(model, train);
    }

    /**
     * Settings of a {@link Trainer} besides its model and training data, each optional: no test
     * split, {@link TrainConfig}'s defaults, softmax cross-entropy, no checkpoints, no listeners.
     */
    public static final class Builder {
        private final Layer model;
        private final Dataset train;
        private Dataset test;
        private TrainConfig config;
        private Objective<int[]> objective;
        private ModelInfo info;
        private Path outDir;
        private final List<TrainingListener> listeners = new ArrayList<>();

        private Builder(Layer model, Dataset train) {
            if (model == null || train == null) {
                throw new IllegalArgumentException("Trainer.builder needs a model and training data");
            }
            this.model = model;
            this.train = train;
        }

        /** The split evaluated after each epoch (none by default). */
        public Builder test(Dataset test) {
            this.test = test;
            return this;
        }

        /** Epochs, batch size, optimizer, schedule, seed... ({@code TrainConfig.builder().build()} by default). */
        public Builder config(TrainConfig config) {
            this.config = config;
            return this;
        }

        /**
         * What to minimize, from the model's output and the batch's labels ({@link Objective#softmaxCrossEntropy()}
         * by default). Its {@link Objective#ACCURACY} metric, if any, is the accuracy reported, on the
         * test split too; its loss is the test loss.
         */
        public Builder objective(Objective<int[]> objective) {
            this.objective = objective;
            return this;
        }

        /**
         * Where checkpoints go (none by default); needs {@link #checkpointInfo} or {@link #modelInfo},
         * so that the model can be rebuilt from them.
         */
        public Builder outDir(Path outDir) {
            this.outDir = outDir;
            return this;
        }

        /**
         * What a checkpoint records to rebuild the model: its architecture (a {@code ModelSpec}'s
         * JSON), the dataset and the preprocessing; the parameterization is the model's own
         * ({@link #parameterizationOf}).
         */
        public Builder checkpointInfo(JsonObject architecture, String dataset, String preprocessing) {
            this.info = ModelInfo.of(model, architecture, dataset, preprocessing);
            return this;
        }

        /** As {@link #checkpointInfo}, given whole; its parameterization must be the model's. */
        public Builder modelInfo(ModelInfo info) {
            this.info = info;
            return this;
        }

        public Builder listener(TrainingListener listener) {
            listeners.add(listener);
            return this;
        }

        /**
         * @throws IllegalArgumentException if the model info's parameterization is not the model's,
         *                                  or there is an output directory without model info
         */
        public Trainer build() {
            Trainer t = new Trainer(model, train, test, config == null ? TrainConfig.builder().build() : config, info,
                    outDir, objective == null ? Objective.softmaxCrossEntropy() : objective);
            listeners.forEach(t::addListener);
            return t;
        }
    }

    public Trainer addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    public Layer model() {
        return model;
    }

    public TrainConfig config() {
        return config;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public Objective<int[]> objective() {
        return objective;
    }

    /**
     * The step this trainer runs: after each {@link TrainingListener#onStep}'s record, it holds the
     * step's loss and every metric of the objective ({@link TrainStep#metric}).
     */
    public TrainStep<int[]> trainStep() {
        return trainStep;
    }

    public int stepsPerEpoch() {
        return batches.stepsPerEpoch();
    }

    /** Steps completed. */
    public long step() {
        return step;
    }

    /** Epochs completed. */
    public int completedEpochs() {
        return epoch;
    }

    /** Asks the loop to return after the current step, without a checkpoint (as a kill would). */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Asks the loop to finish the current step, write a checkpoint at it (when it has an output
     * directory) and return null: what Ctrl-C and {@code kill} do (safe to call from any thread,
     * e.g. a signal handler).
     */
    public void requestCheckpointAndStop() {
        checkpointAndStopRequested = true;
    }

    /** Whether {@link #requestCheckpointAndStop} was called. */
    public boolean checkpointAndStopRequested() {
        return checkpointAndStopRequested;
    }

    /**
     * Makes this trainer one worker of synchronous data-parallel training (docs/SCALE.md): every
     * worker has a trainer built alike (same model, seed, data and config), steps through the same
     * global minibatches, and runs forward and backward on its shard of each
     * ({@link DataParallelGroup#shardFrom}); the gradients are summed over the workers in worker
     * order ({@link TrainStep#dataParallel}) and every worker applies the same update, so the model
     * stays identical everywhere. Mean-only batch norm takes its statistics over the whole global
     * minibatch ({@link MeanOnlyBatchNorm#sumAcrossWorkers}). Data-dependent initialisation needs no
     * exchange: every worker runs it on the whole init batch ({@link #initialise()}), so call that
     * (or {@link #restore}) before this. Evaluation, listeners and checkpoints are the caller's
     * choice per worker (worker 0 keeps them; the others are built without a test split or output
     * directory).
     *
     * @throws IllegalArgumentException for a model with full batch norm (its variance would need a
     *                                  second exchange per layer; not supported: use wn-mobn, mobn, wn or normal)
     */
    public Trainer dataParallel(DataParallelGroup group) {
        for (Layer l : ModelTree.leaves(model).values()) {
            if (l instanceof BatchNorm) {
                throw new IllegalArgumentException("data-parallel training does not support batch norm (--param bn):"
                        + " its statistics over the whole minibatch are not exchanged between workers; use wn-mobn, mobn,"
                        + " wn or normal");
            }
            if (l instanceof MeanOnlyBatchNorm mobn) {
                mobn.sumAcrossWorkers(group);
            }
        }
        if (config.batchSize() < group.size()) {
            throw new IllegalArgumentException("a global batch of " + config.batchSize() + " cannot be split over "
                    + group.size() + " workers: use --batch of at least " + group.size() + " or fewer --workers");
        }
        this.group = group;
        trainStep.dataParallel(group);
        return this;
    }

    /**
     * Data-dependent initialisation (§3) of the weight-normalized layers on {@link TrainConfig#initBatch()}
     * training images, when the model has any; called by {@link #run()} for a fresh run (or before
     * {@link #dataParallel}, by each worker on the whole init batch).
     */
    public void initialise() {
        initialised = true;
        if (config.initBatch() == 0 || WeightNormed.find(model).isEmpty()) {
            return;
        }
        int n = Math.min(config.initBatch(), train.size());
        BatchIterator it = new BatchIterator(train, n, true, config.seed() ^ 0x696e6974L, BatchIterator.LastBatch.DROP,
                org.weightnorm4j.data.Augmentation.NONE);
        it.startEpoch(0);
        DataDependentInit.apply(model, it.next().images(), DataDependentInit.Options.paper(config.seed()));
    }

    /** Trains until {@link TrainConfig#epochs()} epochs are complete (or a stop is requested); returns the summary. */
    public TrainingSummary run() {
        long started = System.nanoTime();
        if (!initialised) {
            initialise();
        }
        listeners.forEach(l -> l.onStart(this));
        int spe = batches.stepsPerEpoch();
        while (epoch < config.epochs()) {
            batches.seek(epoch, stepInEpoch);
            while (batches.hasNext()) {
                trainStep(batches.next(), spe);
                if (stopRequested) {
                    return null;
                }
                if (checkpointAndStopRequested) {
                    saveCheckpointIfConfigured(elapsed(started));
                    return null;
                }
                if (config.checkpointEverySteps() > 0 && step % config.checkpointEverySteps() == 0 && batches.hasNext()) {
                    saveCheckpointIfConfigured(elapsed(started));
                }
            }
            endEpoch();
            boolean last = epoch == config.epochs();
            boolean saved = last || (config.checkpointEveryEpochs() > 0 && epoch % config.checkpointEveryEpochs() == 0);
            if (saved) {
                saveCheckpointIfConfigured(elapsed(started));
            }
            if (checkpointAndStopRequested && !last) { // asked during the epoch's evaluation
                if (!saved) {
                    saveCheckpointIfConfigured(elapsed(started));
                }
                return null;
            }
        }
        double wall = elapsed(started);
        TrainingSummary summary = new TrainingSummary(epoch, step,
                lastEpoch == null ? Double.NaN : lastEpoch.trainLoss(), lastEpoch == null ? Double.NaN : lastEpoch.trainAccuracy(),
                lastEpoch == null ? Double.NaN : lastEpoch.testLoss(), lastEpoch == null ? Double.NaN : lastEpoch.testAccuracy(),
                wall, trainSeconds, trainSeconds > 0 ? step * (double) config.batchSize() / trainSeconds : 0);
        listeners.forEach(l -> l.onFinish(summary));
        return summary;
    }

    private double elapsed(long started) {
        return elapsedBefore + (System.nanoTime() - started) * 1e-9;
    }

    private void trainStep(BatchIterator.Batch batch, int spe) {
        long t0 = System.nanoTime();
        double epochPosition = (double) step / spe;
        double lr = lrSchedule.at(epochPosition);
        optimizer.setLearningRate(lr);
        if (optimizer instanceof Adam adam) {
            adam.setBeta1(beta1Schedule.at(epochPosition));
        }
        long thisStep = step + 1;
        double l;
        if (group == null) {
            l = trainStep.run(batch.images(), batch.labels(), thisStep, epoch + 1, lastCheckpoint);
        } else { // this worker's rows of the global minibatch; the step sums the workers' gradients
            int n = batch.size();
            int from = group.shardFrom(n);
            int to = group.shardTo(n);
            l = trainStep.run(rows(batch.images(), from, to), java.util.Arrays.copyOfRange(batch.labels(), from, to), n,
                    thisStep, epoch + 1, lastCheckpoint);
        }
        // A count of examples (a double holding an integer, exactly): the accuracy's total.
        long correct = accuracyIndex < 0 ? 0 : (long) trainStep.metricTotal(accuracyIndex);
        step = thisStep;
        stepInEpoch++;
        epochLossSum += l;
        epochCorrect += correct;
        epochSeen += batch.size();
        epochSteps++;
        double seconds = (System.nanoTime() - t0) * 1e-9;
        trainSeconds += seconds;
        epochTrainSeconds += seconds;
        boolean logged = step % config.logEverySteps() == 0;
        StepRecord r = new StepRecord(step, epoch + 1, stepInEpoch, spe, batch.size(), l,
                accuracyIndex < 0 ? Double.NaN : (double) correct / batch.size(),
                lr, logged, logged ? weightNormStats() : Map.of());
        listeners.forEach(x -> x.onStep(r));
        // After the listeners, so that metrics.csv shows the step that tripped the rule.
        runaway.observe(step, epoch + 1, l, lastCheckpoint);
    }

    /** Rows {@code [from, to)} of {@code x} (first dimension), as a new tensor. */
    private static Tensor rows(Tensor x, int from, int to) {
        int row = x.sizeFrom(1);
        int[] shape = x.shape();
        shape[0] = to - from;
        return Tensor.wrap(java.util.Arrays.copyOfRange(x.data(), from * row, to * row), shape);
    }

    private void endEpoch() {
        Evaluation eval = null;
        if (test != null) {
            if (average != null) {
                average.swapIn();
            }
            try {
                eval = Evaluation.of(model, test, config.evalBatch(), evaluationObjective());
            } finally {
                if (average != null) {
                    average.swapOut();
                }
            }
        }
        lastEpoch = new EpochRecord(epoch + 1, step, epochLossSum / Math.max(1, epochSteps),
                accuracyIndex < 0 ? Double.NaN : (double) epochCorrect / Math.max(1, epochSeen), eval == null ? Double.NaN : eval.loss(),
                eval == null ? Double.NaN : eval.accuracy(), optimizer.learningRate(), weightNormStats(),
                epochTrainSeconds, epochTrainSeconds > 0 ? epochSeen / epochTrainSeconds : 0);
        epoch++;
        stepInEpoch = 0;
        epochLossSum = 0;
        epochCorrect = 0;
        epochSeen = 0;
        epochSteps = 0;
        epochTrainSeconds = 0;
        EpochRecord r = lastEpoch;
        listeners.forEach(x -> x.onEpoch(r));
    }

    /** Mean ||v||, g and g/||v|| of each weight-normalized layer, keyed by PyTorch module index. */
    public Map<String, WeightNormStats> weightNormStats() {
        return WeightNormed.statsByModule(model);
    }

    /** Evaluates the model (with averaged parameters, if enabled) on a dataset. */
    public Evaluation evaluate(Dataset data) {
        if (average != null) {
            average.swapIn();
        }
        try {
            return Evaluation.of(model, data, config.evalBatch(), evaluationObjective());
        } finally {
            if (average != null) {
                average.swapOut();
            }
        }
    }

    /**
     * The objective evaluations use: a fresh softmax cross-entropy for the default one (as before
     * objectives existed, so that evaluation leaves the training step's buffers alone), else the
     * training objective itself.
     */
    private Objective<int[]> evaluationObjective() {
        return objective instanceof SoftmaxCrossEntropyObjective ? Objective.softmaxCrossEntropy() : objective;
    }

    private void saveCheckpointIfConfigured(double elapsedSeconds) {
        if (outDir != null) {
            saveCheckpoint(outDir, elapsedSeconds);
        }
    }

    /** Writes a complete checkpoint of the current state into {@code dir} (atomically, see {@link Checkpoint}). */
    public void saveCheckpoint(Path dir, double elapsedSeconds) {
        if (info == null) {
            throw new IllegalStateException("cannot save a checkpoint to " + dir + ": this trainer was built without a"
                    + " ModelInfo, so the model could not be rebuilt from it");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        OptimizerState os = optimizer.state();
        tensors.putAll(os.tensors());
        Map<String, Tensor> weights;
        JsonObject state = new JsonObject();
        if (average != null) {
            OptimizerState as = average.state();
            tensors.putAll(as.tensors());
            ResumeState.putRawParams(model, tensors);
            weights = ResumeState.averagedWeights(model, average);
            state.add("average", ResumeState.scalars(as.scalars()));
        } else {
            weights = Checkpoint.stateDict(model);
        }
        state.addProperty("state_version", STATE_VERSION);
        state.addProperty("step", step);
        state.addProperty("completed_epochs", epoch);
        state.addProperty("step_in_epoch", stepInEpoch);
        JsonObject sums = new JsonObject();
        sums.addProperty("loss_sum", epochLossSum);
        sums.addProperty("correct", epochCorrect);
        sums.addProperty("seen", epochSeen);
        sums.addProperty("steps", epochSteps);
        sums.addProperty("train_seconds", epochTrainSeconds);
        state.add("epoch_sums", sums);
        state.addProperty("train_seconds", trainSeconds);
        state.addProperty("elapsed_seconds", elapsedSeconds);
        state.addProperty("optimizer", config.optimizer().name());
        state.add("optimizer_scalars", ResumeState.scalars(os.scalars()));
        state.add("random_counters", ResumeState.randomCounters(model));
        state.add("config", config.toJson());
        state.add("divergence", runaway.toJson());
        Sidecar sidecar = new Sidecar(Checkpoint.FORMAT_VERSION, info.architecture(), info.parameterization(),
                info.dataset(), info.preprocessing(), epoch, step, config.seed(), average != null);
        Checkpoint.save(dir, weights, sidecar, new Checkpoint.TrainingState(tensors, state), keep);
        lastCheckpoint = dir;
    }

    /** The training config saved in a checkpoint (to rebuild the trainer before {@link #restore}). */
    public static TrainConfig configOf(Checkpoint.TrainingState state) {
        return TrainConfig.fromJson(state.json().getAsJsonObject("config"));
    }

    /**
     * Restores the model, optimizer, average, random counters, position and running sums from the
     * checkpoint in {@code dir}. The trainer must have been built like the one that wrote it
     * (same model, data and {@link #configOf config}).
     */
    public void restore(Path dir) {
        Checkpoint.TrainingState state = Checkpoint.readTrainingState(dir);
        JsonObject s = state.json();
        try {
            int version = s.get("state_version").getAsInt();
            if (version != STATE_VERSION) {
                throw new CheckpointException(dir.resolve(Checkpoint.STATE_FILE) + " has trainer state version " + version
                        + "; this weightnorm4j reads version " + STATE_VERSION);
            }
            if (!s.get("optimizer").getAsString().equals(config.optimizer().name())) {
                throw new CheckpointException(dir + " was trained with " + s.get("optimizer").getAsString()
                        + ", not " + config.optimizer().name() + "; resume with the optimizer it was saved with");
            }
            if (average != null) {
                ResumeState.loadRawModel(dir, model, state.tensors());
                average.loadState(new OptimizerState(state.tensors(), ResumeState.doubles(s.getAsJsonObject("average"))));
            } else {
                Checkpoint.loadModel(dir, model);
            }
            optimizer.loadState(new OptimizerState(state.tensors(), ResumeState.doubles(s.getAsJsonObject("optimizer_scalars"))));
            ResumeState.restoreRandomCounters(dir, model, s.getAsJsonObject("random_counters"));
            step = s.get("step").getAsLong();
            epoch = s.get("completed_epochs").getAsInt();
            stepInEpoch = s.get("step_in_epoch").getAsInt();
            JsonObject sums = s.getAsJsonObject("epoch_sums");
            epochLossSum = sums.get("loss_sum").getAsDouble();
            epochCorrect = sums.get("correct").getAsLong();
            epochSeen = sums.get("seen").getAsLong();
            epochSteps = sums.get("steps").getAsInt();
            epochTrainSeconds = sums.get("train_seconds").getAsDouble();
            trainSeconds = s.get("train_seconds").getAsDouble();
            elapsedBefore = s.get("elapsed_seconds").getAsDouble();
            runaway.load(s.getAsJsonObject("divergence"));
        } catch (NullPointerException | IllegalStateException | ClassCastException | UnsupportedOperationException
                 | NumberFormatException e) {
            throw new CheckpointException(dir.resolve(Checkpoint.STATE_FILE) + " is missing a field or has one of the"
                    + " wrong type (" + e.getMessage() + "); it was not written by this weightnorm4j", e);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("cannot resume from " + dir + ": " + e.getMessage(), e);
        }
        if (stepInEpoch > batches.stepsPerEpoch()) {
            throw new CheckpointException("cannot resume from " + dir + ": it stopped at step " + stepInEpoch
                    + " of an epoch of " + batches.stepsPerEpoch() + " steps; the data or batch size differ");
        }
        initialised = true;
        lastCheckpoint = dir;
    }
}
