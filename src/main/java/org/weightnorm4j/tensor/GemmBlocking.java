package org.weightnorm4j.tensor;

import java.util.Locale;

/**
 * The block sizes of the packed GEMM ({@code PanamaGemm}): depth {@code kc}, rows of A {@code mc},
 * columns of B {@code nc}. Derived from the host's cache sizes ({@link HostInfo}) after the
 * analytical model of Low, Igual, Smith and Quintana-Ortí, "Analytical modeling is enough for
 * high-performance BLIS" (ACM TOMS 43(2), 2016), or set by the system property {@value #PROPERTY}
 * (the CLI's {@code --gemm-blocking kc,mc,nc}). docs/KERNELS.md says why derived rather than
 * measured, and why {@code kc} is sized for L2 here where BLIS sizes it for L1.
 *
 * <p>The model, for a micro-kernel that holds an {@code mr × nr} tile of C in registers and reads
 * one {@code mr × kc} micro-panel of A and one {@code kc × nr} micro-panel of B per tile:
 * <ul>
 *   <li>{@code kc}: the two micro-panels of one tile ({@code kc·(mr + nr)·4} bytes) fill at most a
 *       quarter of L2, rounded down to a power of two, between {@value #MIN_KC} and
 *       {@value #MAX_DERIVED_KC}. In BLIS they fill L1, which gives {@code kc} of 128-320; here each
 *       tile ends with a store of its accumulators and a read-modify-write of C through a scratch
 *       array, which a JIT-compiled kernel does far more slowly than BLIS's assembly, so a deep
 *       {@code kc} that amortises it wins: on the AVX2 host {@code kc} of 192-384 ran at 35-77
 *       GFLOP/s per core depending on the JVM run, 512-1024 at 78-87 in every run (docs/KERNELS.md).
 *       L2 still feeds one FMA pipe per cycle with both panels there.</li>
 *   <li>{@code mc}: the packed block of A ({@code mc × kc}), which every micro-panel of B reuses,
 *       and one micro-panel of B fill three quarters of L2: {@code (mc + nr)·kc·4 ≤ 3/4 · L2},
 *       a multiple of {@code mr}.</li>
 *   <li>{@code nc}: the packed block of B ({@code kc × nc}), which every block of A reuses, fills
 *       half of this core's share of L3: {@code kc·nc·4 ≤ L3 / sharers / 2} (at least 1 MiB, at
 *       most {@value #MAX_NC} columns), a multiple of {@code nr}.</li>
 * </ul>
 * A level the system does not report is taken as 512 KiB of L2, and an 8 MiB block of B for L3.
 * On the host kinds seen so far (Zen 4 with AVX-512, Zen 3 with AVX2, and Zen 5 with AVX-512, whose
 * VM reports only cpuinfo's L2: {@link HostInfo}) this gives {@code kc = 1024}, the constant tuned
 * on Zen 4, and {@code mc} of 160 and 156 rows.
 *
 * <p>Only {@code kc} changes results: each element of C is summed over one depth block at a
 * time, and the blocks' sums are added in order; {@code mc} and {@code nc} only choose which
 * elements are computed together. So a host where the model gives another {@code kc} (an L2 of
 * 256 KiB: 512) computes different last bits (docs/RELIABILITY.md, "Determinism").
 *
 * @param kc     depths per packed block
 * @param mc     rows of A per packed block (a multiple of the micro-kernel's rows)
 * @param nc     columns of B per packed block (a multiple of the micro-kernel's columns)
 * @param source how the sizes were chosen, for the benchmark lines and {@code --verbose}
 */
public record GemmBlocking(int kc, int mc, int nc, String source) {
    /** System property {@code kc,mc,nc} that overrides the derived blocking, e.g. {@code 1024,80,2048}. */
    public static final String PROPERTY = "weightnorm4j.gemm.blocking";
    static final int MIN_KC = 256;
    static final int MAX_DERIVED_KC = 1024;
    static final int MAX_KC = 1 << 16;
    static final int MAX_NC = 8192;
    private static final int FLOAT_BYTES = 4;
    private static final long DEFAULT_L2 = 512 << 10;
    private static final long MIN_B_BLOCK = 1 << 20;
    /**
     * Rows of A that each micro-panel of B, brought from L3, should serve (78 flops per byte of B),
     * as long as A's block then overflows L2 by a quarter at most: measured on Zen 3 (docs/KERNELS.md).
     */
    static final int MC_FOR_B_REUSE = 156;
    /** The block of B when L3 is not reported: 2048 columns at the usual depth of 1024. */
    private static final long DEFAULT_B_BLOCK = 8 << 20;

    /** The blocking the GEMM chose when it was loaded, and its micro-kernel's rows and columns; null before. */
    private static volatile GemmBlocking inUse;
    private static volatile int inUseMr;
    private static volatile int inUseNr;

    /** The blocking from {@value #PROPERTY} when it is set, else derived from {@code host}. */
    static GemmBlocking choose(HostInfo host, int mr, int nr) {
        String wanted = System.getProperty(PROPERTY);
        GemmBlocking chosen = wanted != null && !wanted.isBlank() ? parse(wanted, mr, nr) : derive(host, mr, nr);
        inUseMr = mr;
        inUseNr = nr;
        inUse = chosen;
        return chosen;
    }

    /**
     * Sets {@value #PROPERTY} to {@code sizes} ({@code kc,mc,nc}) for the GEMM to use when it is
     * loaded: what {@code --gemm-blocking} does. The blocking is fixed once the GEMM is loaded, so
     * after that only the sizes in use are accepted.
     *
     * @throws IllegalArgumentException when {@code sizes} is not {@code kc,mc,nc}
     * @throws IllegalStateException    when the GEMM already runs with other sizes
     */
    public static void override(String sizes) {
        parse(sizes, 1, 1);
        GemmBlocking current = inUse;
        if (current != null) {
            GemmBlocking wanted = parse(sizes, inUseMr, inUseNr);
            if (!wanted.sizes().equals(current.sizes())) {
                throw new IllegalStateException("GEMM blocking " + sizes.trim() + " asked for, but the GEMM already runs with "
                        + current.sizes() + ": it is fixed when the kernels are first used; give --gemm-blocking (or -D"
                        + PROPERTY + ") before anything runs");
            }
            return;
        }
        System.setProperty(PROPERTY, sizes.trim());
    }

    /** The analytical model above for a host and an {@code mr × nr} micro-kernel. */
    static GemmBlocking derive(HostInfo host, int mr, int nr) {
        long l2 = host.l2Bytes() > 0 ? host.l2Bytes() : DEFAULT_L2;
        long kcFit = l2 / 4 / ((long) (mr + nr) * FLOAT_BYTES);
        long kc = Math.max(MIN_KC, Math.min(MAX_DERIVED_KC, Long.highestOneBit(Math.max(1, kcFit))));
        long mc = (l2 * 3 / 4 / (kc * FLOAT_BYTES) - nr) / mr * mr;
        long mcReuse = Math.min(MC_FOR_B_REUSE, l2 * 5 / 4 / (kc * FLOAT_BYTES)) / mr * mr;
        mc = Math.max(mr, Math.max(mc, mcReuse));
        long bBlock = host.l3Bytes() > 0 ? host.l3Bytes() / Math.max(1, host.l3SharedBy()) / 2 : DEFAULT_B_BLOCK;
        long nc = Math.max(bBlock, MIN_B_BLOCK) / (kc * FLOAT_BYTES) / nr * nr;
        nc = Math.max(nr, Math.min(MAX_NC / nr * nr, nc));
        String from = "derived from L2 " + HostInfo.formatSize(host.l2Bytes()) + ", L3 " + HostInfo.formatSize(host.l3Bytes())
                + (host.l3SharedBy() > 1 ? "/" + host.l3SharedBy() : "") + " for a " + mr + "x" + nr + " micro-kernel";
        return new GemmBlocking((int) kc, (int) mc, (int) nc, from);
    }

    /**
     * Parses {@code kc,mc,nc} (what {@value #PROPERTY} and {@code --gemm-blocking} take); {@code mc}
     * and {@code nc} are rounded up to whole micro-panels of {@code mr} rows and {@code nr} columns.
     *
     * @throws IllegalArgumentException naming the value and what a valid one looks like
     */
    static GemmBlocking parse(String text, int mr, int nr) {
        String[] parts = text.trim().split("\\s*,\\s*");
        int[] v = new int[3];
        boolean ok = parts.length == 3;
        for (int i = 0; ok && i < 3; i++) {
            try {
                v[i] = Integer.parseInt(parts[i].trim());
                ok = v[i] > 0;
            } catch (NumberFormatException e) {
                ok = false;
            }
        }
        if (!ok || v[0] > MAX_KC || v[1] > MAX_KC || v[2] > MAX_KC) {
            throw new IllegalArgumentException("GEMM blocking '" + text + "' is not kc,mc,nc: three positive integers, kc, mc and nc at most 65536 (e.g. 1024,80,2048; -D" + PROPERTY + " or --gemm-blocking)");
        }
        int mc = (v[1] + mr - 1) / mr * mr;
        int nc = (v[2] + nr - 1) / nr * nr;
        return new GemmBlocking(v[0], mc, nc, "set by -D" + PROPERTY + "=" + text.trim().toLowerCase(Locale.ROOT));
    }

    /** {@code kc,mc,nc}, the form {@link #parse} reads. */
    public String sizes() {
        return kc + "," + mc + "," + nc;
    }

    @Override
    public String toString() {
        return "gemm blocking kc,mc,nc = " + sizes() + " (" + source + ")";
    }
}
