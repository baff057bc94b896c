package org.weightnorm4j.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.rl.DqnConfig;
import org.weightnorm4j.rl.DqnJob;
import org.weightnorm4j.rl.DqnTraining;

/**
 * {@code weightnorm dqn compare}: a grid of DQN runs (games × parameterizations × seeds), each in
 * its own directory {@code DIR/GAME-PARAM-sSEED}, run one after another by {@link #runOne}, which
 * skips a finished run and resumes an interrupted one from its checkpoint. {@link #runOne} is the
 * unit a scheduler (a thread pool, a cluster task) would run; the report reads the directories
 * afterwards ({@link #readRuns}), so it can also be rewritten from runs made elsewhere.
 */
public final class DqnCompare {
    private DqnCompare() {
    }

    /** What happened to one run of the grid. */
    public enum Status { RAN, RESUMED, SKIPPED_FINISHED, INTERRUPTED }

    /** The grid, in order: game, then parameterization, then seed. */
    public static List<DqnJob> grid(List<String> games, List<Parameterization> params, List<Long> seeds, long frames,
                                    Function<Parameterization, DqnConfig> config, int window, long checkpointEvery) {
        List<DqnJob> jobs = new ArrayList<>();
        for (String g : games) {
            for (Parameterization p : params) {
                DqnConfig c = config.apply(p);
                for (long s : seeds) {
                    jobs.add(new DqnJob(g, c, s, frames, window, checkpointEvery));
                }
            }
        }
        return jobs;
    }

    /**
     * Runs one configuration into {@code base/}{@link DqnJob#directoryName()}: nothing if it has
     * already reached its frames, else resumed from its checkpoint or started.
     */
    public static Status runOne(DqnJob job, Path base, Consumer<String> log, double progressSeconds, BooleanSupplier stop)
            throws IOException {
        Path dir = job.directoryIn(base);
        DqnTraining.State state = DqnTraining.state(dir, job.frames());
        if (state == DqnTraining.State.FINISHED) {
            log.accept("dqn compare: " + dir.getFileName() + " has reached " + job.frames() + " frames; skipped");
            return Status.SKIPPED_FINISHED;
        }
        boolean resume = state == DqnTraining.State.PARTIAL;
        DqnTraining.Outcome o = DqnTraining.run(job, dir, resume, log, progressSeconds, stop);
        if (o.interrupted()) {
            return Status.INTERRUPTED;
        }
        return resume ? Status.RESUMED : Status.RAN;
    }

    /** Every DQN run directory directly under {@code base} (sorted by name), read back. */
    public static List<DqnRunRecord> readRuns(Path base) throws IOException {
        if (!Files.isDirectory(base)) {
            throw new IOException(base + " is not a directory");
        }
        List<DqnRunRecord> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(base)) {
            for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
                if (DqnRunRecord.isRun(d)) {
                    out.add(DqnRunRecord.read(d));
                }
            }
        }
        return out;
    }

    /** One line per run for the log: its directory and status. */
    public static String describe(DqnJob job, Status s) {
        return String.format(Locale.ROOT, "dqn compare: %s %s", job.directoryName(), s.name().toLowerCase(Locale.ROOT).replace('_', ' '));
    }
}
