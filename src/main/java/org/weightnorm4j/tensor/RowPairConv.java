package org.weightnorm4j.tensor;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RowConv}'s convolutions (the shapes of {@link RowConv#worthIt}: 3x3, stride 1, 8-pixel
 * output rows, MinAtar's DQN) for hosts whose preferred vectors are 512 bits (AVX-512): one vector
 * holds two consecutive output rows, which the 8x8 output plane keeps side by side.
 *
 * <p><b>Why a second class.</b> {@link RowConv}'s 256-bit vectors next to every other kernel's
 * 512-bit ones cost C2's Vector API intrinsics (docs/KERNELS.md, "Mixed vector shapes"); this class
 * uses only the preferred 512-bit shape, and so serves only hosts that prefer it
 * ({@link #SUITS_THIS_HOST}).
 *
 * <p><b>Shifted rows.</b> The input rows are 10 wide (the 8 outputs and the filter's reach), so two
 * input rows are not one 16-float load. Each input plane is first copied three times, once per
 * filter column {@code kw}, keeping 8 floats of each row: {@code P_kw[r][j] = x[r][j + kw]} (with
 * the zero border when there is padding). Filter tap {@code (kh, kw)} of output rows {@code r, r+1}
 * is then the contiguous 16 floats at row {@code r + kh} of {@code P_kw}. A pair of these rows is one
 * blend of two loads of the 10-wide rows. {@code P} has an even number of rows, the last ones zero,
 * so an odd output height reads a whole pair at its end (the unused half is never stored).
 *
 * <p><b>Forward</b> register tile: 4 output channels × 2 row pairs (8 accumulators). Each output is
 * the sum over channels, then filter rows, then filter columns, one fused multiply-add at a time
 * from zero, then the bias: the order, and so the bits, of the im2col GEMM and of {@link RowConv}.
 *
 * <p><b>Filter gradient</b> register tile: 4 output channels × the 3 taps of one filter row, over
 * every row pair of every image of a part, in order. Lane {@code j < 8} sums output column
 * {@code j} of the even output rows, lane {@code 8 + j} of the odd ones, in float; each part then
 * adds a weight's 16 lanes in float by a fixed tree ({@link #fold}), and the parts' sums
 * are added in double, in order ({@link BatchParts#reduceLanePartials} with one lane). The result
 * depends on the thread count (through the parts) but never on scheduling. The lanes are folded in
 * the parts, in parallel, because 16 lanes × 4 parts added one after another in double took longer
 * than the tiles (Zen 5, JFR).
 */
final class RowPairConv implements RowConvolution {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    /** Whether the host prefers this class's 512-bit vectors (see the class comment). */
    static final boolean SUITS_THIS_HOST = FloatVector.SPECIES_PREFERRED.vectorBitSize() == S.vectorBitSize();
    /** An output row, and the two of them in a vector. */
    private static final int ROW = 8;
    private static final int PAIR = 2 * ROW;
    /** An input row with the filter's reach: the bordered input is 10 floats wide. */
    private static final int WP = ROW + 2;
    /** Lanes 8-15: the second row of a pair. */
    private static final VectorMask<Float> SECOND_ROW = VectorMask.fromLong(S, 0xFF00L);
    /** Output channels per register tile. */
    private static final int OB = 4;

    /** Scratch slots: the shifted rows, one image's bordered planes, the tile's sums or dY with an even row count, a half pair, the filter gradient's lanes. */
    private static final int SHIFTED = 0, BORDERED = 1, SUMS = 2, HALF = 3, LANES = 4;

    private final JobPool<Job> jobs = new JobPool<>(Job::new, job -> {
        job.x = null;
        job.w = null;
        job.y = null;
        job.bias = null;
    });
    private final ThreadLocal<WorkArrays> scratch = WorkArrays.perThread(5);

    @Override
    public void forward(float[] x, float[] w, float[] bias, float[] y, int n, int c, int h, int width, int o, int pad) {
        Job job = jobs.take();
        try {
            job.set(x, w, n, c, h, width, o, pad);
            job.bias = bias;
            job.y = y;
            job.packFilters();
            job.run(false);
        } finally {
            jobs.give(job);
        }
    }

    @Override
    public void backwardFilter(float[] x, float[] dy, float[] dw, int n, int c, int h, int width, int o, int pad, boolean accumulate) {
        Job job = jobs.take();
        try {
            job.set(x, null, n, c, h, width, o, pad);
            job.y = dy;
            job.run(true);
            BatchParts.reduceLanePartials(job.partials, job.parts, job.outs * job.ins * 9, 1, dw, accumulate);
        } finally {
            jobs.give(job);
        }
    }

    /** One call: geometry, packed filters, per-part partial filter gradients, and the per-part body. */
    private final class Job extends BatchJob {
        float[] x;
        float[] y;
        float[] bias;
        float[] w;
        int ins, h, width, outs, pad;
        /** Bordered input rows, output rows, output row pairs (the last maybe half). */
        int hp, oh, pairs;
        /** Rows of one {@code P_kw} (even, at least {@code hp}); floats of one input channel's three, and of one image's. */
        int prow, pplane, pimage;
        /** Forward filters, {@code [outs/OB blocks][ins][9][OB]}, then {@code [remaining outs][ins][9]}. */
        float[] packed = new float[0];
        /** {@code taw[wi]}: the offset in an image's {@code P} of the tap whose OB filter values start at {@code packed[wi]} (full blocks). */
        int[] taw = new int[0];

        void set(float[] x, float[] w, int n, int ins, int h, int width, int outs, int pad) {
            this.x = x;
            this.w = w;
            batch(n);
            this.ins = ins;
            this.h = h;
            this.width = width;
            this.outs = outs;
            this.pad = pad;
            hp = h + 2 * pad;
            oh = hp - 2;
            pairs = (oh + 1) / 2;
            prow = 2 * pairs + 2;
            pplane = 3 * prow * ROW;
            pimage = ins * pplane;
        }

        void packFilters() {
            packed = DirectConv.packOutputBlocks(w, false, outs, ins, OB, packed);
            int blockSize = ins * 9 * OB;
            int size = outs / OB * blockSize;
            if (taw.length < size) {
                taw = new int[size];
            }
            for (int wi = 0; wi < size; wi += OB) {
                int tap = wi % blockSize / OB;
                int c = tap / 9, kh = tap % 9 / 3, kw = tap % 3;
                taw[wi] = c * pplane + kw * prow * ROW + kh * ROW;
            }
        }

        /** Per part: {@code [outs][ins][9]} sums of the filter gradient. */
        @Override
        int partialSize() {
            return outs * ins * 9;
        }

        @Override
        public void accept(int part) {
            int first = first(part), end = first(part + 1);
            if (filterGradient) {
                if (first == end) {
                    Arrays.fill(partials[part], 0, partialSize(), 0f);
                    return;
                }
                float[] p = scratch.get().atLeast(SHIFTED, (end - first) * pimage);
                for (int b = first; b < end; b++) {
                    shift(b, p, (b - first) * pimage);
                }
                float[] lanes = scratch.get().atLeast(LANES, partialSize() * PAIR);
                filterGradient(p, first, end, lanes);
                fold(lanes, partialSize(), partials[part]);
            } else {
                float[] p = scratch.get().atLeast(SHIFTED, pimage);
                for (int b = first; b < end; b++) {
                    shift(b, p, 0);
                    forwardImage(p, b * outs * oh * ROW);
                }
            }
        }

        /** Image {@code b}'s shifted rows ({@code [ins][kw][prow][8]}) into {@code p} from {@code pOff}. */
        private void shift(int b, float[] p, int pOff) {
            float[] src = x;
            int srcOff = b * ins * h * width;
            if (pad > 0) {
                src = scratch.get().atLeast(BORDERED, ins * hp * WP);
                BorderedPlanes.copyBordered(x, srcOff, ins, h, width, pad, WP, hp * WP, src, 0);
                srcOff = 0;
            }
            for (int c = 0; c < ins; c++) {
                int from = srcOff + c * hp * WP;
                for (int kw = 0; kw < 3; kw++) {
                    int to = pOff + c * pplane + kw * prow * ROW;
                    int r = 0;
                    for (; r + 1 < hp; r += 2) {
                        // Row r from the first load, row r+1 from the second, which starts 2 floats later.
                        FloatVector upper = FloatVector.fromArray(S, src, from + r * WP + kw);
                        FloatVector lower = FloatVector.fromArray(S, src, from + r * WP + kw + WP - ROW);
                        upper.blend(lower, SECOND_ROW).intoArray(p, to + r * ROW);
                    }
                    if (r < hp) {           // an odd last row: a vector load would run past the plane
                        System.arraycopy(src, from + r * WP + kw, p, to + r * ROW, ROW);
                        r++;
                    }
                    Arrays.fill(p, to + r * ROW, to + prow * ROW, 0f);
                }
            }
        }

        /** One image's output, from its shifted rows at {@code p[0]}, to {@code y[yOff]}. */
        private void forwardImage(float[] p, int yOff) {
            int full = outs / OB * OB;
            int twoPairs = pairs / 2 * 2;
            int ch = oh * ROW;
            float[] t = scratch.get().atLeast(SUMS, 2 * OB * PAIR);
            for (int o = 0; o < full; o += OB) {
                int wOff = o * ins * 9;
                int yo = yOff + o * ch;
                for (int q = 0; q < twoPairs; q += 2) {
                    tile4x2(p, q * PAIR, packed, taw, wOff, wOff + ins * 9 * OB, t);
                    for (int i = 0; i < OB; i++) {
                        float b = biasOf(o + i);
                        put(FloatVector.fromArray(S, t, 2 * i * PAIR).add(b), yo + i * ch, q);
                        put(FloatVector.fromArray(S, t, (2 * i + 1) * PAIR).add(b), yo + i * ch, q + 1);
                    }
                }
                for (int q = twoPairs; q < pairs; q++) {
                    for (int i = 0; i < OB; i++) {
                        put(tile1(p, q * PAIR, wOff + i, OB).add(biasOf(o + i)), yo + i * ch, q);
                    }
                }
            }
            for (int o = full; o < outs; o++) {
                for (int q = 0; q < pairs; q++) {
                    put(tile1(p, q * PAIR, o * ins * 9, 1).add(biasOf(o)), yOff + o * ch, q);
                }
            }
        }

        private float biasOf(int o) {
            return bias == null ? 0f : bias[o];
        }

        /** Stores row pair {@code q} of the output plane at {@code y[plane]}; only its first row when the plane ends there. */
        private void put(FloatVector v, int plane, int q) {
            int at = plane + q * PAIR;
            if (2 * q + 1 < oh) {
                v.intoArray(y, at);
            } else {
                float[] half = scratch.get().atLeast(HALF, PAIR);
                v.intoArray(half, 0);
                System.arraycopy(half, 0, y, at, ROW);
            }
        }

        /**
         * Row pairs at {@code p[x0]} and {@code p[x0 + 16]} (tap offsets from {@code taw}) of OB channels
         * whose filters are {@code wts[wOff, wEnd)}: Σ over channels and taps into {@code t} (channel i's
         * two pairs at {@code 2i·16}, {@code (2i+1)·16}); the caller adds the bias. The loop shape is
         * {@link RowConv}'s tile's (a counted loop over the filters, the taps from a table at the same
         * index): 8 accumulators, two loads, one broadcast.
         */
        private static void tile4x2(float[] p, int x0, float[] wts, int[] taw, int wOff, int wEnd, float[] t) {
            FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S);
            FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S);
            FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S);
            FloatVector a30 = FloatVector.zero(S), a31 = FloatVector.zero(S);
            for (int wi = wOff; wi < wEnd; wi += OB) {
                int at = x0 + taw[wi];
                FloatVector r0 = FloatVector.fromArray(S, p, at);
                FloatVector r1 = FloatVector.fromArray(S, p, at + PAIR);
                FloatVector g = FloatVector.broadcast(S, wts[wi]);
                a00 = g.fma(r0, a00);
                a01 = g.fma(r1, a01);
                g = FloatVector.broadcast(S, wts[wi + 1]);
                a10 = g.fma(r0, a10);
                a11 = g.fma(r1, a11);
                g = FloatVector.broadcast(S, wts[wi + 2]);
                a20 = g.fma(r0, a20);
                a21 = g.fma(r1, a21);
                g = FloatVector.broadcast(S, wts[wi + 3]);
                a30 = g.fma(r0, a30);
                a31 = g.fma(r1, a31);
            }
            a00.intoArray(t, 0);
            a01.intoArray(t, PAIR);
            a10.intoArray(t, 2 * PAIR);
            a11.intoArray(t, 3 * PAIR);
            a20.intoArray(t, 4 * PAIR);
            a21.intoArray(t, 5 * PAIR);
            a30.intoArray(t, 6 * PAIR);
            a31.intoArray(t, 7 * PAIR);
        }

        /** One row pair (at {@code p[x0]}) of one channel, without the bias; its filter values {@code step} apart from {@code wi}. */
        private FloatVector tile1(float[] p, int x0, int wi, int step) {
            FloatVector a = FloatVector.zero(S);
            for (int c = 0; c < ins; c++) {
                for (int kh = 0; kh < 3; kh++) {
                    for (int kw = 0; kw < 3; kw++, wi += step) {
                        int at = x0 + c * pplane + kw * prow * ROW + kh * ROW;
                        a = FloatVector.broadcast(S, packed[wi]).fma(FloatVector.fromArray(S, p, at), a);
                    }
                }
            }
            return a;
        }

        /** The part's lane sums {@code acc[o][c][kh·3 + kw][lane]} over images {@code [first, end)} (shifted rows in {@code p}), overwritten. */
        private void filterGradient(float[] p, int first, int end, float[] acc) {
            int images = end - first;
            // dY planes with an even number of rows: dY itself, or a copy with a zero row after each plane.
            float[] dy = y;
            int dOff = first * outs * oh * ROW;
            if (oh % 2 != 0) {
                dy = evenRows(first, end);
                dOff = 0;
            }
            int ch = 2 * pairs * ROW;
            int full = outs / OB * OB;
            for (int o = 0; o < full; o += OB) {
                for (int c = 0; c < ins; c++) {
                    for (int kh = 0; kh < 3; kh++) {
                        gradientRow4(p, c * pplane + kh * ROW, images, dy, dOff + o * ch, acc, ((o * ins + c) * 9 + kh * 3) * PAIR);
                    }
                }
            }
            for (int o = full; o < outs; o++) {
                for (int c = 0; c < ins; c++) {
                    for (int kh = 0; kh < 3; kh++) {
                        gradientRow1(p, c * pplane + kh * ROW, images, dy, dOff + o * ch, acc, ((o * ins + c) * 9 + kh * 3) * PAIR);
                    }
                }
            }
        }

        /** dY of images {@code [first, end)} with a zero row after each (odd-height) plane. */
        private float[] evenRows(int first, int end) {
            int ch = oh * ROW, even = ch + ROW;
            float[] d = scratch.get().atLeast(SUMS, (end - first) * outs * even);
            for (int i = 0; i < (end - first) * outs; i++) {
                System.arraycopy(y, first * outs * ch + i * ch, d, i * even, ch);
                Arrays.fill(d, i * even + ch, (i + 1) * even, 0f);
            }
            return d;
        }

        /**
         * The three taps of one filter row for OB output channels, over every row pair of
         * {@code images} images: shifted rows from {@code p[xOff]} ({@code P_kw} {@code prow·8} apart,
         * images {@code pimage} apart), dY pairs from {@code dy[dOff]} (channels {@code 2·pairs·8}
         * apart, images {@code outs} channels apart); lane sums to {@code acc} at
         * {@code accOff + (i·ins·9 + kw)·16} for channel i of the block. One flat loop, as
         * {@link RowConv}'s (a nested one kept C2 from holding the accumulators in registers).
         */
        private void gradientRow4(float[] p, int xOff, int images, float[] dy, int dOff, float[] acc, int accOff) {
            FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S);
            FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S);
            FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a22 = FloatVector.zero(S);
            FloatVector a30 = FloatVector.zero(S), a31 = FloatVector.zero(S), a32 = FloatVector.zero(S);
            int ch = 2 * pairs * ROW, kwStep = prow * ROW;
            int total = images * pairs;
            int xSkip = pimage - pairs * PAIR, dSkip = outs * ch - pairs * PAIR;
            for (int t = 0, q = 0, xi = xOff, di = dOff; t < total; t++) {
                FloatVector x0 = FloatVector.fromArray(S, p, xi);
                FloatVector x1 = FloatVector.fromArray(S, p, xi + kwStep);
                FloatVector x2 = FloatVector.fromArray(S, p, xi + 2 * kwStep);
                FloatVector d = FloatVector.fromArray(S, dy, di);
                a00 = d.fma(x0, a00);
                a01 = d.fma(x1, a01);
                a02 = d.fma(x2, a02);
                d = FloatVector.fromArray(S, dy, di + ch);
                a10 = d.fma(x0, a10);
                a11 = d.fma(x1, a11);
                a12 = d.fma(x2, a12);
                d = FloatVector.fromArray(S, dy, di + 2 * ch);
                a20 = d.fma(x0, a20);
                a21 = d.fma(x1, a21);
                a22 = d.fma(x2, a22);
                d = FloatVector.fromArray(S, dy, di + 3 * ch);
                a30 = d.fma(x0, a30);
                a31 = d.fma(x1, a31);
                a32 = d.fma(x2, a32);
                xi += PAIR;
                di += PAIR;
                if (++q == pairs) {
                    q = 0;
                    xi += xSkip;
                    di += dSkip;
                }
            }
            int step = ins * 9 * PAIR;
            store(acc, accOff, a00, a01, a02);
            store(acc, accOff + step, a10, a11, a12);
            store(acc, accOff + 2 * step, a20, a21, a22);
            store(acc, accOff + 3 * step, a30, a31, a32);
        }

        private void gradientRow1(float[] p, int xOff, int images, float[] dy, int dOff, float[] acc, int accOff) {
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S);
            int ch = 2 * pairs * ROW, kwStep = prow * ROW;
            int total = images * pairs;
            int xSkip = pimage - pairs * PAIR, dSkip = outs * ch - pairs * PAIR;
            for (int t = 0, q = 0, xi = xOff, di = dOff; t < total; t++) {
                FloatVector d = FloatVector.fromArray(S, dy, di);
                a0 = d.fma(FloatVector.fromArray(S, p, xi), a0);
                a1 = d.fma(FloatVector.fromArray(S, p, xi + kwStep), a1);
                a2 = d.fma(FloatVector.fromArray(S, p, xi + 2 * kwStep), a2);
                xi += PAIR;
                di += PAIR;
                if (++q == pairs) {
                    q = 0;
                    xi += xSkip;
                    di += dSkip;
                }
            }
            store(acc, accOff, a0, a1, a2);
        }
    }

    private static void store(float[] acc, int off, FloatVector t0, FloatVector t1, FloatVector t2) {
        t0.intoArray(acc, off);
        t1.intoArray(acc, off + PAIR);
        t2.intoArray(acc, off + 2 * PAIR);
    }

    /**
     * {@code sums[i] = Σ lanes[i·16 + j]} for {@code i < size}, in float by a fixed tree: lane
     * {@code k} and {@code k + 8}, those sums {@code k} and {@code k + 4}, then {@code k} and
     * {@code k + 2}, then the two left. In scalar code: a vector rearrange by a shuffle compiled
     * into a call to Java with JDK 17 (the filter gradient took 4 times as long).
     */
    private static void fold(float[] lanes, int size, float[] sums) {
        for (int i = 0, at = 0; i < size; i++, at += PAIR) {
            float s0 = lanes[at] + lanes[at + 8], s1 = lanes[at + 1] + lanes[at + 9];
            float s2 = lanes[at + 2] + lanes[at + 10], s3 = lanes[at + 3] + lanes[at + 11];
            float s4 = lanes[at + 4] + lanes[at + 12], s5 = lanes[at + 5] + lanes[at + 13];
            float s6 = lanes[at + 6] + lanes[at + 14], s7 = lanes[at + 7] + lanes[at + 15];
            sums[i] = ((s0 + s4) + (s2 + s6)) + ((s1 + s5) + (s3 + s7));
        }
    }
}
