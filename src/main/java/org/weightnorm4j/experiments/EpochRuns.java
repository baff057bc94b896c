package org.weightnorm4j.experiments;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.weightnorm4j.io.AtomicFiles;
import org.weightnorm4j.train.checkpoint.Checkpoint;
import org.weightnorm4j.train.checkpoint.RunLock;

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

    /** One run of an epoch-based experiment into its directory: fresh, or from its checkpoint when {@code resume}. */
    @FunctionalInterface
    public interface RunOne {
        Outcome run(boolean resume) throws IOException;
    }

    /**
     * A grid cell's run as a {@link GridRun} runs it: nothing if it has {@code finished}; else
     * started afresh ({@link #clearUncheckpointedStart}) or resumed from its checkpoint by
     * {@code runOne}, to its end.
     *
     * @throws RunInterruptedException when {@code runOne} was stopped (it wrote a checkpoint)
     */
    static void runCell(String id, Path dir, boolean finished, String metrics, PrintWriter log, RunOne runOne) {
        if (finished) {
            log.println("[" + id + "] finished earlier, skipped (" + dir + ")");
            log.flush();
            return;
        }
        try {
            clearUncheckpointedStart(dir, metrics, log::println);
            Outcome o = runOne.run(hasCheckpoint(dir));
            if (!o.finished()) {
                throw new RunInterruptedException(dir, o.steps());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(id + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Readies {@code dir} for a fresh start when it holds no checkpoint but the metrics file of an
     * attempt that died before its first checkpoint (a lost Spark executor, a killed JVM): there is
     * nothing to resume, so the file goes and the run starts again from step 0, which is what
     * resuming from the last checkpoint means here. Without this the fresh start would refuse the
     * directory as holding a run. Under the directory's {@link RunLock}, so a live writer is never
     * disturbed (it is refused, naming the holder).
     *
     * @param metrics the run's metrics file name ({@code metrics.csv})
     */
    public static void clearUncheckpointedStart(Path dir, String metrics, Consumer<String> notices) throws IOException {
        if (hasCheckpoint(dir) || !Files.exists(dir.resolve(metrics))) {
            return;
        }
        try (RunLock lock = RunLock.acquire(dir, notices)) {
            if (!hasCheckpoint(dir) && Files.deleteIfExists(dir.resolve(metrics))) {
                notices.accept("note: " + dir + " held the " + metrics + " of an attempt that ended before its first"
                        + " checkpoint; starting the run again");
            }
        }
    }

    /**
     * Refuses to resume a run whose checkpoint is already inside an epoch after the last one asked
     * for ({@code --epochs} lowered below where a stopped run got to): training nothing and
     * evaluating the checkpoint under the smaller epoch count would write a summary that mixes the two.
     */
    static void refusePastTarget(String what, Path dir, long step, int stepsPerEpoch, int epochs) {
        if (step > (long) epochs * stepsPerEpoch) {
            long epochUnderWay = (step - 1) / stepsPerEpoch + 1;
            throw new IllegalArgumentException("--resume: the " + what + " checkpoint in " + dir + " is at step " + step
                    + ", inside epoch " + epochUnderWay + ", past --epochs " + epochs + " (" + (long) epochs * stepsPerEpoch
                    + " steps): give --epochs " + epochUnderWay + " or more to continue it");
        }
    }

    /**
     * On resume, keeps the header of {@code csv} (a run's metrics.csv) and the rows of epochs up to
     * {@code epochs}, the checkpoint's: a row after it is replayed by the resumed run, and a row
     * with the wrong number of cells was cut short by a kill.
     */
    static void keepRowsUpTo(Path csv, int epochs) throws IOException {
        if (!Files.exists(csv)) {
            throw new IllegalArgumentException("--resume: " + csv + " is missing; the run directory is incomplete");
        }
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        StringBuilder kept = new StringBuilder();
        int columns = lines.isEmpty() ? 0 : lines.get(0).split(",", -1).length;
        for (int i = 0; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            if (i > 0 && (cells.length != columns || !cells[0].matches("\\d+") || Integer.parseInt(cells[0]) > epochs)) {
                continue;
            }
            kept.append(lines.get(i)).append('\n');
        }
        AtomicFiles.write(csv, kept.toString().getBytes(StandardCharsets.UTF_8));
    }
}
