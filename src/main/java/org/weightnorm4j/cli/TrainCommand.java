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
import org.weightnorm4j.experiments.DataParallelJob;
import org.weightnorm4j.experiments.DataParallelRunner;
import org.weightnorm4j.experiments.WorkloadSource;
import org.weightnorm4j.model.ModelSpec;
import org.weightnorm4j.model.Models;
import org.weightnorm4j.model.Recipe;
import org.weightnorm4j.nn.ModelTree;
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
import org.weightnorm4j.train.DivergenceRule;
import org.weightnorm4j.train.checkpoint.Checkpoint;
import org.weightnorm4j.train.checkpoint.RunLock;
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
        modelTransformer = RecipeHelp.class,
        description = {"Train a network and write metrics.csv, summary.json and a checkpoint (model.safetensors + model.json)"
                + " into --out.",
                "{recipe:summary}",
                "Ctrl-C or SIGTERM: finishes the step, writes a checkpoint, prints the --resume command (a second Ctrl-C"
                        + " exits at once). One process per --out directory (run.lock).",
                "Exit codes: 0 done, 1 failure (message on stderr), 2 bad usage, 130 interrupted (SIGINT),"
                        + " 143 terminated (SIGTERM); both leave a checkpoint to --resume."})
public final class TrainCommand implements Callable<Integer> {
    /** Adam, momentum 0.9 for SGD, the recipe's learning rates. */
    static final OptimizerOptions.Defaults OPTIMIZER = new OptimizerOptions.Defaults("adam", 0.9,
            "Base learning rate. Default: Adam {recipe:adam-lr}; SGD {recipe:sgd-lr}.");

    private static final List<String> RESUMABLE_OPTIONS = List.of("--resume", "--data", "--threads", "--quiet",
            "--stop-after-steps", "--keep", "--divergence-factor", "--divergence-patience", "--no-divergence-check", "--spark",
            "--workers");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "mlp|cnn|paper-cifar|FILE.json", defaultValue = "mlp",
            description = "A preset or a model-spec JSON file (docs/MODEL_SPEC.md). Default: ${DEFAULT-VALUE}.")
    String model;

    // No default value: a model file's own "param" must win over a default nobody chose (docs/MODEL_SPEC.md).
    @Option(names = "--param", paramLabel = "NAME",
            description = "Parameterization: normal, bn, wn, wn-mobn, mobn. Default: a model file's own \"param\", else wn.")
    String param;

    @CommandLine.Mixin
    DatasetOptions input;

    @CommandLine.Mixin
    BatchOptions length = new BatchOptions(null, null);

    @CommandLine.Mixin
    OptimizerOptions optimizer = new OptimizerOptions(OPTIMIZER);

    @CommandLine.Mixin
    ScheduleOptions schedule;

    @Option(names = "--ema", paramLabel = "DECAY", defaultValue = "0",
            description = "Evaluate and save an exponential moving average of the parameters with this decay (e.g. 0.999);"
                    + " 0 = off. Default: ${DEFAULT-VALUE}.")
    double ema;

    @CommandLine.Mixin
    PreprocessOptions inputs = new PreprocessOptions();

    @CommandLine.Mixin
    SeedOption seed;

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

    @Option(names = "--keep", paramLabel = "N", defaultValue = "2",
            description = "Keep the last N good checkpoints: the latest in --out, the N-1 before it in"
                    + " OUT/checkpoints/step-NNNNNNNNN/ (docs/CHECKPOINTS.md). Default: ${DEFAULT-VALUE}.")
    int keep;

    @Option(names = "--divergence-factor", paramLabel = "K", defaultValue = "4",
            description = "Stop a runaway run: when the training loss stays above max(K x the first step's loss,"
                    + " 2 ln(classes)) for --divergence-patience consecutive steps (docs/RELIABILITY.md)."
                    + " Default: ${DEFAULT-VALUE}.")
    double divergenceFactor;

    @Option(names = "--divergence-patience", paramLabel = "STEPS", defaultValue = "20",
            description = "Consecutive steps above the threshold before a runaway run stops. Default: ${DEFAULT-VALUE}.")
    int divergencePatience;

    @Option(names = "--no-divergence-check",
            description = "Do not stop runaway (finite) losses; NaN or infinite values still stop training.")
    boolean noDivergenceCheck;

    @CommandLine.Mixin
    SparkOption spark = new SparkOption();

    @Option(names = "--workers", paramLabel = "N", defaultValue = "2",
            description = "With --spark: synchronous data-parallel workers, each on its share of every minibatch (--batch is"
                    + " the global minibatch); --threads each. Default: ${DEFAULT-VALUE}. docs/SCALE.md.")
    int workers;

    /** This run's lock on its directory (docs/CHECKPOINTS.md, "One writer"), released when the command ends. */
    private RunLock lock;
    /** The Spark module's data-parallel trainer under --spark, else null. */
    private DataParallelRunner dataParallel;

    /** Fault injection for tests: stop right after this step, writing nothing more, as a kill would. */
    @Option(names = "--stop-after-steps", hidden = true, defaultValue = "0")
    long stopAfterSteps;

    @Override
    public Integer call() throws Exception {
        threads.apply(spec, spark.enabled());
        if (spark.enabled()) {
            if (workers < 1) {
                throw usage("--workers must be at least 1, got " + workers);
            }
            dataParallel = spark.dataParallel(spec);
        }
        if (keep < 1) {
            throw usage("--keep must be at least 1 (the latest checkpoint), got " + keep);
        }
        parse(this::divergenceRule);
        try {
            return resume != null ? resume() : fresh();
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
    }

    private DivergenceRule divergenceRule() {
        return noDivergenceCheck ? DivergenceRule.OFF : DivergenceRule.of(divergenceFactor, divergencePatience);
    }

    private void lock(Path dir) {
        lock = RunLock.acquire(dir, line -> {
            spec.commandLine().getErr().println(line);
            spec.commandLine().getErr().flush();
        });
    }

    private Integer fresh() throws Exception {
        boolean isFile = model.endsWith(".json") || Files.isRegularFile(Path.of(model));
        if (!isFile && !Models.NAMES.contains(model)) {
            throw usage("unknown model '" + model + "'; valid: " + String.join(", ", Models.NAMES) + ", or a FILE.json");
        }
        // A model file is read first: its own "param" decides the parameterization when --param is not given.
        ModelSpec fileSpec = isFile ? ModelSpec.read(Path.of(model)) : null;
        Parameterization p = parameterization(fileSpec);
        Recipe recipe = Recipe.of(isFile ? Recipe.CUSTOM : model);
        String presetName = recipe.model();
        String ds = recipe.dataset(input.dataset);
        String pre = parse(() -> inputs.preprocessing(recipe, ds));
        TrainConfig config = parse(() -> config(recipe, p));
        Path dir = out != null ? out : Path.of("runs", presetName + "-" + p.cliName() + "-" + ds + "-s" + seed.seed);
        lock(dir);
        if (Files.exists(dir.resolve(Checkpoint.SIDECAR_FILE))) {
            throw new IllegalStateException(dir + " already holds a checkpoint; continue it with --resume " + dir
                    + ", or choose another --out");
        }
        if (!quiet && !pre.equals("none")) {
            spec.commandLine().getOut().println("loading " + ds + " and fitting '" + pre + "' preprocessing on the training split"
                    + (pre.equals("zca") ? " (ZCA on CIFAR-10 takes minutes)" : "") + " ...");
            spec.commandLine().getOut().flush();
        }
        DatasetSplits splits = Inputs.load(ds, input.data, pre, 0, 0);
        int[] shape = {splits.train().channels(), splits.train().height(), splits.train().width()};
        ModelSpec modelSpec = isFile ? fileSpec : Models.preset(model, shape);
        if (!Arrays.equals(modelSpec.inputShape(), shape) && !(modelSpec.inputShape().length == 1
                && modelSpec.inputShape()[0] == shape[0] * shape[1] * shape[2])) {
            throw new IllegalArgumentException("model " + model + " takes inputs " + Arrays.toString(modelSpec.inputShape())
                    + " but " + ds + " images are " + Arrays.toString(shape));
        }
        if (dataParallel != null) {
            return trainOnSpark(WorkloadSource.spec(modelSpec, ds, input.data, pre), p, config, dir);
        }
        Sequential net = modelSpec.build(p, seed.seed, DType.FLOAT32);
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

    /** The training settings from the options, the others at {@code recipe}'s defaults for parameterization {@code p}. */
    TrainConfig config(Recipe recipe, Parameterization p) {
        int b = length.batch(recipe);
        int e = length.epochs(recipe);
        return TrainConfig.builder().epochs(e).batchSize(b)
                .optimizer(optimizer.toSpec(OptimizerOptions.DefaultLr.of(recipe, p))).schedule(schedule.toSpec(e))
                .beta1Late(optimizer.beta1Late(recipe), optimizer.beta1Switch(e))
                .emaDecay(ema).augmentation(inputs.flip, inputs.shift)
                .initBatch(length.initBatch(recipe, b)).logEverySteps(logEvery)
                .checkpointEvery(checkpointEvery, checkpointEverySteps).seed(seed.seed).build();
    }

    /**
     * An explicit {@code --param}, else the model file's own {@code "param"}, else {@code wn}; when
     * {@code --param} and the file disagree, the flag wins and a note on stderr says so.
     */
    private Parameterization parameterization(ModelSpec fileSpec) {
        Parameterization fromFile = fileSpec != null ? fileSpec.param() : null;
        if (param == null) {
            return fromFile != null ? fromFile : Parameterization.WN;
        }
        Parameterization p = parse(() -> Parameterization.parse(param));
        if (fromFile != null && fromFile != p) {
            spec.commandLine().getErr().println("note: --param " + p.cliName() + " overrides " + model + "'s \"param\": \""
                    + fromFile.cliName() + "\"");
            spec.commandLine().getErr().flush();
        }
        return p;
    }

    private Integer resume() throws Exception {
        for (CommandLine.Model.OptionSpec given : spec.commandLine().getParseResult().matchedOptions()) {
            if (!RESUMABLE_OPTIONS.contains(given.longestName())) {
                throw usage(given.longestName() + " cannot be changed when resuming: the run continues with the settings"
                        + " saved in " + resume.resolve(Checkpoint.STATE_FILE));
            }
        }
        if (Files.isDirectory(resume)) {
            lock(resume); // before reading: another process may be writing it
        }
        Sidecar sidecar = Checkpoint.readSidecar(resume);
        TrainConfig config = Trainer.configOf(Checkpoint.readTrainingState(resume));
        if (sidecar.epoch() >= config.epochs()) {
            spec.commandLine().getOut().println(resume + " already finished its " + config.epochs() + " epochs; nothing to do");
            return 0;
        }
        ModelSpec modelSpec = ModelSpec.fromJson(sidecar.architecture(), resume.resolve(Checkpoint.SIDECAR_FILE).toString());
        Parameterization p = Parameterization.parse(sidecar.parameterization());
        if (dataParallel != null) { // the workers find the checkpoint in the directory and resume from it
            return trainOnSpark(WorkloadSource.spec(modelSpec, sidecar.dataset(), input.data, sidecar.preprocessing()), p, config,
                    resume);
        }
        Sequential net = modelSpec.build(p, sidecar.seed(), DType.FLOAT32);
        DatasetSplits splits = Inputs.load(sidecar.dataset(), input.data, sidecar.preprocessing(), 0, 0);
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
        trainer.keepCheckpoints(keep).divergenceRule(divergenceRule());
        boolean barDrawn = !quiet && System.console() != null;
        TrainingSummary s;
        try (Interrupts interrupts = Interrupts.install(spec.commandLine().getErr())) {
            interrupts.target(trainer::requestCheckpointAndStop);
            try {
                s = trainer.run();
            } catch (RuntimeException e) {
                if (barDrawn) {
                    o.println(); // end the progress line before the error message
                    o.flush();
                }
                throw e;
            }
            if (s == null && interrupts.received() != null) {
                if (barDrawn) {
                    o.println();
                }
                o.println("interrupted by " + interrupts.describe() + " after step " + trainer.step() + " (epoch "
                        + (trainer.completedEpochs() + 1) + "); checkpoint written to " + dir + ". Continue with:");
                o.println("  " + resumeCommand(dir));
                o.flush();
                return interrupts.exitCode();
            }
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
        json.addProperty("parameters", ModelTree.parameterCount(trainer.model()));
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

    /**
     * {@code --spark}: the run as a barrier stage of {@code --workers} data-parallel workers; worker 0
     * writes the checkpoints and metrics.csv into {@code dir}, which must be on a filesystem every worker sees.
     */
    private Integer trainOnSpark(WorkloadSource source, Parameterization p, TrainConfig config, Path dir) {
        createDirectory(dir);
        PrintWriter o = spec.commandLine().getOut();
        DataParallelJob job = parse(() -> DataParallelJob.of(source, p, config, dir, workers, Parallel.threads(), keep));
        TrainingSummary s = dataParallel.train(job, spark.master, o);
        JsonObject json = s.toJson();
        json.addProperty("workers", workers);
        json.addProperty("spark_master", spark.master);
        json.addProperty("threads_per_worker", Parallel.threads());
        json.add("config", config.toJson());
        TrainingSummary.write(dir.resolve("summary.json"), json);
        o.println(String.format(Locale.ROOT, "done: test accuracy %.4f, test loss %.4f, train accuracy %.4f after %d epochs"
                        + " (%d steps, %d workers) in %.1f s; checkpoint and metrics in %s", s.testAccuracy(), s.testLoss(),
                s.trainAccuracy(), s.epochs(), s.steps(), workers, s.wallSeconds(), dir));
        o.flush();
        return 0;
    }

    /** The exact command that continues this run (same data and thread count: bit-identical, docs/RELIABILITY.md). */
    private String resumeCommand(Path dir) {
        return "weightnorm train --resume " + shellQuote(dir.toString())
                + (input.data != null ? " --data " + shellQuote(input.data.toString()) : "")
                + " --threads " + Parallel.threads();
    }

    /** A word the shell reads back unchanged: as is when plain, else in single quotes. */
    static String shellQuote(String word) {
        return word.matches("[A-Za-z0-9_@%+=:,./-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
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
