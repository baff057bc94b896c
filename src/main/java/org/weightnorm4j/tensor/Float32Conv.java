package org.weightnorm4j.tensor;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Float32 convolution as im2col + GEMM, images spread over {@link Parallel}.
 *
 * <p>For image b, with W viewed as {@code [O, C·KH·KW]} and {@code col_b = im2col(x_b)}
 * ({@link Im2col}):
 * <ul>
 *   <li>forward: {@code Y_b = W · col_b}, plus the bias of each output channel, added as the
 *       product is written;</li>
 *   <li>backward-data: {@code dX_b = col2im(Wᵀ · dY_b)}, or, for stride 1, a square kernel and
 *       an output as large as the input, the equivalent convolution of dY with the flipped
 *       filters (see {@link Job#prepareTransposedConvolution()} and
 *       {@link #prefersTransposedConvolution});</li>
 *   <li>backward-filter: {@code dW = Σ_b dY_b · col_bᵀ}, computed as {@code dWᵀ = Σ_b col_b · dY_bᵀ}.</li>
 * </ul>
 * With the Vector API, all three passes of a 3x3, stride-1 convolution with enough channels and
 * a large enough output run as Winograd's F(2x2, 3x3) instead ({@link WinogradConv}, where
 * {@link #usesWinograd} says so); 3x3 and 4x4 convolutions with 16 or 32 output channels and at
 * most 32 inputs run on {@link ChannelVectorConv} ({@link #usesChannelVector}), checked first.
 * A 1x1 convolution with stride 1 and no padding needs no rearrangement: {@code x_b} viewed as
 * {@code [C, H·W]} already is {@code col_b}, and {@code dX_b = Wᵀ · dY_b} directly.
 *
 * <p>Small outputs are multiplied several images at a time ({@link #groupSize}): their column
 * matrices side by side make one wider product (for backward-filter, one longer reduction). A
 * 5x5 output alone is a 25-column product, which fills less than one 32-column panel of the
 * micro-kernel and pays the GEMM's fixed costs for little work. The filters, the same for every
 * image, are packed for the micro-kernel once per call ({@link GemmKernel#packA}).
 *
 * <p>Threading: the batch is cut into {@code min(N, 4·threads)} contiguous blocks of images, one
 * part each; the pool hands parts out as threads become free, so a core slowed down by another
 * process simply takes fewer blocks. A GEMM called from inside a part runs on that part's thread
 * only (nested {@link Parallel#run} calls run inline), so the cores each multiply whole images
 * with no synchronisation between them; with a single image the GEMM is called from the caller's
 * thread and may spread itself over the pool. Backward-filter gives each part its own partial
 * {@code dWᵀ} and adds the partials in part order afterwards, so the result depends on the thread
 * count but never on scheduling.
 *
 * <p>Work buffers are reused, so a call allocates nothing once they have grown to the largest
 * layer: the column matrix and the grouped products belong to the thread (one per pool thread,
 * used by one part at a time); the partial gradients, the packed and the flipped filters belong to a {@link Job}, kept in a free list
 * so that two threads calling at once simply take two jobs.
 */
final class Float32Conv {
    private static final int FORWARD = 0;
    private static final int BACKWARD_DATA = 1;
    private static final int BACKWARD_FILTER = 2;
    /** The slots of a thread's work arrays: the column matrix (or the images side by side), and the grouped products. */
    private static final int COLUMNS = 0;
    private static final int PRODUCTS = 1;
    /** The narrowest product worth making of one image alone; smaller outputs are grouped ({@link #groupSize}). */
    static final int GROUP_COLUMNS = 256;

    private final GemmKernel gemm;
    /** The inner loops (col2im's scatter-add); also decides whether Winograd is possible. */
    private final VectorOps ops;
    /** 3x3 stride-1 convolutions where {@link WinogradConv#worthIt}; null without the Vector API or when switched off. */
    private final WinogradConv winograd;
    /** 3x3 stride-1 convolutions with few channels ({@link DirectConv#worthIt}); null without the Vector API. */
    private final DirectConv direct;
    /** 3x3 convolutions with 16 or 32 output channels ({@link #usesChannelVector}); null without the Vector API or when switched off. */
    private final ChannelVectorConv channelVector;
    /**
     * 3x3 stride-1 convolutions with 8-pixel output rows and few channels ({@link RowConv#worthIt}),
     * in the host's preferred width ({@link RowConvolution#forThisHost}); null without the Vector
     * API, on other widths, or when switched off.
     */
    private final RowConvolution rows;
    /** Whether one vector of output channels may use {@link ChannelVectorConv} ({@link #CHANNEL_VECTOR_ONE_VECTOR_PROPERTY}). */
    private final boolean channelVectorOneVector;
    /** Whether strided input gradients may use {@link ChannelVectorConv#backwardDataStrided} ({@link #CHANNEL_VECTOR_STRIDED_PROPERTY}). */
    private final boolean channelVectorStrided;
    private final JobPool<Job> jobs = new JobPool<>(Job::new, job -> {
        job.filters.release();
        job.bias = null;
        job.x = null;
        job.w = null;
        job.y = null;
    });
    private final ThreadLocal<WorkArrays> scratch = WorkArrays.perThread(2);

    Float32Conv(GemmKernel gemm, VectorOps ops, boolean winograd) {
        this.gemm = gemm;
        this.ops = ops;
        // WinogradConv imports the Vector API: only constructed (and so only loaded) with the Panama ops.
        this.winograd = ops.simd() && winograd ? new WinogradConv(gemm) : null;
        this.direct = ops.simd() && Boolean.parseBoolean(System.getProperty(DIRECT_PROPERTY, "true")) ? new DirectConv() : null;
        this.channelVector = ops.simd() && Boolean.parseBoolean(System.getProperty(CHANNEL_VECTOR_PROPERTY, "true"))
                ? new ChannelVectorConv() : null;
        this.rows = ops.simd() && Boolean.parseBoolean(System.getProperty(ROWS_PROPERTY, "true"))
                ? RowConvolution.forThisHost() : null;
        this.channelVectorStrided = Boolean.parseBoolean(System.getProperty(CHANNEL_VECTOR_STRIDED_PROPERTY, "true"));
        this.channelVectorOneVector = Boolean.parseBoolean(System.getProperty(CHANNEL_VECTOR_ONE_VECTOR_PROPERTY, "true"));
    }

    /** {@code -Dweightnorm4j.channelvectorconv=false} turns {@link ChannelVectorConv} off (for measuring it against the others). */
    static final String CHANNEL_VECTOR_PROPERTY = "weightnorm4j.channelvectorconv";

    /**
     * {@code -Dweightnorm4j.channelvectorconv.strided=false} sends the input gradient of strided
     * convolutions (and so the forward of the VAE's transposed convolutions) back to im2col +
     * col2im: the bits of the builds before {@link ChannelVectorConv#backwardDataStrided}, for
     * resuming a run started with one of them bit-identically (docs/VAE.md).
     */
    static final String CHANNEL_VECTOR_STRIDED_PROPERTY = "weightnorm4j.channelvectorconv.strided";

    /**
     * {@code -Dweightnorm4j.channelvectorconv.onevector=false} turns off what {@link ChannelVectorConv}
     * serves for one vector of channels (16 with AVX-512: the VAE's 16-channel layers): the forward,
     * input gradient and filter gradient of 3x3 stride-1 convolutions to 16 channels
     * ({@link ChannelVectorConv#worthItOneVector}, {@link ChannelVectorConv#worthItForFilterOneVector})
     * and the input gradient of strided ones from 16 channels
     * ({@link ChannelVectorConv#worthItStridedOneVector}). They go back to Winograd,
     * {@link DirectConv} and im2col: the bits of the builds before them, for resuming a run
     * started with one of those bit-identically (docs/RELIABILITY.md).
     */
    static final String CHANNEL_VECTOR_ONE_VECTOR_PROPERTY = "weightnorm4j.channelvectorconv.onevector";

    /** {@code -Dweightnorm4j.directconv=false} turns {@link DirectConv} off (for measuring it against the others). */
    static final String DIRECT_PROPERTY = "weightnorm4j.directconv";

    /**
     * {@code -Dweightnorm4j.rowconv=false} turns {@link RowConv} and {@link RowPairConv} off: their
     * convolutions go back to {@link DirectConv} (filter gradient) and im2col (forward, the same
     * bits), which is how a DQN run started before them can be resumed bit-identically
     * (docs/RELIABILITY.md). RowConv serves hosts that prefer 256-bit vectors, RowPairConv those
     * that prefer 512 ({@link RowConvolution#forThisHost}); on others both are off.
     */
    static final String ROWS_PROPERTY = "weightnorm4j.rowconv";

    /** y = conv(x, w) + bias per output channel ({@code bias} null: none). */
    void forward(Tensor x, Tensor w, Tensor bias, Tensor y, ConvSpec spec) {
        if (usesRows(x.dim(1), w.dim(0), w.dim(2), w.dim(3), spec, y.dim(3))) {
            rows.forward(x.data(), w.data(), bias == null ? null : bias.data(), y.data(), x.dim(0), x.dim(1), x.dim(2),
                    x.dim(3), w.dim(0), spec.padding());
            return;
        }
        if (usesChannelVector(FORWARD, x.dim(1), w.dim(0), w.dim(2), w.dim(3), spec, y.dim(2), y.dim(3), x.dim(2), x.dim(3))) {
            channelVector.forward(x.data(), w.data(), bias == null ? null : bias.data(), y.data(), x.dim(0), x.dim(1), x.dim(2),
                    x.dim(3), w.dim(0), w.dim(2), spec.stride(), spec.padding());
            return;
        }
        if (usesDirect(FORWARD, x.dim(1), w.dim(0), w.dim(2), w.dim(3), spec)) {
            direct.forward(x.data(), w.data(), bias == null ? null : bias.data(), y.data(), x.dim(0), x.dim(1), x.dim(2),
                    x.dim(3), w.dim(0), spec.padding());
            return;
        }
        if (usesWinograd(FORWARD, x.dim(1), w.dim(0), w.dim(2), w.dim(3), spec, y.dim(2), y.dim(3), x.dim(2), x.dim(3))) {
            winograd.forward(x.data(), w.data(), bias == null ? null : bias.data(), y.data(), x.dim(0), x.dim(1), x.dim(2),
                    x.dim(3), w.dim(0), spec.padding(), y.dim(2), y.dim(3));
            return;
        }
        Job job = acquire(FORWARD, x, w, y, spec);
        job.bias = bias == null ? null : bias.data();
        try {
            int k = job.g.rows();
            gemm.packA(false, job.o, k, job.w, 0, k, job.filters);
            job.execute();
        } finally {
            jobs.give(job);
        }
    }

    /** dx = ∂L/∂x given dy = ∂L/∂y (overwrites dx). */
    void backwardData(Tensor dy, Tensor w, Tensor dx, ConvSpec spec) {
        if (usesChannelVectorStrided(w.dim(1), w.dim(0), w.dim(2), w.dim(3), spec, dx.dim(3))) {
            channelVector.backwardDataStrided(dy.data(), w.data(), dx.data(), dy.dim(0), w.dim(0), dy.dim(2), dy.dim(3), w.dim(1),
                    dx.dim(2), dx.dim(3), w.dim(2), spec.stride(), spec.padding());
            return;
        }
        if (usesChannelVector(BACKWARD_DATA, w.dim(1), w.dim(0), w.dim(2), w.dim(3), spec, dy.dim(2), dy.dim(3), dx.dim(2),
                dx.dim(3))) {
            channelVector.backwardData(dy.data(), w.data(), dx.data(), dy.dim(0), w.dim(0), dy.dim(2), dy.dim(3), w.dim(1),
                    spec.padding());
            return;
        }
        if (usesDirect(BACKWARD_DATA, w.dim(1), w.dim(0), w.dim(2), w.dim(3), spec)) {
            direct.backwardData(dy.data(), w.data(), dx.data(), dy.dim(0), w.dim(0), dy.dim(2), dy.dim(3), w.dim(1),
                    spec.padding());
            return;
        }
        if (usesWinograd(BACKWARD_DATA, w.dim(1), w.dim(0), w.dim(2), w.dim(3), spec, dy.dim(2), dy.dim(3), dx.dim(2), dx.dim(3))) {
            winograd.backwardData(dy.data(), w.data(), dx.data(), dy.dim(0), w.dim(0), dy.dim(2), dy.dim(3), w.dim(1),
                    spec.padding(), dx.dim(2), dx.dim(3));
            return;
        }
        Job job = acquire(BACKWARD_DATA, dx, w, dy, spec);
        try {
            job.transposed = prefersTransposedConvolution(job.g);
            int k = job.g.rows();
            // The width of each image's product: dX's plane, or dY's for the scatter through col2im.
            job.group = groupSize(job.transposed ? job.g.h * job.g.w : job.g.cols());
            if (job.transposed) {
                job.prepareTransposedConvolution();
                gemm.packA(false, job.g.c, job.gy.rows(), job.flipped, 0, job.gy.rows(), job.filters);
            } else {
                gemm.packA(true, k, job.o, job.w, 0, k, job.filters);
            }
            job.execute();
        } finally {
            jobs.give(job);
        }
    }

    /** dw (+)= ∂L/∂w given x and dy. */
    void backwardFilter(Tensor x, Tensor dy, Tensor dw, ConvSpec spec, boolean accumulate) {
        Job job = acquire(BACKWARD_FILTER, x, dw, dy, spec);
        try {
            job.accumulate = accumulate;
            if (job.n == 0) {
                if (!accumulate) {
                    Arrays.fill(job.w, 0, dw.size(), 0f);
                }
                return;
            }
            if (usesRows(x.dim(1), dw.dim(0), dw.dim(2), dw.dim(3), spec, dy.dim(3))) {
                rows.backwardFilter(x.data(), dy.data(), dw.data(), x.dim(0), x.dim(1), x.dim(2), x.dim(3), dw.dim(0),
                        spec.padding(), accumulate);
                return;
            }
            if (usesChannelVector(BACKWARD_FILTER, x.dim(1), dw.dim(0), dw.dim(2), dw.dim(3), spec, dy.dim(2), dy.dim(3),
                    x.dim(2), x.dim(3))) {
                channelVector.backwardFilter(x.data(), dy.data(), dw.data(), x.dim(0), x.dim(1), x.dim(2), x.dim(3), dw.dim(0),
                        dw.dim(2), spec.stride(), spec.padding(), accumulate);
                return;
            }
            if (usesDirect(BACKWARD_FILTER, x.dim(1), dw.dim(0), dw.dim(2), dw.dim(3), spec)) {
                direct.backwardFilter(x.data(), dy.data(), dw.data(), x.dim(0), x.dim(1), x.dim(2), x.dim(3), dw.dim(0),
                        spec.padding(), accumulate);
                return;
            }
            if (usesWinograd(BACKWARD_FILTER, x.dim(1), dw.dim(0), dw.dim(2), dw.dim(3), spec, dy.dim(2), dy.dim(3), x.dim(2),
                    x.dim(3))) {
                winograd.backwardFilter(x.data(), dy.data(), dw.data(), x.dim(0), x.dim(1), x.dim(2), x.dim(3), dw.dim(0),
                        spec.padding(), dy.dim(2), dy.dim(3), accumulate);
                return;
            }
            job.preparePartials();
            job.execute();
            job.reducePartials();
        } finally {
            jobs.give(job);
        }
    }

    /** Whether the forward and filter gradient of a convolution from {@code c} to {@code o} channels run on {@link #rows}. */
    boolean usesRows(int c, int o, int kh, int kw, ConvSpec spec, int ow) {
        return rows != null && RowConv.worthIt(c, o, kh, kw, spec.stride(), spec.padding(), ow);
    }

    /**
     * Whether pass {@code op} of a convolution from {@code c} to {@code o} channels runs on
     * {@link ChannelVectorConv}: a 3x3 kernel, stride 1 or 2 (the input gradient: stride 1),
     * {@link #CHANNEL_VECTOR_MIN_INPUTS} to {@link #CHANNEL_VECTOR_MAX_CHANNELS} channels, the
     * outputs whole pairs of vectors. Measured on the AVX2 host, one thread, batch 100, CPU time
     * (docs/BENCHMARKS.md, "ChannelVectorConv"): 16 → 16 on 28x28 7.1 ms forward against 9.4
     * (Winograd), the filter gradient 7.9 against 11 (direct); 32 → 32 on 14x14 6.0-6.4 forward
     * and input gradient against Winograd's 6.6-6.8, filter gradient 7.1-7.4 against 10-11; 32 → 32
     * on 7x7 1.7 against 2.6-2.9 (Winograd, im2col); the stride-2 16 → 32 and 32 → 32 forwards 3.5
     * and 2.0 against 6.9 and 4.3 (im2col). A whole VAE step: 522-533 against 677 ms.
     */
    /**
     * Whether the input gradient of a strided convolution {@code c → o} runs on
     * {@link ChannelVectorConv#backwardDataStrided}: its channel limits as {@link #usesChannelVector}'s,
     * with dx's {@code c} channels in the vectors (one vector of them only where dx's width
     * {@code w} suits, {@link ChannelVectorConv#worthItStridedOneVector}).
     */
    boolean usesChannelVectorStrided(int c, int o, int kh, int kw, ConvSpec spec, int w) {
        return channelVectorStrided && channelVector != null && Math.max(c, o) <= CHANNEL_VECTOR_MAX_CHANNELS
                && o >= CHANNEL_VECTOR_MIN_INPUTS && (ChannelVectorConv.worthItStrided(c, kh, kw, spec.stride(), spec.padding())
                || channelVectorOneVector && ChannelVectorConv.worthItStridedOneVector(c, kh, kw, spec.stride(), spec.padding(), w));
    }

    boolean usesChannelVector(int op, int c, int o, int kh, int kw, ConvSpec spec, int oh, int ow, int h, int w) {
        if (channelVector == null || Math.max(c, o) > CHANNEL_VECTOR_MAX_CHANNELS) {
            return false;
        }
        return switch (op) {
            case FORWARD -> c >= CHANNEL_VECTOR_MIN_INPUTS && (ChannelVectorConv.worthIt(o, kh, kw, spec.stride(), spec.padding())
                    || channelVectorOneVector && ChannelVectorConv.worthItOneVector(o, kh, kw, spec.stride(), spec.padding(), ow));
            case BACKWARD_DATA -> kh == 3 && spec.stride() == 1 && spec.padding() <= 2 && o >= CHANNEL_VECTOR_MIN_INPUTS
                    && (ChannelVectorConv.worthIt(c, kh, kw, 1, 2 - spec.padding())
                    || channelVectorOneVector && ChannelVectorConv.worthItOneVector(c, kh, kw, 1, 2 - spec.padding(), w));
            default -> c >= CHANNEL_VECTOR_MIN_INPUTS && (ChannelVectorConv.worthItForFilter(o, kh, kw, spec.stride(), spec.padding())
                    || channelVectorOneVector && ChannelVectorConv.worthItForFilterOneVector(o, kh, kw, spec.stride(), spec.padding(), ow));
        };
    }

    /**
     * Fewer input channels leave each tile a handful of taps to sum (the VAE's 1 → 16 first
     * convolution keeps im2col and the direct filter gradient).
     */
    static final int CHANNEL_VECTOR_MIN_INPUTS = 8;
    /**
     * With more channels on either side the GEMM paths run at its 80 GF/s and this kernel's ~50 do
     * not pay (not measured past 32: the cnn's 64- and 128-channel layers keep their algorithms).
     */
    static final int CHANNEL_VECTOR_MAX_CHANNELS = 32;

    /**
     * Whether pass {@code op} of a convolution from {@code c} to {@code o} channels runs on
     * {@link DirectConv}; the input gradient is the forward convolution from {@code o} to {@code c}
     * channels with padding {@code 2 − pad}, so it is judged on that.
     */
    boolean usesDirect(int op, int c, int o, int kh, int kw, ConvSpec spec) {
        if (direct == null) {
            return false;
        }
        return switch (op) {
            case FORWARD -> DirectConv.worthIt(c, o, kh, kw, spec.stride(), spec.padding());
            case BACKWARD_DATA -> spec.padding() <= 2 && DirectConv.worthIt(o, c, kh, kw, spec.stride(), 2 - spec.padding());
            default -> DirectConv.worthItForFilter(c, o, kh, kw, spec.stride(), spec.padding());
        };
    }

    /**
     * Whether pass {@code op} of a convolution from {@code c} to {@code o} channels (kernel
     * {@code kh × kw}, input {@code h × w}, output {@code oh × ow}) runs as Winograd's F(2x2, 3x3).
     * The input gradient is the forward convolution of dY with padding {@code 2 − pad}, producing
     * the input's plane, so it is judged on that.
     */
    boolean usesWinograd(int op, int c, int o, int kh, int kw, ConvSpec spec, int oh, int ow, int h, int w) {
        if (winograd == null) {
            return false;
        }
        if (op == BACKWARD_DATA) {
            return spec.padding() <= 2 && WinogradConv.worthIt(o, c, kh, kw, spec.stride(), 2 - spec.padding(), h, w);
        }
        return WinogradConv.worthIt(c, o, kh, kw, spec.stride(), spec.padding(), oh, ow);
    }

    /**
     * "rows", "channel-vector", "channel-vector-phases" (a strided input gradient), "direct",
     * "winograd" or "im2col" for each of the three passes (forward, backward-data,
     * backward-filter) of a convolution, as {@link #forward} and the others will run it.
     */
    String[] algorithms(int c, int o, int kh, int kw, ConvSpec spec, int h, int w) {
        int oh = spec.outSize(h, kh), ow = spec.outSize(w, kw);
        String[] names = new String[3];
        for (int op = FORWARD; op <= BACKWARD_FILTER; op++) {
            names[op] = op != BACKWARD_DATA && usesRows(c, o, kh, kw, spec, ow) ? "rows"
                    : op == BACKWARD_DATA && usesChannelVectorStrided(c, o, kh, kw, spec, w) ? "channel-vector-phases"
                    : usesChannelVector(op, c, o, kh, kw, spec, oh, ow, h, w) ? "channel-vector"
                    : usesDirect(op, c, o, kh, kw, spec) ? "direct" : usesWinograd(op, c, o, kh, kw, spec, oh, ow, h, w) ? "winograd" : "im2col";
        }
        return names;
    }

    /**
     * Backward-data as a convolution of dY (no col2im) pays for multiplying the zeros of dY's
     * padding: its product is as wide as the input plane, against the output plane for
     * {@code Wᵀ · dY} + col2im. Worth it when the two planes are (nearly) the same size, as with
     * "same" padding; for the cnn's 7x7 → 5x5 convolution it would be twice the multiply-adds.
     */
    static boolean prefersTransposedConvolution(Im2col.Geometry g) {
        boolean possible = !g.pointwise() && g.stride == 1 && g.kh == g.kw && g.pad < g.kh;
        return possible && g.h * g.w * 10L <= g.cols() * 11L;
    }

    private Job acquire(int op, Tensor x, Tensor w, Tensor y, ConvSpec spec) {
        Job job = jobs.take();
        job.op = op;
        job.x = x.data();
        job.w = w.data();
        job.y = y.data();
        job.n = x.dim(0);
        job.o = w.dim(0);
        job.g.set(x.dim(1), x.dim(2), x.dim(3), w.dim(2), w.dim(3), spec.stride(), spec.padding(), y.dim(2), y.dim(3));
        job.parts = BatchParts.count(job.n);
        job.group = groupSize(job.g.cols());
        job.reducing = false;
        job.transposed = false;
        return job;
    }

    /**
     * One convolution call: its arguments, its per-part work buffers, and the per-part body run by
     * {@link Parallel#run}. Arrays named after the forward pass: {@code x} is the input (or its
     * gradient), {@code w} the filters (or their gradient), {@code y} the output (or its gradient).
     */
    private final class Job implements IntConsumer {
        final Im2col.Geometry g = new Im2col.Geometry();
        /** Backward-data as a convolution of dY: the geometry of dY seen as its input. */
        final Im2col.Geometry gy = new Im2col.Geometry();
        /** Backward-data runs as a convolution of dY with the flipped filters (stride 1, square kernel). */
        boolean transposed;
        /** The flipped filters {@code W'[c, (o, p, q)] = W[o, c, KH-1-p, KW-1-q]} of that convolution. */
        float[] flipped = new float[0];
        int op;
        int n;
        int o;
        int parts;
        /** Images multiplied at once ({@link #groupSize}). */
        int group;
        boolean accumulate;
        /** Forward only: added to every output of its channel as the product is written (null: none). */
        float[] bias;
        float[] x;
        float[] w;
        float[] y;
        float[][] partials = new float[0][];
        /**
         * The left operand shared by every image's product, packed once per call: W for forward,
         * Wᵀ (or the flipped filters) for backward-data. Unused by backward-filter, whose left
         * operand is each image's own column matrix.
         */
        final PackedA filters = new PackedA();
        /** Set while the parts add up the partial filter gradients instead of running images. */
        boolean reducing;
        /** The number of row blocks of that reduction. */
        int reduceBlocks;

        /**
         * Backward-data of a stride-1 convolution is itself a convolution: {@code dX = dY ⋆ W'}
         * with padding {@code K−1−pad} and the filters flipped and with their two channel axes
         * swapped. Written that way it is {@code dX_b = W' · im2col(dY_b)}: a GEMM with the long
         * reduction {@code O·K·K} (instead of {@code O}) and no scatter-add of col2im.
         */
        void prepareTransposedConvolution() {
            int c = g.c, kh = g.kh, kw = g.kw;
            gy.set(o, g.oh, g.ow, kh, kw, 1, kh - 1 - g.pad, g.h, g.w);
            int size = c * o * kh * kw;
            if (flipped.length < size) {
                flipped = new float[size];
            }
            for (int ch = 0; ch < c; ch++) {
                for (int oc = 0; oc < o; oc++) {
                    for (int p = 0; p < kh; p++) {
                        for (int q = 0; q < kw; q++) {
                            flipped[((ch * o + oc) * kh + p) * kw + q] = w[((oc * c + ch) * kh + (kh - 1 - p)) * kw + (kw - 1 - q)];
                        }
                    }
                }
            }
        }

        /** Every part accumulates the transposed filter gradient of its images into a buffer of its own. */
        void preparePartials() {
            partials = BatchParts.growPartials(partials, parts, o * g.rows());
        }

        void execute() {
            BatchParts.run(parts, this);
        }

        /**
         * Runs the images of one contiguous block of the batch, {@link #group} at a time (or, when
         * reducing, one block of dW rows).
         */
        @Override
        public void accept(int part) {
            if (reducing) {
                reduceRows(part);
                return;
            }
            int first = BatchParts.start(part, n, parts);
            int end = BatchParts.start(part + 1, n, parts);
            // Even groups: 12 images with room for 11 make two products of 6, not 11 and 1.
            int groups = (end - first + group - 1) / Math.max(1, group);
            int size = groups == 0 ? 1 : (end - first + groups - 1) / groups;
            for (int b = first; b < end; b += size) {
                int images = Math.min(size, end - b);
                switch (op) {
                    case FORWARD -> forwardImages(b, images);
                    case BACKWARD_DATA -> backwardDataImages(b, images);
                    default -> backwardFilterImages(b, images, part, b == first);
                }
            }
        }

        /**
         * {@code Y = W · [col_b | col_b+1 | ...]}: the column matrices of {@code images} images
         * side by side make one product {@code images} times wider, then each image's block of
         * columns is copied to its place in y. Each output is the same sum in the same order as
         * with one image at a time; only the zero padding of the last panel of columns shrinks.
         */
        private void forwardImages(int b, int images) {
            int k = g.rows(), cols = g.cols(), width = images * cols;
            int imageSize = g.c * g.h * g.w;
            if (images == 1) {
                int yOff = b * o * cols;
                float[] source = x;
                int sourceOff = b * imageSize;
                if (!g.pointwise()) {
                    source = scratch.get().atLeast(COLUMNS, k * cols);
                    sourceOff = 0;
                    Im2col.im2col(g, x, b * imageSize, source);
                }
                if (bias == null) {
                    gemm.gemmPackedA(filters, false, cols, source, sourceOff, cols, y, yOff, cols, false);
                } else {
                    gemm.gemmPackedAWithRowBias(filters, false, cols, source, sourceOff, cols, y, yOff, cols, bias, 0);
                }
                return;
            }
            WorkArrays sc = scratch.get();
            float[] col = sc.atLeast(COLUMNS, k * width);
            for (int i = 0; i < images; i++) {
                if (g.pointwise()) {
                    placeColumns(x, (b + i) * imageSize, k, cols, col, width, i * cols);
                } else {
                    Im2col.im2col(g, x, (b + i) * imageSize, col, width, i * cols);
                }
            }
            float[] out = sc.atLeast(PRODUCTS, o * width);
            gemm.gemmPackedA(filters, false, width, col, 0, width, out, 0, width, false);
            takeColumns(out, o, cols, width, images, y, b * o * cols, bias);
        }

        /** As {@link #forwardImages}, for the input gradient: {@code dX = Wᵀ · dY}, or the flipped-filter convolution of dY. */
        private void backwardDataImages(int b, int images) {
            int k = g.rows(), cols = g.cols();
            int hw = g.h * g.w, imageSize = g.c * hw;
            if (!g.pointwise() && !transposed) {
                backwardDataScatter(b, images);
                return;
            }
            if (images == 1) {
                int dyOff = b * o * cols, dxOff = b * imageSize;
                if (g.pointwise()) {
                    gemm.gemmPackedA(filters, false, cols, y, dyOff, cols, x, dxOff, cols, false);
                } else {
                    float[] col = scratch.get().atLeast(COLUMNS, gy.rows() * gy.cols());
                    Im2col.im2col(gy, y, dyOff, col);
                    gemm.gemmPackedA(filters, false, hw, col, 0, hw, x, dxOff, hw, false);
                }
                return;
            }
            WorkArrays sc = scratch.get();
            int width = images * hw;
            int rows = g.pointwise() ? o : gy.rows();
            float[] col = sc.atLeast(COLUMNS, rows * width);
            for (int i = 0; i < images; i++) {
                if (g.pointwise()) {
                    placeColumns(y, (b + i) * o * cols, o, cols, col, width, i * cols);
                } else {
                    Im2col.im2col(gy, y, (b + i) * o * cols, col, width, i * hw);
                }
            }
            float[] out = sc.atLeast(PRODUCTS, g.c * width);
            gemm.gemmPackedA(filters, false, width, col, 0, width, out, 0, width, false);
            takeColumns(out, g.c, hw, width, images, x, b * imageSize, null);
        }

        /**
         * Backward-data through col2im: {@code [dcol_b | dcol_b+1 | ...] = Wᵀ · [dY_b | dY_b+1 | ...]},
         * then each image's block of columns is scattered back onto its input gradient.
         */
        private void backwardDataScatter(int b, int images) {
            int k = g.rows(), cols = g.cols(), width = images * cols;
            int imageSize = g.c * g.h * g.w;
            WorkArrays sc = scratch.get();
            float[] col = sc.atLeast(COLUMNS, k * width);
            float[] grads = y;
            int gradsOff = b * o * cols;
            if (images > 1) {
                grads = sc.atLeast(PRODUCTS, o * width);
                gradsOff = 0;
                for (int i = 0; i < images; i++) {
                    placeColumns(y, (b + i) * o * cols, o, cols, grads, width, i * cols);
                }
            }
            gemm.gemmPackedA(filters, false, width, grads, gradsOff, width, col, 0, width, false);
            for (int i = 0; i < images; i++) {
                int dxOff = (b + i) * imageSize;
                Arrays.fill(x, dxOff, dxOff + imageSize, 0f);
                Im2col.col2im(g, col, width, i * cols, x, dxOff, ops);
            }
        }

        /**
         * Adds {@code dWᵀ = col · dYᵀ} ({@code [C·KH·KW, O]}) of {@code images} images to the
         * part's partial, their columns side by side: one product with a reduction
         * {@code images} times longer. Computing the transpose makes the long side of the product
         * the rows of A, which the GEMM packs once per block, instead of packing the wide
         * {@code colᵀ} as a transposed B.
         */
        private void backwardFilterImages(int b, int images, int part, boolean firstOfPart) {
            int k = g.rows(), cols = g.cols(), width = images * cols;
            int imageSize = g.c * g.h * g.w;
            float[] partial = partials[part];
            WorkArrays sc = scratch.get();
            float[] col;
            float[] grads;
            if (images == 1) {
                if (g.pointwise()) {
                    col = x;
                } else {
                    col = sc.atLeast(COLUMNS, k * cols);
                    Im2col.im2col(g, x, b * imageSize, col);
                }
                int colOff = g.pointwise() ? b * imageSize : 0;
                gemm.gemm(false, true, k, o, cols, col, colOff, cols, y, b * o * cols, cols, partial, 0, o, !firstOfPart);
                return;
            }
            col = sc.atLeast(COLUMNS, k * width);
            grads = sc.atLeast(PRODUCTS, o * width);
            for (int i = 0; i < images; i++) {
                if (g.pointwise()) {
                    placeColumns(x, (b + i) * imageSize, k, cols, col, width, i * cols);
                } else {
                    Im2col.im2col(g, x, (b + i) * imageSize, col, width, i * cols);
                }
                placeColumns(y, (b + i) * o * cols, o, cols, grads, width, i * cols);
            }
            gemm.gemm(false, true, k, o, width, col, 0, width, grads, 0, width, partial, 0, o, !firstOfPart);
        }

        /**
         * {@code dW[oc, r] (+)= Σ_p partial_p[r, oc]}, the parts always added in order 0, 1, 2, ...
         * Spread over the pool by blocks of rows r: each element is summed by one thread in that
         * fixed order, so the split does not change the result.
         */
        void reducePartials() {
            int blocks = Math.min(Parallel.threads(), g.rows());
            if (blocks <= 1) {
                reduceRows(0, g.rows());
                return;
            }
            reducing = true;
            reduceBlocks = blocks;
            Parallel.run(blocks, this);
            reducing = false;
        }

        private void reduceRows(int block) {
            int k = g.rows();
            reduceRows(BatchParts.start(block, k, reduceBlocks), BatchParts.start(block + 1, k, reduceBlocks));
        }

        private void reduceRows(int from, int to) {
            int k = g.rows();
            for (int r = from; r < to; r++) {
                for (int oc = 0; oc < o; oc++) {
                    int wi = oc * k + r;
                    float sum = accumulate ? w[wi] : 0f;
                    for (int p = 0; p < parts; p++) {
                        sum += partials[p][r * o + oc];
                    }
                    w[wi] = sum;
                }
            }
        }

    }

    /**
     * Copies a {@code rows × cols} matrix (one image's plane block) into columns
     * {@code [colOff, colOff + cols)} of a matrix with rows {@code ld} long.
     */
    private static void placeColumns(float[] src, int srcOff, int rows, int cols, float[] dst, int ld, int colOff) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(src, srcOff + r * cols, dst, r * ld + colOff, cols);
        }
    }

    /**
     * The inverse of {@link #placeColumns} for {@code images} images: image i's columns
     * {@code [i·cols, (i+1)·cols)} of the {@code rows × ld} product become the {@code rows × cols}
     * block of image i in NCHW {@code dst} from {@code dstOff}, with {@code rowBias[r]} added to
     * row r when given.
     */
    private static void takeColumns(float[] src, int rows, int cols, int ld, int images, float[] dst, int dstOff,
                                    float[] rowBias) {
        for (int i = 0; i < images; i++) {
            for (int r = 0; r < rows; r++) {
                int from = r * ld + i * cols, to = dstOff + (i * rows + r) * cols;
                if (rowBias == null) {
                    System.arraycopy(src, from, dst, to, cols);
                } else {
                    float bias = rowBias[r];
                    for (int j = 0; j < cols; j++) {
                        dst[to + j] = src[from + j] + bias;
                    }
                }
            }
        }
    }

    /**
     * Images per product: enough that the product is at least {@link #GROUP_COLUMNS} wide, so a
     * small output (7x7, 5x5: 49 or 25 columns) does not leave most of the micro-kernel's
     * 32-column panels as zero padding and pay the GEMM's fixed costs for a sliver of work.
     */
    static int groupSize(int cols) {
        return Math.max(1, (GROUP_COLUMNS + cols - 1) / cols);
    }
}
