import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.weightnorm4j.tensor.ConvSpec;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Parallel;
import org.weightnorm4j.tensor.Tensor;

/**
 * Times the VAE's 3x3 stride-1 forward convolutions that use ChannelVectorConv's register tiles
 * (1 -> 16 and 16 -> 16 on 28x28: the 16-channel tile; 32 -> 32 on 14x14: the 32-channel tile), one thread,
 * batch 100, by thread CPU time; prints one JSON line per pass: {"m": name, "median": ms, "min": ms}.
 * Used by scripts/jit-spill-check.py to tie each JVM's compile of a tile to its speed.
 * Run: java --add-modules jdk.incubator.vector -cp target/weightnorm4j-all.jar:OUT ConvTileProbe [calls]
 */
public final class ConvTileProbe {
    public static void main(String[] args) {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Parallel.setThreads(1);
        pass("fwd1x16_28", 1, 16, 28, calls);     // the VAE's first layer: the 16-channel tile profiled with 9 taps first
        pass("fwd16x16_28", 16, 16, 28, calls);
        pass("fwd32x32_14", 32, 32, 14, calls);
        pass("fwd16x16_28", 16, 16, 28, calls);   // again: the tile's final compile is in place by now
    }

    private static void pass(String name, int c, int o, int hw, int calls) {
        SplittableRandom r = new SplittableRandom(7);
        Tensor x = Tensor.zeros(100, c, hw, hw), w = Tensor.zeros(o, c, 3, 3), y = Tensor.zeros(100, o, hw, hw);
        fill(x.data(), r);
        fill(w.data(), r);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[] ms = new double[calls];
        for (int i = 0; i < 5 + calls; i++) {
            long t0 = mx.getCurrentThreadCpuTime();
            Kernels.conv2dForward(x, w, y, ConvSpec.same(3));
            long t1 = mx.getCurrentThreadCpuTime();
            if (i >= 5) {
                ms[i - 5] = (t1 - t0) / 1e6;
            }
        }
        Arrays.sort(ms);
        System.out.printf("{\"m\": \"%s\", \"median\": %.2f, \"min\": %.2f, \"check\": %.6f}%n", name, ms[calls / 2], ms[0], y.data()[12345]);
    }

    private static void fill(float[] a, SplittableRandom r) {
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (r.nextDouble() * 2 - 1);
        }
    }
}
