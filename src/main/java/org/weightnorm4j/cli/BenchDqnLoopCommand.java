package org.weightnorm4j.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.rl.DqnAgent;
import org.weightnorm4j.rl.DqnConfig;
import org.weightnorm4j.rl.DqnRun;
import org.weightnorm4j.rl.Environment;
import org.weightnorm4j.rl.MinAtar;
import org.weightnorm4j.tensor.Parallel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weightnorm bench dqn-loop}: the whole DQN frame of {@code weightnorm dqn} (ε-greedy action,
 * environment step, replay store, minibatch draw, update, bookkeeping) timed phase by phase with
 * {@link DqnRun.PhaseTimes}, in the steady state of a real run: the replay memory full (100,000
 * random frames first) and ε at 0.1, so nine frames in ten forward one observation through the
 * online network. Where {@code bench dqn} times the update alone (the peer's span, median of
 * updates), this gives the frames per second a run gets, and where the rest goes.
 */
@Command(name = "dqn-loop", mixinStandardHelpOptions = true,
        description = "Frames per second of the whole DQN frame loop and the time of each phase (act, env, store, sample,"
                + " update, other); one JSON object per (game, param).")
public final class BenchDqnLoopCommand implements Runnable {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    @Option(names = "--game", split = ",", defaultValue = "breakout", description = "Games (default: ${DEFAULT-VALUE}).")
    List<String> games;

    @Option(names = "--param", split = ",", defaultValue = "normal,wn", description = "normal, wn, wn-mobn (default: ${DEFAULT-VALUE}).")
    List<String> params;

    @Option(names = "--optimizer", defaultValue = "rmsprop", description = "rmsprop or adamax (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--threads", defaultValue = "1", description = "Kernel threads (default: ${DEFAULT-VALUE}, as the runs use).")
    int threads;

    @Option(names = "--replay", defaultValue = "100000", description = "Replay memory, filled by random play before the clock (default: ${DEFAULT-VALUE}).")
    int replay;

    @Option(names = "--warmup", defaultValue = "1500", description = "Learning frames before the clock (default: ${DEFAULT-VALUE}; the JIT).")
    int warmup;

    @Option(names = "--frames", defaultValue = "3000", description = "Timed learning frames (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        CommandLine cl = spec.commandLine();
        if (threads < 1 || frames < 1 || warmup < 0 || replay < 64) {
            throw new CommandLine.ParameterException(cl, "--threads and --frames must be >= 1, --warmup >= 0, --replay >= 64");
        }
        Parallel.setThreads(threads);
        PrintWriter out = cl.getOut();
        for (String g : games) {
            for (String p : params) {
                Map<String, Object> line;
                try {
                    line = time(g, Parameterization.parse(p));
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(cl, e.getMessage());
                }
                out.println(GSON.toJson(line));
                out.flush();
            }
        }
    }

    private Map<String, Object> time(String game, Parameterization p) {
        DqnConfig base = optimizer.equals("adamax") ? DqnConfig.paperVariant(p) : DqnConfig.baseline(p);
        // Learning starts once the memory is full, and ε is at its final 0.1 from then on: a long run's steady state.
        DqnConfig config = base.withSchedule(replay, replay, base.targetSync(), 1);
        Environment env = MinAtar.create(game, seed);
        DqnAgent agent = new DqnAgent(config, env.numChannels(), seed);
        DqnRun run = new DqnRun(env, agent, 10_000);
        DqnRun.Listener none = new DqnRun.Listener() { };
        run.runUntil(replay + warmup, none);
        DqnRun.PhaseTimes t = new DqnRun.PhaseTimes();
        run.timePhases(t);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpu0 = mx.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        run.runUntil(replay + warmup + frames, none);
        double wall = (System.nanoTime() - wall0) * 1e-9;
        double cpu = (mx.getCurrentThreadCpuTime() - cpu0) * 1e-9;
        run.timePhases(null);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("bench", "dqn-loop");
        line.put("game", env.name());
        line.put("param", p.cliName());
        line.put("optimizer", config.optimizer());
        line.put("batch", config.batch());
        line.put("threads", threads);
        line.put("epsilon", config.epsilon(run.frame()));
        line.put("frames_timed", t.frames);
        line.put("frames_per_s", round1(t.frames / wall));
        // CPU time of this thread: what a quiet core would give (only meaningful with --threads 1).
        line.put("frames_per_cpu_s", threads == 1 ? round1(t.frames / cpu) : null);
        Map<String, Object> us = new LinkedHashMap<>();
        us.put("act", perFrame(t.act, t.frames));
        us.put("env", perFrame(t.env, t.frames));
        us.put("store", perFrame(t.store, t.frames));
        us.put("sample", perFrame(t.sample, t.frames));
        us.put("update", perFrame(t.update, t.frames));
        us.put("other", perFrame(t.other, t.frames));
        line.put("us_per_frame", us);
        long total = t.act + t.env + t.store + t.sample + t.update + t.other;
        line.put("update_share", Math.round(1000.0 * t.update / total) / 1000.0);
        line.put("wall_s", Math.round(wall * 100) / 100.0);
        return line;
    }

    private static double perFrame(long nanos, long frames) {
        return Math.round(nanos / 1e3 / frames * 10) / 10.0;
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
