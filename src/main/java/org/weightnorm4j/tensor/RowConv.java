package org.weightnorm4j.tensor;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.IntConsumer;
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
 * <p>Uses {@code FloatVector.SPECIES_256} whatever the preferred width, because the row is eight
 * floats: on AVX-512 hosts that is still a full-speed 256-bit operation.
 */
final class RowConv {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    /** Output row width served: one 256-bit vector of floats. */
    static final int WIDTH = S.length();
    /** Output channels per register tile. */
    private static final int OB = 4;
    /** Parts per thread, as {@link Float32Conv}. */
    private static final int PARTS_PER_THREAD = 4;
    /** Largest channel counts served; larger convolutions have enough work per tile for the GEMM paths. */
    static final int MAX_IN = 16;
    static final int MAX_OUT = 32;

    private final ArrayDeque<Job> free = new ArrayDeque<>();
    private final ThreadLocal<float[][]> scratch = ThreadLocal.withInitial(() -> new float[1][0]);

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

    /** {@code y = conv(x, w) + bias}: x {@code [n, c, h, w]}, filters {@code [o, c, 3, 3]}, y {@code [n, o, oh, 8]}. */
    void forward(float[] x, float[] w, float[] bias, float[] y, int n, int c, int h, int width, int o, int pad) {
        Job job = take();
        try {
            job.set(x, w, n, c, h, width, o, pad);
            job.bias = bias;
            job.y = y;
            job.packFilters();
            job.run(false);
        } finally {
            give(job);
        }
    }

    /** {@code dw (+)= ∂L/∂w} from x {@code [n, c, h, w]} and dy {@code [n, o, oh, 8]}; filters {@code [o, c, 3, 3]}. */
    void backwardFilter(float[] x, float[] dy, float[] dw, int n, int c, int h, int width, int o, int pad, boolean accumulate) {
        Job job = take();
        try {
            job.set(x, null, n, c, h, width, o, pad);
            job.y = dy;
            job.run(true);
            Float32Conv.reduceLanePartials(job.partials, job.parts, job.outs * job.ins * 9, WIDTH, dw, accumulate);
        } finally {
            give(job);
        }
    }

    private Job take() {
        Job job;
        synchronized (free) {
            job = free.poll();
        }
        return job != null ? job : new Job();
    }

    private void give(Job job) {
        job.x = null;
        job.y = null;
        job.bias = null;
        synchronized (free) {
            free.push(job);
        }
    }

    /** One call: geometry, packed filters, per-part partial filter gradients, and the per-part body. */
    private final class Job implements IntConsumer {
        float[] x;
        float[] y;
        float[] bias;
        float[] w;
        int n, ins, h, width, outs, pad;
        /** The (bordered) input plane: row length, rows, size. */
        int wp, hp, plane;
        int oh;
        int parts;
        boolean filterGradient;
        /** Forward filters, {@code [outs/OB blocks][ins][9][OB]}, then {@code [remaining outs][ins][9]}. */
        float[] packed = new float[0];
        /** Per part: {@code [outs][ins][9][WIDTH]} lane sums of the filter gradient. */
        float[][] partials = new float[0][];

        void set(float[] x, float[] w, int n, int ins, int h, int width, int outs, int pad) {
            this.x = x;
            this.w = w;
            this.n = n;
            this.ins = ins;
            this.h = h;
            this.width = width;
            this.outs = outs;
            this.pad = pad;
            wp = width + 2 * pad;
            hp = h + 2 * pad;
            plane = hp * wp;
            oh = hp - 2;
            parts = Math.max(1, Math.min(PARTS_PER_THREAD * Parallel.threads(), n));
        }

        /** The filters in the forward tile's order: per block of OB outputs, per channel and tap, the OB values side by side. */
        void packFilters() {
            int size = outs * ins * 9;
            if (packed.length < size) {
                packed = new float[size];
            }
            int full = outs / OB * OB;
            for (int o = 0; o < outs; o++) {
                for (int c = 0; c < ins; c++) {
                    for (int t = 0; t < 9; t++) {
                        int at = o < full ? ((o / OB * ins + c) * 9 + t) * OB + o % OB : (o * ins + c) * 9 + t;
                        packed[at] = w[(o * ins + c) * 9 + t];
                    }
                }
            }
        }

        void run(boolean filterGradient) {
            this.filterGradient = filterGradient;
            if (filterGradient) {
                partials = Float32Conv.growPartials(partials, parts, outs * ins * 9 * WIDTH);
            }
            if (parts == 1) {
                accept(0);
            } else {
                Parallel.run(parts, this);
            }
        }

        @Override
        public void accept(int part) {
            int first = (int) ((long) part * n / parts), end = (int) ((long) (part + 1) * n / parts);
            if (first == end) {
                if (filterGradient) {
                    Arrays.fill(partials[part], 0, outs * ins * 9 * WIDTH, 0f);
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
            float[][] holder = scratch.get();
            int size = (end - first) * ins * plane;
            if (holder[0].length < size) {
                holder[0] = new float[size];
            }
            float[] xp = holder[0];
            Arrays.fill(xp, 0, size, 0f);
            for (int b = first; b < end; b++) {
                for (int c = 0; c < ins; c++) {
                    int to = ((b - first) * ins + c) * plane + pad * wp + pad;
                    int from = (b * ins + c) * h * width;
                    for (int r = 0; r < h; r++) {
                        System.arraycopy(x, from + r * width, xp, to + r * wp, width);
                    }
                }
            }
            return xp;
        }

        private void forwardImage(float[] src, int xOff, float[] out, int yOff) {
            int full = outs / OB * OB;
            int rowPairs = oh / 2 * 2;
            for (int o = 0; o < full; o += OB) {
                float b0 = biasOf(o), b1 = biasOf(o + 1), b2 = biasOf(o + 2), b3 = biasOf(o + 3);
                int wOff = o * ins * 9;
                int yo = yOff + o * oh * WIDTH;
                for (int r = 0; r < rowPairs; r += 2) {
                    tile4x2(src, xOff + r * wp, wOff, out, yo + r * WIDTH, b0, b1, b2, b3);
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

        /** Output rows r, r+1 (from {@code xOff}: their first input row) of OB channels: Σ over channels and taps, then the bias. */
        private void tile4x2(float[] src, int xOff, int wOff, float[] out, int yOff, float b0, float b1, float b2, float b3) {
            FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S);
            FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S);
            FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S);
            FloatVector a30 = FloatVector.zero(S), a31 = FloatVector.zero(S);
            float[] wts = packed;
            int wi = wOff;
            for (int c = 0; c < ins; c++) {
                int base = xOff + c * plane;
                for (int kh = 0; kh < 3; kh++) {
                    for (int kw = 0; kw < 3; kw++, wi += OB) {
                        int at = base + kh * wp + kw;
                        FloatVector x0 = FloatVector.fromArray(S, src, at);
                        FloatVector x1 = FloatVector.fromArray(S, src, at + wp);
                        FloatVector g = FloatVector.broadcast(S, wts[wi]);
                        a00 = g.fma(x0, a00);
                        a01 = g.fma(x1, a01);
                        g = FloatVector.broadcast(S, wts[wi + 1]);
                        a10 = g.fma(x0, a10);
                        a11 = g.fma(x1, a11);
                        g = FloatVector.broadcast(S, wts[wi + 2]);
                        a20 = g.fma(x0, a20);
                        a21 = g.fma(x1, a21);
                        g = FloatVector.broadcast(S, wts[wi + 3]);
                        a30 = g.fma(x0, a30);
                        a31 = g.fma(x1, a31);
                    }
                }
            }
            int ch = oh * WIDTH;
            a00.add(b0).intoArray(out, yOff);
            a01.add(b0).intoArray(out, yOff + WIDTH);
            a10.add(b1).intoArray(out, yOff + ch);
            a11.add(b1).intoArray(out, yOff + ch + WIDTH);
            a20.add(b2).intoArray(out, yOff + 2 * ch);
            a21.add(b2).intoArray(out, yOff + 2 * ch + WIDTH);
            a30.add(b3).intoArray(out, yOff + 3 * ch);
            a31.add(b3).intoArray(out, yOff + 3 * ch + WIDTH);
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
