package org.weightnorm4j.tensor;

import java.util.List;

import java.util.Arrays;

/**
 * The float32 backend: GEMM through the chosen {@link GemmKernel}, convolutions as im2col + that
 * GEMM ({@link Float32Conv}), and the element-wise, pooling and reduction kernels as float loops.
 *
 * <p>With {@code simd} the loops that the JIT does not vectorise by itself (reductions, masked
 * activations) run through {@link PanamaVectorOps}; without it that class is never loaded, so the
 * backend also works on a JVM started without {@code jdk.incubator.vector}. Scalar reductions
 * accumulate in double; vector reductions accumulate in float lanes, in blocks added into a
 * double where the result feeds weight normalization (sums, dots and norms over channels and rows).
 *
 * <p>The memory-bound kernels that touch whole activations (pooling, the ReLUs, the per-channel
 * scale and sums, dropout's product) split their work over {@link Parallel} in contiguous ranges of
 * planes, channels or 64-aligned elements. Every output element is still computed by the same code
 * in the same order as on one thread, so results do not depend on the thread count; on 2 threads
 * these kernels were about a third of a cnn step's wall time while running on one core.
 *
 * <p>{@link Kernels} checks shapes but not the element type of every auxiliary tensor (the scale
 * of {@code channelScaleShift}, the output of the reductions); a call that mixes in a FLOAT64
 * tensor is served by {@link ReferenceKernels}.
 */
public final class Float32Kernels implements KernelBackend {
    private final GemmKernel gemm;
    private final boolean simd;
    private final Float32Conv conv;

    /**
     * @param gemm the matrix multiply to use
     * @param simd whether the Vector API may be used by the other kernels
     */
    /**
     * Work (elements touched) below which a kernel stays on the calling thread: handing parts out
     * costs a few microseconds. 16K rather than 64K splits the mlp's [128, 512] activations, which
     * sat exactly at 64K: measured on the quiet machine (mlp wn, 1000 steps), 64K / 16K / 8K gave
     * 34,990 and 35,590 / 36,100 and 37,550 / 35,480 and 30,430 images/s.
     */
    static final int PARALLEL_MIN_WORK = 1 << 14;

    /**
     * Element ranges are split at multiples of this, a multiple of every vector length, so that the
     * SIMD loops keep the same vector body and scalar tail whatever the thread count.
     */
    private static final int ALIGN = 64;

    /** The body of a split kernel: process indices {@code [from, to)}. */
    @FunctionalInterface
    private interface Range {
        void run(int from, int to);
    }

    /** With Winograd convolutions where they pay off, unless {@value KernelProvider#WINOGRAD_PROPERTY} is {@code false}. */
    public Float32Kernels(GemmKernel gemm, boolean simd) {
        this(gemm, simd, KernelProvider.winogradEnabled());
    }

    /**
     * @param winograd whether 3x3 stride-1 convolutions may use Winograd's F(2x2, 3x3)
     *                 ({@link WinogradConv}; needs {@code simd})
     */
    Float32Kernels(GemmKernel gemm, boolean simd, boolean winograd) {
        this.gemm = gemm;
        this.simd = simd;
        this.conv = new Float32Conv(gemm, simd, winograd);
    }

    @Override
    public String name() {
        return gemm.name();
    }

    public boolean simd() {
        return simd;
    }

    /**
     * How this backend runs the forward, backward-data and backward-filter passes of a
     * convolution from {@code inChannels} to {@code outChannels} channels with a
     * {@code kernel × kernel} filter on an {@code h × w} input: {@code "winograd"} (F(2x2, 3x3))
     * or {@code "im2col"} for each. For benchmarks and logs.
     */
    public List<String> convolutionAlgorithms(int inChannels, int outChannels, int kernel, ConvSpec spec, int h, int w) {
        return List.of(conv.algorithms(inChannels, outChannels, kernel, kernel, spec, h, w));
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        gemm.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff, int lda,
                     double[] b, int bOff, int ldb, double[] c, int cOff, int ldc, boolean accumulate) {
        ReferenceKernels.INSTANCE.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    // ---- convolution -------------------------------------------------------------------------

    @Override
    public void conv2dForward(Tensor x, Tensor w, Tensor y, ConvSpec spec) {
        if (!allFloat32(x, w, y)) {
            ReferenceKernels.INSTANCE.conv2dForward(x, w, y, spec);
            return;
        }
        conv.forward(x, w, null, y, spec);
    }

    @Override
    public void conv2dForward(Tensor x, Tensor w, Tensor bias, Tensor y, ConvSpec spec) {
        if (!allFloat32(x, w, bias, y)) {
            KernelBackend.super.conv2dForward(x, w, bias, y, spec);
            return;
        }
        conv.forward(x, w, bias, y, spec);
    }

    @Override
    public void conv2dBackwardData(Tensor dy, Tensor w, Tensor dx, ConvSpec spec) {
        if (!allFloat32(dy, w, dx)) {
            ReferenceKernels.INSTANCE.conv2dBackwardData(dy, w, dx, spec);
            return;
        }
        conv.backwardData(dy, w, dx, spec);
    }

    @Override
    public void conv2dBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvSpec spec, boolean accumulate) {
        if (!allFloat32(x, dy, dw)) {
            ReferenceKernels.INSTANCE.conv2dBackwardFilter(x, dy, dw, spec, accumulate);
            return;
        }
        conv.backwardFilter(x, dy, dw, spec, accumulate);
    }

    // ---- pooling -----------------------------------------------------------------------------

    @Override
    public void maxPool2x2Forward(Tensor x, Tensor y, int[] argmax) {
        if (!allFloat32(x, y)) {
            ReferenceKernels.INSTANCE.maxPool2x2Forward(x, y, argmax);
            return;
        }
        float[] xs = x.data(), ys = y.data();
        int planes = x.dim(0) * x.dim(1), h = x.dim(2), w = x.dim(3);
        int[] corners = simd ? windowCorners(h, w) : null;
        forRanges(planes, (long) h * w, 1, (from, to) -> {
            if (corners != null) {
                PanamaVectorOps.maxPoolPlanes(xs, ys, argmax, h, w, corners, from, to);
            } else {
                maxPoolPlanes(xs, ys, argmax, h, w, from, to);
            }
        });
    }

    /** The last table of {@link #windowCorners}: max pooling runs on the same few plane sizes every step. */
    private volatile WindowCorners lastCorners;

    private record WindowCorners(int h, int w, int[] table) {
    }

    /**
     * {@code table[i·OW + j] = 2i·W + 2j}: the offset of each 2x2 window's top-left input in its
     * plane, which the vectorized max pooling gathers from.
     */
    private int[] windowCorners(int h, int w) {
        WindowCorners last = lastCorners;
        if (last != null && last.h() == h && last.w() == w) {
            return last.table();
        }
        int oh = h / 2, ow = w / 2;
        int[] table = new int[oh * ow];
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                table[i * ow + j] = 2 * i * w + 2 * j;
            }
        }
        lastCorners = new WindowCorners(h, w, table);
        return table;
    }

    /** 2x2 max pooling of planes {@code [from, to)}, recording the flat index of each maximum. */
    private static void maxPoolPlanes(float[] xs, float[] ys, int[] argmax, int h, int w, int from, int to) {
        int oh = h / 2, ow = w / 2;
        for (int pl = from; pl < to; pl++) {
            for (int i = 0; i < oh; i++) {
                int top = (pl * h + 2 * i) * w;
                int out = (pl * oh + i) * ow;
                for (int j = 0; j < ow; j++) {
                    maxPoolWindow(xs, top + 2 * j, w, ys, argmax, out + j);
                }
            }
        }
    }

    /**
     * One 2x2 window with top-left input {@code xs[corner]} (rows {@code w} apart) into output
     * {@code out}. Window order (0,0), (0,1), (1,0), (1,1): the first maximum wins (so of −0 and
     * +0 the first), and a NaN wins over any number, the first NaN over later ones.
     */
    static void maxPoolWindow(float[] xs, int corner, int w, float[] ys, int[] argmax, int out) {
        int best = corner;
        float bestValue = xs[best];
        int idx = corner + 1;
        float v = xs[idx];
        if (v > bestValue || v != v && bestValue == bestValue) {
            best = idx;
            bestValue = v;
        }
        idx = corner + w;
        v = xs[idx];
        if (v > bestValue || v != v && bestValue == bestValue) {
            best = idx;
            bestValue = v;
        }
        idx++;
        v = xs[idx];
        if (v > bestValue || v != v && bestValue == bestValue) {
            best = idx;
            bestValue = v;
        }
        ys[out] = bestValue;
        argmax[out] = best;
    }

    @Override
    public void maxPool2x2Backward(Tensor dy, int[] argmax, Tensor dx) {
        if (!allFloat32(dy, dx)) {
            ReferenceKernels.INSTANCE.maxPool2x2Backward(dy, argmax, dx);
            return;
        }
        float[] g = dy.data(), d = dx.data();
        int planes = dx.dim(0) * dx.dim(1), in = dx.dim(2) * dx.dim(3), out = dy.dim(2) * dy.dim(3);
        // Each maximum lies in its own plane, so ranges of planes scatter into disjoint parts of dx.
        forRanges(planes, in, 1, (from, to) -> {
            Arrays.fill(d, from * in, to * in, 0f);
            for (int i = from * out; i < to * out; i++) {
                d[argmax[i]] += g[i];
            }
        });
    }

    @Override
    public void globalAvgPoolForward(Tensor x, Tensor y) {
        if (!allFloat32(x, y)) {
            ReferenceKernels.INSTANCE.globalAvgPoolForward(x, y);
            return;
        }
        float[] xs = x.data(), ys = y.data();
        int planes = x.dim(0) * x.dim(1), s = x.dim(2) * x.dim(3);
        for (int pl = 0; pl < planes; pl++) {
            ys[pl] = (float) (sum(xs, pl * s, s) / s);
        }
    }

    @Override
    public void globalAvgPoolBackward(Tensor dy, Tensor dx) {
        if (!allFloat32(dy, dx)) {
            ReferenceKernels.INSTANCE.globalAvgPoolBackward(dy, dx);
            return;
        }
        float[] g = dy.data(), d = dx.data();
        int planes = dx.dim(0) * dx.dim(1), s = dx.dim(2) * dx.dim(3);
        for (int pl = 0; pl < planes; pl++) {
            Arrays.fill(d, pl * s, pl * s + s, (float) ((double) g[pl] / s));
        }
    }

    // ---- activations -------------------------------------------------------------------------

    @Override
    public void activationForward(Activation f, Tensor x, Tensor y) {
        if (!allFloat32(x, y)) {
            ReferenceKernels.INSTANCE.activationForward(f, x, y);
            return;
        }
        float[] xs = x.data(), ys = y.data();
        int n = x.size();
        switch (f.kind()) {
            case IDENTITY -> {
                if (xs != ys) {
                    System.arraycopy(xs, 0, ys, 0, n);
                }
            }
            case RELU -> forRanges(n, 1, ALIGN, (from, to) -> {
                if (simd) {
                    PanamaVectorOps.relu(xs, ys, from, to - from);
                } else {
                    for (int i = from; i < to; i++) {
                        float v = xs[i];
                        ys[i] = v > 0 ? v : 0f;
                    }
                }
            });
            case LEAKY_RELU -> {
                float slope = (float) f.param();
                forRanges(n, 1, ALIGN, (from, to) -> {
                    if (simd) {
                        PanamaVectorOps.leakyRelu(slope, xs, ys, from, to - from);
                    } else {
                        for (int i = from; i < to; i++) {
                            float v = xs[i];
                            ys[i] = v > 0 ? v : slope * v;
                        }
                    }
                });
            }
            case ELU -> {
                double alpha = f.param();
                for (int i = 0; i < n; i++) {
                    float v = xs[i];
                    ys[i] = v > 0 ? v : (float) (alpha * Math.expm1(v));
                }
            }
            case SOFTPLUS -> {
                for (int i = 0; i < n; i++) {
                    double v = xs[i];
                    ys[i] = (float) (Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))));
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    ys[i] = (float) Math.tanh(xs[i]);
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    ys[i] = (float) sigmoid(xs[i]);
                }
            }
            default -> throw new IllegalArgumentException("activation " + f + " has no float32 kernel");
        }
    }

    @Override
    public void activationBackward(Activation f, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        if (!allFloat32(x, y, dy, dx)) {
            ReferenceKernels.INSTANCE.activationBackward(f, x, y, dy, dx);
            return;
        }
        float[] xs = x.data(), ys = y.data(), g = dy.data(), d = dx.data();
        int n = x.size();
        switch (f.kind()) {
            case IDENTITY -> {
                if (g != d) {
                    System.arraycopy(g, 0, d, 0, n);
                }
            }
            case RELU, LEAKY_RELU -> {
                float slope = f.kind() == Activation.Kind.RELU ? 0f : (float) f.param();
                forRanges(n, 1, ALIGN, (from, to) -> {
                    if (simd) {
                        PanamaVectorOps.leakyReluBackward(slope, xs, g, d, from, to - from);
                    } else {
                        for (int i = from; i < to; i++) {
                            d[i] = xs[i] > 0 ? g[i] : slope * g[i];
                        }
                    }
                });
            }
            // The derivatives through y are formed in double: 1 - y² and y + alpha cancel badly in float.
            case ELU -> {
                double alpha = f.param();
                for (int i = 0; i < n; i++) {
                    d[i] = xs[i] > 0 ? g[i] : (float) ((ys[i] + alpha) * g[i]);
                }
            }
            case SOFTPLUS -> {
                // d/dx log(1 + e^x) = sigmoid(x)
                for (int i = 0; i < n; i++) {
                    d[i] = (float) (sigmoid(xs[i]) * g[i]);
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    double t = ys[i];
                    d[i] = (float) ((1 - t * t) * g[i]);
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    double s = ys[i];
                    d[i] = (float) (s * (1 - s) * g[i]);
                }
            }
            default -> throw new IllegalArgumentException("activation " + f + " has no float32 kernel");
        }
    }

    /** The logistic function without overflow for large |x|. */
    private static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    // ---- per-channel and per-row kernels -----------------------------------------------------

    @Override
    public void channelScaleShift(Tensor u, Tensor scale, Tensor shift, Tensor y) {
        if (!allFloat32(u, y) || scale != null && !scale.isFloat32() || shift != null && !shift.isFloat32()) {
            ReferenceKernels.INSTANCE.channelScaleShift(u, scale, shift, y);
            return;
        }
        float[] us = u.data(), ys = y.data();
        float[] sc = scale == null ? null : scale.data();
        float[] sh = shift == null ? null : shift.data();
        int n = u.dim(0), c = u.dim(1), s = u.sizeFrom(2);
        if (s == 1) {
            denseScaleShift(us, sc, sh, ys, n, c);
            return;
        }
        forRanges(n * c, s, 1, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int ch = plane % c;
                float a = sc == null ? 1f : sc[ch];
                float t = sh == null ? 0f : sh[ch];
                int base = plane * s;
                if (simd) {
                    PanamaVectorOps.scaleShift(a, t, us, base, ys, base, s);
                } else {
                    for (int i = base; i < base + s; i++) {
                        ys[i] = a * us[i] + t;
                    }
                }
            }
        });
    }

    /**
     * A dense layer's [N, C]: one row of channels per example, loops the JIT vectorises. Same
     * formula as the per-plane path, {@code a·u + t} with a = 1 and t = 0 standing in for a
     * missing scale or shift; before, a missing one sent every single element through the
     * per-plane path (6% of an mlp step in the backward pass's {@code s ⊙ ∇y}).
     */
    private static void denseScaleShift(float[] us, float[] sc, float[] sh, float[] ys, int n, int c) {
        for (int b = 0; b < n; b++) {
            int base = b * c;
            if (sc != null && sh != null) {
                for (int ch = 0; ch < c; ch++) {
                    ys[base + ch] = sc[ch] * us[base + ch] + sh[ch];
                }
            } else if (sc != null) {
                for (int ch = 0; ch < c; ch++) {
                    ys[base + ch] = sc[ch] * us[base + ch] + 0f;
                }
            } else if (sh != null) {
                for (int ch = 0; ch < c; ch++) {
                    ys[base + ch] = 1f * us[base + ch] + sh[ch];
                }
            } else {
                for (int ch = 0; ch < c; ch++) {
                    ys[base + ch] = 1f * us[base + ch] + 0f;
                }
            }
        }
    }

    @Override
    public void channelShiftLeakyRelu(Tensor u, Tensor shift, double slope, Tensor y) {
        if (!allFloat32(u, shift, y)) {
            ReferenceKernels.INSTANCE.channelShiftLeakyRelu(u, shift, slope, y);
            return;
        }
        float[] us = u.data(), sh = shift.data(), ys = y.data();
        float a = (float) slope;
        int n = u.dim(0), c = u.dim(1), s = u.sizeFrom(2);
        if (s == 1) {
            // A dense layer's [N, C]: each row shifted by the whole vector of shifts.
            forRanges(n, c, 1, (from, to) -> {
                for (int b = from; b < to; b++) {
                    int base = b * c;
                    if (simd) {
                        PanamaVectorOps.shiftRowLeakyRelu(sh, a, us, ys, base, c);
                    } else {
                        for (int ch = 0; ch < c; ch++) {
                            ys[base + ch] = Activation.leakyRelu(us[base + ch] + sh[ch], a);
                        }
                    }
                }
            });
            return;
        }
        forRanges(n * c, s, 1, (from, to) -> {
            if (simd && s < SMALL_PLANE) {
                // Planes of a few vectors (the cnn's 5x5): shifted plane by plane, then the activation over
                // a cache-sized run of whole planes at once, instead of a scalar tail in every plane.
                for (int first = from; first < to; first += planesPerChunk(s)) {
                    int last = Math.min(to, first + planesPerChunk(s));
                    for (int plane = first; plane < last; plane++) {
                        PanamaVectorOps.scaleShift(1f, sh[plane % c], us, plane * s, ys, plane * s, s);
                    }
                    leakyReluRun(a, ys, first * s, (last - first) * s);
                }
                return;
            }
            for (int plane = from; plane < to; plane++) {
                float t = sh[plane % c];
                int base = plane * s;
                if (simd) {
                    PanamaVectorOps.shiftLeakyRelu(t, a, us, ys, base, s);
                } else {
                    for (int i = base; i < base + s; i++) {
                        ys[i] = Activation.leakyRelu(us[i] + t, a);
                    }
                }
            }
        });
    }

    /** Planes below this many elements go through the per-plane kernels a run of whole planes at a time. */
    private static final int SMALL_PLANE = 64;

    /** Whole planes of {@code s} elements in a run of at most {@link PanamaVectorOps#BLOCK} elements (at least one). */
    private static int planesPerChunk(int s) {
        return Math.max(1, PanamaVectorOps.BLOCK / s);
    }

    /** ReLU (slope 0) or leaky ReLU in place over {@code y[off, off + n)}, with {@link #activationForward}'s vector kernels. */
    private static void leakyReluRun(float slope, float[] y, int off, int n) {
        if (slope == 0) {
            PanamaVectorOps.relu(y, y, off, n);
        } else {
            PanamaVectorOps.leakyRelu(slope, y, y, off, n);
        }
    }

    @Override
    public void leakyReluBackwardChannelSums(double slope, Tensor y, Tensor dy, Tensor dx, Tensor sums) {
        if (!allFloat32(y, dy, dx, sums)) {
            ReferenceKernels.INSTANCE.leakyReluBackwardChannelSums(slope, y, dy, dx, sums);
            return;
        }
        float[] ys = y.data(), g = dy.data(), d = dx.data(), os = sums.data();
        float a = (float) slope;
        int n = y.dim(0), c = y.dim(1), s = y.sizeFrom(2);
        if (s == 1) {
            // Row by row into one double per channel, in channelSums's order; each row's stretch of dx
            // is written by the element-wise kernel, then added while it is in cache.
            forRanges(c, 2L * n, ALIGN, (from, to) -> {
                double[] totals = denseTotals(c);
                java.util.Arrays.fill(totals, from, to, 0.0);
                for (int b = 0; b < n; b++) {
                    int base = b * c;
                    if (simd) {
                        PanamaVectorOps.leakyReluBackward(a, ys, g, d, base + from, to - from);
                    } else {
                        for (int ch = from; ch < to; ch++) {
                            d[base + ch] = ys[base + ch] > 0 ? g[base + ch] : a * g[base + ch];
                        }
                    }
                    for (int ch = from; ch < to; ch++) {
                        totals[ch] += d[base + ch];
                    }
                }
                for (int ch = from; ch < to; ch++) {
                    os[ch] = (float) totals[ch];
                }
            });
            return;
        }
        // Each plane is summed right after it is written, while it is still in cache, and the planes'
        // sums are added per channel as channelSums adds them.
        // Small planes (the cnn's 5x5) go a run of whole planes at a time, not a scalar tail per plane.
        double[] planeSums = planeTotals(n * c);
        int chunk = s < SMALL_PLANE ? planesPerChunk(s) : 1;
        forRanges(n * c, 3L * s, 1, (from, to) -> {
            for (int first = from; first < to; first += chunk) {
                int last = Math.min(to, first + chunk);
                if (simd) {
                    PanamaVectorOps.leakyReluBackward(a, ys, g, d, first * s, (last - first) * s);
                } else {
                    for (int i = first * s; i < last * s; i++) {
                        d[i] = ys[i] > 0 ? g[i] : a * g[i];
                    }
                }
                for (int plane = first; plane < last; plane++) {
                    planeSums[plane] = sum(d, plane * s, s);
                }
            }
        });
        addPlanesPerChannel(planeSums, n, c, os, false);
    }

    /** Per-thread double accumulators for the row-wise channel reductions of dense [N, C] tensors. */
    private final ThreadLocal<double[][]> denseTotals = ThreadLocal.withInitial(() -> new double[][] {new double[0]});

    private double[] denseTotals(int c) {
        return atLeast(denseTotals, c);
    }

    /** The calling thread's array of {@code holder}, grown to at least {@code size} doubles (never shrunk). */
    private static double[] atLeast(ThreadLocal<double[][]> holder, int size) {
        double[][] box = holder.get();
        if (box[0].length < size) {
            box[0] = new double[size];
        }
        return box[0];
    }

    @Override
    public void channelSums(Tensor x, Tensor out, boolean accumulate) {
        if (!allFloat32(x, out)) {
            ReferenceKernels.INSTANCE.channelSums(x, out, accumulate);
            return;
        }
        float[] xs = x.data(), os = out.data();
        int n = x.dim(0), c = x.dim(1), s = x.sizeFrom(2);
        if (s == 1) {
            // Row by row into one double per channel: each channel still adds b = 0, 1, 2, ...
            // in order (the same bits as a column walk), but memory is read contiguously.
            forRanges(c, n, ALIGN, (from, to) -> {
                double[] totals = denseTotals(c);
                java.util.Arrays.fill(totals, from, to, 0.0);
                for (int b = 0; b < n; b++) {
                    int base = b * c;
                    for (int ch = from; ch < to; ch++) {
                        totals[ch] += xs[base + ch];
                    }
                }
                for (int ch = from; ch < to; ch++) {
                    os[ch] = (float) (accumulate ? os[ch] + totals[ch] : totals[ch]);
                }
            });
            return;
        }
        double[] planeSums = planeTotals(n * c);
        forRanges(n * c, s, 1, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                planeSums[plane] = sum(xs, plane * s, s);
            }
        });
        addPlanesPerChannel(planeSums, n, c, os, accumulate);
    }

    /** Per-thread scratch for one value per plane of an [N, C, ...] tensor (the calling thread's, shared by its parts). */
    private final ThreadLocal<double[][]> planeTotals = ThreadLocal.withInitial(() -> new double[][] {new double[0]});

    private double[] planeTotals(int planes) {
        return atLeast(planeTotals, planes);
    }

    /**
     * {@code out[ch] (+)= Σ_b planeSums[b·C + ch]}, adding b = 0, 1, 2, ... in order. The planes are
     * summed in memory order, split over the threads by plane, and only these N·C partial sums are
     * then added per channel: the same additions in the same order as walking each channel's planes
     * (so the same bits), but the walk by channel jumped C planes ahead at every step and reached
     * 12 GB/s where memory order reaches 30 (channel sums of [100, 64, 28, 28] on one thread: 1.6 →
     * 0.6 ms).
     */
    private static void addPlanesPerChannel(double[] planeSums, int n, int c, float[] out, boolean accumulate) {
        for (int ch = 0; ch < c; ch++) {
            double total = 0;
            for (int b = 0; b < n; b++) {
                total += planeSums[b * c + ch];
            }
            out[ch] = (float) (accumulate ? out[ch] + total : total);
        }
    }

    @Override
    public void channelDots(Tensor a, Tensor b, Tensor out, boolean accumulate) {
        if (!allFloat32(a, b, out)) {
            ReferenceKernels.INSTANCE.channelDots(a, b, out, accumulate);
            return;
        }
        float[] as = a.data(), bs = b.data(), os = out.data();
        int n = a.dim(0), c = a.dim(1), s = a.sizeFrom(2);
        if (s == 1) {
            // Row by row, as channelSums: the same order per channel, contiguous reads.
            forRanges(c, 2L * n, ALIGN, (from, to) -> {
                double[] totals = denseTotals(c);
                java.util.Arrays.fill(totals, from, to, 0.0);
                for (int bi = 0; bi < n; bi++) {
                    int base = bi * c;
                    for (int ch = from; ch < to; ch++) {
                        totals[ch] += (double) as[base + ch] * bs[base + ch];
                    }
                }
                for (int ch = from; ch < to; ch++) {
                    os[ch] = (float) (accumulate ? os[ch] + totals[ch] : totals[ch]);
                }
            });
            return;
        }
        double[] planeDots = planeTotals(n * c);
        forRanges(n * c, 2L * s, 1, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                planeDots[plane] = dot(as, bs, plane * s, s);
            }
        });
        addPlanesPerChannel(planeDots, n, c, os, accumulate);
    }

    /** The second set of per-thread accumulators of {@link #channelSumsAndDots} on dense [N, C] tensors. */
    private final ThreadLocal<double[][]> denseDotTotals = ThreadLocal.withInitial(() -> new double[][] {new double[0]});

    private double[] denseDotTotals(int c) {
        return atLeast(denseDotTotals, c);
    }

    /**
     * Σa and Σa·b per channel in one pass over a and b, with the same bits as
     * {@link #channelSums} and {@link #channelDots}: the same blocks, lanes and order.
     */
    @Override
    public void channelSumsAndDots(Tensor a, Tensor b, Tensor sums, Tensor dots) {
        if (!allFloat32(a, b, sums, dots)) {
            ReferenceKernels.INSTANCE.channelSumsAndDots(a, b, sums, dots);
            return;
        }
        float[] as = a.data(), bs = b.data(), ss = sums.data(), ds = dots.data();
        int n = a.dim(0), c = a.dim(1), s = a.sizeFrom(2);
        if (s == 1) {
            // Row by row, as channelSums and channelDots. Two separate arrays, so the JIT sees
            // no possible overlap between the two accumulations and vectorises the loop.
            forRanges(c, 2L * n, ALIGN, (from, to) -> {
                double[] sumTotals = denseTotals(c);
                double[] dotTotals = denseDotTotals(c);
                java.util.Arrays.fill(sumTotals, from, to, 0.0);
                java.util.Arrays.fill(dotTotals, from, to, 0.0);
                for (int bi = 0; bi < n; bi++) {
                    int base = bi * c;
                    for (int ch = from; ch < to; ch++) {
                        float v = as[base + ch];
                        sumTotals[ch] += v;
                        dotTotals[ch] += (double) v * bs[base + ch];
                    }
                }
                for (int ch = from; ch < to; ch++) {
                    ss[ch] = (float) sumTotals[ch];
                    ds[ch] = (float) dotTotals[ch];
                }
            });
            return;
        }
        forRanges(c, 2L * n * s, 1, (from, to) -> {
            double[] totals = simd ? denseTotals(2) : null;
            for (int ch = from; ch < to; ch++) {
                double sum = 0, dot = 0;
                for (int bi = 0; bi < n; bi++) {
                    int base = (bi * c + ch) * s;
                    if (simd) {
                        // Each plane's blocks summed from 0 and then added, as channelSums/channelDots do.
                        totals[0] = 0;
                        totals[1] = 0;
                        PanamaVectorOps.sumAndDot(as, bs, base, s, totals);
                        sum += totals[0];
                        dot += totals[1];
                    } else {
                        double plainSum = 0, plainDot = 0;
                        for (int i = base; i < base + s; i++) {
                            plainSum += as[i];
                            plainDot += (double) as[i] * bs[i];
                        }
                        sum += plainSum;
                        dot += plainDot;
                    }
                }
                ss[ch] = (float) sum;
                ds[ch] = (float) dot;
            }
        });
    }

    /**
     * Σ(x − μ_c)² per channel, read straight from x (batch normalization's two-pass variance).
     * Split over channels like {@link #channelDots}: each channel's terms are added in the same
     * order on any thread count.
     */
    @Override
    public void channelSquaredDeviations(Tensor x, Tensor mean, Tensor out) {
        if (!allFloat32(x, mean, out)) {
            ReferenceKernels.INSTANCE.channelSquaredDeviations(x, mean, out);
            return;
        }
        float[] xs = x.data(), ms = mean.data(), os = out.data();
        int n = x.dim(0), c = x.dim(1), s = x.sizeFrom(2);
        if (s == 1) {
            // Row by row, as channelDots: b = 0, 1, 2, ... per channel, contiguous reads.
            forRanges(c, 2L * n, ALIGN, (from, to) -> {
                double[] totals = denseTotals(c);
                java.util.Arrays.fill(totals, from, to, 0.0);
                for (int b = 0; b < n; b++) {
                    int base = b * c;
                    for (int ch = from; ch < to; ch++) {
                        double d = (double) xs[base + ch] - ms[ch];
                        totals[ch] += d * d;
                    }
                }
                for (int ch = from; ch < to; ch++) {
                    os[ch] = (float) totals[ch];
                }
            });
            return;
        }
        forRanges(c, 2L * n * s, 1, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double total = 0;
                for (int b = 0; b < n; b++) {
                    total += squaredDeviations(xs, (b * c + ch) * s, s, ms[ch]);
                }
                os[ch] = (float) total;
            }
        });
    }

    /**
     * x̂ = (x − μ_c)·invStd_c and y = γ_c x̂ + β_c in one pass over x. Subtracting μ before scaling
     * (rather than {@code invStd·x − invStd·μ}) keeps x̂ accurate when |μ| is much larger than σ.
     */
    @Override
    public void channelNormalize(Tensor x, Tensor mean, Tensor invStd, Tensor gamma, Tensor beta, Tensor xhat, Tensor y) {
        if (!allFloat32(x, mean, invStd) || !allFloat32(gamma, beta, xhat, y)) {
            ReferenceKernels.INSTANCE.channelNormalize(x, mean, invStd, gamma, beta, xhat, y);
            return;
        }
        float[] xs = x.data(), ms = mean.data(), is = invStd.data(), gs = gamma.data(), bs = beta.data();
        float[] hs = xhat.data(), ys = y.data();
        int n = x.dim(0), c = x.dim(1), s = x.sizeFrom(2);
        if (s == 1) {
            // [N, C]: whole rows per range, loops over channels the JIT vectorises.
            forRanges(n, 3L * c, 1, (from, to) -> {
                for (int b = from; b < to; b++) {
                    int base = b * c;
                    for (int ch = 0; ch < c; ch++) {
                        float xh = (xs[base + ch] - ms[ch]) * is[ch];
                        hs[base + ch] = xh;
                        ys[base + ch] = gs[ch] * xh + bs[ch];
                    }
                }
            });
            return;
        }
        forRanges(n * c, 3L * s, 1, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int ch = plane % c;
                float mu = ms[ch], sc = is[ch], g = gs[ch], be = bs[ch];
                int base = plane * s;
                if (simd) {
                    PanamaVectorOps.normalize(xs, base, s, mu, sc, g, be, hs, ys);
                } else {
                    for (int i = base; i < base + s; i++) {
                        float xh = (xs[i] - mu) * sc;
                        hs[i] = xh;
                        ys[i] = g * xh + be;
                    }
                }
            }
        });
    }

    /** out = scaleA_c·a + scaleB_c·b + shift_c in one pass (batch normalization's ∇x). */
    @Override
    public void channelCombine(Tensor a, Tensor scaleA, Tensor b, Tensor scaleB, Tensor shift, Tensor out) {
        if (!allFloat32(a, scaleA, b) || !allFloat32(scaleB, shift, out)) {
            ReferenceKernels.INSTANCE.channelCombine(a, scaleA, b, scaleB, shift, out);
            return;
        }
        float[] as = a.data(), sas = scaleA.data(), bs = b.data(), sbs = scaleB.data(), ts = shift.data();
        float[] os = out.data();
        int n = a.dim(0), c = a.dim(1), s = a.sizeFrom(2);
        if (s == 1) {
            forRanges(n, 3L * c, 1, (from, to) -> {
                for (int bi = from; bi < to; bi++) {
                    int base = bi * c;
                    for (int ch = 0; ch < c; ch++) {
                        os[base + ch] = sas[ch] * as[base + ch] + sbs[ch] * bs[base + ch] + ts[ch];
                    }
                }
            });
            return;
        }
        forRanges(n * c, 3L * s, 1, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int ch = plane % c;
                float sa = sas[ch], sb = sbs[ch], t = ts[ch];
                int base = plane * s;
                if (simd) {
                    PanamaVectorOps.combine(sa, as, sb, bs, t, os, base, s);
                } else {
                    for (int i = base; i < base + s; i++) {
                        os[i] = sa * as[i] + sb * bs[i] + t;
                    }
                }
            }
        });
    }

    @Override
    public void rowSums(Tensor m, Tensor out) {
        if (!allFloat32(m, out)) {
            ReferenceKernels.INSTANCE.rowSums(m, out);
            return;
        }
        float[] ms = m.data(), os = out.data();
        int rows = m.dim(0), cols = m.sizeFrom(1);
        for (int r = 0; r < rows; r++) {
            os[r] = (float) sum(ms, r * cols, cols);
        }
    }

    /**
     * ||v|| per row: the norm in the denominator of {@code w = g v / ||v||} (paper eq. 2). Squares
     * are summed in double (scalar) or in float blocks of {@link PanamaVectorOps#BLOCK} added into a
     * double (SIMD), with any block that overflowed or underflowed in float redone in double.
     */
    @Override
    public void rowL2Norms(Tensor m, Tensor out) {
        if (!allFloat32(m, out)) {
            ReferenceKernels.INSTANCE.rowL2Norms(m, out);
            return;
        }
        float[] ms = m.data(), os = out.data();
        int rows = m.dim(0), cols = m.sizeFrom(1);
        for (int r = 0; r < rows; r++) {
            os[r] = (float) Math.sqrt(sumSquares(ms, r * cols, cols));
        }
    }

    // ---- element-wise arithmetic -------------------------------------------------------------

    @Override
    public void axpy(double alpha, Tensor x, Tensor y) {
        if (!allFloat32(x, y)) {
            ReferenceKernels.INSTANCE.axpy(alpha, x, y);
            return;
        }
        float a = (float) alpha;
        float[] xs = x.data(), ys = y.data();
        int n = x.size();
        if (simd) {
            PanamaVectorOps.axpy(a, xs, 0, ys, 0, n);
        } else {
            for (int i = 0; i < n; i++) {
                ys[i] += a * xs[i];
            }
        }
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        if (!allFloat32(a, b, out)) {
            ReferenceKernels.INSTANCE.mul(a, b, out);
            return;
        }
        float[] as = a.data(), bs = b.data(), os = out.data();
        forRanges(a.size(), 2, ALIGN, (from, to) -> {
            if (simd) {
                PanamaVectorOps.mul(as, bs, os, from, to - from);
            } else {
                for (int i = from; i < to; i++) {
                    os[i] = as[i] * bs[i];
                }
            }
        });
    }

    @Override
    public void scale(double alpha, Tensor x) {
        if (!x.isFloat32()) {
            ReferenceKernels.INSTANCE.scale(alpha, x);
            return;
        }
        float a = (float) alpha;
        float[] xs = x.data();
        int n = x.size();
        for (int i = 0; i < n; i++) {
            xs[i] *= a;
        }
    }

    // ---- splitting work over threads ---------------------------------------------------------

    /**
     * Runs {@code body} over {@code [0, count)}: on the calling thread when the work
     * ({@code count * unitWork} elements) is small, else in one contiguous range per thread whose
     * inner boundaries are multiples of {@code align}.
     */
    private static void forRanges(int count, long unitWork, int align, Range body) {
        long work = count * unitWork;
        int parts = (int) Math.min(Math.min(Parallel.threads(), count / align), work / PARALLEL_MIN_WORK);
        if (parts <= 1 || Parallel.insideParallel()) {
            body.run(0, count);
            return;
        }
        Parallel.run(parts, p -> body.run(boundary(count, align, parts, p), boundary(count, align, parts, p + 1)));
    }

    /** The start of range {@code p} of {@code parts}: a multiple of {@code align}, or {@code count} for the last. */
    private static int boundary(int count, int align, int parts, int p) {
        if (p == parts) {
            return count;
        }
        return (int) ((long) count * p / parts / align * align);
    }

    // ---- reductions shared by the kernels above ----------------------------------------------

    /** Sum of n floats: float vector lanes in blocks added into a double, or a double scalar loop. */
    private double sum(float[] a, int off, int n) {
        if (simd) {
            double total = 0;
            for (int start = 0; start < n; start += PanamaVectorOps.BLOCK) {
                total += PanamaVectorOps.sum(a, off + start, Math.min(PanamaVectorOps.BLOCK, n - start));
            }
            return total;
        }
        double total = 0;
        for (int i = off; i < off + n; i++) {
            total += a[i];
        }
        return total;
    }

    /** Dot product of a and b over the same n-element range. */
    private double dot(float[] a, float[] b, int off, int n) {
        if (simd) {
            double total = 0;
            for (int start = 0; start < n; start += PanamaVectorOps.BLOCK) {
                total += PanamaVectorOps.dot(a, off + start, b, off + start, Math.min(PanamaVectorOps.BLOCK, n - start));
            }
            return total;
        }
        double total = 0;
        for (int i = off; i < off + n; i++) {
            total += (double) a[i] * b[i];
        }
        return total;
    }

    /** Σ(a[i] − mean)² over the n-element range: float blocks into a double (SIMD), or double. */
    private double squaredDeviations(float[] a, int off, int n, float mean) {
        if (simd) {
            double total = 0;
            for (int start = 0; start < n; start += PanamaVectorOps.BLOCK) {
                total += PanamaVectorOps.squaredDeviations(a, off + start, Math.min(PanamaVectorOps.BLOCK, n - start), mean);
            }
            return total;
        }
        double total = 0;
        for (int i = off; i < off + n; i++) {
            double d = (double) a[i] - mean;
            total += d * d;
        }
        return total;
    }

    private double sumSquares(float[] a, int off, int n) {
        if (simd) {
            return PanamaVectorOps.sumSquaresDouble(a, off, n);
        }
        double total = 0;
        for (int i = off; i < off + n; i++) {
            double v = a[i];
            total += v * v;
        }
        return total;
    }

    private static boolean allFloat32(Tensor a, Tensor b) {
        return a.isFloat32() && b.isFloat32();
    }

    private static boolean allFloat32(Tensor a, Tensor b, Tensor c) {
        return a.isFloat32() && b.isFloat32() && c.isFloat32();
    }

    private static boolean allFloat32(Tensor a, Tensor b, Tensor c, Tensor d) {
        return a.isFloat32() && b.isFloat32() && c.isFloat32() && d.isFloat32();
    }
}
