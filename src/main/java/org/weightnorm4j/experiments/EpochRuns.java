package org.weightnorm4j.experiments;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.weightnorm4j.train.checkpoint.Checkpoint;

/**
 * What the epoch-based generative experiments (VAE, DRAW) share about a run directory: when it holds
 * a finished run, when it holds a checkpoint to resume, and how a run ended. Their grids use these
 * to skip finished runs and resume interrupted ones.
 */
public final class EpochRuns {
    /** The file a finished run writes last. */
    public static final String SUMMARY = "summary.json";

    private EpochRuns() {
    }

    /**
     * How a run ended: finished (its summary written) or stopped (a checkpoint written, to resume);
     * {@code summary} is the parsed {@code summary.json} when finished, else null.
     */
    public record Outcome(boolean finished, JsonObject summary, int epochs, long steps) {
    }

    /** Whether {@code dir} holds a finished run of at least {@code epochs} epochs (its summary says so). */
    public static boolean finished(Path dir, int epochs) {
        if (!Files.isRegularFile(dir.resolve(SUMMARY))) {
            return false;
        }
        JsonObject s = JsonFiles.readObject(dir.resolve(SUMMARY));
        return s.has("finished") && s.get("finished").getAsBoolean() && s.get("epochs").getAsInt() >= epochs;
    }

    /** Whether {@code dir} holds a checkpoint to resume. */
    public static boolean hasCheckpoint(Path dir) {
        return Files.isRegularFile(dir.resolve(Checkpoint.STATE_FILE));
    }
}
