package org.weightnorm4j.tensor;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * 3x3, stride-1 convolutions with few channels (the VAE's 1, 16 and 32) computed directly, with
 * no column matrix and no packing: the forward (and the input gradient, which is the forward
 * convolution of dY with the flipped filters and padding {@code 2 − pad}) and the filter gradient.
 *
 * <p><b>Why.</b> With 16 or 32 output channels, im2col + GEMM moves more data than it multiplies:
 * every element of the column matrix is written, packed for the micro-kernel and read, to serve
 * only {@code O} multiply-adds; Winograd's 16 products have a depth of 16 or 32 and its transforms
 * cost as much again. Measured on the AMD EPYC (AVX2) host, one thread, batch 100, 16 → 16 channels
 * on 28x28: 43 GF/s forward and 27 GF/s for the filter gradient (docs/BENCHMARKS.md, "VAE").
 *
 * <p><b>How: the flattened padded plane.</b> Each input plane is copied once per image into a
 * zero-bordered plane of row length {@code Wp = W + 2·pad}. An output pixel {@code (oy, ox)} is
 * given the index {@code q = oy·Wp + ox}; tap {@code (kh, kw)} then reads the padded plane at
 * {@code q + kh·Wp + kw} for every pixel alike, so a run of consecutive {@code q} is a run of
 * vectors whatever the row boundaries (the two columns per row past {@code OW} are computed and
 * dropped). The forward's register tile is 4 output channels × 3 vectors of {@code q}
 * (12 accumulators, 3 loads of the input and 4 broadcast filter values per 12 multiply-adds);
 * the filter gradient's is 4 output channels × the 3 taps of one filter row, summed over all
 * {@code q} of an image, with {@code dY} laid out the same way and zero in the dropped columns.
 *
 * <p>Every output element is one sum in a fixed order (forward: over channels, then taps; filter
 * gradient: lanes per image, images per part, parts in order), so results do not depend on
 * scheduling; the filter gradient, like {@link Float32Conv}'s, depends on the thread count
 * through its parts.
 */
final class DirectConv {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Output channels per register tile. */
    private static final int OB = 4;
    /** Vectors of pixels per forward register tile. */
    private static final int VB = 3;
    private static final int STRIP = VB * L;
    /** The slots of a thread's work arrays: the bordered image, and the output (or dY) laid out by {@code q}. */
    private static final int PADDED = 0;
    private static final int GRADIENTS = 1;

    private final JobPool<Job> jobs = new JobPool<>(Job::new, job -> {
        job.in = null;
        job.out = null;
        job.bias = null;
    });
    private final ThreadLocal<WorkArrays> scratch = WorkArrays.perThread(2);

    /**
     * Whether the direct forward serves a convolution from {@code ins} to {@code outs} channels
     * (kernel {@code kh × kw}, stride, padding; for the input gradient, the forward view: from the
     * output channels to the input ones, padding {@code 2 − pad}): 3x3, stride 1, padding at most 2,
     * and fewer than {@link #OB} outputs. Measured on the AVX2 host at batch 100, 16 → 1 channels on
     * 28x28: 1.1 ms against 6.0 (im2col, whose GEMM pads one row of filters to six); with 16 or 32
     * outputs im2col and Winograd were as fast or faster (docs/BENCHMARKS.md, "VAE").
     */
    static boolean worthIt(int ins, int outs, int kh, int kw, int stride, int pad) {
        return shape3x3(kh, kw, stride, pad) && outs < OB;
    }

    /**
     * Whether the direct filter gradient serves it: 3x3, stride 1, padding at most 2, at most
     * {@link #MAX_FILTER_CHANNELS} channels on either side. Measured: 16 → 16 on 28x28 11 ms against
     * 12.4 (im2col) and 13.3 (Winograd); 16 → 1, 13.4 → 1.1 ms; but 32 → 32 on 14x14 11.8 against 9.0.
     */
    static boolean worthItForFilter(int ins, int outs, int kh, int kw, int stride, int pad) {
        return shape3x3(kh, kw, stride, pad) && ins <= MAX_FILTER_CHANNELS && outs <= MAX_FILTER_CHANNELS;
    }

    static final int MAX_FILTER_CHANNELS = 16;

    private static boolean shape3x3(int kh, int kw, int stride, int pad) {
        return kh == 3 && kw == 3 && stride == 1 && pad <= 2;
    }

    /** {@code y = conv(x, w) + bias}: x {@code [n, c, h, w]}, filters {@code [o, c, 3, 3]}, y {@code [n, o, oh, ow]}. */
    void forward(float[] x, float[] w, float[] bias, float[] y, int n, int c, int h, int width, int o, int pad) {
        Job job = jobs.take();
        try {
            job.set(n, c, h, width, o, pad);
            job.in = x;
            job.out = y;
            job.bias = bias;
            job.packFilters(w, false);
            job.run(false);
        } finally {
            jobs.give(job);
        }
    }

    /**
     * {@code dx} of a 3x3, stride-1 convolution with padding {@code pad} (overwritten): dy
     * {@code [n, o, oh, ow]}, filters {@code [o, c, 3, 3]}, dx {@code [n, c, h, w]}: the forward
     * convolution of dy with the flipped filters, channel axes swapped, padding {@code 2 − pad}.
     */
    void backwardData(float[] dy, float[] w, float[] dx, int n, int o, int oh, int ow, int c, int pad) {
        Job job = jobs.take();
        try {
            job.set(n, o, oh, ow, c, 2 - pad);
            job.in = dy;
            job.out = dx;
            job.bias = null;
            job.packFilters(w, true);
            job.run(false);
        } finally {
            jobs.give(job);
        }
    }

    /** {@code dw (+)= ∂L/∂w} from x {@code [n, c, h, w]} and dy {@code [n, o, oh, ow]}; filters {@code [o, c, 3, 3]}. */
    void backwardFilter(float[] x, float[] dy, float[] dw, int n, int c, int h, int width, int o, int pad, boolean accumulate) {
        Job job = jobs.take();
        try {
            job.set(n, c, h, width, o, pad);
            job.in = x;
            job.out = dy;
            job.run(true);
            BatchParts.reduceLanePartials(job.partials, job.parts, job.outs * job.ins * 9, L, dw, accumulate);
        } finally {
            jobs.give(job);
        }
    }

    /** One call: geometry, packed filters, per-part partial filter gradients, and the per-part body. */
    private final class Job extends BatchJob {
        float[] in;
        float[] out;
        float[] bias;
        int ins, h, w, outs, pad;
        int wp, oh, ow, q, strips, plane;
        /** Forward filters, {@code [outs/OB blocks][ins][9][OB]} then {@code [remaining outs][ins][9]}. */
        float[] packed = new float[0];

        void set(int n, int ins, int h, int w, int outs, int pad) {
            batch(n);
            this.ins = ins;
            this.h = h;
            this.w = w;
            this.outs = outs;
            this.pad = pad;
            wp = w + 2 * pad;
            oh = h + 2 * pad - 2;
            ow = w + 2 * pad - 2;
            q = oh * wp;
            strips = (q + STRIP - 1) / STRIP;
            // The last strip reads up to strips·STRIP − 1 + 2·wp + 2; the plane holds the bordered image.
            plane = Math.max((h + 2 * pad) * wp, strips * STRIP + 2 * wp + 2);
        }

        /**
         * Filters in the tile's order: for a block of OB output channels, for each input channel and
         * tap, the OB values side by side. {@code flipped}: the input gradient's filters,
         * {@code g[o'][c'][a][b] = w[c'][o'][2−a][2−b]} for the convolution from {@code ins} (w's
         * outputs) to {@code outs} (w's inputs).
         */
        void packFilters(float[] wts, boolean flipped) {
            packed = packOutputBlocks(wts, flipped, outs, ins, OB, packed);
        }

        /** Per part: {@code [outs][ins][9][L]} lane sums of the filter gradient. */
        @Override
        int partialSize() {
            return outs * ins * 9 * L;
        }

        @Override
        public void accept(int part) {
            int first = first(part), end = first(part + 1);
            WorkArrays sc = scratch.get();
            float[] xp = sc.atLeast(PADDED, ins * plane + L);
            if (filterGradient) {
                float[] acc = partials[part];
                Arrays.fill(acc, 0, partialSize(), 0f);
                float[] dyp = sc.atLeast(GRADIENTS, outs * strips * STRIP);
                for (int b = first; b < end; b++) {
                    pad(in, b * ins * h * w, xp);
                    layOut(out, b * outs * oh * ow, dyp);
                    filterGradient(xp, dyp, acc);
                }
                return;
            }
            float[] yp = sc.atLeast(GRADIENTS, outs * strips * STRIP);
            for (int b = first; b < end; b++) {
                pad(in, b * ins * h * w, xp);
                forward(xp, yp);
                unpad(yp, b * outs * oh * ow);
            }
        }

        /** The image's planes into zero-bordered planes of row length wp. */
        private void pad(float[] src, int off, float[] xp) {
            Arrays.fill(xp, 0, ins * plane + L, 0f);
            BorderedPlanes.copy(src, off, ins, h, w, pad, wp, plane, xp, 0);
        }

        /** dY of one image at index {@code q = oy·wp + ox} of each output channel's run, zero elsewhere. */
        private void layOut(float[] src, int off, float[] dyp) {
            int run = strips * STRIP;
            Arrays.fill(dyp, 0, outs * run, 0f);
            for (int o = 0; o < outs; o++) {
                for (int y = 0; y < oh; y++) {
                    System.arraycopy(src, off + (o * oh + y) * ow, dyp, o * run + y * wp, ow);
                }
            }
        }

        /** The valid pixels of each output channel's run into y, with the bias. */
        private void unpad(float[] yp, int off) {
            int run = strips * STRIP;
            for (int o = 0; o < outs; o++) {
                float b0 = bias == null ? 0f : bias[o];
                for (int y = 0; y < oh; y++) {
                    int from = o * run + y * wp, to = off + (o * oh + y) * ow;
                    for (int x = 0; x < ow; x++) {
                        out[to + x] = yp[from + x] + b0;
                    }
                }
            }
        }

        private void forward(float[] xp, float[] yp) {
            int run = strips * STRIP;
            int full = outs / OB * OB;
            for (int o = 0; o < full; o += OB) {
                int wOff = o * ins * 9;
                for (int s = 0; s < strips; s++) {
                    tile4(xp, s * STRIP, packed, wOff, yp, o * run + s * STRIP, run);
                }
            }
            for (int o = full; o < outs; o++) {
                int wOff = o * ins * 9;
                for (int s = 0; s < strips; s++) {
                    tile1(xp, s * STRIP, packed, wOff, yp, o * run + s * STRIP);
                }
            }
        }

        /** OB output channels × VB vectors of pixels from {@code q0}: Σ over channels and taps. */
        private void tile4(float[] xp, int q0, float[] wts, int wOff, float[] yp, int yOff, int run) {
            FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S);
            FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S);
            FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a22 = FloatVector.zero(S);
            FloatVector a30 = FloatVector.zero(S), a31 = FloatVector.zero(S), a32 = FloatVector.zero(S);
            int wi = wOff;
            for (int c = 0; c < ins; c++) {
                int base = c * plane + q0;
                for (int kh = 0; kh < 3; kh++) {
                    for (int kw = 0; kw < 3; kw++, wi += OB) {
                        int at = base + kh * wp + kw;
                        FloatVector x0 = FloatVector.fromArray(S, xp, at);
                        FloatVector x1 = FloatVector.fromArray(S, xp, at + L);
                        FloatVector x2 = FloatVector.fromArray(S, xp, at + 2 * L);
                        FloatVector g = FloatVector.broadcast(S, wts[wi]);
                        a00 = g.fma(x0, a00);
                        a01 = g.fma(x1, a01);
                        a02 = g.fma(x2, a02);
                        g = FloatVector.broadcast(S, wts[wi + 1]);
                        a10 = g.fma(x0, a10);
                        a11 = g.fma(x1, a11);
                        a12 = g.fma(x2, a12);
                        g = FloatVector.broadcast(S, wts[wi + 2]);
                        a20 = g.fma(x0, a20);
                        a21 = g.fma(x1, a21);
                        a22 = g.fma(x2, a22);
                        g = FloatVector.broadcast(S, wts[wi + 3]);
                        a30 = g.fma(x0, a30);
                        a31 = g.fma(x1, a31);
                        a32 = g.fma(x2, a32);
                    }
                }
            }
            a00.intoArray(yp, yOff);
            a01.intoArray(yp, yOff + L);
            a02.intoArray(yp, yOff + 2 * L);
            a10.intoArray(yp, yOff + run);
            a11.intoArray(yp, yOff + run + L);
            a12.intoArray(yp, yOff + run + 2 * L);
            a20.intoArray(yp, yOff + 2 * run);
            a21.intoArray(yp, yOff + 2 * run + L);
            a22.intoArray(yp, yOff + 2 * run + 2 * L);
            a30.intoArray(yp, yOff + 3 * run);
            a31.intoArray(yp, yOff + 3 * run + L);
            a32.intoArray(yp, yOff + 3 * run + 2 * L);
        }

        /** One output channel × VB vectors of pixels (the channels past the last whole block of OB). */
        private void tile1(float[] xp, int q0, float[] wts, int wOff, float[] yp, int yOff) {
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S);
            int wi = wOff;
            for (int c = 0; c < ins; c++) {
                int base = c * plane + q0;
                for (int kh = 0; kh < 3; kh++) {
                    for (int kw = 0; kw < 3; kw++, wi++) {
                        int at = base + kh * wp + kw;
                        FloatVector g = FloatVector.broadcast(S, wts[wi]);
                        a0 = g.fma(FloatVector.fromArray(S, xp, at), a0);
                        a1 = g.fma(FloatVector.fromArray(S, xp, at + L), a1);
                        a2 = g.fma(FloatVector.fromArray(S, xp, at + 2 * L), a2);
                    }
                }
            }
            a0.intoArray(yp, yOff);
            a1.intoArray(yp, yOff + L);
            a2.intoArray(yp, yOff + 2 * L);
        }

        /** Adds one image's {@code Σ_q dY[o][q] · X[c][q + kh·wp + kw]}, lane by lane, into {@code acc [o][c][9][L]}. */
        private void filterGradient(float[] xp, float[] dyp, float[] acc) {
            int run = strips * STRIP;
            int vectors = (q + L - 1) / L;
            int full = outs / OB * OB;
            for (int o = 0; o < full; o += OB) {
                for (int c = 0; c < ins; c++) {
                    for (int kh = 0; kh < 3; kh++) {
                        gradientRow4(xp, c * plane + kh * wp, dyp, o * run, run, vectors, acc, ((o * ins + c) * 9 + kh * 3) * L);
                    }
                }
            }
            for (int o = full; o < outs; o++) {
                for (int c = 0; c < ins; c++) {
                    for (int kh = 0; kh < 3; kh++) {
                        gradientRow1(xp, c * plane + kh * wp, dyp, o * run, vectors, acc, ((o * ins + c) * 9 + kh * 3) * L);
                    }
                }
            }
        }

        /** The three taps of filter row kh for OB output channels; the sums go to acc at {@code accOff + ((oi·ins)·9 + kw)·L}. */
        private void gradientRow4(float[] xp, int xOff, float[] dyp, int dOff, int run, int vectors, float[] acc, int accOff) {
            FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S);
            FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S);
            FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a22 = FloatVector.zero(S);
            FloatVector a30 = FloatVector.zero(S), a31 = FloatVector.zero(S), a32 = FloatVector.zero(S);
            for (int v = 0, qi = 0; v < vectors; v++, qi += L) {
                FloatVector x0 = FloatVector.fromArray(S, xp, xOff + qi);
                FloatVector x1 = FloatVector.fromArray(S, xp, xOff + qi + 1);
                FloatVector x2 = FloatVector.fromArray(S, xp, xOff + qi + 2);
                FloatVector d = FloatVector.fromArray(S, dyp, dOff + qi);
                a00 = d.fma(x0, a00);
                a01 = d.fma(x1, a01);
                a02 = d.fma(x2, a02);
                d = FloatVector.fromArray(S, dyp, dOff + run + qi);
                a10 = d.fma(x0, a10);
                a11 = d.fma(x1, a11);
                a12 = d.fma(x2, a12);
                d = FloatVector.fromArray(S, dyp, dOff + 2 * run + qi);
                a20 = d.fma(x0, a20);
                a21 = d.fma(x1, a21);
                a22 = d.fma(x2, a22);
                d = FloatVector.fromArray(S, dyp, dOff + 3 * run + qi);
                a30 = d.fma(x0, a30);
                a31 = d.fma(x1, a31);
                a32 = d.fma(x2, a32);
            }
            int step = ins * 9 * L;
            addInto(acc, accOff, a00, a01, a02);
            addInto(acc, accOff + step, a10, a11, a12);
            addInto(acc, accOff + 2 * step, a20, a21, a22);
            addInto(acc, accOff + 3 * step, a30, a31, a32);
        }

        private void gradientRow1(float[] xp, int xOff, float[] dyp, int dOff, int vectors, float[] acc, int accOff) {
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S);
            for (int v = 0, qi = 0; v < vectors; v++, qi += L) {
                FloatVector d = FloatVector.fromArray(S, dyp, dOff + qi);
                a0 = d.fma(FloatVector.fromArray(S, xp, xOff + qi), a0);
                a1 = d.fma(FloatVector.fromArray(S, xp, xOff + qi + 1), a1);
                a2 = d.fma(FloatVector.fromArray(S, xp, xOff + qi + 2), a2);
            }
            addInto(acc, accOff, a0, a1, a2);
        }
    }

    private static void addInto(float[] acc, int off, FloatVector t0, FloatVector t1, FloatVector t2) {
        FloatVector.fromArray(S, acc, off).add(t0).intoArray(acc, off);
        FloatVector.fromArray(S, acc, off + L).add(t1).intoArray(acc, off + L);
        FloatVector.fromArray(S, acc, off + 2 * L).add(t2).intoArray(acc, off + 2 * L);
    }

    /**
     * 3x3 filters {@code [outs][ins][9]} in the order of a register tile of {@code block} output
     * channels (here and in {@link RowConv}): {@code [outs/block][ins][9][block]}, then
     * {@code [remaining outs][ins][9]}, into {@code packed} (grown when too small; returned).
     * {@code flipped}: the input gradient's filters, {@code g[o'][c'][a][b] = w[c'][o'][2−a][2−b]}
     * for the convolution from {@code ins} (w's outputs) to {@code outs} (w's inputs).
     */
    static float[] packOutputBlocks(float[] wts, boolean flipped, int outs, int ins, int block, float[] packed) {
        int size = outs * ins * 9;
        if (packed.length < size) {
            packed = new float[size];
        }
        int full = outs / block * block;
        for (int o = 0; o < outs; o++) {
            for (int c = 0; c < ins; c++) {
                for (int t = 0; t < 9; t++) {
                    float v = flipped ? wts[(c * outs + o) * 9 + 8 - t] : wts[(o * ins + c) * 9 + t];
                    int at = o < full ? ((o / block * ins + c) * 9 + t) * block + o % block : (o * ins + c) * 9 + t;
                    packed[at] = v;
                }
            }
        }
        return packed;
    }
}
