package org.weightnorm4j.experiments;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.train.MetricsLog;
import org.weightnorm4j.train.ProgressListener;
import org.weightnorm4j.train.TrainConfig;
import org.weightnorm4j.train.Trainer;
import org.weightnorm4j.train.TrainingDivergedException;
import org.weightnorm4j.train.TrainingListener;
import org.weightnorm4j.train.checkpoint.Checkpoint;

/**
 * The paper's Figure 1 as an experiment: the same model, data, seed and recipe trained under
 * several parameterizations (data-dependent initialisation, §3, for the weight-normalized ones,
 * done by the {@link Trainer}).
 *
 * <p><b>Resumable.</b> Each parameterization runs in its own subdirectory of the output directory
 * ({@code OUT/wn}, {@code OUT/normal}, ...) holding the trainer's checkpoint (saved after every
 * epoch), {@code metrics.csv}, {@value EpochHistory#FILE_NAME} and, once the run has ended,
 * {@value #RESULT_FILE}. Running again with the same output directory skips the runs that ended and
 * resumes the others from their last checkpoint; {@value #RUN_FILE} records each run's settings so
 * that a rerun with different ones is refused instead of mixing two experiments.
 */
public final class CompareExperiment {
    /** Written when a run has ended (finished or diverged). */
    public static final String RESULT_FILE = "result.json";
    /** The settings a run was started with. */
    public static final String RUN_FILE = "run.json";

    /**
     * @param params     the parameterizations, in report order, no repeats
     * @param train      the recipe shared by all runs
     * @param lossTarget compare the first epoch at which each run's training loss is at or below
     *                   this; NaN to choose it from the results ({@link CompareResult#autoTarget})
     */
    public record Settings(List<Parameterization> params, TrainSettings train, double lossTarget) {
        public Settings {
            if (params.isEmpty()) {
                throw new IllegalArgumentException("--params is empty: give at least one of " + Parameterization.validNames());
            }
            if (new LinkedHashSet<>(params).size() != params.size()) {
                throw new IllegalArgumentException("--params lists a parameterization twice: " + params);
            }
            params = List.copyOf(params);
        }
    }

    private final Workload workload;
    private final Settings settings;
    private final Path out;
    private final PrintWriter log;
    private final boolean progress;
    private TrainingListener extraListener;
    private Consumer<Trainer> trainerHook = t -> { };

    /**
     * @param log      where to print one line per run and, if {@code progress}, the trainer's progress
     * @param progress whether to attach the trainer's progress listener
     */
    public CompareExperiment(Workload workload, Settings settings, Path out, PrintWriter log, boolean progress) {
        this.workload = workload;
        this.settings = settings;
        this.out = out;
        this.log = log;
        this.progress = progress;
    }

    /** Adds a listener to every run started from now on (tests use it to interrupt a run). */
    CompareExperiment addListener(TrainingListener listener) {
        this.extraListener = listener;
        return this;
    }

    /**
     * Called with each run's trainer before it trains (the CLI points Ctrl-C at it:
     * {@code Trainer.requestCheckpointAndStop}, after which {@link #run} throws {@link RunInterruptedException}).
     */
    public CompareExperiment onTrainer(Consumer<Trainer> hook) {
        this.trainerHook = hook;
        return this;
    }

    /** Runs (or skips, or resumes) every parameterization in turn. */
    public CompareResult run() {
        List<RunOutcome> outcomes = new ArrayList<>();
        int i = 0;
        for (Parameterization p : settings.params()) {
            i++;
            log.printf(Locale.ROOT, "[compare %d/%d] %s: ", i, settings.params().size(), p.cliName());
            outcomes.add(runOne(p, out.resolve(p.cliName())));
        }
        double target = Double.isNaN(settings.lossTarget()) ? CompareResult.autoTarget(outcomes) : settings.lossTarget();
        return new CompareResult(workload, settings, outcomes, target, !Double.isNaN(settings.lossTarget()));
    }

    private RunOutcome runOne(Parameterization p, Path dir) {
        TrainConfig config = settings.train().config(true, 50);
        JsonObject description = describe(p, config);
        Path runFile = dir.resolve(RUN_FILE);
        if (Files.exists(runFile)) {
            JsonObject saved = JsonFiles.readObject(runFile);
            if (!saved.equals(description)) {
                throw new IllegalArgumentException(dir + " holds a run with other settings (" + runFile + ": " + saved
                        + "; now: " + description + "). Use another --out, or delete " + dir + " to redo it");
            }
        }
        Path resultFile = dir.resolve(RESULT_FILE);
        if (Files.exists(resultFile)) {
            RunOutcome o = readOutcome(p, dir);
            log.println("already ended in an earlier run (" + (o.diverged() ? "diverged" : o.epochs().size() + " epochs")
                    + "), skipped; delete " + dir + " to redo it");
            log.flush();
            return o;
        }
        createDirectories(dir);
        JsonFiles.write(runFile, description);
        Sequential net = workload.model().build(p, settings.train().seed(), DType.FLOAT32);
        Trainer trainer = new Trainer(net, workload.data().train(), workload.data().test(), config, workload.info(p), dir);
        if (Files.exists(dir.resolve(Checkpoint.SIDECAR_FILE))) {
            trainer.restore(dir);
            log.println("resuming from its checkpoint after epoch " + trainer.completedEpochs() + " of " + config.epochs());
        } else {
            log.println(net.parameterCount() + " parameters, " + config.epochs() + " epoch(s) into " + dir);
        }
        log.flush();
        EpochHistory history = new EpochHistory(dir.resolve(EpochHistory.FILE_NAME));
        trainer.addListener(history).addListener(new MetricsLog(dir.resolve("metrics.csv")));
        if (progress) {
            trainer.addListener(ProgressListener.forConsole(log));
        }
        if (extraListener != null) {
            trainer.addListener(extraListener);
        }
        boolean diverged = false;
        String message = "";
        trainerHook.accept(trainer);
        try {
            if (trainer.run() == null && trainer.checkpointAndStopRequested()) {
                throw new RunInterruptedException(dir, trainer.step()); // no result.json: the next run resumes it
            }
        } catch (TrainingDivergedException e) {
            diverged = true;
            message = e.getMessage();
            log.println("  diverged: " + message);
            log.flush();
        }
        RunOutcome o = new RunOutcome(p, diverged, message, history.points(), history.segments(), net.parameterCount(),
                EpochHistory.imagesPerSecond(history.points()), false);
        JsonObject result = new JsonObject();
        result.addProperty("status", diverged ? "diverged" : "finished");
        result.addProperty("message", message);
        result.addProperty("parameters", o.parameters());
        result.addProperty("images_per_second", o.imagesPerSecond());
        JsonFiles.write(resultFile, result);
        return o;
    }

    private RunOutcome readOutcome(Parameterization p, Path dir) {
        JsonObject r = JsonFiles.readObject(dir.resolve(RESULT_FILE));
        Path h = dir.resolve(EpochHistory.FILE_NAME);
        List<EpochHistory.Point> points = Files.exists(h) ? EpochHistory.read(h) : List.of();
        List<EpochHistory.Segment> segments = Files.exists(h) ? EpochHistory.readSegments(h) : List.of();
        return new RunOutcome(p, "diverged".equals(r.get("status").getAsString()), r.get("message").getAsString(), points,
                segments, r.get("parameters").getAsLong(), JsonFiles.number(r, "images_per_second"), true);
    }

    /** Everything that must match for a rerun to continue this run. */
    private JsonObject describe(Parameterization p, TrainConfig config) {
        JsonObject o = new JsonObject();
        o.addProperty("param", p.cliName());
        o.add("model", workload.model().toJson());
        o.addProperty("dataset", workload.datasetName());
        o.addProperty("preprocessing", workload.preprocessing());
        o.addProperty("train_images", workload.data().train().size());
        o.addProperty("test_images", workload.data().test().size());
        o.add("config", config.toJson());
        return o;
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the run directory " + dir + " (" + e.getMessage()
                    + "); choose a writable --out", e);
        }
    }
}
