package org.weightnorm4j.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.weightnorm4j.generative.ElboObjective;
import org.weightnorm4j.generative.ReferenceVae;
import org.weightnorm4j.generative.Vae;
import org.weightnorm4j.nn.ModelTree;
import org.weightnorm4j.optim.Adamax;
import org.weightnorm4j.tensor.KernelProvider;
import org.weightnorm4j.tensor.Parallel;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.train.TrainStep;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weightnorm bench vae}: VAE training steps per second on the benchmark peers' reference
 * model ({@link ReferenceVae}, {@code shared/bench/torch_vae_peer.py}), timed over the peer's span:
 * forward, −ELBO ({@link ElboObjective}), backward and the Adamax(lr 2e-3) step, all through
 * {@link TrainStep} (which also runs the non-finite guards the peer has no counterpart of). As in
 * the peer, the data is a pool of {@code 20 · batch} Bernoulli(0.5) images, and each step's
 * minibatch is gathered from random indices before the clock starts.
 */
@Command(name = "vae", mixinStandardHelpOptions = true,
        description = "VAE training-step throughput on the peers' reference model; one JSON object per (param, threads).")
public final class BenchVaeCommand implements Runnable {
    private static final int PIXELS = 28 * 28;

    @Option(names = "--param", defaultValue = "all", description = "normal, wn or all (default: ${DEFAULT-VALUE}).")
    String param;

    @Option(names = "--batch", defaultValue = "100", description = "Minibatch size (default: ${DEFAULT-VALUE}, the peer's).")
    int batch;

    @Option(names = "--threads", split = ",", defaultValue = "1", description = "Thread counts, each timed in turn (default: ${DEFAULT-VALUE}).")
    List<Integer> threads;

    @Option(names = "--steps", defaultValue = "20", description = "Timed steps (default: ${DEFAULT-VALUE}, the peer's).")
    int steps;

    @Option(names = "--warmup", defaultValue = "10", description = "Untimed steps first (default: ${DEFAULT-VALUE}; the JIT needs more than the peer's 3).")
    int warmup;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        run(spec.commandLine(), spec.commandLine().getOut());
    }

    void run(CommandLine cl, PrintWriter out) {
        if (steps < 1 || warmup < 0 || batch < 1 || threads.stream().anyMatch(t -> t < 1)) {
            throw new CommandLine.ParameterException(cl, "--steps, --batch and --threads must be >= 1 and --warmup >= 0");
        }
        List<String> params = switch (param) {
            case "all" -> List.of("normal", "wn");
            case "normal", "wn" -> List.of(param);
            default -> throw new CommandLine.ParameterException(cl, "--param must be normal, wn or all but got " + param);
        };
        for (int t : threads) {
            Parallel.setThreads(t);
            for (String p : params) {
                BenchCommand.print(out, time(p, t));
                out.flush();
            }
        }
    }

    private Map<String, Object> time(String p, int threadCount) {
        Vae vae = ReferenceVae.build(p.equals("wn"), seed);
        ElboObjective objective = new ElboObjective(ReferenceVae.Sizes.reference().latent());
        TrainStep<Tensor> step = new TrainStep<>(vae, new Adamax(ModelTree.namedParams(vae), 2e-3, 0.9, 0.999, 1e-8), objective, null);
        SplittableRandom rng = new SplittableRandom(seed + 99);
        int pool = 20 * batch;                                  // the peer's synthetic data set
        float[] data = new float[pool * PIXELS];
        for (int i = 0; i < data.length; i++) {
            data[i] = rng.nextBoolean() ? 1 : 0;
        }
        Tensor x = Tensor.zeros(batch, 1, 28, 28);
        double[] seconds = new double[steps];
        long allocated = 0;
        double loss = Double.NaN;
        long t0All = System.nanoTime();
        for (int k = 0; k < warmup + steps; k++) {
            for (int n = 0; n < batch; n++) {                   // gathered before the clock, as the peer does
                int from = rng.nextInt(pool) * PIXELS;
                for (int j = 0; j < PIXELS; j++) {
                    x.set(n * PIXELS + j, data[from + j]);
                }
            }
            long a0 = BenchCommand.allocatedBytes();
            long t0 = System.nanoTime();
            loss = step.run(x, x, k + 1, 1, null);
            long t1 = System.nanoTime();
            if (k >= warmup) {
                seconds[k - warmup] = (t1 - t0) * 1e-9;
                allocated += BenchCommand.allocatedBytes() - a0;
            }
        }
        double wall = (System.nanoTime() - t0All) * 1e-9;
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        int m = sorted.length;
        double median = m % 2 == 1 ? sorted[m / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2;
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("peer", "weightnorm4j");
        line.put("bench", "vae-train");
        line.put("param", p);
        line.put("data", "synthetic");
        line.put("batch", batch);
        line.put("threads", threadCount);
        line.put("kernel", KernelProvider.float32().name());
        line.put("params", ModelTree.parameterCount(vae));
        line.put("steps_timed", steps);
        line.put("loss_last", Math.round(loss * 1000) / 1000.0);
        line.put("images_per_s_median", Math.round(10 * batch / median) / 10.0);
        line.put("images_per_s_best", Math.round(10 * batch / sorted[0]) / 10.0);
        line.put("alloc_bytes_per_step", allocated / steps);
        line.put("wall_s", Math.round(wall * 100) / 100.0);
        return line;
    }
}
