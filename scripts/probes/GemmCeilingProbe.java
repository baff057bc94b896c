import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Parallel;

/**
 * Where does the AVX2 GEMM lose against OpenBLAS: in the micro-kernel's loop, or on the memory
 * side? Inside one JVM, one thread, thread CPU time, rounds interleaved, it times a copy of
 * PanamaGemm's kernel6 (GemmOffsetProbe's, the same loop) on operands of growing size, and the whole
 * product through the library:
 *
 *   peak         12 independent FMA chains on register operands: the core's FMA ceiling (2 per cycle)
 *   l1-k64       kernel6 on one 64-deep A and B panel pair, again and again (6 KiB, in L1)
 *   l1-k256      the same at depth 256 (22 KiB, in L1)
 *   l2-k1024     depth 1024, one A panel (24 KiB) against 4 B panels (256 KiB) in turn: in L2
 *   macro        the one-thread GEMM's inner two loops without the merge: a packed 156 × 1024 block
 *                of A (624 KiB) against 128 packed B panels (8 MiB), every tile; "macro:KC,MC[,NC[,aSame|bSame]]"
 *                another blocking, and with aSame (bSame) every tile reading A's (B's) first panel
 *   macro+store  the same with every tile stored into C (2048 columns), as a first depth block does
 *   macro+merge  the same with every tile added into C, as later depth blocks do
 *   probe-gemm:N:KC,MC,NC  GemmOffsetProbe's copy of the whole one-thread product at another blocking
 *   plain-gemm:N:KC,MC,NC  this class's copy of it; snake-gemm: B's panels backwards for every other
 *                block of A; snakeA-gemm: A's panels upwards for every other column of tiles
 *   macro suffixes: -pfB (read one float of each line of the next B panel, spread over the column's
 *                tiles; -pfB-lastT: over its last T tiles only), -pfC (the next tile's lines of C),
 *                -snakeA (as snakeA-gemm), e.g. "macro+merge-pfB-pfC:1024,78"
 *   l2x2-k1024, macrox2  l2-k1024 and macro with kernel6x2 (two steps of k per iteration)
 *   gemm1024     Kernels.gemm 1024³ (the library, packing included)
 *   gemm2048     Kernels.gemm 2048³
 *
 * One JSON line per variant: its GFLOP/s in every round, the median, the best, and "cyc_step",
 * the cycles one step of k (12 FMAs) takes if the peak variant of the same round ran at 2 FMAs a
 * cycle (6 = the FMA bound). Diagnostic only (issue 21, the ceiling of the AVX2 kernel).
 *
 * Run: java --add-modules jdk.incubator.vector -cp target/weightnorm4j-all.jar:OUT GemmCeilingProbe [rounds] ["variant;variant;..."]
 */
public final class GemmCeilingProbe {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    static final int L = S.length();
    static final int NR = 2 * L;
    static final int MR = 6;

    static final String[] ALL = {"peak", "l1-k64", "l1-k256", "l2-k1024", "macro", "macro+merge", "gemm1024", "gemm2048"};

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 11;
        String[] variants = args.length > 1 ? args[1].split(";") : ALL;
        Parallel.setThreads(1);
        Operands op = new Operands();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        // Deep calls first, as PanamaGemm's own warm-up does, so C2 compiles the copy from a deep profile.
        long warmEnd = System.nanoTime() + 4_000_000_000L;
        while (System.nanoTime() < warmEnd) {
            for (String v : new String[] {"l2-k1024", "l2x2-k1024", "macrox2", "macro", "macro+merge", "peak", "l1-k256", "l1-k64", "gemm1024",
                    "probe-gemm:1024:1024,156,2048"}) {
                run(v, op);
            }
        }
        double[][] g = new double[variants.length][rounds];
        double[] peak = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            long t0 = mx.getCurrentThreadCpuTime();
            double flops = run("peak", op);
            peak[round] = flops / (mx.getCurrentThreadCpuTime() - t0);
            for (int v = 0; v < variants.length; v++) {
                t0 = mx.getCurrentThreadCpuTime();
                flops = run(variants[v], op);
                g[v][round] = flops / (mx.getCurrentThreadCpuTime() - t0);
            }
        }
        double peakMedian = median(peak);
        for (int v = 0; v < variants.length; v++) {
            double[] cyc = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                cyc[r] = 6 * peak[r] / g[v][r];
            }
            StringBuilder each = new StringBuilder();
            for (double x : g[v]) {
                each.append(each.length() == 0 ? "" : ",").append(String.format("%.1f", x));
            }
            System.out.printf("{\"m\":\"%s\",\"blocking\":\"%s\",\"set\":%d,\"gflops_median\":%.1f,\"gflops_best\":%.1f,"
                            + "\"of_peak\":%.3f,\"cyc_step_median\":%.2f,\"ghz_est\":%.2f,\"rounds\":[%s]}%n",
                    variants[v], variants[v], v, median(g[v]), Arrays.stream(g[v]).max().getAsDouble(), median(g[v]) / peakMedian,
                    median(cyc), peakMedian / 32, each);
        }
    }

    static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** Buffers shared by the variants. */
    static final class Operands {
        final float[] ap = new float[312 * 1024];
        final float[] bp = new float[1024 * 2048];
        final float[] apAny = new float[1024 * 1024];
        final float[] bpAny = new float[1024 * 2048];
        final float[] tile = new float[MR * NR];
        final float[] cBlock = new float[1024 * 2048];
        final float[] a1 = new float[1024 * 1024], b1 = new float[1024 * 1024], c1 = new float[1024 * 1024];
        final float[] a2 = new float[2048 * 2048], b2 = new float[2048 * 2048], c2 = new float[2048 * 2048];

        Operands() {
            SplittableRandom r = new SplittableRandom(5);
            for (float[] x : new float[][] {ap, bp, a1, b1, a2, b2}) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) r.nextDouble(-1, 1);
                }
            }
        }
    }

    /** Runs one variant's unit of work (about 2 GFLOP; 17 for gemm2048) and returns its flops. */
    static double run(String variant, Operands op) {
        switch (variant) {
            case "peak": {
                int steps = 1 << 12;
                for (int i = 0; i < 4096; i++) {
                    op.tile[1 + (i & 7)] = fmaPeak(steps, op.tile[0]);
                }
                return 2.0 * MR * NR * steps * 4096;
            }
            case "l1-k64":
                return repeatSame(64, 2_000_000_000L, op);
            case "l1-k256":
                return repeatSame(256, 2_000_000_000L, op);
            case "l2x2-k1024": {
                double flops = 0;
                for (int calls = 0; flops < 2e9; calls++) {
                    kernel6x2(1024, op.ap, 0, op.bp, (calls & 3) * 1024 * NR, op.tile);
                    flops += 2.0 * MR * NR * 1024;
                }
                return flops;
            }
            case "macrox2": {
                double flops = 0;
                while (flops < 1e9) {
                    for (int jr = 0; jr < 2048; jr += NR) {
                        for (int ir = 0; ir < 156; ir += MR) {
                            kernel6x2(1024, op.ap, ir * 1024, op.bp, jr * 1024, op.tile);
                        }
                    }
                    flops += 2.0 * 156 * 2048 * 1024;
                }
                return flops;
            }
            case "l2-k1024": {
                int calls = 0;
                int kc = 1024;
                double flops = 0;
                while (flops < 2e9) {
                    kernel6(kc, op.ap, 0, op.bp, (calls & 3) * kc * NR, op.tile);
                    calls++;
                    flops += 2.0 * MR * NR * kc;
                }
                return flops;
            }
            case "gemm1024":
                Kernels.gemm(false, false, 1024, 1024, 1024, op.a1, 0, 1024, op.b1, 0, 1024, op.c1, 0, 1024, false);
                return 2.0 * 1024 * 1024 * 1024;
            case "gemm2048":
                Kernels.gemm(false, false, 2048, 2048, 2048, op.a2, 0, 2048, op.b2, 0, 2048, op.c2, 0, 2048, false);
                return 2.0 * 2048 * 2048 * 2048;
            default:
                if (variant.startsWith("macro")) {
                    return macro(variant, op);
                }
                if (variant.startsWith("snake-gemm:") || variant.startsWith("snakeA-gemm:") || variant.startsWith("plain-gemm:")) {
                    // "snake-gemm:n:kc,mc,nc": the same, with the panels of B visited backwards for every other block of A;
                    // "snakeA-gemm": the panels of A visited backwards for every other panel of B; "plain-gemm": neither
                    String[] f = variant.split(":");
                    int n = Integer.parseInt(f[1]);
                    int[] bl = Arrays.stream(f[2].split(",")).mapToInt(Integer::parseInt).toArray();
                    float[] a = n == 1024 ? op.a1 : op.a2, b = n == 1024 ? op.b1 : op.b2, c = n == 1024 ? op.c1 : op.c2;
                    snakeGemm(n, a, b, c, op.bpAny, op.apAny, op.tile, bl[0], bl[1], bl[2], f[0].equals("snake-gemm"),
                            f[0].equals("snakeA-gemm"));
                    return 2.0 * n * n * n;
                }
                if (variant.startsWith("probe-gemm:")) {
                    // "probe-gemm:n:kc,mc,nc": GemmOffsetProbe's copy of the one-thread path (packing, kernel6, merge)
                    String[] f = variant.split(":");
                    int n = Integer.parseInt(f[1]);
                    int[] bl = Arrays.stream(f[2].split(",")).mapToInt(Integer::parseInt).toArray();
                    float[] a = n == 1024 ? op.a1 : op.a2, b = n == 1024 ? op.b1 : op.b2, c = n == 1024 ? op.c1 : op.c2;
                    GemmOffsetProbe.gemm(n, a, b, c, 0, op.bpAny, 0, op.apAny, 0, op.tile, bl[0], bl[1], bl[2]);
                    return 2.0 * n * n * n;
                }
                throw new IllegalArgumentException("unknown variant " + variant + "; known: " + String.join(",", ALL));
        }
    }

    static double repeatSame(int kc, long flopsWanted, Operands op) {
        double flops = 0;
        while (flops < flopsWanted) {
            for (int i = 0; i < 64; i++) {
                kernel6(kc, op.ap, 0, op.bp, 0, op.tile);
            }
            flops += 64 * 2.0 * MR * NR * kc;
        }
        return flops;
    }

    /**
     * "macro[+store|+merge][:kc,mc[,nc[,aSame|bSame]]]" (default 1024,156,2048): a packed mc × kc block of A against the
     * packed panels of a kc × 2048 block of B, as PanamaGemm.macroKernel; the tiles dropped, stored
     * into a C of 2048 columns, or added into it. Repeated over the blocks of B until about 1 GFLOP.
     */
    static double macro(String variant, Operands op) {
        int kc = 1024, mc = 156, nc = 2048;
        boolean aSame = false, bSame = false;
        int colon = variant.indexOf(':');
        if (colon > 0) {
            String[] f = variant.substring(colon + 1).split(",");
            kc = Integer.parseInt(f[0]);
            mc = Integer.parseInt(f[1]);
            nc = f.length > 2 ? Integer.parseInt(f[2]) : nc;
            aSame = f.length > 3 && f[3].equals("aSame");
            bSame = f.length > 3 && f[3].equals("bSame");
        }
        String kind = colon > 0 ? variant.substring(0, colon) : variant;
        // "-pfB": before each tile, read one float of each of a slice of the next B panel's lines, so that
        // the panel is in L2 when its turn comes; "-pfC": read the lines of C the next tile will merge.
        boolean pfB = kind.contains("-pfB"), pfC = kind.contains("-pfC");
        // "-lastT" (T = 1..26): touch the next B panel during the last T tiles of a column of tiles only
        int last = 0;
        java.util.regex.Matcher lm = java.util.regex.Pattern.compile("-last(\\d+)").matcher(kind);
        if (lm.find()) {
            last = Integer.parseInt(lm.group(1));
            kind = kind.replace(lm.group(), "");
        }
        // "-snakeA": the rows of tiles visited down and up in turn, column by column, so that each column
        // starts on the panels of A the last one ended on (still in L2 when A's block is larger than L2)
        boolean snakeA = kind.contains("-snakeA");
        kind = kind.replace("-pfB", "").replace("-pfC", "").replace("-snakeA", "");
        int mode = kind.equals("macro") ? 0 : kind.equals("macro+store") ? 1 : kind.equals("macro+merge") ? 2 : -1;
        if (mode < 0 || kc * nc > op.bp.length || mc * kc > op.ap.length || mc % MR != 0 || nc > 2048) {
            throw new IllegalArgumentException("bad macro variant " + variant);
        }
        double flops = 0;
        int blocks = op.bp.length / (kc * nc);
        for (int blk = 0; flops < 1e9; blk = (blk + 1) % blocks) {
            int bBase = blk * kc * nc;
            int tiles = mc / MR;
            int firstTouching = last > 0 ? Math.max(0, tiles - last) : 0;
            int linesPerTile = (kc + (tiles - firstTouching) - 1) / (tiles - firstTouching);
            float sink = 0;
            for (int jr = 0; jr < nc; jr += NR) {
                for (int t = 0; t < mc; t += MR) {
                    int ir = snakeA && (jr / NR) % 2 == 1 ? mc - MR - t : t;
                    if (pfB && jr + NR < nc && ir / MR >= firstTouching) {
                        int from = (ir / MR - firstTouching) * linesPerTile;
                        sink += touch(op.bp, bBase + (jr + NR) * kc + from * NR, Math.min(linesPerTile, kc - from), NR);
                    }
                    if (pfC && ir + MR < mc) {
                        sink += touch(op.cBlock, (ir + MR) * nc + jr, MR, nc) + touch(op.cBlock, (ir + MR) * nc + jr + NR - 1, MR, nc);
                    }
                    kernel6(kc, op.ap, aSame ? 0 : ir * kc, op.bp, bBase + (bSame ? 0 : jr * kc), op.tile);
                    if (mode == 1) {
                        GemmOffsetProbe.merge(op.tile, MR, op.cBlock, ir * nc + jr, nc, false);
                    } else if (mode == 2) {
                        GemmOffsetProbe.merge(op.tile, MR, op.cBlock, ir * nc + jr, nc, true);
                    }
                }
            }
            flops += 2.0 * mc * nc * kc;
            op.tile[0] += sink * 1e-30f;
        }
        return flops;
    }

    /** GemmOffsetProbe.gemm with B's panels visited forwards and backwards in turn, block of A by block of A. */
    static void snakeGemm(int n, float[] a, float[] b, float[] c, float[] bp, float[] ap, float[] tile,
                          int kcMax, int mcMax, int ncMax, boolean snakeB, boolean snakeA) {
        boolean backwards = false;
        for (int jc = 0; jc < n; jc += ncMax) {
            int nc = Math.min(ncMax, n - jc);
            for (int pc = 0; pc < n; pc += kcMax) {
                int kc = Math.min(kcMax, n - pc);
                GemmOffsetProbe.packB(b, n, pc, kc, jc, nc, bp, 0);
                for (int ic = 0; ic < n; ic += mcMax) {
                    int mc = Math.min(mcMax, n - ic);
                    GemmOffsetProbe.packA(a, n, ic, mc, pc, kc, ap, 0);
                    int panels = (nc + NR - 1) / NR;
                    for (int q = 0; q < panels; q++) {
                        int jr = (backwards ? panels - 1 - q : q) * NR;
                        int rowPanels = (mc + MR - 1) / MR;
                        for (int t = 0; t < rowPanels; t++) {
                            int ir = (snakeA && q % 2 == 1 ? rowPanels - 1 - t : t) * MR;
                            kernel6(kc, ap, ir * kc, bp, jr * kc, tile);
                            GemmOffsetProbe.merge(tile, Math.min(MR, mc - ir), c, (ic + ir) * n + jc + jr, n, pc > 0);
                        }
                    }
                    backwards = snakeB && !backwards;
                }
            }
        }
    }

    /** Reads x[from], x[from + step], ... ({@code count} of them): a load of each line, kept by the sum. */
    static float touch(float[] x, int from, int count, int step) {
        int s = 0;   // an OR of the bits, not a float sum: a chain of 1-cycle ops behind the loads
        for (int q = 0; q < count; q++, from += step) {
            s |= Float.floatToRawIntBits(x[from]);
        }
        return s == 0x7fc00001 ? 1 : 0;
    }



    /**
     * 12 FMA chains on three register operands, {@code steps} steps: the FMA ports' ceiling. (With
     * five operands, 17 live vectors, C2 kept two chains on the stack.)
     */
    static float fmaPeak(int steps, float seed) {
        FloatVector b0 = FloatVector.broadcast(S, 1e-7f + seed * 1e-9f), b1 = FloatVector.broadcast(S, 2e-7f);
        FloatVector x = FloatVector.broadcast(S, 0.5f);
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        for (int p = 0; p < steps; p++) {
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        return c00.add(c01).add(c10).add(c11).add(c20).add(c21).add(c30).add(c31).add(c40).add(c41).add(c50)
                .add(c51).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    /** PanamaGemm.kernel6's loop: GemmOffsetProbe's copy of it (the same 32-instruction compile). */
    static void kernel6(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] tile) {
        GemmOffsetProbe.kernel6(kc, ap, aIdx, bp, bIdx, tile);
    }

    /** kernel6 with two steps of k per iteration (the variant docs/KERNELS.md saw spill before the warm-up). */
    static void kernel6x2(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        int ai = aIdx;
        int bEnd = bIdx + kc * NR;
        // Two steps per iteration (kc even here), then the odd step if any: same order of every sum.
        int bEnd2 = bIdx + (kc & ~1) * NR;
        int bi = bIdx;
        for (; bi < bEnd2; bi += 2 * NR, ai += 12) {
            FloatVector b0, b1, x;
            b0 = FloatVector.fromArray(S, bp, bi);
            b1 = FloatVector.fromArray(S, bp, bi + L);
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
            b0 = FloatVector.fromArray(S, bp, bi + NR);
            b1 = FloatVector.fromArray(S, bp, bi + NR + L);
            x = FloatVector.broadcast(S, ap[ai + 6]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ai + 6 + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ai + 6 + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ai + 6 + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[ai + 6 + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[ai + 6 + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        for (; bi < bEnd; bi += NR, ai += 6) {
            FloatVector b0, b1, x;
            b0 = FloatVector.fromArray(S, bp, bi);
            b1 = FloatVector.fromArray(S, bp, bi + L);
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
