package org.weightnorm4j.cli;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.weightnorm4j.data.DatasetSplits;
import org.weightnorm4j.model.ModelSpec;
import org.weightnorm4j.model.Models;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Parallel;
import org.weightnorm4j.train.Inputs;
import org.weightnorm4j.train.MetricsLog;
import org.weightnorm4j.train.ProgressListener;
import org.weightnorm4j.train.StepRecord;
import org.weightnorm4j.train.TrainConfig;
import org.weightnorm4j.train.Trainer;
import org.weightnorm4j.train.TrainingListener;
import org.weightnorm4j.train.TrainingSummary;
import org.weightnorm4j.train.checkpoint.Checkpoint;
import org.weightnorm4j.train.checkpoint.Sidecar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weightnorm train}: trains a preset or JSON model on a dataset and writes
 * {@code metrics.csv}, {@code summary.json} and a checkpoint into {@code --out}; {@code --resume DIR}
 * continues a run from its last checkpoint with the settings it was started with. Defaults per
 * model follow {@code shared/bench/torch_peer.py} and, for {@code paper-cifar}, the paper's recipe
 * (docs/TRAINING.md).
 */
@Command(name = "train",
        mixinStandardHelpOptions = true,
        description = {"Train a network and write metrics.csv, summary.json and a checkpoint (model.safetensors + model.json)"
                + " into --out.",
                "Defaults per model: mlp: batch 128, Adam lr 1e-3, 10 epochs; cnn: batch 100, Adam lr 3e-3, 10 epochs;"
                        + " paper-cifar: the paper's recipe (batch 100, Adam lr 3e-3 (3e-4 for normal), 200 epochs,"
                        + " beta1 0.9 then 0.5 from epoch 100, ZCA, init on 500 images). All: the learning rate is"
                        + " constant for the first half of the epochs, then decays linearly to 0 (the paper's schedule).",
                "Exit codes: 0 done, 1 failure (message on stderr), 2 bad usage."})
public final class TrainCommand implements Callable<Integer> {
    private static final List<String> RESUMABLE_OPTIONS = List.of("--resume", "--data", "--threads", "--quiet",
            "--stop-after-steps");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "mlp|cnn|paper-cifar|FILE.json", defaultValue = "mlp",
            description = "A preset or a model-spec JSON file (docs/MODEL_SPEC.md). Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--param", paramLabel = "NAME", defaultValue = "wn",
            description = "Parameterization: normal, bn, wn, wn-mobn, mobn. Default: ${DEFAULT-VALUE}.")
    String param;

    @Option(names = "--dataset", paramLabel = "NAME", description = "fashion-mnist, mnist or cifar10."
            + " Default: cifar10 for paper-cifar, else fashion-mnist.")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "Directory holding the dataset files"
            + " (else $WEIGHTNORM_DATA, the user cache, /usr/share/datasets/...; see 'weightnorm data info').")
    Path data;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs to train.")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "B", description = "Minibatch size.")
    Integer batch;

    @Option(names = "--lr", paramLabel = "X", description = "Base learning rate.")
    Double lr;

    @Option(names = "--optimizer", paramLabel = "adam|sgd", defaultValue = "adam",
            description = "Optimizer. Default: ${DEFAULT-VALUE}.")
    String optimizer;

    @CommandLine.Mixin
    MomentumOption momentum;

    @Option(names = "--nesterov", description = "SGD: use Nesterov momentum.")
    boolean nesterov;

    @Option(names = "--weight-decay", paramLabel = "L", defaultValue = "0", description = "L2 weight decay. Default: ${DEFAULT-VALUE}.")
    double weightDecay;

    @Option(names = "--schedule", paramLabel = "NAME",
            description = "Learning-rate schedule: constant, linear-decay (constant, then linear to 0 at the last epoch),"
                    + " cosine, step. Default: linear-decay (the paper's schedule) from half of --epochs.")
    String schedule;

    @Option(names = "--decay-start", paramLabel = "EPOCH",
            description = "linear-decay: the epoch the decay starts (default: half of --epochs).")
    Double decayStart;

    @Option(names = "--step-every", paramLabel = "EPOCHS", defaultValue = "30",
            description = "step schedule: epochs between multiplications by --step-gamma. Default: ${DEFAULT-VALUE}.")
    double stepEvery;

    @Option(names = "--step-gamma", paramLabel = "G", defaultValue = "0.1", description = "step schedule factor. Default: ${DEFAULT-VALUE}.")
    double stepGamma;

    @Option(names = "--beta1-late", paramLabel = "B1",
            description = "Adam: beta1 from --beta1-switch on (beta1 is 0.9 before). Default: 0.5 for paper-cifar, else 0.9.")
    Double beta1Late;

    @Option(names = "--beta1-switch", paramLabel = "EPOCH", description = "Adam: the epoch beta1 changes (default: half of --epochs).")
    Double beta1Switch;

    @Option(names = "--ema", paramLabel = "DECAY", defaultValue = "0",
            description = "Evaluate and save an exponential moving average of the parameters with this decay (e.g. 0.999);"
                    + " 0 = off. Default: ${DEFAULT-VALUE}.")
    double ema;

    @Option(names = "--preprocess", paramLabel = "none|normalize|zca",
            description = "Input preprocessing, fitted on the training split. Default: zca for paper-cifar,"
                    + " normalize for other models on cifar10, else none (pixels in [0, 1]).")
    String preprocess;

    @Option(names = "--flip", description = "Augment: random horizontal flips.")
    boolean flip;

    @Option(names = "--shift", paramLabel = "PIXELS", defaultValue = "0", description = "Augment: random translations up to this many pixels.")
    int shift;

    @Option(names = "--init-batch", paramLabel = "N",
            description = "Images for the data-dependent initialisation of weight-normalized layers (0 = none)."
                    + " Default: 500 for paper-cifar, else the batch size.")
    Integer initBatch;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of everything random. Default: ${DEFAULT-VALUE}.")
    long seed;

    @CommandLine.Mixin
    ThreadsOption threads;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: runs/MODEL-PARAM-DATASET-sSEED).")
    Path out;

    @Option(names = "--checkpoint-every", paramLabel = "EPOCHS", defaultValue = "1",
            description = "Checkpoint every N epochs (and always at the end); 0 = only at the end. Default: ${DEFAULT-VALUE}.")
    int checkpointEvery;

    @Option(names = "--checkpoint-every-steps", paramLabel = "STEPS", defaultValue = "0",
            description = "Also checkpoint every N steps; 0 = off. Default: ${DEFAULT-VALUE}.")
    int checkpointEverySteps;

    @Option(names = "--log-every", paramLabel = "STEPS", defaultValue = "50",
            description = "A metrics.csv row every N steps (plus one per epoch). Default: ${DEFAULT-VALUE}.")
    int logEvery;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run in DIR from its last checkpoint, with the settings it was started with"
                    + " (only --data and --threads may be given besides).")
    Path resume;

    @Option(names = "--quiet", description = "No progress output; only the final line.")
    boolean quiet;

    /** Fault injection for tests: stop right after this step, writing nothing more, as a kill would. */
    @Option(names = "--stop-after-steps", hidden = true, defaultValue = "0")
    long stopAfterSteps;

    @Override
    public Integer call() throws Exception {
        threads.apply(spec);
        return resume != null ? resume() : fresh();
    }

    private Integer fresh() throws Exception {
        Parameterization p = parse(() -> Parameterization.parse(param));
        boolean isFile = model.endsWith(".json") || Files.isRegularFile(Path.of(model));
        if (!isFile && !Models.NAMES.contains(model)) {
            throw usage("unknown model '" + model + "'; valid: " + String.join(", ", Models.NAMES) + ", or a FILE.json");
        }
        String presetName = isFile ? "custom" : model;
        boolean paper = presetName.equals("paper-cifar");
        String ds = dataset != null ? dataset.toLowerCase(Locale.ROOT) : paper ? "cifar10" : "fashion-mnist";
        String pre = parse(() -> Inputs.checkPreprocessing(preprocess != null ? preprocess
                : paper ? "zca" : ds.equals("cifar10") ? "normalize" : "none"));
        int b = batch != null ? batch : presetName.equals("mlp") || isFile ? 128 : 100;
        int e = epochs != null ? epochs : paper ? 200 : 10;
        boolean sgd = optimizer.equalsIgnoreCase("sgd");
        double rate = lr != null ? lr : sgd ? 0.01
                : presetName.equals("mlp") || isFile ? 1e-3 : paper && p == Parameterization.NORMAL ? 3e-4 : 3e-3;
        TrainConfig config = parse(() -> {
            TrainConfig.Builder c = TrainConfig.builder().epochs(e).batchSize(b).optimizer(optimizer, rate)
                    .schedule(schedule != null ? schedule : "linear-decay")
                    .beta1(0.9, beta1Late != null ? beta1Late : paper ? 0.5 : 0.9, beta1Switch != null ? beta1Switch : e / 2.0)
                    .weightDecay(weightDecay).emaDecay(ema).augmentation(flip, shift)
                    .initBatch(initBatch != null ? initBatch : paper ? 500 : b).logEverySteps(logEvery)
                    .checkpointEvery(checkpointEvery, checkpointEverySteps).seed(seed);
            if (sgd) {
                c.sgd(rate, momentum.momentum, nesterov);
            }
            TrainConfig built = c.build();
            if (built.schedule().equals("linear-decay")) {
                built = built.toBuilder().linearDecay(decayStart != null ? decayStart : e / 2.0).build();
            } else if (built.schedule().equals("step")) {
                built = built.toBuilder().stepSchedule(stepEvery, stepGamma).build();
            }
            return built;
        });
        Path dir = out != null ? out : Path.of("runs", presetName + "-" + p.cliName() + "-" + ds + "-s" + seed);
        if (Files.exists(dir.resolve(Checkpoint.SIDECAR_FILE))) {
            throw new IllegalStateException(dir + " already holds a checkpoint; continue it with --resume " + dir
                    + ", or choose another --out");
        }
        if (!quiet && !pre.equals("none")) {
            spec.commandLine().getOut().println("loading " + ds + " and fitting '" + pre + "' preprocessing on the training split"
                    + (pre.equals("zca") ? " (ZCA on CIFAR-10 takes minutes)" : "") + " ...");
            spec.commandLine().getOut().flush();
        }
        DatasetSplits splits = Inputs.load(ds, data, pre, 0, 0);
        int[] shape = {splits.train().channels(), splits.train().height(), splits.train().width()};
        ModelSpec modelSpec = isFile
                ? ModelSpec.read(Path.of(model))
                : Models.preset(model, shape);
        if (!Arrays.equals(modelSpec.inputShape(), shape) && !(modelSpec.inputShape().length == 1
                && modelSpec.inputShape()[0] == shape[0] * shape[1] * shape[2])) {
            throw new IllegalArgumentException("model " + model + " takes inputs " + Arrays.toString(modelSpec.inputShape())
                    + " but " + ds + " images are " + Arrays.toString(shape));
        }
        Sequential net = modelSpec.build(p, seed, DType.FLOAT32);
        Trainer trainer = new Trainer(net, splits.train(), splits.test(), config,
                new Trainer.ModelInfo(modelSpec.toJson(), p.cliName(), ds, pre), dir);
        PrintWriter o = spec.commandLine().getOut();
        if (!quiet) {
            o.println("model " + presetName + " (" + p.cliName() + "), " + net.parameterCount() + " parameters; "
                    + splits.train() + " / " + splits.test() + "; " + trainer.optimizer() + ", schedule "
                    + config.lrSchedule() + "; " + Parallel.threads() + " threads; output " + dir);
            o.flush();
        }
        return runAndReport(trainer, dir, splits);
    }

    private Integer resume() throws Exception {
        for (CommandLine.Model.OptionSpec given : spec.commandLine().getParseResult().matchedOptions()) {
            if (!RESUMABLE_OPTIONS.contains(given.longestName())) {
                throw usage(given.longestName() + " cannot be changed when resuming: the run continues with the settings"
                        + " saved in " + resume.resolve(Checkpoint.STATE_FILE));
            }
        }
        Sidecar sidecar = Checkpoint.readSidecar(resume);
        TrainConfig config = Trainer.configOf(Checkpoint.readTrainingState(resume));
        if (sidecar.epoch() >= config.epochs()) {
            spec.commandLine().getOut().println(resume + " already finished its " + config.epochs() + " epochs; nothing to do");
            return 0;
        }
        ModelSpec modelSpec = ModelSpec.fromJson(sidecar.architecture(), resume.resolve(Checkpoint.SIDECAR_FILE).toString());
        Parameterization p = Parameterization.parse(sidecar.parameterization());
        Sequential net = modelSpec.build(p, sidecar.seed(), DType.FLOAT32);
        DatasetSplits splits = Inputs.load(sidecar.dataset(), data, sidecar.preprocessing(), 0, 0);
        Trainer trainer = new Trainer(net, splits.train(), splits.test(), config,
                new Trainer.ModelInfo(sidecar.architecture(), sidecar.parameterization(), sidecar.dataset(),
                        sidecar.preprocessing()), resume);
        trainer.restore(resume);
        if (!quiet) {
            spec.commandLine().getOut().println("resuming " + resume + " at step " + trainer.step() + " (epoch "
                    + trainer.completedEpochs() + " of " + config.epochs() + " done)");
        }
        return runAndReport(trainer, resume, splits);
    }

    private Integer runAndReport(Trainer trainer, Path dir, DatasetSplits splits) {
        PrintWriter o = spec.commandLine().getOut();
        trainer.addListener(new MetricsLog(dir.resolve("metrics.csv")));
        if (!quiet) {
            trainer.addListener(ProgressListener.forConsole(o));
        }
        if (stopAfterSteps > 0) {
            trainer.addListener(new TrainingListener() {
                @Override
                public void onStep(StepRecord r) {
                    if (r.step() == stopAfterSteps) {
                        trainer.requestStop();
                    }
                }
            });
        }
        createDirectory(dir);
        boolean barDrawn = !quiet && System.console() != null;
        TrainingSummary s;
        try {
            s = trainer.run();
        } catch (RuntimeException e) {
            if (barDrawn) {
                o.println(); // end the progress line before the error message
                o.flush();
            }
            throw e;
        }
        if (s == null) {
            if (barDrawn) {
                o.println();
            }
            o.println("stopped after step " + trainer.step() + " (--stop-after-steps); continue with --resume " + dir);
            o.flush();
            return 0;
        }
        JsonObject json = s.toJson();
        json.addProperty("model", trainer.model().describe().lines().findFirst().orElse(""));
        json.addProperty("parameters", trainer.model().parameterCount());
        json.addProperty("dataset_train", splits.train().toString());
        json.addProperty("dataset_test", splits.test().toString());
        json.addProperty("optimizer", trainer.optimizer().toString());
        json.addProperty("threads", Parallel.threads());
        json.add("config", trainer.config().toJson());
        TrainingSummary.write(dir.resolve("summary.json"), json);
        o.println(String.format(Locale.ROOT, "done: test accuracy %.4f, test loss %.4f, train accuracy %.4f after %d epochs"
                        + " (%d steps) in %.1f s, %.0f images/s; checkpoint and metrics in %s",
                s.testAccuracy(), s.testLoss(), s.trainAccuracy(), s.epochs(), s.steps(), s.wallSeconds(),
                s.imagesPerSecond(), dir));
        o.flush();
        return 0;
    }

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the output directory " + dir + " (" + e + ");"
                    + " choose a writable --out directory", e);
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private <T> T parse(java.util.function.Supplier<T> s) {
        try {
            return s.get();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }
}
