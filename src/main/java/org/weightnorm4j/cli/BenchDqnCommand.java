package org.weightnorm4j.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.weightnorm4j.nn.ModelTree;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.rl.DqnAgent;
import org.weightnorm4j.rl.DqnConfig;
import org.weightnorm4j.rl.ReplayMemory;
import org.weightnorm4j.rl.SplitMix64;
import org.weightnorm4j.tensor.Parallel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weightnorm bench dqn}: DQN updates per second, timed over the span
 * {@code shared/bench/torch_dqn_peer.py} times: target forward on {@code s'}, the targets, online
 * forward on {@code s}, Huber loss, backward and the optimizer step ({@link DqnAgent#update}, whose
 * train step also runs the non-finite guards). As in the peer, the minibatch is drawn from a
 * synthetic replay memory of 8,192 random 0/1 transitions (rewards Bernoulli(0.1), done
 * Bernoulli(0.05)) before the clock starts, and the learning rate is 2.5e-4 for RMSprop and 3e-4
 * for Adamax. The target network is never synced while timing (the peer syncs it once).
 */
@Command(name = "dqn", mixinStandardHelpOptions = true,
        description = "DQN update throughput (the PyTorch peer's span); one JSON object per (param, optimizer, batch, threads).")
public final class BenchDqnCommand implements Runnable {
    private static final int BUFFER = 8192;

    @Option(names = "--param", split = ",", defaultValue = "normal,wn", description = "normal, wn, wn-mobn (default: ${DEFAULT-VALUE}).")
    List<String> params;

    @Option(names = "--optimizer", split = ",", defaultValue = "rmsprop,adamax", description = "rmsprop, adamax (default: ${DEFAULT-VALUE}).")
    List<String> optimizers;

    @Option(names = "--batch", split = ",", defaultValue = "32,64", description = "Minibatch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--threads", split = ",", defaultValue = "1", description = "Thread counts, each timed in turn (default: ${DEFAULT-VALUE}).")
    List<Integer> threads;

    @Option(names = "--channels", defaultValue = "4", description = "Input channels (default: ${DEFAULT-VALUE}, Breakout's).")
    int channels;

    @Option(names = "--steps", defaultValue = "2000", description = "Timed updates (default: ${DEFAULT-VALUE}, the peer's).")
    int steps;

    @Option(names = "--warmup", defaultValue = "500", description = "Untimed updates first (default: ${DEFAULT-VALUE}; the JIT needs more than the peer's 200).")
    int warmup;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--clock", defaultValue = "wall", description = "wall (default) or cpu: the calling thread's CPU "
            + "time, which other processes on a loaded machine do not inflate; one thread only (with two, the pool's "
            + "thread does part of the work). Compare with a peer timed the same way (scripts/peer-cpu-clock.py).")
    String clock;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        run(spec.commandLine(), spec.commandLine().getOut());
    }

    void run(CommandLine cl, PrintWriter out) {
        if (steps < 1 || warmup < 0 || channels < 1 || threads.stream().anyMatch(t -> t < 1) || batches.stream().anyMatch(b -> b < 1)) {
            throw new CommandLine.ParameterException(cl, "--steps, --channels, --threads and --batch must be >= 1 and --warmup >= 0");
        }
        if (!clock.equals("wall") && !clock.equals("cpu")) {
            throw new CommandLine.ParameterException(cl, "--clock must be wall or cpu but got " + clock);
        }
        if (clock.equals("cpu") && threads.stream().anyMatch(t -> t != 1)) {
            throw new CommandLine.ParameterException(cl, "--clock cpu times the calling thread only: use it with --threads 1");
        }
        for (int t : threads) {
            Parallel.setThreads(t);
            for (String p : params) {
                for (String o : optimizers) {
                    for (int b : batches) {
                        Map<String, Object> line;
                        try {
                            line = time(Parameterization.parse(p), o, b, t);
                        } catch (IllegalArgumentException e) {
                            throw new CommandLine.ParameterException(cl, e.getMessage());
                        }
                        BenchCommand.print(out, line);
                        out.flush();
                    }
                }
            }
        }
    }

    /** Nanoseconds on the chosen clock. */
    private long now() {
        return clock.equals("cpu") ? java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime()
                : System.nanoTime();
    }

    private Map<String, Object> time(Parameterization p, String optimizer, int batch, int threadCount) {
        DqnConfig config = (optimizer.equals("adamax") ? DqnConfig.paperVariant(p).withLr(3e-4) : DqnConfig.baseline(p))
                .withBatch(batch).withSchedule(BUFFER, batch, Integer.MAX_VALUE, 100_000);
        DqnAgent agent = new DqnAgent(config, channels, seed);
        SplitMix64 rng = new SplitMix64(seed + 99);
        float[] s = new float[channels * 100];
        float[] s2 = new float[channels * 100];
        for (int k = 0; k < BUFFER; k++) {
            for (int i = 0; i < s.length; i++) {
                s[i] = (rng.nextLong() & 1);
                s2[i] = (rng.nextLong() & 1);
            }
            agent.memory().add(s, rng.nextInt(6), rng.nextDouble() < 0.1 ? 1 : 0, s2, rng.nextDouble() < 0.05);
        }
        ReplayMemory.Minibatch mb = new ReplayMemory.Minibatch(batch, channels);
        double[] seconds = new double[steps];
        long t0All = System.nanoTime();
        for (int k = 0; k < warmup + steps; k++) {
            agent.memory().sample(rng, mb);        // drawn before the clock, as the peer does
            long t0 = now();
            agent.update(mb);
            long t1 = now();
            if (k >= warmup) {
                seconds[k - warmup] = (t1 - t0) * 1e-9;
            }
        }
        double wall = (System.nanoTime() - t0All) * 1e-9;
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("peer", "weightnorm4j");
        line.put("bench", "dqn-update");
        line.put("param", p.cliName());
        line.put("optimizer", optimizer);
        line.put("channels", channels);
        line.put("batch", batch);
        line.put("threads", threadCount);
        line.put("params", ModelTree.parameterCount(agent.online()));
        line.put("steps_timed", steps);
        line.put("updates_per_s_median", Math.round(10 / median) / 10.0);
        line.put("updates_per_s_best", Math.round(10 / sorted[0]) / 10.0);
        // The mean (total timed seconds): what a run gets over many updates, pauses and preemptions included.
        line.put("updates_per_s_mean", Math.round(10 * steps / Arrays.stream(seconds).sum()) / 10.0);
        line.put("clock", clock);
        line.put("wall_s", Math.round(wall * 100) / 100.0);
        return line;
    }
}
