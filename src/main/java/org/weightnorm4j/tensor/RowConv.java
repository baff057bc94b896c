package org.weightnorm4j.tensor;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * 3x3, stride-1 convolutions whose output rows are exactly eight pixels wide (MinAtar's DQN:
 * 4-10 channels of 10x10 to 16 channels of 8x8), computed one output row per 256-bit vector: the
 * forward and the filter gradient.
 *
 * <p><b>Why.</b> At these sizes the other paths spend more time arranging data than multiplying:
 * im2col writes a 36-row column matrix of 8-float rows per image, the GEMM packs it again, and
 * the product (16 filters, depth 36) is too shallow to amortise a register tile's start and end;
 * {@link DirectConv}'s flattened plane computes 10 positions per 8-pixel row and leaves most of
 * its last 24-pixel strip empty. Here an output row is one vector, a tap of the filter is one
 * unaligned load of an input row, and nothing is copied (except into a zero border when there is
 * padding). Measured on the AVX2 host, batch 64, 4 → 16 channels on 10x10: docs/BENCHMARKS.md
 * ("DQN update").
 *
 * <p><b>Forward</b> register tile: 4 output channels × 2 output rows (8 accumulators), per tap two
 * input-row loads and four broadcast filter values. Each output is the sum over channels, then
 * filter rows, then filter columns, one fused multiply-add at a time from zero, then the bias: the
 * order, and so the bits, of the im2col GEMM it replaces.
 *
 * <p><b>Filter gradient</b> register tile: 4 output channels × the 3 taps of one filter row, summed
 * over every output row of every image of a part (lane {@code j} sums output column {@code j});
 * the lanes and the parts are then added in double, parts in order, so the result depends on the
 * thread count (through the parts) but never on scheduling, as {@link DirectConv}'s.
 *
 * <p>Uses {@code FloatVector.SPECIES_256}, because the row is eight floats, and so serves only hosts
 * whose preferred width is 256 bits ({@link #SUITS_THIS_HOST}); {@link RowPairConv} serves those
 * that prefer 512.
 */
final class RowConv implements RowConvolution {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    /**
     * Whether the host's preferred vectors are this class's 256 bits. Where they are wider (AVX-512)
     * every other kernel runs 512-bit vectors, and a JVM that mixes the two shapes loses C2's Vector
     * API intrinsics in this class once the 512-bit code has run first: its loads, stores and
     * fused multiply-adds fall back to Java objects, and the DQN layer's forward took 600 µs instead
     * of 28 (Zen 5 with AVX-512, session 12; docs/KERNELS.md, "Mixed vector shapes"). So there
     * {@link RowPairConv} serves these convolutions with the preferred 512-bit vectors.
     */
    static final boolean SUITS_THIS_HOST = FloatVector.SPECIES_PREFERRED.vectorBitSize() == S.vectorBitSize();
    /** Output row width served: one 256-bit vector of floats. */
    static final int WIDTH = S.length();
    /** Output channels per register tile. */
    private static final int OB = 4;
    /** Largest channel counts served; larger convolutions have enough work per tile for the GEMM paths. */
    static final int MAX_IN = 16;
    static final int MAX_OUT = 32;

    private final JobPool<Job> jobs = new JobPool<>(Job::new, job -> {
        job.x = null;
        job.w = null;
        job.y = null;
        job.bias = null;
    });
    /** Per thread: the zero-bordered copies of a part's images (slot 0), the forward tile's sums (slot 1). */
    private final ThreadLocal<WorkArrays> scratch = WorkArrays.perThread(2);

    /**
     * Whether this class serves a convolution from {@code ins} to {@code outs} channels with a
     * {@code kh × kw} kernel, {@code stride}, {@code pad}, whose output is {@code ow} wide: 3x3,
     * stride 1, padding at most 2, an output row of exactly {@link #WIDTH} pixels, at most
     * {@link #MAX_IN} input and from 4 ({@code OB}, a whole register tile) to {@link #MAX_OUT}
     * output channels.
     */
    static boolean worthIt(int ins, int outs, int kh, int kw, int stride, int pad, int ow) {
        return kh == 3 && kw == 3 && stride == 1 && pad <= 2 && ow == WIDTH && ins <= MAX_IN && outs >= OB && outs <= MAX_OUT;
    }

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
            BatchParts.reduceLanePartials(job.partials, job.parts, job.outs * job.ins * 9, WIDTH, dw, accumulate);
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
        /** The (bordered) input plane: row length, rows, size. */
        int wp, hp, plane;
        int oh;
        /** Forward filters, {@code [outs/OB blocks][ins][9][OB]}, then {@code [remaining outs][ins][9]}. */
        float[] packed = new float[0];
        /**
         * For the forward tile: {@code taw[wi]} is the offset, from a pair's first input row, of
         * the tap whose OB filter values start at {@code packed[wi]} (full blocks only), so that
         * {@link #tile4x2} reads filters and taps with one index.
         */
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
            wp = width + 2 * pad;
            hp = h + 2 * pad;
            plane = hp * wp;
            oh = hp - 2;
        }

        /** The filters in the forward tile's order ({@link DirectConv#packOutputBlocks}). */
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
                taw[wi] = c * plane + kh * wp + kw;
            }
        }

        /** Per part: {@code [outs][ins][9][WIDTH]} lane sums of the filter gradient. */
        @Override
        int partialSize() {
            return outs * ins * 9 * WIDTH;
        }

        @Override
        public void accept(int part) {
            int first = first(part), end = first(part + 1);
            if (first == end) {
                if (filterGradient) {
                    Arrays.fill(partials[part], 0, partialSize(), 0f);
                }
                return;
            }
            // The images as the kernels read them: x itself, or (with padding) zero-bordered copies.
            float[] src = x;
            int srcOff = first * ins * h * width;
            if (pad > 0) {
                src = bordered(first, end);
                srcOff = 0;
            }
            if (filterGradient) {
                filterGradient(src, srcOff, first, end, partials[part]);
            } else {
                for (int b = first; b < end; b++) {
                    forwardImage(src, srcOff + (b - first) * ins * plane, y, b * outs * oh * WIDTH);
                }
            }
        }

        /** Images {@code [first, end)} copied into zero-bordered planes, image after image, in this thread's scratch. */
        private float[] bordered(int first, int end) {
            int size = (end - first) * ins * plane;
            float[] xp = scratch.get().atLeast(0, size);
            Arrays.fill(xp, 0, size, 0f);
            for (int b = first; b < end; b++) {
                BorderedPlanes.copy(x, b * ins * h * width, ins, h, width, pad, wp, plane, xp, (b - first) * ins * plane);
            }
            return xp;
        }

        private void forwardImage(float[] src, int xOff, float[] out, int yOff) {
            int full = outs / OB * OB;
            int rowPairs = oh / 2 * 2;
            float[] sums = scratch.get().atLeast(1, 2 * OB * WIDTH);
            for (int o = 0; o < full; o += OB) {
                float b0 = biasOf(o), b1 = biasOf(o + 1), b2 = biasOf(o + 2), b3 = biasOf(o + 3);
                int wOff = o * ins * 9;
                int yo = yOff + o * oh * WIDTH;
                for (int r = 0; r < rowPairs; r += 2) {
                    tile4x2(src, xOff + r * wp, wp, packed, taw, wOff, wOff + ins * 9 * OB, sums);
                    // The bias after the whole chain, as before the tile stored its sums (same bits).
                    int ch = oh * WIDTH, at = yo + r * WIDTH;
                    FloatVector.fromArray(S, sums, 0).add(b0).intoArray(out, at);
                    FloatVector.fromArray(S, sums, WIDTH).add(b0).intoArray(out, at + WIDTH);
                    FloatVector.fromArray(S, sums, 2 * WIDTH).add(b1).intoArray(out, at + ch);
                    FloatVector.fromArray(S, sums, 3 * WIDTH).add(b1).intoArray(out, at + ch + WIDTH);
                    FloatVector.fromArray(S, sums, 4 * WIDTH).add(b2).intoArray(out, at + 2 * ch);
                    FloatVector.fromArray(S, sums, 5 * WIDTH).add(b2).intoArray(out, at + 2 * ch + WIDTH);
                    FloatVector.fromArray(S, sums, 6 * WIDTH).add(b3).intoArray(out, at + 3 * ch);
                    FloatVector.fromArray(S, sums, 7 * WIDTH).add(b3).intoArray(out, at + 3 * ch + WIDTH);
                }
                for (int r = rowPairs; r < oh; r++) {
                    for (int i = 0; i < OB; i++) {
                        tile1x1(src, xOff + r * wp, packed, wOff + i, OB, out, yo + (i * oh + r) * WIDTH, biasOf(o + i));
                    }
                }
            }
            for (int o = full; o < outs; o++) {
                for (int r = 0; r < oh; r++) {
                    tile1x1(src, xOff + r * wp, packed, o * ins * 9, 1, out, yOff + (o * oh + r) * WIDTH, biasOf(o));
                }
            }
        }

        private float biasOf(int o) {
            return bias == null ? 0f : bias[o];
        }

        /**
         * Output rows r, r+1 (from {@code x0}: their first input row; {@code d1} the input row
         * length) of OB channels whose filters are {@code wts[wOff, wEnd)}: Σ over channels and
         * taps into {@code t} (channel i's two rows at {@code 2i·8}, {@code (2i+1)·8}); the caller
         * adds the bias. The output array, its offsets and the biases are not passed: live across
         * the loop, they left C2 short of general registers (the first row's offset and the input
         * array's pointer were stored and reloaded every step).
         *
         * <p><b>Loop shape</b> (docs/KERNELS.md, "The DQN's row tile"): the filters' index is the
         * loop variable with the constant step OB (a counted loop: the filters' and the tap
         * table's bounds checks are hoisted) and the tap offset is read from {@code taw} at the
         * same index. The former triple loop (channel, filter row, filter column) let C2 unroll
         * the nine taps and load ahead, and every JVM's compile kept accumulators on the stack.
         * Here 8 accumulators, two input rows and one broadcast are 11 vector registers. Same
         * sums, bit for bit: each output is one FMA chain over channels, filter rows, filter
         * columns, in that order, from zero (then the caller's bias).
         */
        private static void tile4x2(float[] src, int x0, int d1, float[] wts, int[] taw, int wOff, int wEnd, float[] t) {
            FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S);
            FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S);
            FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S);
            FloatVector a30 = FloatVector.zero(S), a31 = FloatVector.zero(S);
            for (int wi = wOff; wi < wEnd; wi += OB) {
                int at = x0 + taw[wi];
                FloatVector r0 = FloatVector.fromArray(S, src, at);
                FloatVector r1 = FloatVector.fromArray(S, src, at + d1);
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
            a01.intoArray(t, WIDTH);
            a10.intoArray(t, 2 * WIDTH);
            a11.intoArray(t, 3 * WIDTH);
            a20.intoArray(t, 4 * WIDTH);
            a21.intoArray(t, 5 * WIDTH);
            a30.intoArray(t, 6 * WIDTH);
            a31.intoArray(t, 7 * WIDTH);
        }

        /** One output row of one channel (the edges of the tiling), its filter values {@code step} apart from {@code wi}. */
        private void tile1x1(float[] src, int xOff, float[] wts, int wi, int step, float[] out, int yOff, float b) {
            FloatVector a = FloatVector.zero(S);
            for (int c = 0; c < ins; c++) {
                int base = xOff + c * plane;
                for (int kh = 0; kh < 3; kh++) {
                    for (int kw = 0; kw < 3; kw++, wi += step) {
                        a = FloatVector.broadcast(S, wts[wi]).fma(FloatVector.fromArray(S, src, base + kh * wp + kw), a);
                    }
                }
            }
            a.add(b).intoArray(out, yOff);
        }

        /** The part's lane sums {@code acc[o][c][kh·3 + kw][lane]} over images {@code [first, end)}, overwritten. */
        private void filterGradient(float[] src, int srcOff, int first, int end, float[] acc) {
            int full = outs / OB * OB;
            int images = end - first;
            for (int o = 0; o < full; o += OB) {
                for (int c = 0; c < ins; c++) {
                    for (int kh = 0; kh < 3; kh++) {
                        gradientRow4(src, srcOff + c * plane + kh * wp, images, first * outs * oh * WIDTH + o * oh * WIDTH, acc,
                                ((o * ins + c) * 9 + kh * 3) * WIDTH);
                    }
                }
            }
            for (int o = full; o < outs; o++) {
                for (int c = 0; c < ins; c++) {
                    for (int kh = 0; kh < 3; kh++) {
                        gradientRow1(src, srcOff + c * plane + kh * wp, images, first * outs * oh * WIDTH + o * oh * WIDTH, acc,
                                ((o * ins + c) * 9 + kh * 3) * WIDTH);
                    }
                }
            }
        }

        /**
         * The three taps of one filter row for OB output channels, over every output row of
         * {@code images} images: x rows from {@code xOff} (image stride {@code ins·plane}), dY rows
         * from {@code dOff} (image stride {@code outs·oh·8}); lane sums to {@code acc} at
         * {@code accOff + (i·ins·9 + kw)·8} for channel i of the block.
         */
        private void gradientRow4(float[] src, int xOff, int images, int dOff, float[] acc, int accOff) {
            FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S);
            FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S);
            FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a22 = FloatVector.zero(S);
            FloatVector a30 = FloatVector.zero(S), a31 = FloatVector.zero(S), a32 = FloatVector.zero(S);
            float[] dy = y;
            int ch = oh * WIDTH;
            // One flat loop over every output row of every image (a nested loop kept C2 from holding
            // the twelve accumulators in registers: it ran 15 times slower).
            int rowsTotal = images * oh;
            int xSkip = ins * plane - oh * wp, dSkip = outs * ch - ch;
            for (int t = 0, r = 0, xi = xOff, di = dOff; t < rowsTotal; t++) {
                FloatVector x0 = FloatVector.fromArray(S, src, xi);
                FloatVector x1 = FloatVector.fromArray(S, src, xi + 1);
                FloatVector x2 = FloatVector.fromArray(S, src, xi + 2);
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
                xi += wp;
                di += WIDTH;
                if (++r == oh) {
                    r = 0;
                    xi += xSkip;
                    di += dSkip;
                }
            }
            int step = ins * 9 * WIDTH;
            store(acc, accOff, a00, a01, a02);
            store(acc, accOff + step, a10, a11, a12);
            store(acc, accOff + 2 * step, a20, a21, a22);
            store(acc, accOff + 3 * step, a30, a31, a32);
        }

        private void gradientRow1(float[] src, int xOff, int images, int dOff, float[] acc, int accOff) {
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S);
            float[] dy = y;
            int ch = oh * WIDTH;
            int rowsTotal = images * oh;
            int xSkip = ins * plane - oh * wp, dSkip = outs * ch - ch;
            for (int t = 0, r = 0, xi = xOff, di = dOff; t < rowsTotal; t++) {
                FloatVector d = FloatVector.fromArray(S, dy, di);
                a0 = d.fma(FloatVector.fromArray(S, src, xi), a0);
                a1 = d.fma(FloatVector.fromArray(S, src, xi + 1), a1);
                a2 = d.fma(FloatVector.fromArray(S, src, xi + 2), a2);
                xi += wp;
                di += WIDTH;
                if (++r == oh) {
                    r = 0;
                    xi += xSkip;
                    di += dSkip;
                }
            }
            store(acc, accOff, a0, a1, a2);
        }
    }

    private static void store(float[] acc, int off, FloatVector t0, FloatVector t1, FloatVector t2) {
        t0.intoArray(acc, off);
        t1.intoArray(acc, off + WIDTH);
        t2.intoArray(acc, off + 2 * WIDTH);
    }
}
