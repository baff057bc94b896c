package org.weightnorm4j.experiments;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.weightnorm4j.generative.VaeSettings;

/**
 * {@code weightnorm vae compare}: a grid of VAE runs, one per (parameterization, seed), each in its
 * own directory {@code OUT/<param>-s<seed>} ({@link #cellDir}), run by {@link VaeExperiment#runOne}.
 * The grid is resumable: a finished cell is skipped, an unfinished one resumed from its checkpoint.
 * Cells share nothing but the data, so each is an independent task (what a cluster would run one
 * per executor); {@link #run} only loops over them.
 */
public final class VaeCompare {
    /** One cell: its settings and directory, and its summary once finished. */
    public record Cell(VaeSettings settings, Path dir, JsonObject summary, boolean reused) {
    }

    private VaeCompare() {
    }

    /** The directory of the cell {@code (param, seed)} under {@code out}. */
    public static Path cellDir(Path out, String param, long seed) {
        return out.resolve(param + "-s" + seed);
    }

    /**
     * Runs every cell not yet finished, in order (parameterizations within a seed first, so a
     * stopped grid has comparable cells); returns them all, or null when {@code stop} ended it
     * (the running cell wrote its checkpoint).
     *
     * @param settings one per cell, in the grid's order
     */
    public static List<Cell> run(List<VaeSettings> settings, VaeExperiment.Data data, Path out, PrintWriter log,
                                 BooleanSupplier stop, double progressSeconds) throws IOException {
        List<Cell> cells = new ArrayList<>();
        int k = 0;
        for (VaeSettings s : settings) {
            k++;
            Path dir = cellDir(out, s.param(), s.seed());
            if (EpochRuns.finished(dir, s.epochs())) {
                log.printf("vae compare: %d/%d %s seed %d: finished earlier, kept (%s)%n", k, settings.size(), s.param(), s.seed(), dir);
                log.flush();
                cells.add(new Cell(s, dir, JsonFiles.readObject(dir.resolve(VaeExperiment.SUMMARY)), true));
                continue;
            }
            log.printf("vae compare: %d/%d %s seed %d%n", k, settings.size(), s.param(), s.seed());
            log.flush();
            EpochRuns.clearUncheckpointedStart(dir, VaeExperiment.METRICS, log::println);
            EpochRuns.Outcome o = VaeExperiment.runOne(s, data, dir, EpochRuns.hasCheckpoint(dir), log, stop, progressSeconds);
            if (!o.finished()) {
                return null;
            }
            cells.add(new Cell(s, dir, o.summary(), false));
        }
        return cells;
    }

    /** The grid's settings: for each seed, each parameterization, from {@code base} (whose param and seed are replaced). */
    public static List<VaeSettings> grid(VaeSettings base, List<Boolean> weightNorm, List<Long> seeds) {
        List<VaeSettings> out = new ArrayList<>();
        for (long seed : seeds) {
            for (boolean wn : weightNorm) {
                out.add(new VaeSettings(wn, base.epochs(), seed, base.sizes(), base.batch(), base.lr(), base.emaDecay(),
                        base.initBatch(), base.trainLimit(), base.testLimit(), base.isSamples(), base.isLimit()));
            }
        }
        return out;
    }
}
