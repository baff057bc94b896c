import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Does the AVX2 GEMM's speed depend on where its packed buffers start? Inside one JVM (so one
 * compile of the kernel), a copy of PanamaGemm's one-thread path (pack B's kc × nc block, pack A's
 * mc × kc block, the 6 × 16 kernel6 loop, the merge through a tile) multiplies n³ with the packed
 * B, the packed A and C each shifted by an offset of 0..15 floats into oversized arrays, rounds
 * of every offset interleaved; one thread, thread CPU time. Prints the data address mod 64 of each
 * shifted buffer (read through sun.misc.Unsafe, compressed oops decoded with shift 3) beside its
 * GFLOP/s. Diagnostic only (issue 21, the per-JVM spread).
 *
 * Other modes: "sets" (eight separate buffer sets, other pages) and "kc,mc,nc:kc,mc,nc:..." (blockings
 * compared the same way). scripts/probes/README.md has the commands and what they showed.
 *
 * Run: java --add-modules jdk.incubator.vector -cp OUT GemmOffsetProbe [n] [rounds] [b|a|c|sets|blockings] [kc]
 */
public final class GemmOffsetProbe {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = S.length();
    private static final int NR = 2 * L;
    private static final int MR = 6;
    private static final int MC = 78;
    private static final int NC = 2048;

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String which = args.length > 2 ? args[2] : "b";
        int kcMax = args.length > 3 ? Integer.parseInt(args[3]) : 1024;
        SplittableRandom r = new SplittableRandom(3);
        float[] a = new float[n * n], b = new float[n * n];
        float[] c = new float[n * n + 64];
        for (int i = 0; i < n * n; i++) {
            a[i] = (float) r.nextDouble(-1, 1);
            b[i] = (float) r.nextDouble(-1, 1);
        }
        float[] bp = new float[kcMax * NC + 64];
        float[] ap = new float[MC * kcMax + 64];
        float[] tile = new float[MR * NR + 64];
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double flops = 2.0 * n * n * n;
        int[] offsets = {0, 2, 4, 6, 8, 10, 12, 14};
        if (which.contains(":")) {
            blockings(n, rounds, a, b, c, which.split(":"), mx, flops);
            return;
        }
        if (which.equals("sets")) {
            sets(n, rounds, a, b, c, kcMax, mx, flops);
            return;
        }
        long warmEnd = System.nanoTime() + 4_000_000_000L;
        while (System.nanoTime() < warmEnd) {
            gemm(n, a, b, c, 0, bp, 0, ap, 0, tile, kcMax);
        }
        double[][] g = new double[offsets.length][rounds * 3];
        for (int round = 0; round < rounds; round++) {
            for (int o = 0; o < offsets.length; o++) {
                int off = offsets[o];
                for (int rep = 0; rep < 3; rep++) {
                    long t0 = mx.getCurrentThreadCpuTime();
                    gemm(n, a, b, c, which.equals("c") ? off : 0, bp, which.equals("b") ? off : 0,
                            ap, which.equals("a") ? off : 0, tile, kcMax);
                    g[o][round * 3 + rep] = flops / (mx.getCurrentThreadCpuTime() - t0);
                }
            }
        }
        float[] shifted = which.equals("b") ? bp : which.equals("a") ? ap : c;
        long base = GemmAlignProbe.address(shifted);
        for (int o = 0; o < offsets.length; o++) {
            String each = rounds(g[o]);
            Arrays.sort(g[o]);
            System.out.printf("{\"n\":%d,\"kc\":%d,\"shifted\":\"%s\",\"set\":%d,\"pa_mod4096\":%d,\"gflops_median\":%.1f,\"rounds\":[%s]}%n",
                    n, kcMax, which, offsets[o], (base + 4L * offsets[o]) % 64, g[o][g[o].length / 2], each);
        }
    }

    /**
     * Eight sets of packed buffers (same virtual offsets, different pages), used in turn, rounds
     * interleaved: a set that is slower in every round is slower for where its memory lies.
     */
    static void sets(int n, int rounds, float[] a, float[] b, float[] c, int kcMax, ThreadMXBean mx, double flops) {
        int count = 8;
        float[][] bps = new float[count][], aps = new float[count][];
        for (int s = 0; s < count; s++) {
            bps[s] = new float[kcMax * NC + 64];
            aps[s] = new float[MC * kcMax + 64];
        }
        float[] tile = new float[MR * NR + 64];
        long warmEnd = System.nanoTime() + 4_000_000_000L;
        for (int s = 0; System.nanoTime() < warmEnd; s = (s + 1) % count) {
            gemm(n, a, b, c, 0, bps[s], 0, aps[s], 0, tile, kcMax);
        }
        double[][] g = new double[count][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int s = 0; s < count; s++) {
                long t0 = mx.getCurrentThreadCpuTime();
                gemm(n, a, b, c, 0, bps[s], 0, aps[s], 0, tile, kcMax);
                g[s][round] = flops / (mx.getCurrentThreadCpuTime() - t0);
            }
        }
        for (int s = 0; s < count; s++) {
            String each = rounds(g[s]);
            double[] sorted = g[s].clone();
            Arrays.sort(sorted);
            System.out.printf("{\"n\":%d,\"kc\":%d,\"set\":%d,\"pa_mod4096\":%d,\"pb_mod4096\":%d,\"gflops_median\":%.1f,\"rounds\":[%s]}%n",
                    n, kcMax, s, GemmAlignProbe.address(aps[s]) % 4096, GemmAlignProbe.address(bps[s]) % 4096,
                    sorted[rounds / 2], each);
        }
    }

    /**
     * Blockings "kc,mc,nc" (given as kc,mc,nc:kc,mc,nc:...) in turn, rounds interleaved: which one
     * is faster while the host's load changes under all of them alike. ("set" = the blocking's index.)
     */
    static void blockings(int n, int rounds, float[] a, float[] b, float[] c, String[] specs, ThreadMXBean mx, double flops) {
        int count = specs.length;
        int[][] bl = new int[count][];
        int bpSize = 0, apSize = 0;
        for (int s = 0; s < count; s++) {
            bl[s] = Arrays.stream(specs[s].split(",")).mapToInt(Integer::parseInt).toArray();
            bpSize = Math.max(bpSize, bl[s][0] * bl[s][2]);
            apSize = Math.max(apSize, bl[s][0] * bl[s][1]);
        }
        float[] bp = new float[bpSize], ap = new float[apSize], tile = new float[MR * NR];
        long warmEnd = System.nanoTime() + 4_000_000_000L;
        for (int s = 0; System.nanoTime() < warmEnd; s = (s + 1) % count) {
            gemm(n, a, b, c, 0, bp, 0, ap, 0, tile, bl[s][0], bl[s][1], bl[s][2]);
        }
        double[][] g = new double[count][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int s = 0; s < count; s++) {
                long t0 = mx.getCurrentThreadCpuTime();
                gemm(n, a, b, c, 0, bp, 0, ap, 0, tile, bl[s][0], bl[s][1], bl[s][2]);
                g[s][round] = flops / (mx.getCurrentThreadCpuTime() - t0);
            }
        }
        for (int s = 0; s < count; s++) {
            String each = rounds(g[s]);
            double[] sorted = g[s].clone();
            Arrays.sort(sorted);
            System.out.printf("{\"n\":%d,\"blocking\":\"%s\",\"set\":%d,\"pa_mod4096\":0,\"gflops_median\":%.1f,\"rounds\":[%s]}%n",
                    n, specs[s], s, sorted[rounds / 2], each);
        }
    }

    /** The GFLOP/s of every round, comma separated, in the order they ran. */
    static String rounds(double[] g) {
        StringBuilder each = new StringBuilder();
        for (double x : g) {
            each.append(each.length() == 0 ? "" : ",").append(String.format("%.1f", x));
        }
        return each.toString();
    }

    static void gemm(int n, float[] a, float[] b, float[] c, int cOff, float[] bp, int bpOff, float[] ap, int apOff,
                     float[] tile, int kcMax) {
        gemm(n, a, b, c, cOff, bp, bpOff, ap, apOff, tile, kcMax, MC, NC);
    }

    static void gemm(int n, float[] a, float[] b, float[] c, int cOff, float[] bp, int bpOff, float[] ap, int apOff,
                     float[] tile, int kcMax, int mcMax, int ncMax) {
        for (int jc = 0; jc < n; jc += ncMax) {
            int nc = Math.min(ncMax, n - jc);
            for (int pc = 0; pc < n; pc += kcMax) {
                int kc = Math.min(kcMax, n - pc);
                packB(b, n, pc, kc, jc, nc, bp, bpOff);
                for (int ic = 0; ic < n; ic += mcMax) {
                    int mc = Math.min(mcMax, n - ic);
                    packA(a, n, ic, mc, pc, kc, ap, apOff);
                    for (int jr = 0; jr < nc; jr += NR) {
                        for (int ir = 0; ir < mc; ir += MR) {
                            kernel6(kc, ap, apOff + ir * kc, bp, bpOff + jr * kc, tile);
                            merge(tile, Math.min(MR, mc - ir), c, cOff + (ic + ir) * n + jc + jr, n, pc > 0);
                        }
                    }
                }
            }
        }
    }

    static void packB(float[] b, int ldb, int p0, int kc, int j0, int nc, float[] bp, int bpOff) {
        for (int jr = 0; jr < nc; jr += NR) {
            int dst = bpOff + jr * kc;
            int src = p0 * ldb + j0 + jr;
            for (int p = 0; p < kc; p++, src += ldb, dst += NR) {
                FloatVector.fromArray(S, b, src).intoArray(bp, dst);
                FloatVector.fromArray(S, b, src + L).intoArray(bp, dst + L);
            }
        }
    }

    static void packA(float[] a, int lda, int i0, int mc, int p0, int kc, float[] ap, int apOff) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int dst = apOff + ir * kc;
            for (int rr = 0; rr < MR; rr++) {
                int src = (i0 + ir + Math.min(rr, mr - 1)) * lda + p0;
                int d = dst + rr;
                for (int p = 0; p < kc; p++, d += MR) {
                    ap[d] = rr < mr ? a[src + p] : 0f;
                }
            }
        }
    }

    static void merge(float[] tile, int mr, float[] c, int cIdx, int ldc, boolean add) {
        for (int r = 0; r < mr; r++, cIdx += ldc) {
            FloatVector t0 = FloatVector.fromArray(S, tile, r * NR);
            FloatVector t1 = FloatVector.fromArray(S, tile, r * NR + L);
            if (add) {
                t0 = t0.add(FloatVector.fromArray(S, c, cIdx));
                t1 = t1.add(FloatVector.fromArray(S, c, cIdx + L));
            }
            t0.intoArray(c, cIdx);
            t1.intoArray(c, cIdx + L);
        }
    }

    static void kernel6(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        int ai = aIdx;
        int bEnd = bIdx + kc * NR;
        for (int bi = bIdx; bi < bEnd; bi += NR, ai += 6) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector x;
            x = FloatVector.broadcast(S, ap[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        c00.intoArray(tile, 0 * NR);
        c01.intoArray(tile, 0 * NR + L);
        c10.intoArray(tile, 1 * NR);
        c11.intoArray(tile, 1 * NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
    }
}
