package org.weightnorm4j.experiments;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.train.ProgressListener;
import org.weightnorm4j.train.Trainer;
import org.weightnorm4j.train.TrainingDivergedException;
import org.weightnorm4j.train.TrainingSummary;

/**
 * {@code weightnorm lr-sweep}: robustness to the learning rate. Every parameterization is trained
 * with every learning rate of a grid, the rest of the recipe fixed; a run whose loss or gradient
 * becomes NaN or infinite (the trainer's guard throws) is recorded as diverged and the sweep goes on.
 */
public final class LrSweep {

    /**
     * @param params the parameterizations, no repeats
     * @param lrs    the learning rates, each &gt; 0, no repeats
     * @param train  the recipe; its learning rate is replaced per run
     */
    public record Settings(List<Parameterization> params, List<Double> lrs, TrainSettings train) {
        public Settings {
            if (params.isEmpty() || lrs.isEmpty()) {
                throw new IllegalArgumentException("--params and --lrs must each list at least one value");
            }
            if (new LinkedHashSet<>(params).size() != params.size() || new LinkedHashSet<>(lrs).size() != lrs.size()) {
                throw new IllegalArgumentException("--params and --lrs must not repeat a value: " + params + ", " + lrs);
            }
            for (double lr : lrs) {
                if (!(lr > 0) || !Double.isFinite(lr)) {
                    throw new IllegalArgumentException("--lrs: every learning rate must be a finite number > 0, got " + lrs);
                }
            }
            params = List.copyOf(params);
            lrs = lrs.stream().sorted().toList();
        }

        /** Decades the grid spans, {@code log10(max/min)}. */
        public double decades() {
            return Math.log10(lrs.get(lrs.size() - 1) / lrs.get(0));
        }
    }

    /**
     * One run of the sweep; the final values are NaN when it diverged.
     *
     * @param divergedAtStep the step whose loss or gradient was not finite, or 0
     */
    public record Point(Parameterization param, double lr, boolean diverged, long divergedAtStep, String message,
                        double trainLoss, double trainAccuracy, double testLoss, double testAccuracy) {
    }

    private final Workload workload;
    private final Settings settings;
    private final PrintWriter log;
    private final boolean progress;
    private Consumer<Trainer> trainerHook = t -> { };

    public LrSweep(Workload workload, Settings settings, PrintWriter log, boolean progress) {
        this.workload = workload;
        this.settings = settings;
        this.log = log;
        this.progress = progress;
    }

    /**
     * Called with each run's trainer before it trains. The CLI points Ctrl-C at it
     * ({@code Trainer.requestCheckpointAndStop}): the sweep's runs write no checkpoints, so the
     * unfinished run is dropped and {@link #run} returns the finished ones.
     */
    public LrSweep onTrainer(Consumer<Trainer> hook) {
        this.trainerHook = hook;
        return this;
    }

    /**
     * The grid as serializable runs ({@link GridRun}), parameterization by parameterization, learning
     * rates in increasing order, each in {@code OUT/runs/PARAM-lrLR} with a checkpoint per epoch: what
     * a {@link GridRunner} (the Spark module) runs as tasks. {@link #collect} then reads the points
     * back. A run's numbers are the same as {@link #run}'s (checkpoints do not change training).
     */
    public List<CompareRun> runs(WorkloadSource source, Path out) {
        List<CompareRun> runs = new ArrayList<>();
        for (Parameterization p : settings.params()) {
            for (double lr : settings.lrs()) {
                String name = p.cliName() + "-lr" + lr;
                runs.add(new CompareRun(source, p, settings.train().withLr(lr),
                        out.resolve("runs").resolve(name).toAbsolutePath().toString()));
            }
        }
        return runs;
    }

    /** The result of the ended {@code runs} ({@link #runs}), as {@link #run} would have returned it. */
    public LrSweepResult collect(List<CompareRun> runs) {
        List<Point> points = new ArrayList<>();
        for (CompareRun r : runs) {
            if (!r.finished()) {
                throw new IllegalStateException("the lr-sweep run " + r.id() + " in " + r.dir() + " has not ended");
            }
            RunOutcome o = r.outcome(true);
            EpochHistory.Point last = o.last();
            if (o.diverged() || last == null) {
                points.add(new Point(r.param(), r.train().lr(), true, r.divergedAtStep(), o.message(), Double.NaN, Double.NaN,
                        Double.NaN, Double.NaN));
            } else {
                points.add(new Point(r.param(), r.train().lr(), false, 0, "", last.trainLoss(), last.trainAccuracy(),
                        last.testLoss(), last.testAccuracy()));
            }
        }
        return new LrSweepResult(workload, settings, points);
    }

    /** Runs the grid, parameterization by parameterization, learning rates in increasing order. */
    public LrSweepResult run() {
        List<Point> points = new ArrayList<>();
        int total = settings.params().size() * settings.lrs().size();
        int i = 0;
        for (Parameterization p : settings.params()) {
            for (double lr : settings.lrs()) {
                i++;
                log.printf(Locale.ROOT, "[lr-sweep %d/%d] %s, lr %s%n", i, total, p.cliName(), lr);
                log.flush();
                Point pt = runOne(p, lr);
                if (pt == null) { // interrupted: the runs so far, without the unfinished one
                    return new LrSweepResult(workload, settings, points);
                }
                points.add(pt);
            }
        }
        return new LrSweepResult(workload, settings, points);
    }

    private Point runOne(Parameterization p, double lr) {
        TrainSettings recipe = settings.train().withLr(lr);
        Sequential net = workload.model().build(p, recipe.seed(), DType.FLOAT32);
        Trainer trainer = new Trainer(net, workload.data().train(), workload.data().test(), recipe.config(false, 1_000_000),
                workload.info(p), null);
        if (progress) {
            trainer.addListener(ProgressListener.forConsole(log));
        }
        trainerHook.accept(trainer);
        try {
            TrainingSummary s = trainer.run();
            if (s == null) {
                return null;
            }
            Point pt = new Point(p, lr, false, 0, "", s.trainLoss(), s.trainAccuracy(), s.testLoss(), s.testAccuracy());
            log.printf(Locale.ROOT, "  final train loss %.4f, test accuracy %.4f%n", s.trainLoss(), s.testAccuracy());
            log.flush();
            return pt;
        } catch (TrainingDivergedException e) {
            log.println("  diverged at step " + e.step() + ": " + e.getMessage());
            log.flush();
            return new Point(p, lr, true, e.step(), e.getMessage(), Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
    }
}
