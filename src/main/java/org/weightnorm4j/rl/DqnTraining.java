package org.weightnorm4j.rl;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.weightnorm4j.io.AtomicFiles;
import org.weightnorm4j.norm.WeightNormStats;
import org.weightnorm4j.norm.WeightNormed;
import org.weightnorm4j.train.checkpoint.RunLock;

/**
 * Runs one {@link DqnJob} into its run directory, holding the directory's {@link RunLock}: what
 * {@code weightnorm dqn} does for one run and {@code weightnorm dqn compare} for each run of a grid.
 * Writes {@code metrics.csv} (one row per episode), {@code training.csv} (one row per window: loss,
 * mean Q, ε, and {@code ‖v‖}, {@code g}, {@code g/‖v‖} per weight-normed layer),
 * {@code summary.json} and a {@link DqnCheckpoint} every {@link DqnJob#checkpointEvery} frames
 * and at the end; a resumed run drops the CSV rows written after its checkpoint and continues
 * bit-identically. Formats: docs/RL.md.
 */
public final class DqnTraining {
    public static final String EPISODES_CSV = "metrics.csv";
    public static final String TRAINING_CSV = "training.csv";
    public static final String SUMMARY = "summary.json";
    /** Frames played between looks at the stop flag: a fraction of a second, how long a Ctrl-C waits. */
    static final int CHUNK = 100;

    /** Where a run directory stands for a given frame target. */
    public enum State {
        /** No checkpoint: a run starts from frame 0. */
        NEW,
        /** A checkpoint below the target: the run resumes from it. */
        PARTIAL,
        /** A checkpoint (and summary) at or past the target: nothing to do. */
        FINISHED
    }

    /**
     * How a call ended.
     *
     * @param frame         the frame reached (and checkpointed)
     * @param interrupted   whether {@code stop} ended it before the target
     * @param seconds       wall time of this call's training
     * @param framesPlayed  frames played by this call
     */
    public record Outcome(long frame, boolean interrupted, double seconds, long framesPlayed) {
    }

    private DqnTraining() {
    }

    /** {@link State#FINISHED} when {@code dir}'s checkpoint has reached {@code frames} (by its summary). */
    public static State state(Path dir, long frames) throws IOException {
        if (!DqnCheckpoint.exists(dir)) {
            return State.NEW;
        }
        Path summary = dir.resolve(SUMMARY);
        if (Files.isRegularFile(summary)) {
            JsonObject s = JsonParser.parseString(Files.readString(summary)).getAsJsonObject();
            if (s.has("frames") && s.get("frames").getAsLong() >= frames) {
                return State.FINISHED;
            }
        }
        return State.PARTIAL;
    }

    /**
     * Runs {@code job} in {@code dir}: from frame 0 when {@code resume} is false (the directory must
     * hold no checkpoint), else from its checkpoint, until {@link DqnJob#frames} or until
     * {@code stop} turns true, when a checkpoint at the frame reached is written first.
     *
     * @param log            progress lines and notices (stderr for the command)
     * @param progressSeconds seconds between progress lines
     * @param stop           polled every {@value #CHUNK} frames (Ctrl-C, a cancelled task)
     * @throws IllegalStateException if the directory holds a run and {@code resume} is false, or none and it is true
     * @throws IOException           if a file cannot be read or written (a damaged checkpoint included)
     */
    public static Outcome run(DqnJob job, Path dir, boolean resume, Consumer<String> log, double progressSeconds,
                              BooleanSupplier stop) throws IOException {
        Files.createDirectories(dir);
        try (RunLock lock = RunLock.acquire(dir, log)) {
            return runLocked(job, dir, resume, log, progressSeconds, stop);
        }
    }

    private static Outcome runLocked(DqnJob job, Path dir, boolean resume, Consumer<String> log, double progressSeconds,
                                     BooleanSupplier stop) throws IOException {
        DqnConfig config = job.config();
        Environment env = MinAtar.create(job.game(), job.seed());
        DqnAgent agent = new DqnAgent(config, env.numChannels(), job.seed());
        DqnRun run = new DqnRun(env, agent, job.window());
        List<String> wnKeys = new ArrayList<>(WeightNormed.statsByModule(agent.online()).keySet());
        if (resume) {
            if (!DqnCheckpoint.exists(dir)) {
                throw new IllegalStateException("--resume: no " + DqnCheckpoint.FILE + " in " + dir);
            }
            DqnCheckpoint.restore(dir, run, log);
            // Rows written after the checkpoint are replayed by the resumed run: drop them.
            truncateAfter(dir.resolve(EPISODES_CSV), run.frame());
            truncateAfter(dir.resolve(TRAINING_CSV), run.frame());
            log.accept(String.format(Locale.ROOT, "dqn: resumed %s at frame %d (%d episodes)", dir, run.frame(), run.episodes()));
        } else {
            if (DqnCheckpoint.exists(dir)) {
                throw new IllegalStateException(dir + " already holds a DQN run: add --resume to continue it, or choose another --out");
            }
            Files.writeString(dir.resolve(EPISODES_CSV), "frame,episode,return,length\n");
            StringBuilder h = new StringBuilder("frame,updates,epsilon,loss,mean_q,return_last100_mean");
            for (String k : wnKeys) {
                h.append(',').append(k).append("_v_norm,").append(k).append("_g,").append(k).append("_g_over_v_norm");
            }
            Files.writeString(dir.resolve(TRAINING_CSV), h.append('\n').toString());
        }
        log.accept(String.format(Locale.ROOT, "dqn: %s, %s, %s lr %s, batch %d, %d frames, seed %d -> %s", env.name(),
                config.param(), config.optimizer(), config.lr(), config.batch(), job.frames(), job.seed(), dir));
        try (BufferedWriter episodes = append(dir.resolve(EPISODES_CSV)); BufferedWriter training = append(dir.resolve(TRAINING_CSV))) {
            DqnRun.Listener listener = new CsvListener(episodes, training, run, config);
            long frames = job.frames();
            long every = job.checkpointEvery();
            long start = System.nanoTime();
            long startFrame = run.frame();
            long lastReport = start;
            long nextCheckpoint = (run.frame() / every + 1) * every;
            while (run.frame() < frames) {
                long until = Math.min(frames, Math.min(nextCheckpoint, run.frame() + CHUNK));
                run.runUntil(until, listener);
                boolean stopping = stop.getAsBoolean();
                if (stopping || run.frame() >= nextCheckpoint || run.frame() == frames) {
                    episodes.flush();
                    training.flush();
                    DqnCheckpoint.save(dir, run);
                    writeSummary(dir, job, run, (System.nanoTime() - start) * 1e-9, run.frame() - startFrame);
                    if (stopping && run.frame() < frames) {
                        return new Outcome(run.frame(), true, (System.nanoTime() - start) * 1e-9, run.frame() - startFrame);
                    }
                    nextCheckpoint = Math.max(nextCheckpoint, (run.frame() / every + 1) * every);
                }
                long now = System.nanoTime();
                if ((now - lastReport) * 1e-9 >= progressSeconds || run.frame() == frames) {
                    double fps = (run.frame() - startFrame) / ((now - start) * 1e-9);
                    log.accept(String.format(Locale.ROOT,
                            "dqn: frame %d/%d (%.1f%%)  %.0f frames/s  episodes %d  return(last 100) %.2f  eps %.3f",
                            run.frame(), frames, 100.0 * run.frame() / frames, fps, run.episodes(), run.meanReturnOfLast(100),
                            config.epsilon(run.frame())));
                    lastReport = now;
                }
            }
            if (run.frame() == startFrame) {
                // Nothing to play (the target was already reached): still leave a summary behind.
                writeSummary(dir, job, run, 0, 0);
            }
            return new Outcome(run.frame(), false, (System.nanoTime() - start) * 1e-9, run.frame() - startFrame);
        }
    }

    /** Writes one {@code metrics.csv} row per episode and one {@code training.csv} row per window. */
    private static final class CsvListener implements DqnRun.Listener {
        private final BufferedWriter episodes;
        private final BufferedWriter training;
        private final DqnRun run;
        private final DqnConfig config;

        CsvListener(BufferedWriter episodes, BufferedWriter training, DqnRun run, DqnConfig config) {
            this.episodes = episodes;
            this.training = training;
            this.run = run;
            this.config = config;
        }

        @Override
        public void episode(long frame, int episode, int ret, int length) {
            write(episodes, frame + "," + episode + "," + ret + "," + length + "\n");
        }

        @Override
        public void window(long frame, double meanLoss, double meanQ) {
            StringBuilder row = new StringBuilder();
            row.append(frame).append(',').append(run.agent().updates()).append(',').append(fmt(config.epsilon(frame)))
                    .append(',').append(fmt(meanLoss)).append(',').append(fmt(meanQ)).append(',')
                    .append(fmt(run.meanReturnOfLast(100)));
            for (WeightNormStats s : WeightNormed.statsByModule(run.agent().online()).values()) {
                row.append(',').append(fmt(s.meanVNorm())).append(',').append(fmt(s.meanG())).append(',')
                        .append(fmt(s.meanScale()));
            }
            write(training, row.append('\n').toString());
        }
    }

    private static void writeSummary(Path dir, DqnJob job, DqnRun run, double seconds, long framesThisSession) throws IOException {
        DqnConfig config = job.config();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("game", run.environment().name());
        s.put("param", config.param().cliName());
        s.put("optimizer", config.optimizer());
        s.put("lr", config.lr());
        s.put("batch", config.batch());
        s.put("seed", job.seed());
        s.put("frames", run.frame());
        s.put("frames_target", job.frames());
        s.put("updates", run.agent().updates());
        s.put("episodes", run.episodes());
        s.put("return_last100_mean", finite(run.meanReturnOfLast(100)));
        s.put("return_max", finite(run.maxReturn()));
        s.put("epsilon", config.epsilon(run.frame()));
        s.put("frames_per_s_this_session", seconds > 0 ? Math.round(framesThisSession / seconds * 10) / 10.0 : null);
        String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create().toJson(s) + "\n";
        AtomicFiles.write(dir.resolve(SUMMARY), json.getBytes(StandardCharsets.UTF_8));
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }

    private static BufferedWriter append(Path p) throws IOException {
        return Files.newBufferedWriter(p, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private static void write(BufferedWriter w, String s) {
        try {
            w.write(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps the header and the rows whose first column (a frame) is at most {@code frame}. */
    static void truncateAfter(Path csv, long frame) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        StringBuilder kept = new StringBuilder();
        long columns = lines.isEmpty() ? 0 : lines.get(0).chars().filter(c -> c == ',').count();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty() || line.chars().filter(c -> c == ',').count() != columns) {
                continue; // a row cut short by the kill
            }
            if (i > 0) {
                int comma = line.indexOf(',');
                String first = comma < 0 ? line : line.substring(0, comma);
                try {
                    if (Long.parseLong(first) > frame) {
                        continue;
                    }
                } catch (NumberFormatException e) {
                    continue; // a row cut short by the kill
                }
            }
            kept.append(line).append('\n');
        }
        AtomicFiles.write(csv, kept.toString().getBytes(StandardCharsets.UTF_8));
    }
}
