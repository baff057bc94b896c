package org.weightnorm4j.cli;

import com.google.gson.GsonBuilder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
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
import java.util.concurrent.Callable;
import org.weightnorm4j.io.AtomicFiles;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.norm.WeightNormStats;
import org.weightnorm4j.norm.WeightNormed;
import org.weightnorm4j.rl.DqnAgent;
import org.weightnorm4j.rl.DqnCheckpoint;
import org.weightnorm4j.rl.DqnConfig;
import org.weightnorm4j.rl.DqnRun;
import org.weightnorm4j.rl.Environment;
import org.weightnorm4j.rl.MinAtar;
import org.weightnorm4j.train.checkpoint.RunLock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weightnorm dqn}: trains MinAtar's DQN on one game (docs/RL.md). Writes {@code metrics.csv}
 * (one row per episode), {@code training.csv} (one row per 10,000 frames: loss, mean Q, ε, and
 * {@code ‖v‖}, {@code g}, {@code g/‖v‖} per weight-normed layer), {@code summary.json}, and a
 * checkpoint every {@code --checkpoint-every} frames from which {@code --resume} continues
 * bit-identically.
 */
@Command(name = "dqn", mixinStandardHelpOptions = true,
        description = "Train DQN (MinAtar's baseline, or the paper's Adamax variant) on a MinAtar game.")
public final class DqnCommand implements Callable<Integer> {
    static final String EPISODES_CSV = "metrics.csv";
    static final String TRAINING_CSV = "training.csv";
    static final String SUMMARY = "summary.json";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--game", required = true, description = "asterix, breakout, freeway, seaquest or space_invaders.")
    String game;

    @Option(names = "--param", defaultValue = "normal", description = "normal, wn or wn-mobn (default: ${DEFAULT-VALUE}).")
    String param;

    @Option(names = "--frames", defaultValue = "5000000", description = "Frames to train for (default: ${DEFAULT-VALUE}, MinAtar's).")
    long frames;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the game, the network and the agent's draws (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--optimizer", defaultValue = "rmsprop",
            description = "rmsprop (MinAtar's: centred, lr 2.5e-4, batch 32) or adamax (the paper's: beta1 0.5, batch 64, "
                    + "lr 3e-4 with weight norm, 1e-4 without). Default: ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--lr", description = "Learning rate (default: the optimizer's, see --optimizer).")
    Double lr;

    @Option(names = "--batch", description = "Minibatch size (default: 32 with rmsprop, 64 with adamax).")
    Integer batch;

    @Option(names = "--out", required = true, description = "Output directory.")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its checkpoint.")
    boolean resume;

    @Option(names = "--checkpoint-every", defaultValue = "50000", description = "Frames between checkpoints (default: ${DEFAULT-VALUE}).")
    long checkpointEvery;

    @Option(names = "--window", defaultValue = "10000", description = "Frames per row of training.csv (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--learning-starts", description = "Frames before the first update (default 5000; smaller for short tests).")
    Integer learningStarts;

    @Option(names = "--replay", description = "Replay memory capacity (default 100000).")
    Integer replay;

    @Option(names = "--target-sync", description = "Updates between target-network syncs (default 1000).")
    Integer targetSync;

    @Option(names = "--exploration-frames", description = "Frames over which epsilon falls from 1 to 0.1 (default 100000).")
    Integer explorationFrames;

    @Option(names = "--progress-seconds", defaultValue = "10", description = "Seconds between progress lines on stderr (default: ${DEFAULT-VALUE}).")
    double progressSeconds;

    @CommandLine.Mixin
    ThreadsOption threads = new ThreadsOption();

    @Override
    public Integer call() {
        threads.apply(spec);
        CommandLine cl = spec.commandLine();
        DqnConfig config;
        Environment env;
        try {
            config = config();
            env = MinAtar.create(game, seed);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        if (frames < 1 || checkpointEvery < 1 || window < 1) {
            throw new CommandLine.ParameterException(cl, "--frames, --checkpoint-every and --window must be >= 1");
        }
        try {
            return train(config, env, cl);
        } catch (IOException e) {
            throw new UncheckedIOException("dqn: " + e.getMessage() + " (run directory " + out + ")", e);
        }
    }

    private DqnConfig config() {
        Parameterization p = Parameterization.parse(param);
        DqnConfig c = switch (optimizer.toLowerCase(Locale.ROOT)) {
            case "rmsprop" -> DqnConfig.baseline(p);
            case "adamax" -> DqnConfig.paperVariant(p);
            default -> throw new IllegalArgumentException("--optimizer must be rmsprop or adamax, got '" + optimizer + "'");
        };
        if (lr != null) {
            c = c.withLr(lr);
        }
        if (batch != null) {
            c = c.withBatch(batch);
        }
        return c.withSchedule(replay != null ? replay : c.replayCapacity(), learningStarts != null ? learningStarts : c.learningStarts(),
                targetSync != null ? targetSync : c.targetSync(), explorationFrames != null ? explorationFrames : c.explorationFrames());
    }

    /**
     * Runs (or resumes) the run in {@code out}, holding its lock; returns the exit code: 0 when the
     * frames are done, 130 / 143 after Ctrl-C / SIGTERM, once a checkpoint at the frame reached is
     * on disk (issue 16: an interrupted run loses nothing).
     */
    private int train(DqnConfig config, Environment env, CommandLine cl) throws IOException {
        PrintStream err = System.err;
        Files.createDirectories(out);
        try (RunLock lock = RunLock.acquire(out, err::println);
             Interrupts interrupts = Interrupts.install(cl.getErr())) {
            return train(config, env, cl, err, interrupts);
        }
    }

    private int train(DqnConfig config, Environment env, CommandLine cl, PrintStream err, Interrupts interrupts)
            throws IOException {
        DqnAgent agent = new DqnAgent(config, env.numChannels(), seed);
        DqnRun run = new DqnRun(env, agent, window);
        List<String> wnKeys = new ArrayList<>(WeightNormed.statsByModule(agent.online()).keySet());
        if (resume) {
            if (!DqnCheckpoint.exists(out)) {
                throw new CommandLine.ParameterException(cl, "--resume: no " + DqnCheckpoint.FILE + " in " + out);
            }
            DqnCheckpoint.restore(out, run, err::println);
            // Rows written after the checkpoint are replayed by the resumed run: drop them.
            truncateAfter(out.resolve(EPISODES_CSV), run.frame());
            truncateAfter(out.resolve(TRAINING_CSV), run.frame());
            err.printf(Locale.ROOT, "dqn: resumed %s at frame %d (%d episodes)%n", out, run.frame(), run.episodes());
        } else {
            if (DqnCheckpoint.exists(out)) {
                throw new CommandLine.ParameterException(cl, out + " already holds a DQN run: add --resume to continue it, or choose another --out");
            }
            Files.writeString(out.resolve(EPISODES_CSV), "frame,episode,return,length\n");
            StringBuilder h = new StringBuilder("frame,updates,epsilon,loss,mean_q,return_last100_mean");
            for (String k : wnKeys) {
                h.append(',').append(k).append("_v_norm,").append(k).append("_g,").append(k).append("_g_over_v_norm");
            }
            Files.writeString(out.resolve(TRAINING_CSV), h.append('\n').toString());
        }
        err.printf(Locale.ROOT, "dqn: %s, %s, %s lr %s, batch %d, %d frames, seed %d -> %s%n", env.name(), config.param(),
                config.optimizer(), config.lr(), config.batch(), frames, seed, out);
        try (BufferedWriter episodes = append(out.resolve(EPISODES_CSV)); BufferedWriter training = append(out.resolve(TRAINING_CSV))) {
            DqnRun.Listener listener = new DqnRun.Listener() {
                @Override
                public void episode(long frame, int episode, int ret, int length) {
                    write(episodes, frame + "," + episode + "," + ret + "," + length + "\n");
                }

                @Override
                public void window(long frame, double meanLoss, double meanQ) {
                    StringBuilder row = new StringBuilder();
                    row.append(frame).append(',').append(agent.updates()).append(',').append(fmt(config.epsilon(frame)))
                            .append(',').append(fmt(meanLoss)).append(',').append(fmt(meanQ)).append(',')
                            .append(fmt(run.meanReturnOfLast(100)));
                    for (WeightNormStats s : WeightNormed.statsByModule(agent.online()).values()) {
                        row.append(',').append(fmt(s.meanVNorm())).append(',').append(fmt(s.meanG())).append(',')
                                .append(fmt(s.meanScale()));
                    }
                    write(training, row.append('\n').toString());
                }
            };
            long start = System.nanoTime();
            long startFrame = run.frame();
            long lastReport = start;
            long nextCheckpoint = (run.frame() / checkpointEvery + 1) * checkpointEvery;
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean(); // set by the signal thread
            interrupts.target(() -> stop.set(true));
            while (run.frame() < frames) {
                // Chunks of at most 100 frames (a fraction of a second): how long a Ctrl-C waits.
                long until = Math.min(frames, Math.min(nextCheckpoint, run.frame() + 100));
                run.runUntil(until, listener);
                if (stop.get() || run.frame() >= nextCheckpoint || run.frame() == frames) {
                    episodes.flush();
                    training.flush();
                    DqnCheckpoint.save(out, run);
                    writeSummary(run, config, (System.nanoTime() - start) * 1e-9, run.frame() - startFrame);
                    if (stop.get()) {
                        err.printf(Locale.ROOT, "dqn: interrupted by %s at frame %d; checkpoint written. Continue with:%n  %s%n",
                                interrupts.describe(), run.frame(), resumeCommand());
                        return interrupts.exitCode();
                    }
                    nextCheckpoint = Math.max(nextCheckpoint, (run.frame() / checkpointEvery + 1) * checkpointEvery);
                }
                long now = System.nanoTime();
                if ((now - lastReport) * 1e-9 >= progressSeconds || run.frame() == frames) {
                    double fps = (run.frame() - startFrame) / ((now - start) * 1e-9);
                    err.printf(Locale.ROOT, "dqn: frame %d/%d (%.1f%%)  %.0f frames/s  episodes %d  return(last 100) %.2f  eps %.3f%n",
                            run.frame(), frames, 100.0 * run.frame() / frames, fps, run.episodes(), run.meanReturnOfLast(100),
                            config.epsilon(run.frame()));
                    lastReport = now;
                }
            }
        }
        return 0;
    }

    /** The command that continues this run: the arguments it was started with, plus {@code --resume}. */
    private String resumeCommand() {
        List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        if (!args.contains("--resume")) {
            args.add("--resume");
        }
        return "weightnorm " + String.join(" ", args);                // the original arguments start with "dqn"
    }

    private void writeSummary(DqnRun run, DqnConfig config, double seconds, long framesThisSession) throws IOException {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("game", run.environment().name());
        s.put("param", config.param().cliName());
        s.put("optimizer", config.optimizer());
        s.put("lr", config.lr());
        s.put("batch", config.batch());
        s.put("seed", seed);
        s.put("frames", run.frame());
        s.put("frames_target", frames);
        s.put("updates", run.agent().updates());
        s.put("episodes", run.episodes());
        s.put("return_last100_mean", finite(run.meanReturnOfLast(100)));
        s.put("return_max", finite(run.maxReturn()));
        s.put("epsilon", config.epsilon(run.frame()));
        s.put("frames_per_s_this_session", seconds > 0 ? Math.round(framesThisSession / seconds * 10) / 10.0 : null);
        String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create().toJson(s) + "\n";
        AtomicFiles.write(out.resolve(SUMMARY), json.getBytes(StandardCharsets.UTF_8));
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
