package org.weightnorm4j.tensor;

import java.util.function.IntConsumer;

/**
 * 3x3, stride-1 convolutions by Winograd's F(2x2, 3x3) ({@link WinogradTransforms}): the
 * forward; the input gradient, which is the forward convolution of the output gradient with the
 * flipped filters and padding {@code 2 − pad}; and the filter gradient, back through the
 * transforms ({@link #backwardFilter}).
 *
 * <p>For a group of images: transform every channel plane into 16 matrices {@code V[ξ]}
 * ({@code [in channels, tiles]}), multiply each by the transformed filters {@code U[ξ]}
 * ({@code [out channels, in channels]}) on the GEMM, and transform the 16 products back into
 * 2x2 blocks of output. Per pair of channels, a 2x2 block of outputs costs the products 16
 * multiply-adds where the direct convolution spends 36: 2.25 times fewer for an output of even
 * size ({@link #worthIt} counts the rounding up of odd sizes).
 *
 * <p>Threading and work buffers follow {@link Float32Conv}: the batch is cut into
 * {@code min(N, 4·threads)} blocks of images (for the forward and the input gradient, one per
 * group of images multiplied at once: {@link Job#blockParts}), each block's images are
 * transformed and multiplied a few at a time ({@link #GROUP_TILES}) on the thread that runs it, and the buffers belong to
 * the thread (the transformed inputs and products) or to a job from a free list (the transformed
 * filters). Every output is the same sum whatever the thread count or grouping, so results do
 * not depend on them.
 */
final class WinogradConv {
    /**
     * Tiles multiplied at once (whole images, or bands of tile rows of a larger image): enough
     * columns to fill the micro-kernel's panels. Blocks small enough that the transformed inputs
     * and the products ({@code 16·channels·tiles} floats each) fit the core's L2 cache measured
     * slower, their products being narrower (docs/BENCHMARKS.md, fourth pass).
     */
    static final int GROUP_TILES = 256;
    /**
     * The fewest channels on either side worth it: with a handful of input channels the 16
     * products are too shallow to run at the GEMM's speed, and the transforms dominate.
     */
    static final int MIN_CHANNELS = 16;
    /** The least ratio of direct to Winograd multiply-adds worth the transforms. */
    static final double MIN_SAVING = 2.0;

    /** The phases of a call, each spread over the pool ({@code Job.accept}). */
    private static final int BLOCKS = 0;
    private static final int FILTERS = 1;
    private static final int PACK = 2;
    private static final int REDUCE = 3;

    private final GemmKernel gemm;
    private final JobPool<Job> jobs = new JobPool<>(Job::new, job -> {
        job.in = null;
        job.out = null;
        job.bias = null;
    });
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    WinogradConv(GemmKernel gemm) {
        this.gemm = gemm;
    }

    /**
     * Whether F(2x2, 3x3) serves a convolution from {@code ins} channels of a plane to {@code outs}
     * channels of an {@code oh × ow} plane: a 3x3 kernel, stride 1, padding at most 2, enough
     * channels, and at least {@link #MIN_SAVING} times fewer multiply-adds than the direct form
     * ({@code 9·oh·ow} against {@code 16} per 2x2 tile, odd sizes rounded up).
     */
    static boolean worthIt(int ins, int outs, int kh, int kw, int stride, int pad, int oh, int ow) {
        if (kh != 3 || kw != 3 || stride != 1 || pad > 2 || ins < MIN_CHANNELS || outs < MIN_CHANNELS) {
            return false;
        }
        long tiles = (long) ((oh + 1) / 2) * ((ow + 1) / 2);
        return 9.0 * oh * ow >= MIN_SAVING * 16.0 * tiles;
    }

    /** {@code y = conv(x, w) + bias} for x {@code [n, c, h, w]}, filters {@code [o, c, 3, 3]}, y {@code [n, o, oh, ow]}. */
    void forward(float[] x, float[] w, float[] bias, float[] y, int n, int c, int h, int width, int o, int pad,
                 int oh, int ow) {
        run(x, w, false, bias, y, n, c, h, width, o, pad, oh, ow);
    }

    /**
     * {@code dx} of a 3x3, stride-1 convolution with padding {@code pad}: dy {@code [n, o, oh, ow]},
     * filters {@code [o, c, 3, 3]}, dx {@code [n, c, h, w]} (overwritten). The flipped-filter
     * convolution of dy, padded by {@code 2 − pad}.
     */
    void backwardData(float[] dy, float[] w, float[] dx, int n, int o, int oh, int ow, int c, int pad, int h, int width) {
        run(dy, w, true, null, dx, n, o, oh, ow, c, 2 - pad, h, width);
    }

    /**
     * {@code dw (+)= ∂L/∂w} of a 3x3, stride-1 convolution with padding {@code pad}, from x
     * {@code [n, c, h, w]} and dy {@code [n, o, oh, ow]}. Back through the three transforms:
     * {@code ∂L/∂M = A dY Aᵀ} per tile and output channel, {@code ∂L/∂U[ξ] = Σ_tiles ∂L/∂M[ξ] · V[ξ]ᵀ}
     * (16 products whose reduction runs over the tiles), and {@code ∂L/∂g = Gᵀ (∂L/∂U) G}. Each
     * part sums its images into a partial of its own; the partials are added in part order, so the
     * result depends on the thread count but not on scheduling, as {@link Float32Conv}'s.
     */
    void backwardFilter(float[] x, float[] dy, float[] dw, int n, int c, int h, int width, int o, int pad, int oh, int ow,
                        boolean accumulate) {
        Job job = jobs.take();
        try {
            job.set(x, null, dy, n, c, h, width, o, pad, oh, ow);
            job.filterGradient = true;
            job.preparePartials();
            job.execute();
            job.reducePartials(dw, accumulate);
        } finally {
            jobs.give(job);
        }
    }

    private void run(float[] in, float[] w, boolean flipped, float[] bias, float[] out, int n, int ins, int h, int width,
                     int outs, int pad, int oh, int ow) {
        Job job = jobs.take();
        try {
            job.set(in, bias, out, n, ins, h, width, outs, pad, oh, ow);
            job.filterGradient = false;
            job.parts = job.blockParts();
            job.prepareFilters(w, flipped);
            job.execute();
        } finally {
            jobs.give(job);
        }
    }

    /**
     * One call: its geometry, the transformed filters, and the per-part body. Named after the
     * forward pass: {@code in} is x (or dy for the input gradient), {@code out} is y (or dx; for
     * the filter gradient, dy, which it reads).
     */
    private final class Job implements IntConsumer {
        float[] in;
        float[] out;
        /** Computing the filter gradient: {@code out} holds dy, and each part sums into {@link #partials}. */
        boolean filterGradient;
        /** What {@link #accept} runs: {@link #BLOCKS}, {@link #FILTERS}, {@link #PACK} or {@link #REDUCE}, over {@link #phaseParts} parts. */
        int phase;
        int phaseParts;
        /** For {@link #FILTERS}: the filters to transform, and whether flipped (input gradient). */
        float[] filters;
        boolean flipped;
        /** For {@link #REDUCE}: where the filter gradient goes, and whether it is added. */
        float[] dw;
        boolean accumulate;
        float[][] partials = new float[0][];
        float[] bias;
        int n, ins, h, w, outs, pad, oh, ow;
        int tilesH, tilesW, tiles;
        int parts;
        /** Images transformed and multiplied at once. */
        int group;
        /** The transformed filters {@code U[ξ]}, and each packed for the GEMM. */
        float[] u = new float[0];
        final PackedA[] packed = new PackedA[16];

        Job() {
            for (int i = 0; i < packed.length; i++) {
                packed[i] = new PackedA();
            }
        }

        void set(float[] in, float[] bias, float[] out, int n, int ins, int h, int w, int outs, int pad, int oh, int ow) {
            this.in = in;
            this.bias = bias;
            this.out = out;
            this.n = n;
            this.ins = ins;
            this.h = h;
            this.w = w;
            this.outs = outs;
            this.pad = pad;
            this.oh = oh;
            this.ow = ow;
            tilesH = (oh + 1) / 2;
            tilesW = (ow + 1) / 2;
            tiles = tilesH * tilesW;
            parts = BatchParts.count(n);
            group = Math.max(1, (GROUP_TILES + tiles - 1) / tiles);
        }

        /**
         * The parts of a forward or input-gradient call: one block of {@link #group} images each
         * (at least {@link BatchParts#count}), where the filter gradient keeps
         * {@link BatchParts#count}'s few parts for its partial sums. With 8 parts of 12 or 13 images
         * on two threads, the thread that ends first waited for the other's last part: 8-10% of
         * each Winograd pass's wall time in the cnn on the AVX2 host (docs/BENCHMARKS.md, "cnn at
         * two threads"); with a part per block the wait is a block's. Every output is the same sum
         * whatever the parts, so the bits do not change.
         */
        int blockParts() {
            return Math.max(parts, Math.min(n, (n + group - 1) / group));
        }

        void preparePartials() {
            partials = BatchParts.growPartials(partials, parts, 16 * outs * ins);
        }

        /**
         * {@code dw (+)= Gᵀ (Σ_p partial_p) G}, the partials added in part order 0, 1, 2, ... for
         * every element. Spread over the pool by ranges of output channels, so the split does not
         * change the result; run on one thread, it was about 1% of a two-thread cnn step with the
         * other core waiting.
         */
        void reducePartials(float[] dw, boolean accumulate) {
            this.dw = dw;
            this.accumulate = accumulate;
            runPhase(REDUCE, Math.min(Parallel.threads(), outs));
            this.dw = null;
        }

        /** U[ξ] for every filter, then each of the 16 packed for the GEMM; both spread over the pool. */
        void prepareFilters(float[] w, boolean flipped) {
            int plane = outs * ins;
            if (u.length < 16 * plane) {
                u = new float[16 * plane];
            }
            this.filters = w;
            this.flipped = flipped;
            runPhase(FILTERS, Math.min(Parallel.threads(), outs));
            this.filters = null;
            runPhase(PACK, 16);
        }

        /** Images block by block (the pass itself). */
        void execute() {
            runPhase(BLOCKS, parts);
        }

        private void runPhase(int phase, int count) {
            this.phase = phase;
            this.phaseParts = count;
            BatchParts.run(count, this);
        }

        @Override
        public void accept(int part) {
            int oFrom = BatchParts.start(part, outs, phaseParts), oTo = BatchParts.start(part + 1, outs, phaseParts);
            switch (phase) {
                case FILTERS -> WinogradTransforms.filters(filters, outs, ins, flipped, u, oFrom, oTo);
                case PACK -> gemm.packA(false, outs, ins, u, part * outs * ins, ins, packed[part]);
                case REDUCE -> reduce(oFrom, oTo);
                default -> images(part);
            }
        }

        /** Output channels {@code [oFrom, oTo)} of the filter gradient: their partials summed in part order, then Gᵀ dU G. */
        private void reduce(int oFrom, int oTo) {
            float[] sum = partials[0];
            int plane = outs * ins;
            for (int p = 1; p < parts; p++) {
                float[] partial = partials[p];
                for (int point = 0; point < 16; point++) {
                    for (int i = point * plane + oFrom * ins, end = point * plane + oTo * ins; i < end; i++) {
                        sum[i] += partial[i];
                    }
                }
            }
            WinogradTransforms.filterGradient(sum, outs, ins, dw, accumulate, oFrom, oTo);
        }

        /** The images of part {@code part}, a block at a time. */
        private void images(int part) {
            int first = BatchParts.start(part, n, parts);
            int end = BatchParts.start(part + 1, n, parts);
            boolean firstBlock = true;
            if (tiles >= GROUP_TILES) {
                // A large plane a band of tile rows at a time, so that V and M stay in the core's cache.
                int bands = (tiles + GROUP_TILES - 1) / GROUP_TILES;
                int band = (tilesH + bands - 1) / bands;
                for (int b = first; b < end; b++) {
                    for (int th = 0; th < tilesH; th += band) {
                        block(part, firstBlock, b, 1, th, Math.min(tilesH, th + band));
                        firstBlock = false;
                    }
                }
                return;
            }
            int groups = (end - first + group - 1) / group;
            int size = groups == 0 ? 1 : (end - first + groups - 1) / groups;   // even groups, as Float32Conv
            for (int b = first; b < end; b += size) {
                block(part, firstBlock, b, Math.min(size, end - b), 0, tilesH);
                firstBlock = false;
            }
        }

        /**
         * Tile rows {@code [thFrom, thTo)} of {@code count} images from image {@code b}: transform,
         * multiply and transform back, or for the filter gradient, add their share to the part's
         * partial (the first block of a part overwrites it).
         */
        private void block(int part, boolean firstBlock, int b, int count, int thFrom, int thTo) {
            int tiles = (thTo - thFrom) * tilesW;
            int columns = count * tiles;
            int vStride = ins * columns + WinogradTransforms.SLACK;
            int mStride = outs * columns + WinogradTransforms.SLACK;
            Scratch sc = scratch.get();
            float[] v = sc.atLeast(Scratch.INPUTS, 16 * vStride);
            float[] m = sc.atLeast(Scratch.PRODUCTS, 16 * mStride);
            int inPlane = h * w, outPlane = oh * ow;
            // Channel by channel, image by image: a vector that runs past a plane's last tile row
            // lands on a plane written after it (WinogradTransforms, "Layouts").
            for (int c = 0; c < ins; c++) {
                for (int i = 0; i < count; i++) {
                    WinogradTransforms.input(in, ((b + i) * ins + c) * inPlane, h, w, pad, thFrom, thTo, tilesW, sc.planes,
                            v, c * columns + i * tiles, vStride);
                }
            }
            if (filterGradient) {
                for (int o = 0; o < outs; o++) {
                    for (int i = 0; i < count; i++) {
                        WinogradTransforms.outputGradient(out, ((b + i) * outs + o) * outPlane, oh, ow, thFrom, thTo, tilesW,
                                sc.planes, m, o * columns + i * tiles, mStride);
                    }
                }
                // ∂L/∂U[ξ] (+)= ∂L/∂M[ξ] · V[ξ]ᵀ: [outs, columns] times [columns, ins].
                float[] partial = partials[part];
                for (int p = 0; p < 16; p++) {
                    gemm.gemm(false, true, outs, ins, columns, m, p * mStride, columns, v, p * vStride, columns,
                            partial, p * outs * ins, ins, !firstBlock);
                }
                return;
            }
            for (int p = 0; p < 16; p++) {
                gemm.gemmPackedA(packed[p], false, columns, v, p * vStride, columns, m, p * mStride, columns, false);
            }
            for (int o = 0; o < outs; o++) {
                float b0 = bias == null ? 0f : bias[o];
                for (int i = 0; i < count; i++) {
                    WinogradTransforms.output(m, o * columns + i * tiles, mStride, thFrom, thTo, tilesW, b0,
                            out, ((b + i) * outs + o) * outPlane, oh, ow, sc.atLeast(Scratch.ROWS, 4 * WinogradTransforms.vectorCeil(tilesW)));
                }
            }
        }
    }

    /** A thread's work arrays, reused by every part it runs, and its transform planes. */
    private static final class Scratch extends WorkArrays {
        /** The transformed inputs V of a block. */
        static final int INPUTS = 0;
        /** The 16 products M of a block (or, for the filter gradient, ∂L/∂M). */
        static final int PRODUCTS = 1;
        /** The four output rows of a tile row, before {@link WinogradTransforms#output} interleaves them. */
        static final int ROWS = 2;
        final WinogradTransforms.Planes planes = new WinogradTransforms.Planes();

        Scratch() {
            super(3);
        }
    }
}
