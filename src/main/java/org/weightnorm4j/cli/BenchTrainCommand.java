package org.weightnorm4j.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
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
import org.weightnorm4j.model.ModelSpec;
import org.weightnorm4j.model.Models;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.nn.SoftmaxCrossEntropy;
import org.weightnorm4j.norm.DataDependentInit;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.optim.Adam;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Parallel;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.train.TrainConfig;
import org.weightnorm4j.train.Trainer;
import org.weightnorm4j.train.TrainingSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weightnorm bench train}: images per second of whole training steps (forward, softmax
 * cross-entropy, backward, Adam) on the reference workloads, measured as
 * {@code shared/bench/torch_peer.py} measures them so the two JSON lines can be set side by side
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
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Training-step throughput of the reference workloads; one JSON object per (workload, param).")
public final class BenchTrainCommand implements Runnable {
    private static final List<String> PARAMS = List.of("normal", "bn", "wn", "wn-mobn", "mobn");
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    @Option(names = "--workload", description = "mlp | cnn | paper-cifar | all (default: ${DEFAULT-VALUE}).", defaultValue = "mlp")
    String workload;

    @Option(names = "--param", description = "normal | bn | wn | wn-mobn | mobn | all (default: ${DEFAULT-VALUE}).", defaultValue = "all")
    String param;

    @Option(names = "--steps", description = "Timed steps (default: 1000 for mlp, 30 otherwise).")
    Integer steps;

    @Option(names = "--warmup", description = "Untimed steps first (default: 500 for mlp, whose 3.5 ms steps "
            + "the JIT needs hundreds of before it has compiled them; 15 otherwise, already more than PyTorch's 5).")
    Integer warmup;

    @Option(names = "--threads", description = "Threads for the kernels; 0 (the default) means one per core.", defaultValue = "0")
    int threads;

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

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        run(spec.commandLine(), spec.commandLine().getOut());
    }

    /** Runs the benchmark; {@code cl} is the command line that usage errors refer to. */
    void run(CommandLine cl, PrintWriter out) {
        List<String> workloads = workload.equals("all") ? Models.NAMES : List.of(workload);
        List<String> params = param.equals("all") ? PARAMS : List.of(param);
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
        if (steps != null && steps < 1 || warmup != null && warmup < 0 || threads < 0 || batch < 0) {
            throw new CommandLine.ParameterException(cl, "--steps must be >= 1 and --warmup, --threads, --batch >= 0; got steps "
                    + steps + ", warmup " + warmup + ", threads " + threads + ", batch " + batch);
        }
        if (epoch && (synthetic || workloads.contains("paper-cifar"))) {
            throw new CommandLine.ParameterException(cl, "--epoch trains on Fashion-MNIST: use it without --synthetic, "
                    + "with --workload mlp or cnn");
        }
        Parallel.setThreads(threads == 0 ? Runtime.getRuntime().availableProcessors() : threads);
        DatasetSplits fashion = null;
        for (String w : workloads) {
            boolean gaussian = synthetic || w.equals("paper-cifar");
            if (!gaussian && fashion == null) {
                fashion = loadFashionMnist();
            }
            for (String p : params) {
                int b = batch > 0 ? batch : w.equals("mlp") ? 128 : 100;
                Map<String, Object> line = epoch ? epoch(w, p, b, fashion) : steps(w, p, b, gaussian ? gaussian(w, b) : fashion.train());
                out.println(GSON.toJson(line));
                out.flush();
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
        int warmup = warmupSteps(w);
        ModelSpec spec = Models.preset(w);
        Sequential model = spec.build(Parameterization.parse(p), seed, DType.FLOAT32);
        BatchIterator batches = new BatchIterator(data, b, true, seed, BatchIterator.LastBatch.DROP, Augmentation.NONE);
        batches.startEpoch(0);
        if (Parameterization.parse(p).usesWeightNorm()) {
            DataDependentInit.apply(model.layers(), batches.next().images(), DataDependentInit.Options.paper(seed));
            batches.startEpoch(0);
        }
        Adam adam = new Adam(model.namedParams(), lr(w), 0.9, 0.999, 1e-8, 0);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        double[] seconds = new double[steps];
        int epochs = 0;
        long allocatedBefore = 0;
        for (int step = 0; step < warmup + steps; step++) {
            if (step == warmup) {
                resetPeakHeap();
                allocatedBefore = allocatedBytes();
            }
            long t0 = System.nanoTime();
            if (!batches.hasNext()) {
                batches.startEpoch(++epochs);
            }
            BatchIterator.Batch batch = batches.next();
            model.zeroGrad();
            loss.forward(model.forward(batch.images(), Mode.TRAIN), batch.labels());
            model.backwardParamsOnly(loss.backward());
            adam.step();
            if (step >= warmup) {
                seconds[step - warmup] = (System.nanoTime() - t0) * 1e-9;
            }
        }
        long allocatedPerStep = (allocatedBytes() - allocatedBefore) / steps;
        Arrays.sort(seconds);
        double median = steps % 2 == 1 ? seconds[steps / 2] : (seconds[steps / 2 - 1] + seconds[steps / 2]) / 2;
        Map<String, Object> line = header(w, p, b);
        line.put("steps_timed", steps);
        line.put("images_per_s_median", round(b / median));
        line.put("images_per_s_best", round(b / seconds[0]));
        line.put("alloc_bytes_per_step", allocatedPerStep);
        line.put("peak_heap_mb", round(peakHeapMb()));
        line.put("live_heap_mb", round(liveHeapMb(model, adam, batches)));
        return line;
    }

    /** One whole epoch through the {@link Trainer}: shuffling, steps, then evaluation on the test split. */
    private Map<String, Object> epoch(String w, String p, int b, DatasetSplits data) {
        Sequential model = Models.preset(w).build(Parameterization.parse(p), seed, DType.FLOAT32);
        TrainConfig config = TrainConfig.builder().epochs(1).batchSize(b).optimizer("adam", lr(w)).schedule("constant")
                .initBatch(b).seed(seed).build(); // evaluation batch: the TrainConfig default
        Trainer trainer = new Trainer(model, data.train(), data.test(), config, null, null);
        resetPeakHeap();
        long t0 = System.nanoTime();
        TrainingSummary summary = trainer.run();
        double wall = (System.nanoTime() - t0) * 1e-9;
        Map<String, Object> line = header(w, p, b);
        line.put("epochs", 1);
        line.put("images_per_s_epoch", round(data.train().size() / wall));
        line.put("images_per_s_training", round(summary.imagesPerSecond()));
        line.put("wall_s", round(wall));
        line.put("test_accuracy", round(summary.testAccuracy()));
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
        return workload.equals("mlp") ? 1e-3 : 3e-3;
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
