package org.weightnorm4j.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.weightnorm4j.tensor.ConvSpec;
import org.weightnorm4j.tensor.Float32Kernels;
import org.weightnorm4j.tensor.GemmBlocking;
import org.weightnorm4j.tensor.HostInfo;
import org.weightnorm4j.tensor.KernelProvider;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Parallel;
import org.weightnorm4j.tensor.Tensor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weightnorm bench gemm|conv}: kernel benchmarks that print one JSON object per line, in
 * the format of the peers in {@code shared/bench} so the numbers can be set side by side
 * (docs/BENCHMARKS.md). Each benchmark warms the JIT up first, then times single calls on
 * preallocated operands and reports the median and the best repeat.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = "Kernel benchmarks; one JSON object per line.",
        subcommands = {BenchCommand.Gemm.class, BenchCommand.Conv.class, BenchTrainCommand.class, BenchLstmCommand.class, BenchDrawCommand.class,
                BenchDqnCommand.class, BenchDqnLoopCommand.class, BenchEnvCommand.class, BenchVaeCommand.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options every benchmark shares. */
    static class Common {
        /** Longest warm-up while calls still allocate (see {@link #time}). */
        static final double MAX_WARMUP_SECONDS = 10;
        /**
         * A call allocating more than this (all threads together) is taken as not yet compiled:
         * boxed vectors cost hundreds of KiB per call at the benchmark sizes, while a few small
         * bookkeeping objects (which the JSON line still reports) should not stretch the warm-up.
         */
        static final long WARM_ALLOCATION_BYTES = 64 * 1024;

        @Option(names = "--threads", description = "Threads for the kernels; 0 (the default) means one per core.",
                defaultValue = "0")
        int threads = 0;

        @Option(names = "--reps", description = "Timed repeats; 0 (the default) repeats as the peers do: 50 below 10^8 "
                + "floating-point operations per call, 15 below 3*10^9, else 7.", defaultValue = "0")
        int reps = 0;

        @Option(names = "--warmup-seconds", description = "Time spent warming the JIT up per case (default: ${DEFAULT-VALUE}).",
                defaultValue = "1.5")
        double warmupSeconds = 1.5;

        /** Checks the options (usage errors name the option) and sets the pool's thread count. */
        void apply(CommandLine cl) {
            if (threads < 0) {
                throw new CommandLine.ParameterException(cl, "--threads must be >= 0 (0 means one per core) but got " + threads);
            }
            if (reps < 0) {
                throw new CommandLine.ParameterException(cl, "--reps must be >= 0 (0 means automatic) but got " + reps);
            }
            if (!(warmupSeconds >= 0)) {
                throw new CommandLine.ParameterException(cl, "--warmup-seconds must be >= 0 but got " + warmupSeconds);
            }
            Parallel.setThreads(threads == 0 ? Runtime.getRuntime().availableProcessors() : threads);
        }

        /** Times on the calling thread's CPU clock instead of the wall (a subcommand's {@code --clock cpu}, one thread). */
        boolean cpuClock;

        private long now() {
            return cpuClock ? java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() : System.nanoTime();
        }

        /**
         * Warms up, then times {@code reps} calls of {@code body}; {@code flops} is the work of one
         * call, which sets the automatic repeats (the openblas peer's 50/15/7 for its 256, 1024, 2048
         * sizes). Warm-up runs at least 3 calls and {@link #warmupSeconds}, goes on (up to
         * {@link #MAX_WARMUP_SECONDS}) while a call still allocates (Vector API code that C2 has
         * not compiled yet boxes its vectors, which a busy machine can delay for seconds), and then
         * until the timing has settled: until the median call of one batch is within
         * {@link WarmUp#TOLERANCE} of the batch before ({@link WarmUp}), again up to
         * {@link #MAX_WARMUP_SECONDS}. A first size once ran through all its timed repeats at half
         * speed after a warm-up of fixed length. {@code --warmup-seconds 0} (the tests) means three
         * calls and nothing more.
         */
        Timing time(double flops, Runnable body) {
            int reps = this.reps > 0 ? this.reps : flops < 1e8 ? 50 : flops < 3e9 ? 15 : 7;
            long start = System.nanoTime();
            long warmupEnd = start + (long) (warmupSeconds * 1e9);
            long giveUp = warmupSeconds == 0 ? start : start + (long) (Math.max(warmupSeconds, MAX_WARMUP_SECONDS) * 1e9);
            int calls = 0;
            long lastCall = 0;
            for (; ; calls++) {
                long before = allocatedBytes();
                long t0 = System.nanoTime();
                body.run();
                long now = System.nanoTime();
                lastCall = now - t0;
                boolean allocates = allocatedBytes() - before > WARM_ALLOCATION_BYTES;
                if (calls >= 2 && now >= warmupEnd && (!allocates || now >= giveUp)) {
                    calls++;
                    break;
                }
            }
            boolean settled = warmupSeconds == 0;
            if (!settled) {
                WarmUp warmUp = new WarmUp(WarmUp.batchSize(lastCall));
                while (!settled && System.nanoTime() < giveUp) {
                    long t0 = now();
                    body.run();
                    settled = warmUp.add(now() - t0);
                    calls++;
                }
            }
            double warmedSeconds = (System.nanoTime() - start) * 1e-9;
            long allocated = allocatedBytes();
            double[] seconds = new double[reps];
            for (int r = 0; r < reps; r++) {
                long t0 = now();
                body.run();
                seconds[r] = (now() - t0) * 1e-9;
            }
            long perCall = (allocatedBytes() - allocated) / reps;
            return new Timing(seconds, perCall, calls, warmedSeconds, settled);
        }

        /**
         * Checks the {@code --clock} option of a subcommand ({@code wall} or {@code cpu}, the latter
         * with one thread only, as the calling thread's CPU time misses the pool's work) and sets
         * this benchmark's clock from it.
         */
        void clock(CommandLine cl, String clock) {
            if (!clock.equals("wall") && !clock.equals("cpu")) {
                throw new CommandLine.ParameterException(cl, "--clock must be wall or cpu but got " + clock);
            }
            if (clock.equals("cpu") && Parallel.threads() != 1) {
                throw new CommandLine.ParameterException(cl, "--clock cpu times the calling thread only: use it with --threads 1");
            }
            cpuClock = clock.equals("cpu");
        }
    }

    /**
     * Seconds of each timed repeat, bytes all threads allocated per call while timed, and the
     * warm-up before them: calls, seconds, and whether its timing settled before the cap.
     */
    record Timing(double[] seconds, long allocatedBytesPerCall, int warmupCalls, double warmupSeconds, boolean settled) {
        double best() {
            return Arrays.stream(seconds).min().orElseThrow();
        }

        double median() {
            double[] s = seconds.clone();
            Arrays.sort(s);
            int n = s.length;
            return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        }
    }

    /** {@code bench gemm}: C = A·B for square float32 matrices through {@link Kernels#gemm}. */
    @Command(name = "gemm", mixinStandardHelpOptions = true,
            description = "SGEMM C = A.B for square sizes; prints {\"bench\":\"gemm\",\"m\":..,\"gflops_median\":..,\"gflops_best\":..} per size, "
                    + "with the GEMM blocking and the host.")
    static final class Gemm implements Runnable {
        @CommandLine.Mixin
        Common common = new Common();

        @Option(names = "--sizes", split = ",", description = "Matrix sizes, comma separated (default: ${DEFAULT-VALUE}).",
                defaultValue = "256,1024,2048")
        List<Integer> sizes;

        @Option(names = "--gemm-blocking", paramLabel = "KC,MC,NC",
                description = "Block sizes for the GEMM instead of those derived from this host's caches (see -D"
                        + GemmBlocking.PROPERTY + "); every line prints the ones used as gemm_blocking.")
        String blocking;

        @Option(names = "--clock", defaultValue = "wall", description = "wall (default) or cpu: the calling thread's CPU "
                + "time, which other processes on a loaded machine do not inflate; with --threads 1 only.")
        String clock;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            run(spec.commandLine(), spec.commandLine().getOut());
        }

        /** Runs the benchmark; {@code cl} is the command line that usage errors refer to. */
        void run(CommandLine cl, PrintWriter out) {
            common.apply(cl);
            common.clock(cl, clock);
            if (blocking != null) {
                try {
                    GemmBlocking.override(blocking);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    throw new CommandLine.ParameterException(cl, "--gemm-blocking: " + e.getMessage());
                }
            }
            for (int size : sizes) {
                if (size < 1) {
                    throw new CommandLine.ParameterException(cl, "--sizes must be positive but got " + size);
                }
                SplittableRandom random = new SplittableRandom(size);
                float[] a = random(random, size * size);
                float[] b = random(random, size * size);
                float[] c = new float[size * size];
                Timing t = common.time(2.0 * size * size * size, () -> Kernels.gemm(false, false, size, size, size, a, 0, size, b, 0, size, c, 0, size, false));
                double flops = 2.0 * size * size * size;
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("bench", "gemm");
                line.put("m", size);
                line.put("n", size);
                line.put("k", size);
                line.put("threads", Parallel.threads());
                line.put("clock", clock);
                line.put("kernel", KernelProvider.float32().name());
                line.put("gflops_median", round(flops / t.median() / 1e9));
                line.put("gflops_best", round(flops / t.best() / 1e9));
                line.put("alloc_bytes_per_call", t.allocatedBytesPerCall());
                line.put("warmup_calls", t.warmupCalls());
                line.put("warmup_s", round(t.warmupSeconds()));
                line.put("warmup_settled", t.settled());
                GemmBlocking used = KernelProvider.gemmBlocking();
                line.put("gemm_blocking", used == null ? "none" : used.sizes());
                line.put("gemm_blocking_source", used == null ? "scalar kernels: fixed blocks" : used.source());
                print(out, line);
            }
        }
    }

    /**
     * {@code bench conv}: forward, backward-data and backward-filter of the four convolution layers
     * of the reference workloads (the LAYERS of {@code shared/bench/torch_ops_peer.py}), FLOPs counted
     * as that script does: {@code 3 * 2 * batch * cout * oh * ow * cin * k * k}.
     */
    @Command(name = "conv", mixinStandardHelpOptions = true,
            description = "Conv2d forward + backward of the reference layers; prints {\"bench\":\"conv2d-fwd-bwd\",\"layer\":..,\"ms_median\":..} per layer.")
    static final class Conv implements Runnable {
        /** (name, in channels, out channels, kernel, stride, padding, input height = width); batch from --batch. */
        record Layer(String name, int cin, int cout, int kernel, int stride, int padding, int hw) {
            Layer(String name, int cin, int cout, int kernel, int padding, int hw) {
                this(name, cin, cout, kernel, 1, padding, hw);
            }
        }

        static final List<Layer> LAYERS = List.of(
                new Layer("cnn.conv2 64->64 3x3 28x28", 64, 64, 3, 1, 28),
                new Layer("cnn.conv4 128->128 3x3 14x14", 128, 128, 3, 1, 14),
                new Layer("paper.conv2 96->96 3x3 32x32", 96, 96, 3, 1, 32),
                new Layer("paper.conv5 192->192 3x3 16x16", 192, 192, 3, 1, 16));

        /** Every convolution of the {@code cnn} preset, in order (its step's 46 GFLOP are theirs). */
        static final List<Layer> CNN_LAYERS = List.of(
                new Layer("cnn.conv1 1->64 3x3 28x28", 1, 64, 3, 1, 28),
                new Layer("cnn.conv2 64->64 3x3 28x28", 64, 64, 3, 1, 28),
                new Layer("cnn.conv3 64->128 3x3 14x14", 64, 128, 3, 1, 14),
                new Layer("cnn.conv4 128->128 3x3 14x14", 128, 128, 3, 1, 14),
                new Layer("cnn.conv5 128->128 3x3 valid 7x7", 128, 128, 3, 0, 7),
                new Layer("cnn.conv6 128->128 1x1 5x5", 128, 128, 1, 0, 5),
                new Layer("cnn.conv7 128->10 1x1 5x5", 128, 10, 1, 0, 5));

        /**
         * Every convolution shape of the reference VAE ({@code shared/bench/torch_vae_peer.py}), once
         * each. A transposed convolution is timed as the convolution it is the adjoint of (its
         * forward is that one's backward-data, and the other way round; the filter gradient is the
         * same product), as {@code ConvTranspose2d} computes it.
         */
        static final List<Layer> VAE_LAYERS = List.of(
                new Layer("vae.in 1->16 3x3 28x28", 1, 16, 3, 1, 28),
                new Layer("vae.res16 16->16 3x3 28x28 (x8)", 16, 16, 3, 1, 28),
                new Layer("vae.down1 16->32 3x3 s2 28x28", 16, 32, 3, 2, 1, 28),
                new Layer("vae.res32 32->32 3x3 14x14 (x8)", 32, 32, 3, 1, 14),
                new Layer("vae.down2 32->32 3x3 s2 14x14", 32, 32, 3, 2, 1, 14),
                new Layer("vae.res32 32->32 3x3 7x7 (x8)", 32, 32, 3, 1, 7),
                new Layer("vae.up1 ConvT 32->32 4x4 s2 7x7, as conv 32->32 14x14", 32, 32, 4, 2, 1, 14),
                new Layer("vae.up2 ConvT 32->16 4x4 s2 14x14, as conv 16->32 28x28", 16, 32, 4, 2, 1, 28),
                new Layer("vae.out 16->1 3x3 28x28", 16, 1, 3, 1, 28));

        @CommandLine.Mixin
        Common common = new Common();

        @Option(names = "--batch", description = "Images per batch (default: ${DEFAULT-VALUE}, as the peer).", defaultValue = "100")
        int batch;

        @Option(names = "--layers", description = "reference (the peer's four layers, the default), cnn (every "
                + "convolution of the cnn preset) or vae (every convolution shape of the reference VAE).", defaultValue = "reference")
        String layers = "reference";

        @Option(names = "--split", description = "Time forward, backward-data and backward-filter separately: one line per "
                + "layer and pass, with an \"op\" field.")
        boolean split;

        @Option(names = "--clock", defaultValue = "wall", description = "wall (default) or cpu: each call timed by the calling "
                + "thread's CPU time, which other processes on a loaded machine do not inflate; --threads 1 only.")
        String clock = "wall";

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            common.apply(spec.commandLine());
            if (batch < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--batch must be >= 1");
            }
            if (!clock.equals("wall") && !clock.equals("cpu")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--clock must be wall or cpu but got '" + clock + "'");
            }
            if (clock.equals("cpu") && common.threads != 1) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--clock cpu times the calling thread only: use it with --threads 1");
            }
            common.cpuClock = clock.equals("cpu");
            List<Layer> chosen = switch (layers) {
                case "reference" -> LAYERS;
                case "cnn" -> CNN_LAYERS;
                case "vae" -> VAE_LAYERS;
                default -> throw new CommandLine.ParameterException(spec.commandLine(),
                        "--layers must be reference, cnn or vae but got '" + layers + "'");
            };
            for (Layer layer : chosen) {
                ConvSpec conv = new ConvSpec(layer.stride(), layer.padding());
                int oh = conv.outSize(layer.hw(), layer.kernel());
                SplittableRandom random = new SplittableRandom(layer.cin() * 1000L + layer.hw());
                Tensor x = Tensor.wrap(random(random, batch * layer.cin() * layer.hw() * layer.hw()),
                        batch, layer.cin(), layer.hw(), layer.hw());
                Tensor w = Tensor.wrap(random(random, layer.cout() * layer.cin() * layer.kernel() * layer.kernel()),
                        layer.cout(), layer.cin(), layer.kernel(), layer.kernel());
                Tensor y = Tensor.zeros(batch, layer.cout(), oh, oh);
                Tensor dy = Tensor.wrap(random(random, y.size()), batch, layer.cout(), oh, oh);
                Tensor dx = x.zerosLike();
                Tensor dw = w.zerosLike();
                double flops = 2.0 * batch * layer.cout() * oh * oh * layer.cin() * layer.kernel() * layer.kernel();
                Runnable forward = () -> Kernels.conv2dForward(x, w, y, conv);
                Runnable backwardData = () -> Kernels.conv2dBackwardData(dy, w, dx, conv);
                Runnable backwardFilter = () -> Kernels.conv2dBackwardFilter(x, dy, dw, conv, false);
                List<String> algorithms = KernelProvider.float32() instanceof Float32Kernels f
                        ? f.convolutionAlgorithms(layer.cin(), layer.cout(), layer.kernel(), conv, layer.hw(), layer.hw())
                        : List.of("reference", "reference", "reference");
                if (split) {
                    print(out, line(layer, "forward", algorithms.get(0), flops, common.time(flops, forward)));
                    print(out, line(layer, "backward-data", algorithms.get(1), flops, common.time(flops, backwardData)));
                    print(out, line(layer, "backward-filter", algorithms.get(2), flops, common.time(flops, backwardFilter)));
                } else {
                    Timing t = common.time(3 * flops, () -> {
                        forward.run();
                        backwardData.run();
                        backwardFilter.run();
                    });
                    print(out, line(layer, null, String.join(",", algorithms), 3 * flops, t));
                }
            }
        }

        /**
         * One output line. {@code gflops_best} counts the direct convolution's multiply-adds, as the
         * peer does, whatever the algorithm: for a Winograd pass it is an effective rate.
         */
        private Map<String, Object> line(Layer layer, String op, String algorithm, double flops, Timing t) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("bench", op == null ? "conv2d-fwd-bwd" : "conv2d");
            line.put("layer", layer.name());
            if (op != null) {
                line.put("op", op);
            }
            line.put("algorithm", algorithm);
            line.put("clock", clock);
            line.put("batch", batch);
            line.put("threads", Parallel.threads());
            line.put("kernel", KernelProvider.float32().name());
            line.put("ms_median", round(t.median() * 1e3));
            line.put("ms_best", round(t.best() * 1e3));
            line.put("gflops_best", round(flops / t.best() / 1e9));
            line.put("alloc_bytes_per_call", t.allocatedBytesPerCall());
            return line;
        }
    }

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    /**
     * Prints one benchmark line, with the host that made it appended ({@link HostInfo#fields()}:
     * {@code host_cpu}, {@code host_isa}, {@code host_vector_bits}, {@code host_kernels}, {@code host_l1d},
     * {@code host_l2}, {@code host_l3}, {@code host_cores}) and the GEMM blocking in use
     * ({@code gemm_blocking}: {@code kc,mc,nc}, or "none" for the scalar kernels).
     */
    static void print(PrintWriter out, Map<String, Object> line) {
        Map<String, Object> full = new LinkedHashMap<>(line);
        HostInfo.current().fields().forEach(full::putIfAbsent);
        GemmBlocking blocking = KernelProvider.gemmBlocking();
        full.putIfAbsent("gemm_blocking", blocking == null ? "none" : blocking.sizes());
        out.println(GSON.toJson(full));
        out.flush();
    }

    /** Four significant digits: more would be noise. */
    static double round(double x) {
        return x == 0 || !Double.isFinite(x) ? x : new java.math.BigDecimal(x).round(new java.math.MathContext(4)).doubleValue();
    }

    private static float[] random(SplittableRandom random, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextDouble(-1, 1);
        }
        return x;
    }

    /**
     * Bytes allocated so far by all live threads (the kernels' workers included), or 0 where the
     * JVM cannot tell. Allocates a little itself, far below {@link Common#WARM_ALLOCATION_BYTES}.
     */
    static long allocatedBytes() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (!(bean instanceof com.sun.management.ThreadMXBean)) {
            return 0;
        }
        long total = 0;
        for (long bytes : ((com.sun.management.ThreadMXBean) bean).getThreadAllocatedBytes(bean.getAllThreadIds())) {
            total += Math.max(0, bytes);
        }
        return total;
    }
}
