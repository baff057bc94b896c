import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Parallel;

/**
 * Ties one JVM's SGEMM speed (one thread, thread CPU time) to where its big float[] buffers lie:
 * prints, per size, one JSON line with the median and best GFLOP/s and the data address mod 4096
 * of the operands (a, b, c) and of PanamaGemm's per-thread buffers (packed A, packed B, the tile
 * scratch), read before and after the timed calls (a moved buffer shows as two values).
 * Diagnostic only (issue 21, the per-JVM spread): it reads addresses through sun.misc.Unsafe and
 * PanamaGemm's private fields by reflection.
 *
 * Run: java --add-modules jdk.incubator.vector -cp target/weightnorm4j-all.jar:OUT GemmAlignProbe [sizes] [calls]
 * Compressed oops are decoded with the shift of -Dprobe.oopShift (default 3, the zero-based
 * mode of a heap between 4 and 32 GiB: -Xlog:gc+heap+coops=debug says which).
 */
public final class GemmAlignProbe {
    private static final sun.misc.Unsafe U = unsafe();

    public static void main(String[] args) throws Exception {
        String[] sizes = (args.length > 0 ? args[0] : "1024,2048").split(",");
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        Parallel.setThreads(1);
        for (String s : sizes) {
            run(Integer.parseInt(s.trim()), calls);
        }
    }

    private static void run(int n, int calls) throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        float[] a = new float[n * n], b = new float[n * n], c = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextDouble(-1, 1);
            b[i] = (float) r.nextDouble(-1, 1);
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double flops = 2.0 * n * n * n;
        long warmEnd = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < warmEnd) {
            Kernels.gemm(false, false, n, n, n, a, 0, n, b, 0, n, c, 0, n, false);
        }
        String before = buffers();
        double[] g = new double[calls];
        for (int i = 0; i < calls; i++) {
            long t0 = mx.getCurrentThreadCpuTime();
            Kernels.gemm(false, false, n, n, n, a, 0, n, b, 0, n, c, 0, n, false);
            g[i] = flops / (mx.getCurrentThreadCpuTime() - t0);
        }
        String after = buffers();
        Arrays.sort(g);
        System.out.printf("{\"n\":%d,\"gflops_median\":%.1f,\"gflops_best\":%.1f,\"a\":%d,\"b\":%d,\"c\":%d,%s%s}%n",
                n, g[calls / 2], g[calls - 1], mod(a), mod(b), mod(c), before,
                before.equals(after) ? "" : ",\"moved_to\":{" + after + "}");
    }

    /** PanamaGemm's buffers of this thread: "pa":.., "pb":.., "tile":.. (address mod 4096). */
    private static String buffers() throws Exception {
        Class<?> gemm = Class.forName("org.weightnorm4j.tensor.PanamaGemm");
        Field f = gemm.getDeclaredField("BUFFERS");
        f.setAccessible(true);
        Object buf = ((ThreadLocal<?>) f.get(null)).get();
        return "\"pa\":" + mod((float[]) field(buf, "a")) + ",\"pb\":" + mod((float[]) field(buf, "b"))
                + ",\"tile\":" + mod((float[]) field(buf, "tile"));
    }

    private static Object field(Object o, String name) throws Exception {
        Field f = o.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
    }

    /** The address of {@code x[0]} mod 4096. */
    static long mod(float[] x) {
        return address(x) % 4096;
    }

    static long address(float[] x) {
        Object[] holder = {x};
        long base = U.arrayBaseOffset(Object[].class);
        long obj = U.arrayIndexScale(Object[].class) == 4
                ? (U.getInt(holder, base) & 0xffffffffL) << Integer.getInteger("probe.oopShift", 3)
                : U.getLong(holder, base);
        return obj + U.arrayBaseOffset(float[].class);
    }

    private static sun.misc.Unsafe unsafe() {
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
