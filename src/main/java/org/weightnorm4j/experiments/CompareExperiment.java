package org.weightnorm4j.experiments;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.train.Trainer;
import org.weightnorm4j.train.TrainingListener;

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
 *
 * <p><b>Seeds.</b> With several {@link Settings#seeds() seeds} every parameterization is trained
 * once per seed ({@code OUT/wn-s1}, {@code OUT/wn-s2}, ...) and the report gives each
 * parameterization's mean and spread over them.
 *
 * <p><b>One run at a time, or a grid elsewhere.</b> Each run is a {@link CompareRun}, a
 * serializable value ({@link #runs}); {@link #run} runs them one after another here, and a
 * {@link GridRunner} (the Spark module) can run them as tasks first, after which {@link #run} finds
 * them ended and only reads them back.
 */
public final class CompareExperiment {
    /** Written when a run has ended (finished or diverged). */
    public static final String RESULT_FILE = "result.json";
    /** The settings a run was started with. */
    public static final String RUN_FILE = "run.json";

    /**
     * @param params     the parameterizations, in report order, no repeats
     * @param train      the recipe shared by all runs (its seed is replaced by each of {@code seeds})
     * @param lossTarget compare the first epoch at which each run's training loss is at or below
     *                   this; NaN to choose it from the results ({@link CompareResult#autoTarget})
     * @param seeds      the seeds each parameterization is trained with, no repeats; one seed gives the
     *                   run directories {@code OUT/PARAM}, several {@code OUT/PARAM-sSEED}
     */
    public record Settings(List<Parameterization> params, TrainSettings train, double lossTarget, List<Long> seeds) {
        public Settings {
            if (params.isEmpty()) {
                throw new IllegalArgumentException("--params is empty: give at least one of " + Parameterization.validNames());
            }
            if (new LinkedHashSet<>(params).size() != params.size()) {
                throw new IllegalArgumentException("--params lists a parameterization twice: " + params);
            }
            if (seeds.isEmpty() || new LinkedHashSet<>(seeds).size() != seeds.size()) {
                throw new IllegalArgumentException("--seeds must list at least one seed and none twice, got " + seeds);
            }
            params = List.copyOf(params);
            seeds = List.copyOf(seeds);
        }

        /** One seed, the recipe's. */
        public Settings(List<Parameterization> params, TrainSettings train, double lossTarget) {
            this(params, train, lossTarget, List.of(train.seed()));
        }

        /** Whether several seeds are compared (the report then gives means and spreads). */
        public boolean multiSeed() {
            return seeds.size() > 1;
        }
    }

    private final Workload workload;
    private final Settings settings;
    private final Path out;
    private final PrintWriter log;
    private final boolean progress;
    private TrainingListener extraListener;
    private Consumer<Trainer> trainerHook = t -> { };
    private Set<String> ranElsewhere = Set.of();

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

    /**
     * The grid as serializable runs, parameterization-major then seed, in report order: what
     * {@link #run} runs one after another, and what a {@link GridRunner} runs elsewhere.
     *
     * @param source how to load this experiment's workload in another JVM, or null when the runs stay here
     */
    public List<CompareRun> runs(WorkloadSource source) {
        List<CompareRun> runs = new ArrayList<>();
        for (Parameterization p : settings.params()) {
            for (long seed : settings.seeds()) {
                String name = settings.multiSeed() ? p.cliName() + "-s" + seed : p.cliName();
                runs.add(new CompareRun(source, p, settings.train().withSeed(seed),
                        out.resolve(name).toAbsolutePath().toString()));
            }
        }
        return runs;
    }

    /**
     * The directories of the runs a {@link GridRunner} ran to their end for this invocation:
     * {@link #run} reads them back as runs of this invocation, not of an earlier one, so that the
     * report is the one the runs would have given here.
     */
    public CompareExperiment ranElsewhere(Set<String> runDirs) {
        this.ranElsewhere = Set.copyOf(runDirs);
        return this;
    }

    /** Runs (or skips, or resumes) every run in turn. */
    public CompareResult run() {
        List<RunOutcome> outcomes = new ArrayList<>();
        List<CompareRun> runs = runs(null);
        int i = 0;
        for (CompareRun r : runs) {
            i++;
            log.printf(Locale.ROOT, "[compare %d/%d] %s%s: ", i, runs.size(), r.param().cliName(),
                    settings.multiSeed() ? " seed " + r.train().seed() : "");
            RunOutcome o = r.execute(workload, log, progress, extraListener == null ? List.of() : List.of(extraListener),
                    trainerHook);
            outcomes.add(o.reused() && ranElsewhere.contains(r.dir()) ? r.outcome(false) : o);
        }
        double target = Double.isNaN(settings.lossTarget()) ? CompareResult.autoTarget(outcomes) : settings.lossTarget();
        return new CompareResult(workload, settings, outcomes, target, !Double.isNaN(settings.lossTarget()));
    }
}
