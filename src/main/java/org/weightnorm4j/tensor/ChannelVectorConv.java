package org.weightnorm4j.tensor;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * 3x3 convolutions (stride 1 or 2) with vectors over the <em>output channels</em>: the forward
 * pass, the input gradient of a stride-1 convolution (the forward convolution of dY with the
 * flipped filters, padding {@code 2 − pad}) and the filter gradient, for the VAE's 16 and 32
 * channels on 7x7 to 28x28 planes.
 *
 * <p><b>Why.</b> {@link DirectConv} puts pixels in the vectors and reads the input with unaligned
 * vector loads at nine shifts; im2col + GEMM writes, packs and reads a column matrix nine times the
 * input to serve only {@code O} multiply-adds per element; Winograd's transforms and its 16
 * shallow products cost as much as its saved multiply-adds on a 7x7 or 14x14 plane. Here nothing
 * is rearranged but one zero-padded copy of each input image: the filters are packed once per
 * call as {@code [c][tap][o]}, so one tap of one input channel is a few aligned vector loads of
 * filter values, and each input pixel is one broadcast; stride 2 only changes which pixels are
 * broadcast. This is the register blocking of oneDNN's AVX2 direct convolution, on NCHW data.
 *
 * <p><b>Register tiles.</b> Forward: 4 vectors of output channels × 2 pixels (three such tiles
 * per group of 6 pixels) when the channels come in blocks of {@code 4L}; 2 vectors × 4 pixels
 * when they are exactly {@code 2L} (the VAE's 16 on AVX2: {@link Job#tile2x4} says why not 2 × 6);
 * otherwise 2 vectors × 6 pixels. With AVX-512's 32 registers, output rows a multiple of 7
 * pixels wide (the VAE's 7, 14 and 28) run on 7- and 14-pixel tiles instead: {@code 2L} channels
 * × 7 pixels ({@link Job#rows2x7}, {@link Job#tile2x7}) and one vector of {@code L} channels ×
 * 14 pixels ({@link Job#rows1x14}, which brings the VAE's 16-channel layers here from Winograd),
 * a 3x3 kernel a filter row at a time, so that one broadcast input pixel serves the three taps
 * that read it; the strided input gradient's phases (rows of 7 or 14) use them a tap at a time
 * ({@link Job#tile2x7}, {@link Job#tile1x14}). The accumulators go to a pixel-major scratch image
 * {@code [pixel][o]} that is transposed into NCHW with the bias (pixel groups may span rows; the
 * last group runs past the last pixel, and its extra pixels are dropped). Filter gradient: 2 vectors of output channels × the 3 taps of one filter
 * row (6 accumulators), or of filter rows 0 and 1 of a 3x3 kernel together (12: each pixel's two
 * loads of dY then serve 12 multiply-adds instead of 6; 7-12% faster per filter gradient on the
 * VAE's 3x3 shapes, the same sums), and row 2 of input channels c and c + 1 together (12 again:
 * alone, its 6 accumulators cannot cover the FMA's 4-cycle latency on two pipes; another 9-13% per
 * filter gradient, the same sums), summed over every output pixel of the part's images, with dY
 * transposed to {@code [pixel][o]} once per image. Tried and dropped: the forward tiles with a
 * filter row's three taps written out per loop trip (no table lookup per tap): 4-7% slower for
 * the 4x2 tile, and 1.7 times slower for the 2x6 tile written with an inner loop over the taps.
 *
 * <p><b>Order of sums.</b> A forward output is one float sum over input channels, then taps, in
 * that order, started from zero, the bias added last: the same for every thread count and batch
 * split. A filter-gradient element is summed in float over the pixels of each image and the
 * images of each part in order, and the parts are added in part order in double and rounded once;
 * so it depends on the thread count (through the parts), never on scheduling, as
 * {@link Float32Conv}'s does.
 */
final class ChannelVectorConv {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** The scratch rows are sized to a multiple of this many pixels (every forward tile's width, 2, 4 and 6, divides it). */
    private static final int ROW_QUANTUM = 12;
    /** The slots of a thread's work arrays: the bordered image, and the output (or dY) pixel-major. */
    private static final int PADDED = 0;
    private static final int TRANSPOSED = 1;

    private final JobPool<Job> jobs = new JobPool<>(Job::new, job -> {
        job.in = null;
        job.out = null;
        job.bias = null;
    });
    private final ThreadLocal<WorkArrays> scratch = WorkArrays.perThread(2);

    /**
     * Whether the forward serves a convolution to {@code outs} channels (and the input gradient
     * of a 3x3 stride-1 one, judged as the forward to its input channels): a 3x3 or 4x4 kernel (the
     * 4x4 one is the VAE's transposed convolutions' input gradient), stride 1 or 2, padding below
     * the kernel size, and the outputs whole pairs of vectors (16 or 32 channels with AVX2's
     * 8 lanes; 32 with AVX-512's 16).
     */
    static boolean worthIt(int outs, int kh, int kw, int stride, int pad) {
        return (kh == 3 || kh == 4) && kw == kh && (stride == 1 || stride == 2) && pad >= 0 && pad < kh && outs > 0
                && outs % (2 * L) == 0;
    }

    /**
     * Whether the forward serves one vector of output channels (16 with AVX-512's 16 lanes: the
     * VAE's 16-channel layers): a 3x3, stride-1 convolution whose output rows are a multiple of 14
     * pixels wide ({@code ow}), which {@link Job#rows1x14} runs.
     */
    static boolean worthItOneVector(int outs, int kh, int kw, int stride, int pad, int ow) {
        return L >= 16 && outs == L && kh == 3 && kw == 3 && stride == 1 && pad >= 0 && pad < kh && ow > 0 && ow % 14 == 0;
    }

    /** {@link #worthIt} or {@link #worthItOneVector}: what {@link #forward} and {@link #backwardData} accept. */
    static boolean serves(int outs, int kh, int kw, int stride, int pad, int ow) {
        return worthIt(outs, kh, kw, stride, pad) || worthItOneVector(outs, kh, kw, stride, pad, ow);
    }

    /** Whether the filter gradient serves it: as {@link #worthIt} (the 4x4 one is the transposed convolutions' filter gradient). */
    static boolean worthItForFilter(int outs, int kh, int kw, int stride, int pad) {
        return worthIt(outs, kh, kw, stride, pad);
    }

    /**
     * Whether the filter gradient serves one vector of output channels (16 with AVX-512: the VAE's
     * 16 → 16 layers): a 3x3 kernel, stride 1, output rows at least 2 wide, run by
     * {@link Job#gradientSliding}.
     */
    static boolean worthItForFilterOneVector(int outs, int kh, int kw, int stride, int pad, int ow) {
        return L >= 16 && outs == L && kh == 3 && kw == 3 && stride == 1 && pad >= 0 && pad < kh && ow >= 2;
    }

    /**
     * {@code y = conv(x, w) + bias}: x {@code [n, c, h, width]}, filters {@code [o, c, k, k]}
     * ({@code k} 3 or 4), y {@code [n, o, oh, ow]}; bias null for none.
     */
    void forward(float[] x, float[] w, float[] bias, float[] y, int n, int c, int h, int width, int o, int k, int stride,
                 int pad) {
        check(serves(o, k, k, stride, pad, (width + 2 * pad - k) / stride + 1), o, stride, pad);
        Job job = jobs.take();
        try {
            job.set(n, c, h, width, o, k, stride, pad);
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
     * {@code dx} (overwritten) of a 3x3, stride-1 convolution with padding {@code pad}: dy
     * {@code [n, o, oh, ow]}, filters {@code [o, c, 3, 3]}, dx {@code [n, c, h, w]}. The forward
     * convolution of dy with the flipped filters, channel axes swapped, padding {@code 2 − pad}.
     */
    void backwardData(float[] dy, float[] w, float[] dx, int n, int o, int oh, int ow, int c, int pad) {
        check(pad <= 2 && serves(c, 3, 3, 1, 2 - pad, ow + 2 - 2 * pad), c, 1, pad);
        Job job = jobs.take();
        try {
            job.set(n, o, oh, ow, c, 3, 1, 2 - pad);
            job.in = dy;
            job.out = dx;
            job.bias = null;
            job.packFilters(w, true);
            job.run(false);
        } finally {
            jobs.give(job);
        }
    }

    /**
     * Whether {@link #backwardDataStrided} serves the input gradient of a convolution to {@code c}
     * input channels: stride 2 to 4, a square kernel at least as wide as the stride and at most 5,
     * padding below the kernel size, and {@code c} whole pairs of vectors.
     */
    static boolean worthItStrided(int c, int kh, int kw, int stride, int pad) {
        return kh == kw && stride >= 2 && stride <= 4 && kh >= stride && kh <= 5 && pad >= 0 && pad < kh && c > 0
                && c % (2 * L) == 0;
    }

    /**
     * Whether {@link #backwardDataStrided} serves one vector of dx channels ({@code c == L}, 16
     * with AVX-512: the VAE's stride-2 16 → 32 convolution and its 32 → 16 transposed one), as
     * {@link #worthItStrided} but for the channels, when every phase's rows of dx (width
     * {@code ww}) are a multiple of 14 pixels, for {@link Job#tile1x14}.
     */
    static boolean worthItStridedOneVector(int c, int kh, int kw, int stride, int pad, int ww) {
        if (L < 16 || c != L || kh != kw || stride < 2 || stride > 4 || kh < stride || kh > 5 || pad < 0 || pad >= kh) {
            return false;
        }
        for (int rx = 0; rx < stride; rx++) {
            int cols = (ww - rx + stride - 1) / stride;
            if (cols <= 0 || cols % 14 != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code dx} (overwritten) of a convolution with stride {@code s ≥ 2} (and so the forward of a
     * transposed convolution): dy {@code [n, o, oh, ow]}, filters {@code [o, c, k, k]}, dx
     * {@code [n, c, hh, ww]} with {@code oh = (hh + 2p − k)/s + 1}. Each of the {@code s²} output
     * phases {@code (Y mod s, X mod s)} is a stride-1 convolution of dy with the taps
     * {@code ky ≡ Y + p (mod s)} (a 2x2 one per phase for the VAE's 4x4, stride-2 transposed
     * convolutions), run on the forward's tiles and written to its pixels of dx. Every dx element is
     * one float sum over dy's channels, then the phase's taps in row-major order, from zero: the
     * same whatever the thread count, not the bits of the col2im path it replaces.
     */
    void backwardDataStrided(float[] dy, float[] w, float[] dx, int n, int o, int oh, int ow, int c, int hh, int ww, int k,
                             int s, int p) {
        if (!(worthItStrided(c, k, k, s, p) || worthItStridedOneVector(c, k, k, s, p, ww)) || (hh + 2 * p - k) / s + 1 != oh || (ww + 2 * p - k) / s + 1 != ow
                || hh + 2 * p < k || ww + 2 * p < k) {
            throw new IllegalArgumentException("ChannelVectorConv strided input gradient: needs stride 2 to 4, a kernel of"
                    + " stride to 5, padding below the kernel, input channels in whole pairs of " + L + "-lane vectors (or one,"
                    + " with 16 lanes and dx rows whose phases are multiples of 14 wide) and"
                    + " dy of the convolution's output size; got " + c + " channels, " + k + "x" + k + " kernel, stride " + s
                    + ", padding " + p + ", dx " + hh + "x" + ww + ", dy " + oh + "x" + ow);
        }
        Job job = jobs.take();
        try {
            job.setStrided(w, n, o, oh, ow, c, hh, ww, k, s, p);
            job.in = dy;
            job.out = dx;
            job.bias = null;
            job.run(false);
        } finally {
            job.phases = null;
            jobs.give(job);
        }
    }

    /**
     * The padded extent (rows, or columns) of dy for {@link Job#setStrided}: {@code top} above the
     * {@code in} rows of dy and enough below for every phase's lowest tap, as {@code [extent]}.
     */
    private static int[] phaseExtent(int out, int in, int k, int s, int p, int top) {
        int extent = top + in;
        for (int r = 0; r < s; r++) {
            int count = (out - r + s - 1) / s;
            for (int kq = 0; kq < k; kq++) {
                if (count > 0 && Math.floorMod(r + p - kq, s) == 0) {
                    extent = Math.max(extent, top + count - 1 + (r + p - kq) / s + 1);
                }
            }
        }
        return new int[] {extent};
    }

    /**
     * Tap j's offset {@code tp[j]} at index {@code j·step} of {@code into} (grown as needed): the
     * index of tap j's first filter vector when the output channels are one block of {@code step}
     * ({@code 2L} or {@code L}), so that {@link Job#tile2x4} and the others read the filters and the
     * taps with one index.
     */
    static int[] spreadTaps(int[] tp, int taps9, int step, int[] into) {
        int[] out = into.length < taps9 * step ? new int[taps9 * step] : into;
        for (int j = 0; j < taps9; j++) {
            out[j * step] = tp[j];
        }
        return out;
    }

    /** 14 or 7 when the pixels come in runs of that many ({@link #runsOf}), 14 first; else 0. */
    static int runWidth(int[] po, int count) {
        return runsOf(14, po, count) ? 14 : runsOf(7, po, count) ? 7 : 0;
    }

    /**
     * Whether the pixels come in runs of {@code run} at consecutive offsets (a stride-1 output,
     * or a strided input gradient's phase, whose rows are a multiple of {@code run} wide), as
     * {@link Job#tile2x7}, {@link Job#rows2x7} and {@link Job#rows1x14} read them. tile2x7 needs 512-bit vectors: its 14
     * accumulators, two filter vectors and a broadcast are 17 registers, more than AVX2's 16.
     */
    static boolean runsOf(int run, int[] po, int count) {
        if (count % run != 0) {
            return false;
        }
        for (int q = 0; q < count; q += run) {
            for (int i = 1; i < run; i++) {
                if (po[q + i] != po[q] + i) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * One output phase {@code (ry, rx)} of a strided input gradient: its output pixels
     * {@code (s·m + ry, s·q + rx)}, their offsets in the padded dy, the taps that reach them (tap
     * {@code (ky, kx)} at padded offset {@code ((ry + p − ky)/s + top)·wpd + (rx + p − kx)/s + top}
     * from the pixel's) and the filters packed as {@code [o][tap][c]} for the forward's tiles.
     */
    private static final class Phase {
        int ry, rx, rowsOut, colsOut, s, p;
        int[] kys, kxs;
        int kk;
        int pixelsPadded;
        int[] pixels = new int[0], taps = new int[0];
        /** {@link #spreadTaps} of {@link #taps}, when the phase's output channels are one block of {@code 2L}. */
        int[] tapsAtFilters = new int[0];
        /** {@link #runWidth} of {@link #pixels}. */
        int pixelRun;
        float[] packed = new float[0];

        void set(int ry, int rx, int rowsOut, int colsOut, int k, int s, int p) {
            this.ry = ry;
            this.rx = rx;
            this.rowsOut = Math.max(rowsOut, 0);
            this.colsOut = Math.max(colsOut, 0);
            this.s = s;
            this.p = p;
            this.kys = tapsOfPhase(ry, k, s, p);
            this.kxs = tapsOfPhase(rx, k, s, p);
            this.kk = kys.length * kxs.length;
        }

        /** The kernel rows {@code ky ≡ r + p (mod s)}, in increasing order (at least one when k ≥ s). */
        private static int[] tapsOfPhase(int r, int k, int s, int p) {
            int[] found = new int[k];
            int count = 0;
            for (int kq = 0; kq < k; kq++) {
                if (Math.floorMod(r + p - kq, s) == 0) {
                    found[count++] = kq;
                }
            }
            return Arrays.copyOf(found, count);
        }

        /** Pixel offsets, tap offsets and packed filters for dy padded by {@code top} rows and columns. */
        void tables(float[] wts, int o, int c, int k, int top, int wpd, int plane) {
            int count = rowsOut * colsOut;
            pixelsPadded = (count + ROW_QUANTUM - 1) / ROW_QUANTUM * ROW_QUANTUM;
            if (pixels.length < pixelsPadded) {
                pixels = new int[pixelsPadded];
            }
            Arrays.fill(pixels, count, pixelsPadded, 0);      // the last group's extra pixels read offset 0: computed, dropped
            for (int m = 0; m < rowsOut; m++) {
                for (int q = 0; q < colsOut; q++) {
                    pixels[m * colsOut + q] = m * wpd + q;
                }
            }
            if (taps.length < o * kk) {
                taps = new int[o * kk];
            }
            if (packed.length < o * kk * c) {
                packed = new float[o * kk * c];
            }
            for (int oc = 0; oc < o; oc++) {
                int t = 0;
                for (int ky : kys) {
                    for (int kx : kxs) {
                        int row = Math.floorDiv(ry + p - ky, s) + top, col = Math.floorDiv(rx + p - kx, s) + top;
                        taps[oc * kk + t] = oc * plane + row * wpd + col;
                        for (int ch = 0; ch < c; ch++) {
                            packed[(oc * kk + t) * c + ch] = wts[((oc * c + ch) * k + ky) * k + kx];
                        }
                        t++;
                    }
                }
            }
            if (c == 2 * L || c == L) {
                tapsAtFilters = spreadTaps(taps, o * kk, c, tapsAtFilters);
            }
            pixelRun = runWidth(pixels, count);
        }

        /** {@code dx[ch][s·m + ry][s·q + rx] = t[(m·colsOut + q)·c + ch]} for one image at {@code dx[off]}. */
        void scatter(float[] t, float[] dx, int off, int c, int planeOut, int outW, int stride) {
            for (int ch = 0; ch < c; ch++) {
                int base = off + ch * planeOut + ry * outW + rx;
                for (int m = 0, from = ch; m < rowsOut; m++) {
                    int to = base + m * stride * outW;
                    for (int q = 0; q < colsOut; q++, from += c) {
                        dx[to + q * stride] = t[from];
                    }
                }
            }
        }
    }

    /** {@code dw (+)= ∂L/∂w} from x {@code [n, c, h, width]} and dy {@code [n, o, oh, ow]}; filters {@code [o, c, k, k]}. */
    void backwardFilter(float[] x, float[] dy, float[] dw, int n, int c, int h, int width, int o, int k, int stride, int pad,
                        boolean accumulate) {
        if (!worthItForFilter(o, k, k, stride, pad)
                && !worthItForFilterOneVector(o, k, k, stride, pad, (width + 2 * pad - k) / stride + 1)) {
            throw new IllegalArgumentException("ChannelVectorConv filter gradient: needs a 3x3 or 4x4 kernel, stride 1 or 2,"
                    + " padding below the kernel size and output channels in whole blocks of " + 4 * L + ", got " + o + " outputs, stride " + stride
                    + ", padding " + pad);
        }
        Job job = jobs.take();
        try {
            job.set(n, c, h, width, o, k, stride, pad);
            job.in = x;
            job.out = dy;
            job.run(true);
            BatchParts.reduceTransposedPartials(job.partials, job.parts, job.ins * job.kk, job.outs, dw, accumulate);
        } finally {
            jobs.give(job);
        }
    }

    private static void check(boolean ok, int outs, int stride, int pad) {
        if (!ok) {
            throw new IllegalArgumentException("ChannelVectorConv: needs a 3x3 or 4x4 kernel, stride 1 or 2, padding below the"
                    + " kernel size and output"
                    + " channels in whole pairs of " + L + "-lane vectors (or one, for 16 lanes, stride 1 and"
                    + " output rows a multiple of 14 wide), got " + outs + " outputs, stride " + stride
                    + ", padding " + pad);
        }
    }

    /** One call: geometry, packed filters, per-part partial filter gradients, and the per-part body. */
    private final class Job extends BatchJob {
        float[] in;
        float[] out;
        float[] bias;
        int ins, h, w, outs, stride, pad;
        /** The kernel's side, and its taps {@code k·k}. */
        int k, kk;
        /** Output plane, its pixel count rounded up to {@link #ROW_QUANTUM}, the padded input's row length and plane. */
        int oh, ow, pixelsPadded, wpd, plane;
        /** Forward filters {@code [ins][kk][outs]}. */
        float[] packed = new float[0];
        /** Offsets of tap t of input channel c in a padded image, {@code [c·kk + t]}. */
        int[] taps = new int[0];
        /** Offset in a padded input plane of the top-left tap of output pixel {@code oy·ow + ox}. */
        int[] pixels = new int[0];
        /** {@link #spreadTaps} of {@link #taps}, when {@code outs == 2L}. */
        int[] tapsAtFilters = new int[0];
        /** {@link #runWidth} of {@link #pixels}, found once per call. */
        int pixelRun;
        /** The strided input gradient's phases ({@link #setStrided}); null for the other passes. */
        Phase[] phases;
        /** Phases kept from call to call, so that their tables are allocated once. */
        Phase[] phaseCache = new Phase[0];
        /** The strided input gradient's output plane (the convolution's input). */
        int outH, outW;

        /**
         * The input gradient of a convolution with stride {@code s ≥ 2} as {@code s²} stride-1
         * convolutions, one per phase {@code (Y mod s, X mod s)} of the output pixel: dy
         * {@code [n, o, oh, ow]} (this job's input, {@code o} channels), dx {@code [n, c, hh, ww]}
         * (its output, {@code c} channels), filters {@code [o, c, k, k]}.
         */
        void setStrided(float[] wts, int n, int o, int oh, int ow, int c, int hh, int ww, int k, int s, int p) {
            batch(n);
            this.ins = o;
            this.outs = c;
            this.h = oh;
            this.w = ow;
            this.k = k;
            this.kk = k * k;
            this.stride = s;
            this.outH = hh;
            this.outW = ww;
            // Output row Y = s·m + r reads dy row m + (r + p − ky)/s for the taps ky ≡ r + p (mod s):
            // with `pad` rows above, the highest tap is in the padded image, and rows below cover the lowest.
            this.pad = (k - 1) / s + 1;
            int[] rowsY = phaseExtent(hh, oh, k, s, p, pad), rowsX = phaseExtent(ww, ow, k, s, p, pad);
            this.wpd = rowsX[0];
            this.plane = rowsY[0] * wpd;
            if (phaseCache.length < s * s) {
                phaseCache = Arrays.copyOf(phaseCache, s * s);
            }
            phases = Arrays.copyOf(phaseCache, s * s);
            int most = 0;
            for (int ry = 0; ry < s; ry++) {
                for (int rx = 0; rx < s; rx++) {
                    Phase ph = phaseCache[ry * s + rx];
                    if (ph == null) {
                        ph = phaseCache[ry * s + rx] = new Phase();
                    }
                    ph.set(ry, rx, (hh - ry + s - 1) / s, (ww - rx + s - 1) / s, k, s, p);
                    ph.tables(wts, o, c, k, pad, wpd, plane);
                    phases[ry * s + rx] = ph;
                    most = Math.max(most, ph.pixelsPadded);
                }
            }
            this.pixelsPadded = most;
        }

        void set(int n, int ins, int h, int w, int outs, int k, int stride, int pad) {
            this.phases = null;
            this.k = k;
            this.kk = k * k;
            batch(n);
            this.ins = ins;
            this.h = h;
            this.w = w;
            this.outs = outs;
            this.stride = stride;
            this.pad = pad;
            oh = (h + 2 * pad - k) / stride + 1;
            ow = (w + 2 * pad - k) / stride + 1;
            if (h + 2 * pad < k || w + 2 * pad < k) {
                throw new IllegalArgumentException("ChannelVectorConv: a " + h + "x" + w + " input with padding " + pad
                        + " is smaller than the " + k + "x" + k + " kernel");
            }
            wpd = w + 2 * pad;
            pixelsPadded = (oh * ow + ROW_QUANTUM - 1) / ROW_QUANTUM * ROW_QUANTUM;
            plane = (h + 2 * pad) * wpd;
            if (taps.length < ins * kk) {
                taps = new int[ins * kk];
            }
            if (pixels.length < pixelsPadded) {
                pixels = new int[pixelsPadded];
            }
            Arrays.fill(pixels, oh * ow, pixelsPadded, 0);       // the last group's extra pixels: computed, dropped
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    pixels[oy * ow + ox] = oy * stride * wpd + ox * stride;
                }
            }
            for (int c = 0; c < ins; c++) {
                for (int t = 0; t < kk; t++) {
                    taps[c * kk + t] = c * plane + (t / k) * wpd + t % k;
                }
            }
            if (outs == 2 * L || outs == L) {
                tapsAtFilters = spreadTaps(taps, ins * kk, outs, tapsAtFilters);
            }
            pixelRun = runWidth(pixels, oh * ow);
        }

        /**
         * {@code packed[(c·kk + t)·outs + o]} = tap t of filter (o, c). {@code flipped} (3x3 only):
         * the input gradient's filters, {@code g[o'][c'][t] = w[c'][o'][8 − t]} for the convolution
         * from {@code ins} (w's outputs) to {@code outs} (w's inputs).
         */
        void packFilters(float[] wts, boolean flipped) {
            int size = ins * kk * outs;
            if (packed.length < size) {
                packed = new float[size];
            }
            for (int o = 0; o < outs; o++) {
                for (int c = 0; c < ins; c++) {
                    for (int t = 0; t < kk; t++) {
                        packed[(c * kk + t) * outs + o] = flipped ? wts[(c * outs + o) * kk + kk - 1 - t] : wts[(o * ins + c) * kk + t];
                    }
                }
            }
        }

        /** Per part: {@code [ins][kk][outs]} sums of the filter gradient ({@link BatchParts#reduceTransposedPartials} adds them). */
        @Override
        int partialSize() {
            return ins * kk * outs;
        }

        @Override
        public void accept(int part) {
            int first = first(part), end = first(part + 1);
            WorkArrays sc = scratch.get();
            float[] xp = sc.atLeast(PADDED, ins * plane);
            float[] t = sc.atLeast(TRANSPOSED, pixelsPadded * outs);
            if (filterGradient) {
                float[] acc = partials[part];
                Arrays.fill(acc, 0, partialSize(), 0f);
                for (int b = first; b < end; b++) {
                    pad(in, b * ins * h * w, xp);
                    transposeIn(out, b * outs * oh * ow, t);
                    filterGradient(xp, t, acc);
                }
                return;
            }
            if (phases != null) {
                for (int b = first; b < end; b++) {
                    pad(in, b * ins * h * w, xp);
                    for (Phase ph : phases) {
                        forward(xp, t, ph.pixels, ph.rowsOut * ph.colsOut, ph.taps, ph.tapsAtFilters, ins * ph.kk, ph.packed, ph.pixelRun,
                                false);
                        ph.scatter(t, out, b * outs * outH * outW, outs, outH * outW, outW, stride);
                    }
                }
                return;
            }
            for (int b = first; b < end; b++) {
                pad(in, b * ins * h * w, xp);
                forward(xp, t);
                transposeOut(t, b * outs * oh * ow);
            }
        }

        /** The image's planes into zero-bordered planes of row length wpd. */
        private void pad(float[] src, int off, float[] xp) {
            BorderedPlanes.copyBordered(src, off, ins, h, w, pad, wpd, plane, xp, 0);
        }

        /** {@code y[o][p] = t[p·outs + o] + bias[o]} for the output pixels p of one image. */
        private void transposeOut(float[] t, int off) {
            int count = oh * ow;
            for (int o = 0; o < outs; o++) {
                float b0 = bias == null ? 0f : bias[o];
                int to = off + o * count;
                for (int p = 0, from = o; p < count; p++, from += outs) {
                    out[to + p] = t[from] + b0;
                }
            }
        }

        /** {@code t[p·outs + o] = dy[o][p]} of one image, p the output pixel {@code oy·ow + ox}. */
        private void transposeIn(float[] dy, int off, float[] t) {
            int pixels = oh * ow;
            for (int o = 0; o < outs; o++) {
                int from = off + o * pixels;
                for (int p = 0, to = o; p < pixels; p++, to += outs) {
                    t[to] = dy[from + p];
                }
            }
        }

        /**
         * The output pixels six at a time in row-major order (a group may span two rows: each
         * pixel's input offset comes from {@link #pixels}), so a 7-pixel row wastes no lanes of a tile.
         */
        private void forward(float[] xp, float[] t) {
            forward(xp, t, pixels, oh * ow, taps, tapsAtFilters, ins * kk, packed, pixelRun, k == 3);
        }

        /**
         * {@link #forward(float[], float[])} with its tables given: pixel offsets, the number of
         * output pixels, tap offsets (also as {@link #spreadTaps} gives them, when {@code outs == 2L})
         * and filters, and the pixels' {@link #runWidth}. Each tile's pixel groups run past the last pixel
         * to a multiple of its width (at most {@link #ROW_QUANTUM}); the extra pixels read offset 0
         * and are dropped.
         */
        private void forward(float[] xp, float[] t, int[] po, int count, int[] tp, int[] taw, int taps9, float[] wts,
                             int run, boolean rowsOf3) {
            if (outs == L) {
                if (run != 14) {
                    throw new IllegalStateException("ChannelVectorConv: one vector of outputs needs rows of 14k pixels");
                }
                for (int q = 0; q < count; q += 14) {
                    if (rowsOf3) {
                        rows1x14(xp, po[q], t, q * outs, taw, taps9 * outs, wts);
                    } else {
                        tile1x14(xp, po[q], t, q * outs, taw, taps9 * outs, wts);
                    }
                }
                return;
            }
            if (outs == 2 * L) {
                if (L >= 16 && run > 0) {                  // runs of 14 are runs of 7 too
                    for (int q = 0; q < count; q += 7) {
                        if (rowsOf3) {
                            rows2x7(xp, po[q], t, q * outs, taw, taps9 * outs, wts);
                        } else {
                            tile2x7(xp, po[q], t, q * outs, taw, taps9 * outs, wts);
                        }
                    }
                    return;
                }
                for (int q = 0; q < count; q += 4) {
                    tile2x4(xp, po[q], po[q + 1], po[q + 2], po[q + 3], t, q * outs, taw, taps9 * outs, wts);
                }
                return;
            }
            for (int q = 0; q < count; q += 6) {
                int x0 = po[q];
                int d1 = po[q + 1] - x0, d2 = po[q + 2] - x0, d3 = po[q + 3] - x0, d4 = po[q + 4] - x0, d5 = po[q + 5] - x0;
                if (outs % (4 * L) == 0) {            // 3-7% faster than two 2x6 tiles (32 channels, AVX2)
                    for (int ob = 0; ob < outs; ob += 4 * L) {
                        int ta = q * outs + ob;
                        tile4x2(xp, x0, d1, ob, t, ta, tp, taps9, wts);
                        tile4x2(xp, x0 + d2, d3 - d2, ob, t, ta + 2 * outs, tp, taps9, wts);
                        tile4x2(xp, x0 + d4, d5 - d4, ob, t, ta + 4 * outs, tp, taps9, wts);
                    }
                    continue;
                }
                for (int ob = 0; ob < outs; ob += 2 * L) {
                    tile2x6(xp, x0, d1, d2, d3, d4, d5, ob, t, q * outs + ob, tp, taps9, wts);
                }
            }
        }

        /**
         * Channels {@code [0, 2L)} (all of them) × 4 pixels at padded offsets {@code p0..p3}, for
         * {@code outs == 2L}; {@code taw[wi]} is the offset of the tap whose filters start at
         * {@code wts[wi]}, and {@code wEnd} the filters' end.
         *
         * <p><b>Why not 2x6 here</b> (docs/KERNELS.md, "The 16-channel tile"): {@link #tile2x6}
         * needs 15 of AVX2's 16 vector registers and, besides its two arrays, about 14 integers
         * across its loop (a base and five pixel distances, the tap and filter indices, their
         * limits and steps, two array lengths) for 13 usable general registers, so C2 must spill
         * and chooses what to spill per JVM run; about one run in five got a compile 1.5 times
         * slower. Here 8 accumulators, two filter vectors and one broadcast are 11 vector registers,
         * and the loop keeps 12 integers: the two arrays and the tap table, the index and its limit
         * (the filters' and the table's bounds checks are hoisted: the index is the loop variable
         * with a constant step), the input's length, four pixel offsets and two temporaries. Same
         * sums as tile2x6: each output is one FMA chain over the taps in order.
         */
        private static void tile2x4(float[] xp, int p0, int p1, int p2, int p3, float[] t, int tOff, int[] taw, int wEnd,
                                    float[] wts) {
            FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a10 = FloatVector.zero(S), a11 = FloatVector.zero(S);
            FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a30 = FloatVector.zero(S), a31 = FloatVector.zero(S);
            for (int wi = 0; wi < wEnd; wi += 2 * L) {
                FloatVector w0 = FloatVector.fromArray(S, wts, wi);
                FloatVector w1 = FloatVector.fromArray(S, wts, wi + L);
                int at = taw[wi];
                FloatVector p = FloatVector.broadcast(S, xp[at + p0]);
                a00 = w0.fma(p, a00);
                a01 = w1.fma(p, a01);
                p = FloatVector.broadcast(S, xp[at + p1]);
                a10 = w0.fma(p, a10);
                a11 = w1.fma(p, a11);
                p = FloatVector.broadcast(S, xp[at + p2]);
                a20 = w0.fma(p, a20);
                a21 = w1.fma(p, a21);
                p = FloatVector.broadcast(S, xp[at + p3]);
                a30 = w0.fma(p, a30);
                a31 = w1.fma(p, a31);
            }
            a00.intoArray(t, tOff);
            a01.intoArray(t, tOff + L);
            a10.intoArray(t, tOff + 2 * L);
            a11.intoArray(t, tOff + 3 * L);
            a20.intoArray(t, tOff + 4 * L);
            a21.intoArray(t, tOff + 5 * L);
            a30.intoArray(t, tOff + 6 * L);
            a31.intoArray(t, tOff + 7 * L);
        }


        /**
         * Channels {@code [0, 2L)} (all of them) × the 7 pixels at padded offsets {@code p0 .. p0 + 6},
         * for {@code outs == 2L} with 16 lanes ({@link #runsOf}); the arguments as {@link #tile2x4}'s.
         * Its 14 accumulators cover the FMA's latency on both pipes, where tile2x4's 8 just do,
         * and each pair of filter loads serves 14 multiply-adds instead of 8; the pixels need one
         * offset, so the loop keeps fewer integers than tile2x4's. Same sums as tile2x4.
         */
        private static void tile2x7(float[] xp, int p0, float[] t, int tOff, int[] taw, int wEnd, float[] wts) {
            FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a10 = FloatVector.zero(S), a11 = FloatVector.zero(S);
            FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a30 = FloatVector.zero(S), a31 = FloatVector.zero(S);
            FloatVector a40 = FloatVector.zero(S), a41 = FloatVector.zero(S), a50 = FloatVector.zero(S), a51 = FloatVector.zero(S);
            FloatVector a60 = FloatVector.zero(S), a61 = FloatVector.zero(S);
            for (int wi = 0; wi < wEnd; wi += 2 * L) {
                FloatVector w0 = FloatVector.fromArray(S, wts, wi);
                FloatVector w1 = FloatVector.fromArray(S, wts, wi + L);
                int at = taw[wi] + p0;
                FloatVector p = FloatVector.broadcast(S, xp[at]);
                a00 = w0.fma(p, a00);
                a01 = w1.fma(p, a01);
                p = FloatVector.broadcast(S, xp[at + 1]);
                a10 = w0.fma(p, a10);
                a11 = w1.fma(p, a11);
                p = FloatVector.broadcast(S, xp[at + 2]);
                a20 = w0.fma(p, a20);
                a21 = w1.fma(p, a21);
                p = FloatVector.broadcast(S, xp[at + 3]);
                a30 = w0.fma(p, a30);
                a31 = w1.fma(p, a31);
                p = FloatVector.broadcast(S, xp[at + 4]);
                a40 = w0.fma(p, a40);
                a41 = w1.fma(p, a41);
                p = FloatVector.broadcast(S, xp[at + 5]);
                a50 = w0.fma(p, a50);
                a51 = w1.fma(p, a51);
                p = FloatVector.broadcast(S, xp[at + 6]);
                a60 = w0.fma(p, a60);
                a61 = w1.fma(p, a61);
            }
            a00.intoArray(t, tOff);
            a01.intoArray(t, tOff + L);
            a10.intoArray(t, tOff + 2 * L);
            a11.intoArray(t, tOff + 3 * L);
            a20.intoArray(t, tOff + 4 * L);
            a21.intoArray(t, tOff + 5 * L);
            a30.intoArray(t, tOff + 6 * L);
            a31.intoArray(t, tOff + 7 * L);
            a40.intoArray(t, tOff + 8 * L);
            a41.intoArray(t, tOff + 9 * L);
            a50.intoArray(t, tOff + 10 * L);
            a51.intoArray(t, tOff + 11 * L);
            a60.intoArray(t, tOff + 12 * L);
            a61.intoArray(t, tOff + 13 * L);
        }

        /**
         * The {@code L} output channels (all of them: 16 with AVX-512, the VAE's 16-channel layers)
         * × the 14 pixels at padded offsets {@code p0 .. p0 + 13}, for a 3x3 kernel, a filter row at
         * a time; the arguments as {@link #tile2x4}'s. The row's three filter vectors stay in
         * registers, and each of the 16 input pixels the 14 outputs read in that row is broadcast
         * once and serves up to three of them (pixel {@code p0 + j} is tap 0 of output j, tap 1 of
         * output j − 1 and tap 2 of output j − 2): 3 loads and 16 broadcasts per 42 multiply-adds,
         * where a tap at a time needs 15 loads per 14 and the loads bound it (2.84 against 3.2-4.4 ms
         * for the VAE's 16 → 16 forward on 28x28, the Zen 5 host; Winograd 4.7). 14 accumulators,
         * three filter vectors and a broadcast: 18 of AVX-512's 32 registers. Output j gets its
         * row's taps 0, 1, 2 in that order, and the rows and channels come in {@code wts}' order:
         * the sums of the other tiles, bit for bit.
         */
        private static void rows1x14(float[] xp, int p0, float[] t, int tOff, int[] taw, int wEnd, float[] wts) {
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
            FloatVector a4 = FloatVector.zero(S), a5 = FloatVector.zero(S), a6 = FloatVector.zero(S), a7 = FloatVector.zero(S);
            FloatVector a8 = FloatVector.zero(S), a9 = FloatVector.zero(S), a10 = FloatVector.zero(S), a11 = FloatVector.zero(S);
            FloatVector a12 = FloatVector.zero(S), a13 = FloatVector.zero(S);
            for (int wi = 0; wi < wEnd; wi += 3 * L) {
                FloatVector w00 = FloatVector.fromArray(S, wts, wi);
                FloatVector w10 = FloatVector.fromArray(S, wts, wi + L);
                FloatVector w20 = FloatVector.fromArray(S, wts, wi + 2 * L);
                int at = taw[wi] + p0;
                FloatVector b = FloatVector.broadcast(S, xp[at]);
                a0 = w00.fma(b, a0);
                b = FloatVector.broadcast(S, xp[at + 1]);
                a0 = w10.fma(b, a0);
                a1 = w00.fma(b, a1);
                b = FloatVector.broadcast(S, xp[at + 2]);
                a0 = w20.fma(b, a0);
                a1 = w10.fma(b, a1);
                a2 = w00.fma(b, a2);
                b = FloatVector.broadcast(S, xp[at + 3]);
                a1 = w20.fma(b, a1);
                a2 = w10.fma(b, a2);
                a3 = w00.fma(b, a3);
                b = FloatVector.broadcast(S, xp[at + 4]);
                a2 = w20.fma(b, a2);
                a3 = w10.fma(b, a3);
                a4 = w00.fma(b, a4);
                b = FloatVector.broadcast(S, xp[at + 5]);
                a3 = w20.fma(b, a3);
                a4 = w10.fma(b, a4);
                a5 = w00.fma(b, a5);
                b = FloatVector.broadcast(S, xp[at + 6]);
                a4 = w20.fma(b, a4);
                a5 = w10.fma(b, a5);
                a6 = w00.fma(b, a6);
                b = FloatVector.broadcast(S, xp[at + 7]);
                a5 = w20.fma(b, a5);
                a6 = w10.fma(b, a6);
                a7 = w00.fma(b, a7);
                b = FloatVector.broadcast(S, xp[at + 8]);
                a6 = w20.fma(b, a6);
                a7 = w10.fma(b, a7);
                a8 = w00.fma(b, a8);
                b = FloatVector.broadcast(S, xp[at + 9]);
                a7 = w20.fma(b, a7);
                a8 = w10.fma(b, a8);
                a9 = w00.fma(b, a9);
                b = FloatVector.broadcast(S, xp[at + 10]);
                a8 = w20.fma(b, a8);
                a9 = w10.fma(b, a9);
                a10 = w00.fma(b, a10);
                b = FloatVector.broadcast(S, xp[at + 11]);
                a9 = w20.fma(b, a9);
                a10 = w10.fma(b, a10);
                a11 = w00.fma(b, a11);
                b = FloatVector.broadcast(S, xp[at + 12]);
                a10 = w20.fma(b, a10);
                a11 = w10.fma(b, a11);
                a12 = w00.fma(b, a12);
                b = FloatVector.broadcast(S, xp[at + 13]);
                a11 = w20.fma(b, a11);
                a12 = w10.fma(b, a12);
                a13 = w00.fma(b, a13);
                b = FloatVector.broadcast(S, xp[at + 14]);
                a12 = w20.fma(b, a12);
                a13 = w10.fma(b, a13);
                b = FloatVector.broadcast(S, xp[at + 15]);
                a13 = w20.fma(b, a13);
            }
            a0.intoArray(t, tOff);
            a1.intoArray(t, tOff + L);
            a2.intoArray(t, tOff + 2 * L);
            a3.intoArray(t, tOff + 3 * L);
            a4.intoArray(t, tOff + 4 * L);
            a5.intoArray(t, tOff + 5 * L);
            a6.intoArray(t, tOff + 6 * L);
            a7.intoArray(t, tOff + 7 * L);
            a8.intoArray(t, tOff + 8 * L);
            a9.intoArray(t, tOff + 9 * L);
            a10.intoArray(t, tOff + 10 * L);
            a11.intoArray(t, tOff + 11 * L);
            a12.intoArray(t, tOff + 12 * L);
            a13.intoArray(t, tOff + 13 * L);
        }

        /**
         * {@link #tile2x7} for a 3x3 kernel, a filter row at a time, as {@link #rows1x14}: six
         * filter vectors and 9 broadcasts per 42 multiply-adds (tile2x7: 27 loads per 42). As fast
         * as tile2x7 on the Zen 5 host when it runs well, and steadier from run to run. The same
         * sums as tile2x7, bit for bit.
         */
        private static void rows2x7(float[] xp, int p0, float[] t, int tOff, int[] taw, int wEnd, float[] wts) {
            FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a10 = FloatVector.zero(S), a11 = FloatVector.zero(S);
            FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a30 = FloatVector.zero(S), a31 = FloatVector.zero(S);
            FloatVector a40 = FloatVector.zero(S), a41 = FloatVector.zero(S), a50 = FloatVector.zero(S), a51 = FloatVector.zero(S);
            FloatVector a60 = FloatVector.zero(S), a61 = FloatVector.zero(S);
            for (int wi = 0; wi < wEnd; wi += 6 * L) {
                FloatVector w00 = FloatVector.fromArray(S, wts, wi);
                FloatVector w01 = FloatVector.fromArray(S, wts, wi + L);
                FloatVector w10 = FloatVector.fromArray(S, wts, wi + 2 * L);
                FloatVector w11 = FloatVector.fromArray(S, wts, wi + 3 * L);
                FloatVector w20 = FloatVector.fromArray(S, wts, wi + 4 * L);
                FloatVector w21 = FloatVector.fromArray(S, wts, wi + 5 * L);
                int at = taw[wi] + p0;
                FloatVector b = FloatVector.broadcast(S, xp[at]);
                a00 = w00.fma(b, a00);
                a01 = w01.fma(b, a01);
                b = FloatVector.broadcast(S, xp[at + 1]);
                a00 = w10.fma(b, a00);
                a01 = w11.fma(b, a01);
                a10 = w00.fma(b, a10);
                a11 = w01.fma(b, a11);
                b = FloatVector.broadcast(S, xp[at + 2]);
                a00 = w20.fma(b, a00);
                a01 = w21.fma(b, a01);
                a10 = w10.fma(b, a10);
                a11 = w11.fma(b, a11);
                a20 = w00.fma(b, a20);
                a21 = w01.fma(b, a21);
                b = FloatVector.broadcast(S, xp[at + 3]);
                a10 = w20.fma(b, a10);
                a11 = w21.fma(b, a11);
                a20 = w10.fma(b, a20);
                a21 = w11.fma(b, a21);
                a30 = w00.fma(b, a30);
                a31 = w01.fma(b, a31);
                b = FloatVector.broadcast(S, xp[at + 4]);
                a20 = w20.fma(b, a20);
                a21 = w21.fma(b, a21);
                a30 = w10.fma(b, a30);
                a31 = w11.fma(b, a31);
                a40 = w00.fma(b, a40);
                a41 = w01.fma(b, a41);
                b = FloatVector.broadcast(S, xp[at + 5]);
                a30 = w20.fma(b, a30);
                a31 = w21.fma(b, a31);
                a40 = w10.fma(b, a40);
                a41 = w11.fma(b, a41);
                a50 = w00.fma(b, a50);
                a51 = w01.fma(b, a51);
                b = FloatVector.broadcast(S, xp[at + 6]);
                a40 = w20.fma(b, a40);
                a41 = w21.fma(b, a41);
                a50 = w10.fma(b, a50);
                a51 = w11.fma(b, a51);
                a60 = w00.fma(b, a60);
                a61 = w01.fma(b, a61);
                b = FloatVector.broadcast(S, xp[at + 7]);
                a50 = w20.fma(b, a50);
                a51 = w21.fma(b, a51);
                a60 = w10.fma(b, a60);
                a61 = w11.fma(b, a61);
                b = FloatVector.broadcast(S, xp[at + 8]);
                a60 = w20.fma(b, a60);
                a61 = w21.fma(b, a61);
            }
            a00.intoArray(t, tOff);
            a01.intoArray(t, tOff + L);
            a10.intoArray(t, tOff + 2 * L);
            a11.intoArray(t, tOff + 3 * L);
            a20.intoArray(t, tOff + 4 * L);
            a21.intoArray(t, tOff + 5 * L);
            a30.intoArray(t, tOff + 6 * L);
            a31.intoArray(t, tOff + 7 * L);
            a40.intoArray(t, tOff + 8 * L);
            a41.intoArray(t, tOff + 9 * L);
            a50.intoArray(t, tOff + 10 * L);
            a51.intoArray(t, tOff + 11 * L);
            a60.intoArray(t, tOff + 12 * L);
            a61.intoArray(t, tOff + 13 * L);
        }

        /**
         * The {@code L} output channels × the 14 pixels at padded offsets {@code p0 .. p0 + 13}, a
         * tap at a time: {@link #rows1x14} for kernels that are not 3x3 rows (a strided input
         * gradient's phases, 2x2 taps for the VAE's 4x4 stride-2 transposed convolutions). One filter
         * load and 14 broadcasts per 14 multiply-adds, so the loads bound it; the same sums as the
         * other tiles.
         */
        private static void tile1x14(float[] xp, int p0, float[] t, int tOff, int[] taw, int wEnd, float[] wts) {
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
            FloatVector a4 = FloatVector.zero(S), a5 = FloatVector.zero(S), a6 = FloatVector.zero(S), a7 = FloatVector.zero(S);
            FloatVector a8 = FloatVector.zero(S), a9 = FloatVector.zero(S), a10 = FloatVector.zero(S), a11 = FloatVector.zero(S);
            FloatVector a12 = FloatVector.zero(S), a13 = FloatVector.zero(S);
            for (int wi = 0; wi < wEnd; wi += L) {
                FloatVector w0 = FloatVector.fromArray(S, wts, wi);
                int at = taw[wi] + p0;
                a0 = w0.fma(FloatVector.broadcast(S, xp[at]), a0);
                a1 = w0.fma(FloatVector.broadcast(S, xp[at + 1]), a1);
                a2 = w0.fma(FloatVector.broadcast(S, xp[at + 2]), a2);
                a3 = w0.fma(FloatVector.broadcast(S, xp[at + 3]), a3);
                a4 = w0.fma(FloatVector.broadcast(S, xp[at + 4]), a4);
                a5 = w0.fma(FloatVector.broadcast(S, xp[at + 5]), a5);
                a6 = w0.fma(FloatVector.broadcast(S, xp[at + 6]), a6);
                a7 = w0.fma(FloatVector.broadcast(S, xp[at + 7]), a7);
                a8 = w0.fma(FloatVector.broadcast(S, xp[at + 8]), a8);
                a9 = w0.fma(FloatVector.broadcast(S, xp[at + 9]), a9);
                a10 = w0.fma(FloatVector.broadcast(S, xp[at + 10]), a10);
                a11 = w0.fma(FloatVector.broadcast(S, xp[at + 11]), a11);
                a12 = w0.fma(FloatVector.broadcast(S, xp[at + 12]), a12);
                a13 = w0.fma(FloatVector.broadcast(S, xp[at + 13]), a13);
            }
            a0.intoArray(t, tOff);
            a1.intoArray(t, tOff + L);
            a2.intoArray(t, tOff + 2 * L);
            a3.intoArray(t, tOff + 3 * L);
            a4.intoArray(t, tOff + 4 * L);
            a5.intoArray(t, tOff + 5 * L);
            a6.intoArray(t, tOff + 6 * L);
            a7.intoArray(t, tOff + 7 * L);
            a8.intoArray(t, tOff + 8 * L);
            a9.intoArray(t, tOff + 9 * L);
            a10.intoArray(t, tOff + 10 * L);
            a11.intoArray(t, tOff + 11 * L);
            a12.intoArray(t, tOff + 12 * L);
            a13.intoArray(t, tOff + 13 * L);
        }

        /** Channels {@code [ob, ob + 4L)} × 2 pixels at padded offsets {@code x0} and {@code x0 + d1}. */
        private void tile4x2(float[] xp, int x0, int d1, int ob, float[] t, int tOff, int[] tp, int taps9, float[] wts) {
            FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S), a03 = FloatVector.zero(S);
            FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S), a13 = FloatVector.zero(S);
            for (int j = 0, wi = ob; j < taps9; j++, wi += outs) {
                FloatVector w0 = FloatVector.fromArray(S, wts, wi);
                FloatVector w1 = FloatVector.fromArray(S, wts, wi + L);
                FloatVector w2 = FloatVector.fromArray(S, wts, wi + 2 * L);
                FloatVector w3 = FloatVector.fromArray(S, wts, wi + 3 * L);
                int at = x0 + tp[j];
                FloatVector p = FloatVector.broadcast(S, xp[at]);
                a00 = w0.fma(p, a00);
                a01 = w1.fma(p, a01);
                a02 = w2.fma(p, a02);
                a03 = w3.fma(p, a03);
                p = FloatVector.broadcast(S, xp[at + d1]);
                a10 = w0.fma(p, a10);
                a11 = w1.fma(p, a11);
                a12 = w2.fma(p, a12);
                a13 = w3.fma(p, a13);
            }
            int o = outs;
            a00.intoArray(t, tOff);
            a01.intoArray(t, tOff + L);
            a02.intoArray(t, tOff + 2 * L);
            a03.intoArray(t, tOff + 3 * L);
            a10.intoArray(t, tOff + o);
            a11.intoArray(t, tOff + o + L);
            a12.intoArray(t, tOff + o + 2 * L);
            a13.intoArray(t, tOff + o + 3 * L);
        }

        /** Channels {@code [ob, ob + 2L)} × 6 pixels at padded offsets {@code x0}, {@code x0 + d1}, ... {@code x0 + d5}. */
        private void tile2x6(float[] xp, int x0, int d1, int d2, int d3, int d4, int d5, int ob, float[] t, int tOff, int[] tp,
                             int taps9, float[] wts) {
            FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a10 = FloatVector.zero(S), a11 = FloatVector.zero(S);
            FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a30 = FloatVector.zero(S), a31 = FloatVector.zero(S);
            FloatVector a40 = FloatVector.zero(S), a41 = FloatVector.zero(S), a50 = FloatVector.zero(S), a51 = FloatVector.zero(S);
            for (int j = 0, wi = ob; j < taps9; j++, wi += outs) {
                FloatVector w0 = FloatVector.fromArray(S, wts, wi);
                FloatVector w1 = FloatVector.fromArray(S, wts, wi + L);
                int at = x0 + tp[j];
                FloatVector p = FloatVector.broadcast(S, xp[at]);
                a00 = w0.fma(p, a00);
                a01 = w1.fma(p, a01);
                p = FloatVector.broadcast(S, xp[at + d1]);
                a10 = w0.fma(p, a10);
                a11 = w1.fma(p, a11);
                p = FloatVector.broadcast(S, xp[at + d2]);
                a20 = w0.fma(p, a20);
                a21 = w1.fma(p, a21);
                p = FloatVector.broadcast(S, xp[at + d3]);
                a30 = w0.fma(p, a30);
                a31 = w1.fma(p, a31);
                p = FloatVector.broadcast(S, xp[at + d4]);
                a40 = w0.fma(p, a40);
                a41 = w1.fma(p, a41);
                p = FloatVector.broadcast(S, xp[at + d5]);
                a50 = w0.fma(p, a50);
                a51 = w1.fma(p, a51);
            }
            int o = outs;
            a00.intoArray(t, tOff);
            a01.intoArray(t, tOff + L);
            a10.intoArray(t, tOff + o);
            a11.intoArray(t, tOff + o + L);
            a20.intoArray(t, tOff + 2 * o);
            a21.intoArray(t, tOff + 2 * o + L);
            a30.intoArray(t, tOff + 3 * o);
            a31.intoArray(t, tOff + 3 * o + L);
            a40.intoArray(t, tOff + 4 * o);
            a41.intoArray(t, tOff + 4 * o + L);
            a50.intoArray(t, tOff + 5 * o);
            a51.intoArray(t, tOff + 5 * o + L);
        }

        /** Adds one image's {@code Σ_p dY[p][o] · X[c][tap at p]} into {@code acc [c][kk][outs]}, filter row by filter row. */
        private void filterGradient(float[] xp, float[] dyT, float[] acc) {
            if (outs == L && k == 3) {
                for (int c = 0; c < ins; c++) {
                    gradientSliding(xp, c * plane, dyT, acc, c * kk * outs);
                }
                return;
            }
            if (k == 3) {
                // Rows 0 and 1 of each input channel together (12 accumulators), then row 2 of two
                // input channels together (12 again: alone, its 6 accumulators leave AVX2's two FMA
                // pipes idle half the time, 4-cycle latency); an odd last channel's row 2 alone.
                for (int c = 0; c < ins; c += 2) {
                    boolean pair = c + 1 < ins;
                    for (int ob = 0; ob < outs; ob += 2 * L) {
                        int xOff = c * plane, accOff = c * kk * outs + ob;
                        gradientTwoRows(xp, xOff, wpd, dyT, ob, acc, accOff, accOff + 3 * outs);
                        if (pair) {
                            int nextOff = accOff + kk * outs;
                            gradientTwoRows(xp, xOff + plane, wpd, dyT, ob, acc, nextOff, nextOff + 3 * outs);
                            gradientTwoRows(xp, xOff + 2 * wpd, plane, dyT, ob, acc, accOff + 6 * outs, nextOff + 6 * outs);
                        } else {
                            gradientRow(xp, xOff + 2 * wpd, dyT, ob, acc, accOff + 6 * outs);
                        }
                    }
                }
                return;
            }
            for (int c = 0; c < ins; c++) {
                for (int kh = 0; kh < k; kh++) {
                    for (int ob = 0; ob < outs; ob += 2 * L) {
                        int xOff = c * plane + kh * wpd, accOff = (c * kk + kh * k) * outs + ob;
                        if (k == 3) {
                            gradientRow(xp, xOff, dyT, ob, acc, accOff);
                        } else {
                            gradientRow4(xp, xOff, dyT, ob, acc, accOff);
                        }
                    }
                }
            }
        }

        /**
         * The nine taps of input channel c's 3x3 filters for one vector of output channels
         * ({@code outs == L}, 16 with AVX-512; stride 1, rows at least 2 wide), added to acc at
         * {@code accOff + tap·L}: {@code Σ_p dY[p] · X[c][p + tap]}. Along each output row the
         * input pixel q of filter row ky is broadcast once and serves taps (ky, 0), (ky, 1) and
         * (ky, 2) of output pixels q, q − 1 and q − 2, whose dY vectors ride in a window of three
         * registers: one load of dY and three broadcasts per nine multiply-adds (a tap at a time:
         * ten loads per nine). The row's first two and last two input pixels serve fewer taps and
         * are written out. Each element is still summed over the output pixels in row-major order.
         */
        private void gradientSliding(float[] xp, int xOff, float[] dyT, float[] acc, int accOff) {
            FloatVector a00 = FloatVector.fromArray(S, acc, accOff);
            FloatVector a01 = FloatVector.fromArray(S, acc, accOff + L);
            FloatVector a02 = FloatVector.fromArray(S, acc, accOff + 2 * L);
            FloatVector a10 = FloatVector.fromArray(S, acc, accOff + 3 * L);
            FloatVector a11 = FloatVector.fromArray(S, acc, accOff + 4 * L);
            FloatVector a12 = FloatVector.fromArray(S, acc, accOff + 5 * L);
            FloatVector a20 = FloatVector.fromArray(S, acc, accOff + 6 * L);
            FloatVector a21 = FloatVector.fromArray(S, acc, accOff + 7 * L);
            FloatVector a22 = FloatVector.fromArray(S, acc, accOff + 8 * L);
            int[] po = pixels;
            for (int oy = 0; oy < oh; oy++) {
                int r0 = xOff + po[oy * ow], r1 = r0 + wpd, r2 = r1 + wpd;
                int d = oy * ow * L;
                // q = 0: tap 0 of pixel 0
                FloatVector now = FloatVector.fromArray(S, dyT, d);
                FloatVector b0 = FloatVector.broadcast(S, xp[r0]), b1 = FloatVector.broadcast(S, xp[r1]), b2 = FloatVector.broadcast(S, xp[r2]);
                a00 = now.fma(b0, a00);
                a10 = now.fma(b1, a10);
                a20 = now.fma(b2, a20);
                FloatVector back1 = now;
                // q = 1: tap 0 of pixel 1, tap 1 of pixel 0
                now = FloatVector.fromArray(S, dyT, d + L);
                b0 = FloatVector.broadcast(S, xp[r0 + 1]);
                b1 = FloatVector.broadcast(S, xp[r1 + 1]);
                b2 = FloatVector.broadcast(S, xp[r2 + 1]);
                a00 = now.fma(b0, a00);
                a01 = back1.fma(b0, a01);
                a10 = now.fma(b1, a10);
                a11 = back1.fma(b1, a11);
                a20 = now.fma(b2, a20);
                a21 = back1.fma(b2, a21);
                FloatVector back2 = back1;
                back1 = now;
                for (int q = 2, dq = d + 2 * L; q < ow; q++, dq += L) {
                    now = FloatVector.fromArray(S, dyT, dq);
                    b0 = FloatVector.broadcast(S, xp[r0 + q]);
                    b1 = FloatVector.broadcast(S, xp[r1 + q]);
                    b2 = FloatVector.broadcast(S, xp[r2 + q]);
                    a00 = now.fma(b0, a00);
                    a01 = back1.fma(b0, a01);
                    a02 = back2.fma(b0, a02);
                    a10 = now.fma(b1, a10);
                    a11 = back1.fma(b1, a11);
                    a12 = back2.fma(b1, a12);
                    a20 = now.fma(b2, a20);
                    a21 = back1.fma(b2, a21);
                    a22 = back2.fma(b2, a22);
                    back2 = back1;
                    back1 = now;
                }
                // q = ow: tap 1 of the last pixel, tap 2 of the one before
                b0 = FloatVector.broadcast(S, xp[r0 + ow]);
                b1 = FloatVector.broadcast(S, xp[r1 + ow]);
                b2 = FloatVector.broadcast(S, xp[r2 + ow]);
                a01 = back1.fma(b0, a01);
                a02 = back2.fma(b0, a02);
                a11 = back1.fma(b1, a11);
                a12 = back2.fma(b1, a12);
                a21 = back1.fma(b2, a21);
                a22 = back2.fma(b2, a22);
                // q = ow + 1: tap 2 of the last pixel
                a02 = back1.fma(FloatVector.broadcast(S, xp[r0 + ow + 1]), a02);
                a12 = back1.fma(FloatVector.broadcast(S, xp[r1 + ow + 1]), a12);
                a22 = back1.fma(FloatVector.broadcast(S, xp[r2 + ow + 1]), a22);
            }
            a00.intoArray(acc, accOff);
            a01.intoArray(acc, accOff + L);
            a02.intoArray(acc, accOff + 2 * L);
            a10.intoArray(acc, accOff + 3 * L);
            a11.intoArray(acc, accOff + 4 * L);
            a12.intoArray(acc, accOff + 5 * L);
            a20.intoArray(acc, accOff + 6 * L);
            a21.intoArray(acc, accOff + 7 * L);
            a22.intoArray(acc, accOff + 8 * L);
        }

        /**
         * As {@link #gradientRow}, for the four taps of a 4x4 filter's row (8 accumulators). A copy
         * rather than a loop over taps: vectors kept in an array, or passed between methods, are boxed.
         */
        private void gradientRow4(float[] xp, int xOff, float[] dyT, int ob, float[] acc, int accOff) {
            int o = outs;
            FloatVector a00 = FloatVector.fromArray(S, acc, accOff), a01 = FloatVector.fromArray(S, acc, accOff + L);
            FloatVector a10 = FloatVector.fromArray(S, acc, accOff + o), a11 = FloatVector.fromArray(S, acc, accOff + o + L);
            FloatVector a20 = FloatVector.fromArray(S, acc, accOff + 2 * o), a21 = FloatVector.fromArray(S, acc, accOff + 2 * o + L);
            FloatVector a30 = FloatVector.fromArray(S, acc, accOff + 3 * o), a31 = FloatVector.fromArray(S, acc, accOff + 3 * o + L);
            int[] po = pixels;
            int count = oh * ow;
            for (int q = 0, di = ob; q < count; q++, di += o) {
                int at = xOff + po[q];
                FloatVector d0 = FloatVector.fromArray(S, dyT, di);
                FloatVector d1 = FloatVector.fromArray(S, dyT, di + L);
                FloatVector p = FloatVector.broadcast(S, xp[at]);
                a00 = d0.fma(p, a00);
                a01 = d1.fma(p, a01);
                p = FloatVector.broadcast(S, xp[at + 1]);
                a10 = d0.fma(p, a10);
                a11 = d1.fma(p, a11);
                p = FloatVector.broadcast(S, xp[at + 2]);
                a20 = d0.fma(p, a20);
                a21 = d1.fma(p, a21);
                p = FloatVector.broadcast(S, xp[at + 3]);
                a30 = d0.fma(p, a30);
                a31 = d1.fma(p, a31);
            }
            a00.intoArray(acc, accOff);
            a01.intoArray(acc, accOff + L);
            a10.intoArray(acc, accOff + o);
            a11.intoArray(acc, accOff + o + L);
            a20.intoArray(acc, accOff + 2 * o);
            a21.intoArray(acc, accOff + 2 * o + L);
            a30.intoArray(acc, accOff + 3 * o);
            a31.intoArray(acc, accOff + 3 * o + L);
        }

        /**
         * {@link #gradientRow} for two filter rows at once (12 accumulators): the one at {@code xOff}
         * (sums at {@code accOff}) and the one {@code next} further in the padded input (sums at
         * {@code r1}); each pixel's two loads of dY serve 12 multiply-adds instead of 6. The same sums
         * in the same order as two calls of {@link #gradientRow}. Used for rows 0 and 1 of a 3x3
         * filter ({@code next} one padded row) and for row 2 of two input channels ({@code next} one
         * padded plane).
         */
        private void gradientTwoRows(float[] xp, int xOff, int next, float[] dyT, int ob, float[] acc, int accOff, int r1) {
            int o = outs;
            FloatVector a00 = FloatVector.fromArray(S, acc, accOff), a01 = FloatVector.fromArray(S, acc, accOff + L);
            FloatVector a10 = FloatVector.fromArray(S, acc, accOff + o), a11 = FloatVector.fromArray(S, acc, accOff + o + L);
            FloatVector a20 = FloatVector.fromArray(S, acc, accOff + 2 * o), a21 = FloatVector.fromArray(S, acc, accOff + 2 * o + L);
            FloatVector b00 = FloatVector.fromArray(S, acc, r1), b01 = FloatVector.fromArray(S, acc, r1 + L);
            FloatVector b10 = FloatVector.fromArray(S, acc, r1 + o), b11 = FloatVector.fromArray(S, acc, r1 + o + L);
            FloatVector b20 = FloatVector.fromArray(S, acc, r1 + 2 * o), b21 = FloatVector.fromArray(S, acc, r1 + 2 * o + L);
            int[] po = pixels;
            int count = oh * ow;
            for (int q = 0, di = ob; q < count; q++, di += o) {
                int at = xOff + po[q], bt = at + next;
                FloatVector d0 = FloatVector.fromArray(S, dyT, di);
                FloatVector d1 = FloatVector.fromArray(S, dyT, di + L);
                FloatVector p = FloatVector.broadcast(S, xp[at]);
                a00 = d0.fma(p, a00);
                a01 = d1.fma(p, a01);
                p = FloatVector.broadcast(S, xp[at + 1]);
                a10 = d0.fma(p, a10);
                a11 = d1.fma(p, a11);
                p = FloatVector.broadcast(S, xp[at + 2]);
                a20 = d0.fma(p, a20);
                a21 = d1.fma(p, a21);
                p = FloatVector.broadcast(S, xp[bt]);
                b00 = d0.fma(p, b00);
                b01 = d1.fma(p, b01);
                p = FloatVector.broadcast(S, xp[bt + 1]);
                b10 = d0.fma(p, b10);
                b11 = d1.fma(p, b11);
                p = FloatVector.broadcast(S, xp[bt + 2]);
                b20 = d0.fma(p, b20);
                b21 = d1.fma(p, b21);
            }
            a00.intoArray(acc, accOff);
            a01.intoArray(acc, accOff + L);
            a10.intoArray(acc, accOff + o);
            a11.intoArray(acc, accOff + o + L);
            a20.intoArray(acc, accOff + 2 * o);
            a21.intoArray(acc, accOff + 2 * o + L);
            b00.intoArray(acc, r1);
            b01.intoArray(acc, r1 + L);
            b10.intoArray(acc, r1 + o);
            b11.intoArray(acc, r1 + o + L);
            b20.intoArray(acc, r1 + 2 * o);
            b21.intoArray(acc, r1 + 2 * o + L);
        }

        /**
         * The three taps of one filter row for channels {@code [ob, ob + 2L)}: Σ over output pixels of
         * {@code dY[p][o] · X[row + oy·stride·wpd + ox·stride + kw]}, added to acc at {@code accOff + kw·outs}.
         * 6 accumulators, 2 loads of dY and 3 broadcasts per 6 multiply-adds: a larger tile spills
         * AVX2's 16 registers.
         */
        private void gradientRow(float[] xp, int xOff, float[] dyT, int ob, float[] acc, int accOff) {
            int o = outs;
            FloatVector a00 = FloatVector.fromArray(S, acc, accOff), a01 = FloatVector.fromArray(S, acc, accOff + L);
            FloatVector a10 = FloatVector.fromArray(S, acc, accOff + o), a11 = FloatVector.fromArray(S, acc, accOff + o + L);
            FloatVector a20 = FloatVector.fromArray(S, acc, accOff + 2 * o), a21 = FloatVector.fromArray(S, acc, accOff + 2 * o + L);
            int[] po = pixels;
            int count = oh * ow;
            // One flat loop over the output pixels (their input offsets from a table): with the
            // pixels as two nested loops, C2 kept the accumulators boxed, 25 times slower.
            for (int q = 0, di = ob; q < count; q++, di += o) {
                int at = xOff + po[q];
                FloatVector d0 = FloatVector.fromArray(S, dyT, di);
                FloatVector d1 = FloatVector.fromArray(S, dyT, di + L);
                FloatVector p = FloatVector.broadcast(S, xp[at]);
                a00 = d0.fma(p, a00);
                a01 = d1.fma(p, a01);
                p = FloatVector.broadcast(S, xp[at + 1]);
                a10 = d0.fma(p, a10);
                a11 = d1.fma(p, a11);
                p = FloatVector.broadcast(S, xp[at + 2]);
                a20 = d0.fma(p, a20);
                a21 = d1.fma(p, a21);
            }
            a00.intoArray(acc, accOff);
            a01.intoArray(acc, accOff + L);
            a10.intoArray(acc, accOff + o);
            a11.intoArray(acc, accOff + o + L);
            a20.intoArray(acc, accOff + 2 * o);
            a21.intoArray(acc, accOff + 2 * o + L);
        }
    }
}
