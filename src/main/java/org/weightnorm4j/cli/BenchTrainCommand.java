package org.weightnorm4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.weightnorm4j.data.Augmentation;
import org.weightnorm4j.data.BatchIterator;
import org.weightnorm4j.data.Dataset;
import org.weightnorm4j.data.DatasetSplits;
import org.weightnorm4j.data.Datasets;
import org.weightnorm4j.model.Models;
import org.weightnorm4j.model.Recipe;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.norm.DataDependentInit;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.optim.Adam;
import org.weightnorm4j.optim.OptimizerSpec;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Parallel;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.train.Objective;
import org.weightnorm4j.train.TrainConfig;
import org.weightnorm4j.train.TrainStep;
import org.weightnorm4j.train.Trainer;
import org.weightnorm4j.train.TrainingSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weightnorm bench train}: images per second of whole training steps (forward, softmax
 * cross-entropy, backward, Adam) on the reference workloads, measured as
 * {@code shared/bench/torch_peer.py} measures them (each step the {@link TrainStep} that the
 * {@link Trainer} runs, guards included) so the two JSON lines can be set side by side
 * (docs/BENCHMARKS.md): same model preset, Adam (lr 1e-3 for the mlp, 3e-3 otherwise),
 * data-dependent initialisation of the weight-normalized layers on the first batch, Fashion-MNIST
 * or Gaussian inputs ({@code paper-cifar} always Gaussian 32x32x3), and the median and best of the
 * steps timed after the warm-up steps, each step including the gather of its minibatch.
 *
 * <p>Besides the peer's fields it reports the bytes all threads allocated per timed step (the
 * steady state should allocate next to nothing), the peak heap (garbage included) and the live
 * heap after a full collection at the end. With {@code --epoch} it instead
 * trains one whole epoch through {@link Trainer} (shuffling, and evaluation on the test split at
 * the end) and reports the training images per second over that wall time.
 *
 * <p>With {@code --rounds R} the parameterizations' models are built together and timed in turn,
 * R rounds, so that each line can also give its step time relative to the first parameterization's
 * in the same round (weight norm's overhead over the plain parameterization, measured where a
 * shared machine's changing load falls on both alike).
 *
 * <p>With {@code --clock cpu} (one thread) each step is timed by the calling thread's CPU time, as
 * {@code bench dqn|lstm|vae} can: on a loaded machine the work of one core, against the peer timed
 * by its process's CPU time ({@code scripts/peer-cpu-clock.py}).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Training-step throughput of the reference workloads; one JSON object per (workload, param).")
public final class BenchTrainCommand implements Runnable {
    private static final List<String> PARAMS = List.of("normal", "bn", "wn", "wn-mobn", "mobn");

    @Option(names = "--workload", description = "mlp | cnn | paper-cifar | all (default: ${DEFAULT-VALUE}).", defaultValue = "mlp")
    String workload;

    @Option(names = "--param", description = "normal | bn | wn | wn-mobn | mobn, several separated by commas, or all "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "all")
    String param;

    @Option(names = "--rounds", description = "Build every --param's model at once and time them in turn, --steps steps each, "
            + "this many rounds, after each has had its warm-up; each line then also gives the step time relative to the "
            + "first --param's, round by round. 1 (the default) times one model after the other.", defaultValue = "1")
    int rounds;

    @Option(names = "--steps", description = "Timed steps (default: 1000 for mlp, 30 otherwise).")
    Integer steps;

    @Option(names = "--warmup", description = "Untimed steps first (default: 500 for mlp, whose 3.5 ms steps "
            + "the JIT needs hundreds of before it has compiled them; 15 otherwise, already more than PyTorch's 5). "
            + "With --epoch: steps of a throwaway model of the same workload and param before the timed epoch trains a "
            + "fresh one (default 0: the epoch starts as cold as a user's first epoch in a new JVM).")
    Integer warmup;

    @Option(names = "--threads", split = ",", description = "Threads for the kernels, or several separated by commas, each "
            + "timed in turn (with --rounds, in every round: 1,2 measures how the step scales); 0 (the default) means one per core.",
            defaultValue = "0")
    List<Integer> threads;

    @Option(names = "--batch", description = "Images per step; 0 (the default) means the peer's: 128 for mlp, 100 otherwise.",
            defaultValue = "0")
    int batch;

    @Option(names = "--synthetic", description = "Gaussian inputs instead of Fashion-MNIST (paper-cifar always is).")
    boolean synthetic;

    @Option(names = "--epoch", description = "Train one whole Fashion-MNIST epoch (shuffling and test evaluation included) "
            + "and report images/s over its wall time, instead of timing single steps.")
    boolean epoch;

    @Option(names = "--seed", description = "Seed of the model, the data order and the synthetic inputs (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    long seed;

    @Option(names = "--clock", defaultValue = "wall", description = "wall (default) or cpu: each step timed by the calling "
            + "thread's CPU time, which other processes on a loaded machine do not inflate; --threads 1 only (with more, the "
            + "pool's threads do part of the work), not with --epoch. Compare with a peer timed the same way "
            + "(scripts/peer-cpu-clock.py).")
    String clock = "wall";

    /** Whether steps are timed by the calling thread's CPU clock ({@code --clock cpu}). */
    private boolean cpuClock;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        run(spec.commandLine(), spec.commandLine().getOut());
    }

    /** Runs the benchmark; {@code cl} is the command line that usage errors refer to. */
    void run(CommandLine cl, PrintWriter out) {
        List<String> workloads = workload.equals("all") ? Models.NAMES : List.of(workload);
        List<String> params = param.equals("all") ? PARAMS : List.of(param.split(",", -1));
        for (String w : workloads) {
            if (!Models.NAMES.contains(w)) {
                throw new CommandLine.ParameterException(cl, "--workload must be one of " + Models.NAMES + " or all, got '" + w + "'");
            }
        }
        for (String p : params) {
            if (!PARAMS.contains(p)) {
                throw new CommandLine.ParameterException(cl, "--param must be one of " + PARAMS + " or all, got '" + p + "'");
            }
        }
        if (steps != null && steps < 1 || warmup != null && warmup < 0 || threads.stream().anyMatch(t -> t < 0) || batch < 0
                || rounds < 1) {
            throw new CommandLine.ParameterException(cl, "--steps and --rounds must be >= 1 and --warmup, --threads, --batch >= 0; "
                    + "got steps " + steps + ", rounds " + rounds + ", warmup " + warmup + ", threads " + threads + ", batch " + batch);
        }
        if (rounds > 1 && epoch) {
            throw new CommandLine.ParameterException(cl, "--rounds times single steps; it cannot be combined with --epoch");
        }
        if (epoch && (synthetic || workloads.contains("paper-cifar"))) {
            throw new CommandLine.ParameterException(cl, "--epoch trains on Fashion-MNIST: use it without --synthetic, "
                    + "with --workload mlp or cnn");
        }
        List<Integer> threadCounts = threads.stream().map(t -> t == 0 ? Runtime.getRuntime().availableProcessors() : t).toList();
        if (!clock.equals("wall") && !clock.equals("cpu")) {
            throw new CommandLine.ParameterException(cl, "--clock must be wall or cpu but got '" + clock + "'");
        }
        cpuClock = clock.equals("cpu");
        if (cpuClock && threadCounts.stream().anyMatch(t -> t != 1)) {
            throw new CommandLine.ParameterException(cl, "--clock cpu times the calling thread only: use it with --threads 1 "
                    + "(got " + threadCounts + ")");
        }
        if (cpuClock && epoch) {
            throw new CommandLine.ParameterException(cl, "--clock cpu times single steps; --epoch reports the wall time of a "
                    + "whole epoch: use --clock wall with --epoch");
        }
        DatasetSplits fashion = null;
        for (String w : workloads) {
            boolean gaussian = synthetic || w.equals("paper-cifar");
            if (!gaussian && fashion == null) {
                fashion = loadFashionMnist();
            }
            int b = batch > 0 ? batch : Recipe.of(w).batchSize();
            Dataset data = epoch ? null : gaussian ? gaussian(w, b) : fashion.train();
            if (rounds > 1) {
                for (Map<String, Object> line : interleaved(w, params, threadCounts, b, data)) {
                    BenchCommand.print(out, line);
                }
                out.flush();
                continue;
            }
            for (int t : threadCounts) {
                Parallel.setThreads(t);
                for (String p : params) {
                    Map<String, Object> line = epoch ? epoch(w, p, b, fashion) : steps(w, p, b, data);
                    BenchCommand.print(out, line);
                    out.flush();
                }
            }
        }
    }

    /** Timed steps: as given, else 1000 for the mlp (short steps, slow to settle) and 30 otherwise. */
    int timedSteps(String w) {
        return steps != null ? steps : w.equals("mlp") ? 1000 : 30;
    }

    /** Warm-up steps: as given, else 500 for the mlp and 15 otherwise. */
    int warmupSteps(String w) {
        return warmup != null ? warmup : w.equals("mlp") ? 500 : 15;
    }

    /** Times single steps after the warm-up, as the peer does. */
    private Map<String, Object> steps(String w, String p, int b, Dataset data) {
        int steps = timedSteps(w);
        StepRun run = new StepRun(w, p, b, data);
        run.time(warmupSteps(w));
        resetPeakHeap();
        long allocatedBefore = allocatedBytes();
        double[] seconds = run.time(steps);
        long allocatedPerStep = (allocatedBytes() - allocatedBefore) / steps;
        Map<String, Object> line = stepLine(w, p, b, seconds, allocatedPerStep);
        line.put("peak_heap_mb", round(peakHeapMb()));
        line.put("live_heap_mb", round(liveHeapMb(run)));
        return line;
    }

    /**
     * Every parameterization's model built at once and timed in turn on each thread count,
     * {@link #rounds} rounds of {@code steps} steps each after every model's warm-up: a change in
     * the machine's load during the run then falls on all of them alike, and each round gives a
     * ratio of step times to the first run's (the first parameterization on the first thread
     * count) that the load cancels out of (docs/BENCHMARKS.md).
     */
    private List<Map<String, Object>> interleaved(String w, List<String> params, List<Integer> threadCounts, int b, Dataset data) {
        int steps = timedSteps(w);
        List<StepRun> runs = new ArrayList<>();
        for (int t : threadCounts) {             // thread count outermost: one switch of pool per count and round
            for (String p : params) {
                runs.add(new StepRun(w, p, t, b, data));
            }
        }
        for (StepRun run : runs) {
            run.useThreads();
            run.time(warmupSteps(w));
        }
        resetPeakHeap();
        double[][] seconds = new double[runs.size()][rounds * steps];
        double[][] roundMedians = new double[runs.size()][rounds];
        long[] allocated = new long[runs.size()];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < runs.size(); k++) {
                runs.get(k).useThreads();        // before the allocation count: a pool's workers come and go
                long before = allocatedBytes();
                double[] t = runs.get(k).time(steps);
                allocated[k] += allocatedBytes() - before;
                System.arraycopy(t, 0, seconds[k], r * steps, steps);
                roundMedians[k][r] = median(t);
            }
        }
        double peak = peakHeapMb();
        double live = liveHeapMb(runs);
        List<Map<String, Object>> lines = new ArrayList<>();
        for (int k = 0; k < runs.size(); k++) {
            StepRun run = runs.get(k);
            Map<String, Object> line = stepLine(w, run.param, b, seconds[k], allocated[k] / ((long) rounds * steps));
            line.put("threads", run.threads);
            line.put("rounds", rounds);
            double[] ms = new double[rounds];
            double[] ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ms[r] = round(roundMedians[k][r] * 1e3);
                ratios[r] = roundMedians[k][r] / roundMedians[0][r];
            }
            line.put("step_ms_median_per_round", ms);
            line.put("step_time_vs", runs.get(0).param);
            line.put("step_time_vs_threads", runs.get(0).threads);
            line.put("step_time_ratio_median", round(median(ratios)));
            Arrays.sort(ratios);
            line.put("step_time_ratio_min", round(ratios[0]));
            line.put("step_time_ratio_max", round(ratios[rounds - 1]));
            line.put("peak_heap_mb", round(peak));       // of all the models together
            line.put("live_heap_mb", round(live));
            lines.add(line);
        }
        return lines;
    }

    /** The peer's fields for the timed steps' seconds (in any order), and the bytes allocated per step. */
    private Map<String, Object> stepLine(String w, String p, int b, double[] seconds, long allocatedPerStep) {
        Map<String, Object> line = header(w, p, b);
        line.put("clock", clock);
        line.put("steps_timed", seconds.length);
        line.put("images_per_s_median", round(b / median(seconds)));
        line.put("images_per_s_best", round(b / Arrays.stream(seconds).min().orElseThrow()));
        line.put("alloc_bytes_per_step", allocatedPerStep);
        return line;
    }

    /** The median of the values (the mean of the middle two for an even count); sorts a copy. */
    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** Nanoseconds on the chosen clock: the wall, or the calling thread's CPU time ({@code --clock cpu}). */
    private long now() {
        return cpuClock ? ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** Untimed steps after a change of thread count (see {@link StepRun#useThreads}). */
    private static final int SETTLE_STEPS = 3;

    /**
     * One model in training as the peer trains it: the preset under one parameterization, Adam,
     * data-dependent initialisation on the first batch for weight norm, and shuffled minibatches.
     */
    private final class StepRun {
        private final String param;
        /** The kernels' thread count while this model is timed. */
        private final int threads;
        private final Sequential model;
        private final BatchIterator batches;
        private final TrainStep<int[]> step;
        private int epochs;
        private long stepsDone;

        StepRun(String w, String p, int b, Dataset data) {
            this(w, p, Parallel.threads(), b, data);
        }

        StepRun(String w, String p, int threads, int b, Dataset data) {
            this.param = p;
            this.threads = threads;
            Parameterization parameterization = Parameterization.parse(p);
            model = Models.preset(w).build(parameterization, seed, DType.FLOAT32);
            batches = new BatchIterator(data, b, true, seed, BatchIterator.LastBatch.DROP, Augmentation.NONE);
            batches.startEpoch(0);
            if (parameterization.usesWeightNorm()) {
                DataDependentInit.apply(model.layers(), batches.next().images(), DataDependentInit.Options.paper(seed));
                batches.startEpoch(0);
            }
            step = new TrainStep<>(model, new Adam(model.namedParams(), lr(w), 0.9, 0.999, 1e-8, 0),
                    Objective.softmaxCrossEntropy(), null);
        }

        /**
         * Switches the kernels to this run's thread count. A new count starts a new pool, whose
         * workers grow their scratch buffers as they meet larger parts; which parts a worker takes
         * varies from step to step, so {@link #SETTLE_STEPS} steps run untimed first (after one, the
         * next 5 timed cnn steps still allocated 130 KB each; after three, 21 KB, as without a switch).
         */
        void useThreads() {
            if (Parallel.threads() != threads) {
                Parallel.setThreads(threads);
                time(SETTLE_STEPS);
            }
        }

        /** Runs {@code n} training steps, each timed with the gather of its minibatch; their seconds in order. */
        double[] time(int n) {
            return time(n, null);
        }

        /** As {@link #time(int)}, also writing each step's loss into {@code losses} (if not null). */
        double[] time(int n, double[] losses) {
            double[] seconds = new double[n];
            for (int k = 0; k < n; k++) {
                long t0 = now();
                if (!batches.hasNext()) {
                    batches.startEpoch(++epochs);
                }
                BatchIterator.Batch batch = batches.next();
                double loss = step.run(batch.images(), batch.labels(), ++stepsDone, epochs + 1, null);
                seconds[k] = (now() - t0) * 1e-9;
                if (losses != null) {
                    losses[k] = loss;
                }
            }
            return seconds;
        }
    }

    /**
     * The losses of the first {@code n} steps the benchmark takes on workload {@code w}, parameterization
     * {@code p}, batch {@code b} and {@code data} (with this command's seed), for the tests that check
     * the benchmark trains as the {@link Trainer} does.
     */
    double[] losses(String w, String p, int b, Dataset data, int n) {
        double[] losses = new double[n];
        new StepRun(w, p, b, data).time(n, losses);
        return losses;
    }

    /**
     * One whole epoch through the {@link Trainer}: shuffling, steps, then evaluation on the test
     * split. With {@code --warmup N}, N steps of a throwaway model of the same workload and
     * parameterization run first, so that the JIT has compiled the kernels the epoch needs: the
     * epoch of a running program, as against the first epoch of a fresh JVM (which spends about
     * a second in the interpreter and C1 before C2's kernels arrive, docs/BENCHMARKS.md). The
     * timed model is built afresh either way, so the epoch's results do not depend on it.
     */
    Map<String, Object> epoch(String w, String p, int b, DatasetSplits data) {
        int warmSteps = warmup == null ? 0 : warmup;
        if (warmSteps > 0) {
            new StepRun(w, p, b, data.train()).time(warmSteps);
        }
        Sequential model = Models.preset(w).build(Parameterization.parse(p), seed, DType.FLOAT32);
        TrainConfig config = TrainConfig.builder().epochs(1).batchSize(b).optimizer(OptimizerSpec.Adam.of(lr(w))).schedule("constant")
                .initBatch(b).seed(seed).build(); // evaluation batch: the TrainConfig default
        Trainer trainer = Trainer.builder(model, data.train()).test(data.test()).config(config).build();
        resetPeakHeap();
        long t0 = System.nanoTime();
        TrainingSummary summary = trainer.run();
        double wall = (System.nanoTime() - t0) * 1e-9;
        Map<String, Object> line = header(w, p, b);
        line.put("epochs", 1);
        line.put("warmup_steps", warmSteps);
        line.put("images_per_s_epoch", round(data.train().size() / wall));
        line.put("images_per_s_training", round(summary.imagesPerSecond()));
        line.put("wall_s", round(wall));
        line.put("test_accuracy", round(summary.testAccuracy()));
        line.put("train_loss", summary.trainLoss());
        line.put("peak_heap_mb", round(peakHeapMb()));
        return line;
    }

    private Map<String, Object> header(String w, String p, int b) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("impl", "weightnorm4j");
        line.put("threads", Parallel.threads());
        line.put("workload", w);
        line.put("param", p);
        line.put("batch", b);
        return line;
    }

    /** The peer's learning rates. */
    private static double lr(String workload) {
        return Recipe.of(workload).adamLr();    // the peer's: one rate for every parameterization
    }

    /** The peer's synthetic data: {@code 20 * batch} standard-normal images, uniform labels. */
    private Dataset gaussian(String w, int b) {
        int[] shape = Models.preset(w).inputShape();
        int n = 20 * b;
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n * shape[0] * shape[1] * shape[2]];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) gaussian(random);
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(10);
        }
        List<String> classes = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            classes.add("class " + k);
        }
        return new Dataset("synthetic", Tensor.wrap(x, n, shape[0], shape[1], shape[2]), labels, classes);
    }

    /** Box-Muller: one standard normal draw. */
    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static DatasetSplits loadFashionMnist() {
        try {
            return Datasets.load("fashion-mnist", null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load Fashion-MNIST for the benchmark (or pass --synthetic): " + e.getMessage(), e);
        }
    }

    /**
     * Collects the garbage of earlier cases (so their models do not count in this one's peak) and
     * starts the heap pools' peak counters afresh.
     */
    private static void resetPeakHeap() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /**
     * Sum of the heap pools' peaks since {@link #resetPeakHeap}: an upper bound of the heap's peak
     * (it includes garbage not yet collected, so it depends on the collector and -Xmx).
     */
    private static double peakHeapMb() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes / (1024.0 * 1024.0);
    }

    /**
     * The heap in use after a full collection while the model, its optimizer and the batches are
     * still reachable: what training needs, without the garbage that {@link #peakHeapMb} may count.
     */
    private static double liveHeapMb(Object... keepAlive) {
        System.gc();
        double mb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
        java.lang.ref.Reference.reachabilityFence(keepAlive);
        return mb;
    }

    /** Bytes allocated so far by all live threads (the kernels' workers included), or 0 where the JVM cannot tell. */
    private static long allocatedBytes() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (!(bean instanceof com.sun.management.ThreadMXBean sun)) {
            return 0;
        }
        long total = 0;
        for (long bytes : sun.getThreadAllocatedBytes(bean.getAllThreadIds())) {
            total += Math.max(0, bytes);
        }
        return total;
    }

    /** Four significant digits: more would be noise. */
    private static double round(double x) {
        return x == 0 || !Double.isFinite(x) ? x : new java.math.BigDecimal(x).round(new java.math.MathContext(4)).doubleValue();
    }
}
