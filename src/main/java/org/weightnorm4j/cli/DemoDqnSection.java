package org.weightnorm4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.weightnorm4j.experiments.DqnCompare;
import org.weightnorm4j.experiments.DqnCompareReport;
import org.weightnorm4j.experiments.DqnRunRecord;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.rl.DqnCheckpoint;
import org.weightnorm4j.rl.DqnConfig;
import org.weightnorm4j.rl.DqnJob;
import org.weightnorm4j.rl.Environment;
import org.weightnorm4j.rl.GameView;
import org.weightnorm4j.rl.GreedyQPolicy;
import org.weightnorm4j.rl.MinAtar;
import org.weightnorm4j.tensor.Parallel;

/**
 * The DQN part of {@code weightnorm demo} (about a minute on two cores): Breakout with {@code normal}
 * and {@code wn} for {@value #FRAMES} frames each, side by side (one core each), on a shortened
 * schedule so that something is learned that quickly (learning from frame 1,000, ε down to 0.1 by
 * frame 6,000, target sync every 500 updates; MinAtar's network, loss and optimizer), then the
 * {@code dqn compare} report of the two runs and a few seconds of the wn agent playing on the
 * terminal. Resumable like {@code dqn compare}: a rerun skips the finished runs.
 */
final class DemoDqnSection {
    static final long FRAMES = 15_000;
    static final String GAME = "breakout";
    /** Frames of the agent drawn on the terminal (at {@value #DELAY_MS} ms each on a console). */
    static final int PLAYBACK_FRAMES = 60;
    static final long DELAY_MS = 70;

    /** The report's page and the summary lines. */
    record Outcome(Path report, String summary) {
    }

    private DemoDqnSection() {
    }

    /** The two runs of the section: MinAtar's recipe on a schedule short enough for a demo. */
    static List<DqnJob> jobs(long seed, long frames) {
        List<DqnJob> jobs = new ArrayList<>();
        for (Parameterization p : List.of(Parameterization.NORMAL, Parameterization.WN)) {
            DqnConfig c = DqnConfig.baseline(p).withSchedule((int) Math.min(100_000, frames), 1_000, 500, 5_000);
            jobs.add(new DqnJob(GAME, c, seed, frames, 2_500, frames));
        }
        return jobs;
    }

    static Outcome run(Path dir, long seed, long frames, List<String> argv, PrintWriter o, boolean console) throws Exception {
        List<DqnJob> jobs = jobs(seed, frames);
        int previousThreads = Parallel.threads();
        int workers = Math.min(jobs.size(), Math.max(1, Runtime.getRuntime().availableProcessors()));
        o.printf(Locale.ROOT, "== dqn: %s, normal and wn, %,d frames each on %d core(s) (learning from frame 1,000, eps 0.1 by"
                + " frame 6,000)%n", GAME, frames, workers);
        o.flush();
        long start = System.nanoTime();
        // One kernel thread per run and the runs side by side: a batch-32 update is too small to split well.
        Parallel.setThreads(1);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<DqnCompare.Status>> done = new ArrayList<>();
            for (DqnJob job : jobs) {
                done.add(pool.submit(() -> DqnCompare.runOne(job, dir, line -> { }, Double.POSITIVE_INFINITY, () -> false)));
            }
            for (int i = 0; i < jobs.size(); i++) {
                o.println("  " + DqnCompare.describe(jobs.get(i), done.get(i).get()));
                o.flush();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        } finally {
            pool.shutdownNow();
            Parallel.setThreads(previousThreads);
        }
        double seconds = (System.nanoTime() - start) * 1e-9;
        List<DqnRunRecord> runs = new ArrayList<>();
        for (DqnJob job : jobs) {
            runs.add(DqnRunRecord.read(job.directoryIn(dir)));
        }
        Path report = DqnCompareReport.write(runs, argv, dir);
        playback(jobs.get(1).directoryIn(dir), seed, o, console);
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-7s %8s %9s %13s %6s%n", "param", "frames", "episodes",
                "return(last100)", "best"));
        for (DqnRunRecord r : runs) {
            s.append(String.format(Locale.ROOT, "%-7s %8d %9d %13.2f %6.0f%n", r.param(), r.frames(), r.returns().length,
                    r.returnLast100(), r.returnMax()));
        }
        s.append(String.format(Locale.ROOT, "(random play scores about 0.4; training took %.0f s)", seconds));
        return new Outcome(report, s.toString());
    }

    /** A few seconds of the trained wn agent on the terminal (ε 0.01), drawn as {@code weightnorm play} draws. */
    private static void playback(Path runDir, long seed, PrintWriter o, boolean console) throws IOException {
        DqnCheckpoint.Trained agent = DqnCheckpoint.readTrained(runDir, o::println);
        Environment env = MinAtar.create(agent.game(), seed + 1000);
        GreedyQPolicy policy = new GreedyQPolicy(agent.online(), env.numChannels(), GreedyQPolicy.PLAY_EPSILON, seed);
        GameView view = new GameView(env);
        float[] obs = new float[env.numChannels() * Environment.CELLS];
        int ret = 0;
        int episodes = 0;
        o.println("  the wn agent playing (weightnorm play --checkpoint " + runDir + "):");
        for (int t = 0; t <= PLAYBACK_FRAMES; t++) {
            env.observe(obs);
            // On a console each frame is drawn over the last (13 lines up); elsewhere only the first and last.
            if (console || t == 0 || t == PLAYBACK_FRAMES) {
                String picture = String.format(Locale.ROOT, "  t %3d  return %2d%n", env.frames(), ret) + view.text(obs, false);
                o.print(console && t > 0 ? "\033[13A" + picture : picture);
                o.flush();
            }
            if (t == PLAYBACK_FRAMES) {
                break;
            }
            if (env.terminal()) {
                env.reset();
                episodes++;
                ret = 0;
                continue;
            }
            ret += env.step(policy.act(obs));
            if (console) {
                try {
                    Thread.sleep(DELAY_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        o.printf(Locale.ROOT, "  %d frames played, %d episode(s) ended; legend: %s%n", PLAYBACK_FRAMES, episodes, view.legend());
    }
}
