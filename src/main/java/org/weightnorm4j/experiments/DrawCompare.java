package org.weightnorm4j.experiments;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.weightnorm4j.generative.DrawRun;

/**
 * {@code weightnorm draw compare}: {@link DrawExperiment#runOne} for every (parameterization, seed),
 * each in {@code OUT/<param>-s<seed>}. Resumable: a finished cell is skipped, an unfinished one
 * resumed from its checkpoint. Cells share nothing but the data, so each is an independent task
 * (one per executor on a cluster); {@link #run} only loops over them.
 */
public final class DrawCompare {
    /** One cell: its settings and directory, and its summary once finished. */
    public record Cell(DrawRun.Settings settings, Path dir, JsonObject summary, boolean reused) {
    }

    private DrawCompare() {
    }

    /** The directory of the cell {@code (param, seed)} under {@code out}. */
    public static Path cellDir(Path out, String param, long seed) {
        return out.resolve(param + "-s" + seed);
    }

    /**
     * Runs every cell not yet finished, in order (the parameterizations of a seed first, so a stopped
     * grid holds comparable cells); returns them all, or null when {@code stop} ended it (the running
     * cell wrote its checkpoint).
     */
    public static List<Cell> run(List<DrawRun.Settings> settings, int epochs, DrawExperiment.Data data, Path out, PrintWriter log,
                                 BooleanSupplier stop, double progressSeconds, double checkpointSeconds) throws IOException {
        List<Cell> cells = new ArrayList<>();
        int k = 0;
        for (DrawRun.Settings s : settings) {
            k++;
            Path dir = cellDir(out, s.param(), s.seed());
            if (EpochRuns.finished(dir, epochs)) {
                log.printf("draw compare: %d/%d %s seed %d: finished earlier, kept (%s)%n", k, settings.size(), s.param(), s.seed(), dir);
                log.flush();
                cells.add(new Cell(s, dir, JsonFiles.readObject(dir.resolve(DrawExperiment.SUMMARY)), true));
                continue;
            }
            log.printf("draw compare: %d/%d %s seed %d%n", k, settings.size(), s.param(), s.seed());
            log.flush();
            EpochRuns.clearUncheckpointedStart(dir, DrawExperiment.METRICS, log::println);
            EpochRuns.Outcome o = DrawExperiment.runOne(s, epochs, data, dir, EpochRuns.hasCheckpoint(dir), log, stop,
                    progressSeconds, checkpointSeconds);
            if (!o.finished()) {
                return null;
            }
            cells.add(new Cell(s, dir, o.summary(), false));
        }
        return cells;
    }

    /** For each seed, each parameterization, from {@code base} (whose parameterization and seed are replaced). */
    public static List<DrawRun.Settings> grid(DrawRun.Settings base, List<Boolean> weightNorm, List<Long> seeds) {
        List<DrawRun.Settings> out = new ArrayList<>();
        for (long seed : seeds) {
            for (boolean wn : weightNorm) {
                out.add(new DrawRun.Settings(base.model(), wn, seed, base.batch(), base.lr(), base.clip(), base.initStd(),
                        base.readInit()));
            }
        }
        return out;
    }
}
