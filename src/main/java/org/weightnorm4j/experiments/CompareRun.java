package org.weightnorm4j.experiments;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * One run of {@code compare} (one parameterization and seed) or of {@code lr-sweep} (one
 * parameterization and learning rate): a model trained under one parameterization with one recipe,
 * in its own directory, with a checkpoint after every epoch. The unit both experiments loop over
 * and that the Spark module runs as one task ({@link GridRun}).
 *
 * <p>The directory holds {@value CompareExperiment#RUN_FILE} (the settings it was started with: a
 * rerun with others is refused rather than mixing two experiments), the trainer's checkpoint,
 * {@code metrics.csv}, {@value EpochHistory#FILE_NAME} and, once it has ended,
 * {@value CompareExperiment#RESULT_FILE}.
 *
 * @param source where the data comes from when the run is shipped ({@link #run}); {@link #execute} takes it loaded
 * @param param  the parameterization
 * @param train  the recipe, its seed and learning rate included
 * @param dir    the run directory, absolute
 */
public record CompareRun(WorkloadSource source, Parameterization param, TrainSettings train, String dir) implements GridRun {

    @Override
    public String id() {
        return param.cliName() + " seed " + train.seed() + " lr " + train.lr();
    }

    @Override
    public boolean finished() {
        return Files.exists(Path.of(dir, CompareExperiment.RESULT_FILE));
    }

    /** Runs it with the {@linkplain GridData#cached cached} workload of {@link #source}, without a progress bar. */
    @Override
    public void run(PrintWriter log) {
        if (source == null) {
            throw new IllegalStateException("the run " + id() + " was described without a WorkloadSource, so it cannot load"
                    + " its data on its own; build it with one (CompareExperiment.runs)");
        }
        log.print("[" + id() + "] ");
        execute(GridData.cached(source), log, false, List.of(), t -> { });
    }

    /**
     * Runs, skips (it has ended: its outcome is read back) or resumes (from its checkpoint) the run.
     *
     * @param workload what {@link #source} loads (the caller has it in memory already)
     * @param progress whether to attach the trainer's progress bar to {@code log}
     * @param extra    listeners added to the trainer (tests interrupt a run with one)
     * @param hook     called with the trainer before it trains (the CLI points Ctrl-C at it)
     * @throws RunInterruptedException when the hook's {@code requestCheckpointAndStop} stopped it
     */
    public RunOutcome execute(Workload workload, PrintWriter log, boolean progress, List<TrainingListener> extra,
                              Consumer<Trainer> hook) {
        Path d = Path.of(dir);
        TrainConfig config = train.config(true, 50);
        JsonObject description = describe(workload, config);
        Path runFile = d.resolve(CompareExperiment.RUN_FILE);
        if (Files.exists(runFile)) {
            JsonObject saved = JsonFiles.readObject(runFile);
            if (!saved.equals(description)) {
                throw new IllegalArgumentException(d + " holds a run with other settings (" + runFile + ": " + saved
                        + "; now: " + description + "). Use another --out, or delete " + d + " to redo it");
            }
        }
        if (finished()) {
            RunOutcome o = outcome(true);
            log.println("already ended in an earlier run (" + (o.diverged() ? "diverged" : o.epochs().size() + " epochs")
                    + "), skipped; delete " + d + " to redo it");
            log.flush();
            return o;
        }
        createDirectories(d);
        JsonFiles.write(runFile, description);
        Sequential net = workload.model().build(param, train.seed(), DType.FLOAT32);
        Trainer trainer = new Trainer(net, workload.data().train(), workload.data().test(), config, workload.info(param), d);
        if (Files.exists(d.resolve(Checkpoint.SIDECAR_FILE))) {
            trainer.restore(d);
            log.println("resuming from its checkpoint after epoch " + trainer.completedEpochs() + " of " + config.epochs());
        } else {
            log.println(net.parameterCount() + " parameters, " + config.epochs() + " epoch(s) into " + d);
        }
        log.flush();
        EpochHistory history = new EpochHistory(d.resolve(EpochHistory.FILE_NAME));
        trainer.addListener(history).addListener(new MetricsLog(d.resolve("metrics.csv")));
        if (progress) {
            trainer.addListener(ProgressListener.forConsole(log));
        }
        extra.forEach(trainer::addListener);
        boolean diverged = false;
        long divergedAt = 0;
        String message = "";
        hook.accept(trainer);
        try {
            if (trainer.run() == null && trainer.checkpointAndStopRequested()) {
                throw new RunInterruptedException(d, trainer.step()); // no result.json: the next run resumes it
            }
        } catch (TrainingDivergedException e) {
            diverged = true;
            divergedAt = e.step();
            message = e.getMessage();
            log.println("  diverged: " + message);
            log.flush();
        }
        RunOutcome o = new RunOutcome(param, diverged, message, history.points(), history.segments(), net.parameterCount(),
                EpochHistory.imagesPerSecond(history.points()), false);
        JsonObject result = new JsonObject();
        result.addProperty("status", diverged ? "diverged" : "finished");
        result.addProperty("message", message);
        result.addProperty("diverged_at_step", divergedAt);
        result.addProperty("parameters", o.parameters());
        result.addProperty("images_per_second", o.imagesPerSecond());
        JsonFiles.write(d.resolve(CompareExperiment.RESULT_FILE), result);
        return o;
    }

    /**
     * The outcome of the ended run, read from its directory.
     *
     * @param reused what {@link RunOutcome#reused()} should say
     */
    public RunOutcome outcome(boolean reused) {
        Path d = Path.of(dir);
        JsonObject r = JsonFiles.readObject(d.resolve(CompareExperiment.RESULT_FILE));
        Path h = d.resolve(EpochHistory.FILE_NAME);
        List<EpochHistory.Point> points = Files.exists(h) ? EpochHistory.read(h) : List.of();
        List<EpochHistory.Segment> segments = Files.exists(h) ? EpochHistory.readSegments(h) : List.of();
        return new RunOutcome(param, "diverged".equals(r.get("status").getAsString()), r.get("message").getAsString(), points,
                segments, r.get("parameters").getAsLong(), JsonFiles.number(r, "images_per_second"), reused);
    }

    /** The step at which the ended run diverged, 0 if it did not (or ended before this was recorded). */
    public long divergedAtStep() {
        JsonObject r = JsonFiles.readObject(Path.of(dir, CompareExperiment.RESULT_FILE));
        return r.has("diverged_at_step") ? r.get("diverged_at_step").getAsLong() : 0;
    }

    /** Everything that must match for a rerun to continue this run. */
    private JsonObject describe(Workload workload, TrainConfig config) {
        JsonObject o = new JsonObject();
        o.addProperty("param", param.cliName());
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
