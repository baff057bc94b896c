import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.weightnorm4j.model.Models;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.optim.Adam;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Parallel;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.train.Objective;

/**
 * Where a training step of a preset's model goes, layer by layer, at 1 and 2 threads in the same
 * JVM (rounds alternating the thread count, so a change of the host's load falls on both): the wall
 * time of each layer's forward and backward, the loss, and the optimizer, as TrainStep runs them
 * (the first trainable layer's backward skips the input gradient). Prints, per thread count, each
 * part's minimum and median over the timed steps in ms, and the 1-thread ÷ 2-thread ratio of the
 * minima (2.0 = perfect scaling). Sequential's fused pairs (mean-only batch norm + ReLU) are not
 * reproduced: use it with normal or wn.
 * The T2 columns split each part's two-thread time into the caller's serial CPU time and the CPU
 * time inside pool parts (both threads), whose sum against T1's CPU time says whether a part is
 * split at all and how much CPU the split costs, and whose projection (serial + parts / 2) against
 * the wall says how long a thread waited: build with scripts/probes/parallel-stats.patch applied
 * (git apply; not for commit) and run with -Dweightnorm4j.probe.parallelStats=true. On a loaded
 * host run it in a session of its own at autogroup nice -20 (docs/BENCHMARKS.md, "cnn at two threads").
 * Run: java --add-modules jdk.incubator.vector -cp target/weightnorm4j-all.jar scripts/probes/CnnStepProbe.java [workload] [param] [steps] [rounds]
 */
public final class CnnStepProbe {
    public static void main(String[] args) {
        String workload = args.length > 0 ? args[0] : "cnn";
        String param = args.length > 1 ? args[1] : "normal";
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Sequential model = Models.preset(workload).build(Parameterization.parse(param), 1, DType.FLOAT32);
        List<Layer> layers = model.layers();
        int first = 0;
        while (layers.get(first).params().isEmpty()) {
            first++;
        }
        int[] in = workload.equals("paper-cifar") ? new int[] {3, 32, 32} : new int[] {1, 28, 28};
        Tensor x = Tensor.zeros(100, in[0], in[1], in[2]);
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < x.data().length; i++) {
            x.data()[i] = (float) r.nextGaussian();
        }
        int[] labels = new int[100];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = r.nextInt(10);
        }
        Adam adam = new Adam(model.namedParams(), 1e-3, 0.9, 0.999, 1e-8, 0);
        var objective = Objective.softmaxCrossEntropy();
        int parts = 2 * layers.size() + 2;
        int[] threads = {1, 2};
        double[][][][] data = new double[threads.length][parts][5][rounds * steps];
        acc = new double[parts][5];
        for (int t = 0; t < threads.length; t++) {      // warm-up at each count
            Parallel.setThreads(threads[t]);
            for (int s = 0; s < 8; s++) {
                step(model, layers, first, adam, objective, x, labels, new double[parts]);
            }
        }
        for (int round = 0; round < rounds; round++) {
            for (int t = 0; t < threads.length; t++) {
                Parallel.setThreads(threads[t]);
                double[] one = new double[parts];
                for (int s = 0; s < 3; s++) {
                    step(model, layers, first, adam, objective, x, labels, one);
                }
                for (int s = 0; s < steps; s++) {
                    step(model, layers, first, adam, objective, x, labels, one);
                    for (int p = 0; p < parts; p++) {
                        for (int m = 0; m < 5; m++) {
                            data[t][p][m][round * steps + s] = acc[p][m];
                        }
                    }
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (Layer l : layers) {
            names.add("fwd " + l.describe());
        }
        names.add("loss");
        for (int k = layers.size() - 1; k >= 0; k--) {
            names.add("bwd " + layers.get(k).describe() + (k == first ? " (params only)" : ""));
        }
        names.add("optimizer");
        System.out.printf("%-52s %8s %8s | %8s %8s %8s %5s %8s | %6s %6s%n", workload + "/" + param + " part (ms, medians)",
                "T1 wall", "T1 cpu", "T2 wall", "T2 ser", "T2 prt", "runs", "T2 proj", "cpu×", "scale");
        double[] sum = new double[7];
        for (int p = 0; p < parts; p++) {
            double w1 = med(data[0][p][0]), c1 = med(data[0][p][1]), w2 = med(data[1][p][0]);
            double[] ser = new double[rounds * steps];
            for (int i = 0; i < ser.length; i++) {
                ser[i] = data[1][p][1][i] - data[1][p][3][i];
            }
            double s2 = med(ser), p2 = med(data[1][p][2]), runs = med(data[1][p][4]);
            double proj = s2 + p2 / 2;
            sum[0] += w1; sum[1] += c1; sum[2] += w2; sum[3] += s2; sum[4] += p2; sum[5] += runs; sum[6] += proj;
            System.out.printf("%-52s %8.2f %8.2f | %8.2f %8.2f %8.2f %5.0f %8.2f | %6.2f %6.2f%n", trim(names.get(p)), w1, c1, w2, s2, p2,
                    runs, proj, (s2 + p2) / c1, c1 / proj);
        }
        System.out.printf("%-52s %8.2f %8.2f | %8.2f %8.2f %8.2f %5.0f %8.2f | %6.2f %6.2f%n", "sum", sum[0], sum[1], sum[2], sum[3], sum[4],
                sum[5], sum[6], (sum[3] + sum[4]) / sum[1], sum[1] / sum[6]);
        System.out.println("T1 cpu: the calling thread's CPU time at one thread; T2 ser: the caller's CPU outside pool runs at two; T2 prt: "
                + "CPU inside pool parts, both threads; T2 proj = ser + prt/2 (no waiting); cpu× = (ser+prt)/T1 cpu; scale = T1 cpu / T2 proj");
    }

    static String trim(String s) {
        return s.length() > 52 ? s.substring(0, 52) : s;
    }

    static double med(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();
    /** Per part: [0] wall, [1] caller CPU, [2] CPU in pool parts (all threads), [3] caller CPU inside pool runs, [4] pool runs. */
    static double[][] acc;
    static long w0, c0, p0, q0, r0;
    /**
     * Parallel's probe counters (CPU time inside pool parts, the caller's CPU time inside pool runs,
     * the runs): only with scripts/probes/parallel-stats.patch applied and
     * -Dweightnorm4j.probe.parallelStats=true; without them the T2 ser/prt columns read 0.
     */
    static final java.util.concurrent.atomic.AtomicLong PART_CPU = counter("PART_CPU"), POOL_CALLER_CPU = counter("POOL_CALLER_CPU"),
            POOL_RUNS = counter("POOL_RUNS");

    static java.util.concurrent.atomic.AtomicLong counter(String name) {
        try {
            return (java.util.concurrent.atomic.AtomicLong) Parallel.class.getField(name).get(null);
        } catch (ReflectiveOperationException e) {
            return new java.util.concurrent.atomic.AtomicLong();
        }
    }

    static void begin() {
        w0 = System.nanoTime();
        c0 = MX.getCurrentThreadCpuTime();
        p0 = PART_CPU.get();
        q0 = POOL_CALLER_CPU.get();
        r0 = POOL_RUNS.get();
    }

    static double end(int part) {
        long w = System.nanoTime() - w0;
        acc[part][0] = w / 1e6;
        acc[part][1] = (MX.getCurrentThreadCpuTime() - c0) / 1e6;
        acc[part][2] = (PART_CPU.get() - p0) / 1e6;
        acc[part][3] = (POOL_CALLER_CPU.get() - q0) / 1e6;
        acc[part][4] = POOL_RUNS.get() - r0;
        return w / 1e6;
    }

    private static void step(Sequential model, List<Layer> layers, int first, Adam adam, Objective<int[]> objective, Tensor x,
                             int[] labels, double[] ms) {
        for (Param p : model.params()) {
            p.zeroGrad();
        }
        int p = 0;
        Tensor h = x;
        for (Layer l : layers) {
            begin();
            h = l.forward(h, Mode.TRAIN);
            ms[p] = end(p);
            p++;
        }
        begin();
        objective.loss(h, labels);
        Tensor g = objective.gradient();
        ms[p] = end(p);
        p++;
        for (int k = layers.size() - 1; k >= 0; k--) {
            begin();
            if (k > first) {
                g = layers.get(k).backward(g);
            } else if (k == first) {
                layers.get(k).backwardParamsOnly(g);
            }
            ms[p] = end(p);
            p++;
        }
        begin();
        adam.step();
        ms[p] = end(p);
    }
}
