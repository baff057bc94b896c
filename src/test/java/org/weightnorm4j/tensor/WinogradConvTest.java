package org.weightnorm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weightnorm4j.tensor.Float32Fixtures.assertWithinSumBound;
import static org.weightnorm4j.tensor.Float32Fixtures.random;
import static org.weightnorm4j.tensor.Float32Fixtures.toDouble;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Winograd's F(2x2, 3x3) convolutions ({@link WinogradConv}: forward, input gradient, filter
 * gradient) against the double reference, on
 * awkward shapes (1, 7, 17 channels; planes of 1, 2, 7, 17 pixels; odd outputs, whose last tiles
 * stick out) as well as the cnn's. Called directly, so the shapes that {@link WinogradConv#worthIt}
 * leaves to im2col are covered too.
 *
 * <p>The tolerance is the forward error bound of the algorithm itself, {@link #bound}: the sum of
 * the absolute values of every term the transforms add, times {@code C + 8} roundings on the
 * longest path (filter transform 1, input transform 2, the product's sum over C channels, output
 * transform 4, bias 1). It is not the direct convolution's bound: the transforms add and subtract
 * terms that cancel exactly in real arithmetic, and their rounding errors do not.
 */
class WinogradConvTest {
    /** |Bᵀ|, |G| and |Aᵀ| of F(2x2, 3x3) (WinogradTransforms), for the error bound. */
    private static final double[][] BT = {{1, 0, 1, 0}, {0, 1, 1, 0}, {0, 1, 1, 0}, {0, 1, 0, 1}};
    private static final double[][] G = {{1, 0, 0}, {.5, .5, .5}, {.5, .5, .5}, {0, 0, 1}};
    private static final double[][] AT = {{1, 1, 1, 0}, {0, 1, 1, 1}};

    record Case(int n, int c, int h, int w, int o, int pad) {
        int oh() {
            return h + 2 * pad - 2;
        }

        int ow() {
            return w + 2 * pad - 2;
        }

        @Override
        public String toString() {
            return "x[" + n + "," + c + "," + h + "," + w + "] w[" + o + "," + c + ",3,3] p" + pad;
        }
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>(List.of(
                new Case(1, 1, 1, 1, 1, 1),        // one pixel, one tile that is mostly outside
                new Case(1, 1, 3, 3, 1, 0),        // one output
                new Case(2, 7, 7, 7, 17, 1),       // odd plane: half tiles at the right and bottom
                new Case(3, 17, 17, 17, 7, 1),
                new Case(2, 17, 2, 9, 3, 2),       // padding 2, as the input gradient of a "valid" 3x3
                new Case(3, 5, 7, 7, 6, 0),        // the cnn's "valid" 7x7 -> 5x5
                new Case(2, 3, 1, 17, 2, 1),       // one-row plane
                new Case(5, 16, 14, 14, 16, 1),    // like the cnn's 14x14 layers, several images per group
                new Case(2, 19, 28, 28, 16, 1),    // 28x28: two vectors per tile row
                new Case(13, 4, 5, 6, 3, 1),       // batch not divisible by the part count
                new Case(1, 33, 8, 40, 9, 1),      // 20 tiles per row: a vector and a partial one
                // planes of at least GROUP_TILES tiles go a band of tile rows at a time
                new Case(2, 16, 32, 32, 16, 1),    // 256 tiles: one band, as paper-cifar's 32x32 layers
                new Case(1, 17, 34, 34, 16, 1),    // 289 tiles: bands of 9 and 8 tile rows
                new Case(2, 16, 47, 45, 3, 2)));   // 49x47 output, 600 tiles: three bands, the last tile row half out
        SplittableRandom rnd = new SplittableRandom(2016_0225);
        for (int i = 0; i < 10; i++) {
            int pad = rnd.nextInt(3);
            int h = Math.max(3 - 2 * pad, 1) + rnd.nextInt(12), w = Math.max(3 - 2 * pad, 1) + rnd.nextInt(20);
            cases.add(new Case(1 + rnd.nextInt(5), 1 + rnd.nextInt(20), h, w, 1 + rnd.nextInt(20), pad));
        }
        return cases.stream();
    }

    static Stream<Arguments> casesTimesGemms() {
        return cases().flatMap(c -> Stream.of(Arguments.of(c, new PanamaGemm()),
                Arguments.of(c, Float32Fixtures.REFERENCE_GEMM)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("casesTimesGemms")
    void forwardMatchesReference(Case cs, GemmKernel gemm) {
        SplittableRandom rnd = new SplittableRandom(cs.hashCode());
        Tensor x = random(rnd, cs.n(), cs.c(), cs.h(), cs.w());
        Tensor w = random(rnd, cs.o(), cs.c(), 3, 3);
        Tensor bias = random(rnd, cs.o());
        Tensor y = random(rnd, cs.n(), cs.o(), cs.oh(), cs.ow());       // garbage that must be overwritten
        new WinogradConv(gemm).forward(x.data(), w.data(), bias.data(), y.data(), cs.n(), cs.c(), cs.h(), cs.w(), cs.o(),
                cs.pad(), cs.oh(), cs.ow());

        ConvSpec spec = new ConvSpec(1, cs.pad());
        Tensor direct = Tensor.zeros(DType.FLOAT64, y.shape());
        ReferenceKernels.INSTANCE.conv2dForward(toDouble(x), toDouble(w), direct, spec);
        Tensor expected = Tensor.zeros(DType.FLOAT64, y.shape());
        ReferenceKernels.INSTANCE.channelScaleShift(direct, null, toDouble(bias), expected);
        assertWithinSumBound("winograd forward " + cs, expected, y, bound(x, w, false, bias, cs.pad(), cs.oh(), cs.ow()),
                cs.c() + 8);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("casesTimesGemms")
    void backwardDataMatchesReference(Case cs, GemmKernel gemm) {
        SplittableRandom rnd = new SplittableRandom(cs.hashCode() + 1);
        Tensor dy = random(rnd, cs.n(), cs.o(), cs.oh(), cs.ow());
        Tensor w = random(rnd, cs.o(), cs.c(), 3, 3);
        Tensor dx = random(rnd, cs.n(), cs.c(), cs.h(), cs.w());        // garbage that must be overwritten
        new WinogradConv(gemm).backwardData(dy.data(), w.data(), dx.data(), cs.n(), cs.o(), cs.oh(), cs.ow(), cs.c(),
                cs.pad(), cs.h(), cs.w());

        Tensor expected = Tensor.zeros(DType.FLOAT64, dx.shape());
        ReferenceKernels.INSTANCE.conv2dBackwardData(toDouble(dy), toDouble(w), expected, new ConvSpec(1, cs.pad()));
        assertWithinSumBound("winograd backward-data " + cs, expected, dx, bound(dy, w, true, null, 2 - cs.pad(), cs.h(), cs.w()),
                cs.o() + 8);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("casesTimesGemms")
    void backwardFilterMatchesReferenceInBothModes(Case cs, GemmKernel gemm) {
        SplittableRandom rnd = new SplittableRandom(cs.hashCode() + 2);
        Tensor x = random(rnd, cs.n(), cs.c(), cs.h(), cs.w());
        Tensor dy = random(rnd, cs.n(), cs.o(), cs.oh(), cs.ow());
        Tensor start = random(rnd, cs.o(), cs.c(), 3, 3);
        ConvSpec spec = new ConvSpec(1, cs.pad());
        Tensor bound = filterBound(x, dy, cs.pad());
        // The sum over every tile of every image, the partials of up to 4·threads parts, and the transforms.
        long terms = (long) cs.n() * ((cs.oh() + 1) / 2) * ((cs.ow() + 1) / 2) + 4L * Parallel.threads() + 8;

        Tensor overwritten = start.copy();
        new WinogradConv(gemm).backwardFilter(x.data(), dy.data(), overwritten.data(), cs.n(), cs.c(), cs.h(), cs.w(), cs.o(),
                cs.pad(), cs.oh(), cs.ow(), false);
        Tensor expected = Tensor.zeros(DType.FLOAT64, start.shape());
        ReferenceKernels.INSTANCE.conv2dBackwardFilter(toDouble(x), toDouble(dy), expected, spec, false);
        assertWithinSumBound("winograd backward-filter " + cs, expected, overwritten, bound, terms);

        Tensor accumulated = start.copy();
        new WinogradConv(gemm).backwardFilter(x.data(), dy.data(), accumulated.data(), cs.n(), cs.c(), cs.h(), cs.w(), cs.o(),
                cs.pad(), cs.oh(), cs.ow(), true);
        Tensor expectedAcc = toDouble(start);
        ReferenceKernels.INSTANCE.conv2dBackwardFilter(toDouble(x), toDouble(dy), expectedAcc, spec, true);
        Tensor boundAcc = Float32Fixtures.abs(start);
        for (int i = 0; i < boundAcc.size(); i++) {
            boundAcc.set(i, boundAcc.get(i) + bound.get(i));
        }
        assertWithinSumBound("winograd backward-filter (accumulate) " + cs, expectedAcc, accumulated, boundAcc, terms + 1);
    }

    /**
     * A NaN in the input is never lost: every output whose 3x3 window covers it is NaN (so the
     * trainer's non-finite guard sees it), the NaN stays within the tiles that read it (at most
     * one tile beyond the window), and the other images are untouched. Likewise for the gradients.
     */
    @Test
    void aNanInTheInputReachesEveryOutputThatReadsItAndNoFarOne() {
        SplittableRandom rnd = new SplittableRandom(17);
        Case cs = new Case(2, 16, 12, 12, 16, 1);
        Tensor x = random(rnd, cs.n(), cs.c(), cs.h(), cs.w());
        Tensor w = random(rnd, cs.o(), cs.c(), 3, 3);
        int row = 5, col = 6;
        x.set(((1 * cs.c() + 3) * cs.h() + row) * cs.w() + col, Float.NaN);         // image 1, channel 3
        Tensor y = Tensor.zeros(cs.n(), cs.o(), cs.oh(), cs.ow());
        new WinogradConv(new PanamaGemm()).forward(x.data(), w.data(), null, y.data(), cs.n(), cs.c(), cs.h(), cs.w(), cs.o(),
                cs.pad(), cs.oh(), cs.ow());
        for (int b = 0; b < cs.n(); b++) {
            for (int o = 0; o < cs.o(); o++) {
                for (int i = 0; i < cs.oh(); i++) {
                    for (int j = 0; j < cs.ow(); j++) {
                        double v = y.get(((b * cs.o() + o) * cs.oh() + i) * cs.ow() + j);
                        boolean reads = b == 1 && Math.abs(i - row) <= 1 && Math.abs(j - col) <= 1;
                        // Tile (i/2, j/2) reads input rows 2(i/2) − 1 .. 2(i/2) + 2, the same for columns.
                        boolean tileReads = b == 1 && row >= 2 * (i / 2) - 1 && row <= 2 * (i / 2) + 2
                                && col >= 2 * (j / 2) - 1 && col <= 2 * (j / 2) + 2;
                        if (reads) {
                            assertTrue(Double.isNaN(v), "output " + b + "," + o + "," + i + "," + j + " reads the NaN: " + v);
                        } else if (!tileReads) {
                            assertTrue(Double.isFinite(v), "output " + b + "," + o + "," + i + "," + j + " is far from it: " + v);
                        }
                    }
                }
            }
        }
        Tensor dy = random(rnd, cs.n(), cs.o(), cs.oh(), cs.ow());
        Tensor dw = Tensor.zeros(w.shape());
        new WinogradConv(new PanamaGemm()).backwardFilter(x.data(), dy.data(), dw.data(), cs.n(), cs.c(), cs.h(), cs.w(),
                cs.o(), cs.pad(), cs.oh(), cs.ow(), false);
        for (int o = 0; o < cs.o(); o++) {
            assertTrue(Double.isNaN(dw.get((o * cs.c() + 3) * 9 + 4)), "the centre tap of channel 3 of filter " + o);
        }
    }

    /** Each output is the same sum whatever the thread count and the grouping of images. */
    @Test
    void resultsDoNotDependOnTheThreadCount() {
        SplittableRandom rnd = new SplittableRandom(11);
        Case cs = new Case(11, 16, 9, 13, 17, 1);
        Tensor x = random(rnd, cs.n(), cs.c(), cs.h(), cs.w());
        Tensor w = random(rnd, cs.o(), cs.c(), 3, 3);
        int saved = Parallel.threads();
        try {
            float[] first = null;
            for (int threads : new int[] {1, 2, 3, 4}) {
                Parallel.setThreads(threads);
                Tensor y = Tensor.zeros(cs.n(), cs.o(), cs.oh(), cs.ow());
                new WinogradConv(new PanamaGemm()).forward(x.data(), w.data(), null, y.data(), cs.n(), cs.c(), cs.h(),
                        cs.w(), cs.o(), cs.pad(), cs.oh(), cs.ow());
                if (first == null) {
                    first = y.data();
                } else {
                    assertArrayEquals(first, y.data(), "threads " + threads);
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /**
     * The float32 backend sends a convolution that {@link WinogradConv#worthIt} takes to it (the
     * same bits as calling it directly), and keeps it on im2col when switched off
     * ({@code -Dweightnorm4j.winograd=false}).
     */
    @Test
    void theBackendRoutesWorthwhileConvolutionsToWinograd() {
        SplittableRandom rnd = new SplittableRandom(5);
        // 40 channels: past ChannelVectorConv's 32, which takes 16 → 16 and 32 → 32 on small planes
        Case cs = new Case(3, 40, 12, 10, 40, 1);
        ConvSpec spec = new ConvSpec(1, cs.pad());
        Tensor x = random(rnd, cs.n(), cs.c(), cs.h(), cs.w());
        Tensor w = random(rnd, cs.o(), cs.c(), 3, 3);
        Tensor bias = random(rnd, cs.o());
        Tensor direct = Tensor.zeros(cs.n(), cs.o(), cs.oh(), cs.ow());
        new WinogradConv(new PanamaGemm()).forward(x.data(), w.data(), bias.data(), direct.data(), cs.n(), cs.c(), cs.h(),
                cs.w(), cs.o(), cs.pad(), cs.oh(), cs.ow());
        Tensor routed = Tensor.zeros(direct.shape());
        new Float32Kernels(new PanamaGemm(), true, true).conv2dForward(x, w, bias, routed, spec);
        assertArrayEquals(direct.data(), routed.data(), "forward through the backend");
        Tensor im2col = Tensor.zeros(direct.shape());
        new Float32Kernels(new PanamaGemm(), true, false).conv2dForward(x, w, bias, im2col, spec);
        assertFalse(java.util.Arrays.equals(direct.data(), im2col.data()), "switched off, the sums are the direct ones");

        Tensor dy = random(rnd, cs.n(), cs.o(), cs.oh(), cs.ow());
        Tensor dxDirect = Tensor.zeros(x.shape());
        new WinogradConv(new PanamaGemm()).backwardData(dy.data(), w.data(), dxDirect.data(), cs.n(), cs.o(), cs.oh(),
                cs.ow(), cs.c(), cs.pad(), cs.h(), cs.w());
        Tensor dxRouted = Tensor.zeros(x.shape());
        new Float32Kernels(new PanamaGemm(), true, true).conv2dBackwardData(dy, w, dxRouted, spec);
        assertArrayEquals(dxDirect.data(), dxRouted.data(), "backward-data through the backend");
    }

    @Test
    void worthItTakesTheCnnLayersAndLeavesTheRest() {
        // the cnn's "same" 3x3 layers on 28x28 and 14x14 (their input gradients have the same shape)
        assertTrue(WinogradConv.worthIt(64, 64, 3, 3, 1, 1, 28, 28));
        assertTrue(WinogradConv.worthIt(64, 128, 3, 3, 1, 1, 14, 14));
        assertTrue(WinogradConv.worthIt(192, 192, 3, 3, 1, 0, 6, 6), "paper-cifar's 8x8 -> 6x6 \"valid\"");
        assertFalse(WinogradConv.worthIt(128, 128, 3, 3, 1, 0, 5, 5), "the cnn's 7x7 -> 5x5: 225 against 144, measured slower");
        assertFalse(WinogradConv.worthIt(128, 128, 3, 3, 1, 2, 7, 7), "its input gradient: 441 against 256");
        assertFalse(WinogradConv.worthIt(1, 64, 3, 3, 1, 1, 28, 28), "the first layer: one input channel");
        assertFalse(WinogradConv.worthIt(64, 64, 3, 3, 2, 1, 14, 14), "stride 2");
        assertFalse(WinogradConv.worthIt(64, 64, 5, 5, 1, 2, 28, 28), "5x5");
        assertFalse(WinogradConv.worthIt(64, 64, 1, 1, 1, 0, 28, 28), "1x1");
        assertFalse(WinogradConv.worthIt(64, 64, 3, 3, 1, 3, 28, 28), "padding 3");
        assertFalse(WinogradConv.worthIt(64, 64, 3, 3, 1, 1, 1, 1), "one output: 9 against 16 multiply-adds");
        assertFalse(WinogradConv.worthIt(64, 64, 3, 3, 1, 1, 3, 3), "3x3 outputs: 81 against 64");
    }

    /**
     * Σ of the absolute values of the terms of each output as F(2x2, 3x3) computes it:
     * {@code |Aᵀ| [ (|G| |g| |G|ᵀ) ⊙ (|Bᵀ| |d| |B|) ] |A|} summed over the input channels, plus
     * |bias|. {@code flipped}: w is {@code [in, out, 3, 3]} seen flipped, as for the input gradient.
     */
    static Tensor bound(Tensor in, Tensor w, boolean flipped, Tensor bias, int pad, int oh, int ow) {
        int n = in.dim(0), ins = in.dim(1);
        int outs = flipped ? w.dim(1) : w.dim(0);
        Tensor bound = Tensor.zeros(DType.FLOAT64, n, outs, oh, ow);
        double[][][] u = new double[outs][ins][];
        for (int o = 0; o < outs; o++) {
            for (int c = 0; c < ins; c++) {
                double[][] g = new double[3][3];
                for (int a = 0; a < 3; a++) {
                    for (int b = 0; b < 3; b++) {
                        g[a][b] = Math.abs(flipped ? w.get(((c * outs + o) * 3 + 2 - a) * 3 + 2 - b)
                                : w.get(((o * ins + c) * 3 + a) * 3 + b));
                    }
                }
                u[o][c] = flatten(multiply(multiply(G, g), transpose(G)));
            }
        }
        for (int b = 0; b < n; b++) {
            for (int th = 0; th < (oh + 1) / 2; th++) {
                for (int tw = 0; tw < (ow + 1) / 2; tw++) {
                    double[][] v = new double[ins][];
                    for (int c = 0; c < ins; c++) {
                        v[c] = absInputTransform(in, b, c, th, tw, pad);
                    }
                    for (int o = 0; o < outs; o++) {
                        double[][] mm = new double[4][4];
                        for (int c = 0; c < ins; c++) {
                            for (int p = 0; p < 16; p++) {
                                mm[p / 4][p % 4] += u[o][c][p] * v[c][p];
                            }
                        }
                        double[][] yy = multiply(multiply(AT, mm), transpose(AT));
                        for (int a = 0; a < 2 && 2 * th + a < oh; a++) {
                            for (int s = 0; s < 2 && 2 * tw + s < ow; s++) {
                                double extra = bias == null ? 0 : Math.abs(bias.get(o));
                                bound.set(((b * outs + o) * oh + 2 * th + a) * ow + 2 * tw + s, yy[a][s] + extra);
                            }
                        }
                    }
                }
            }
        }
        return bound;
    }

    /**
     * Σ of the absolute values of the terms of each filter gradient as the algorithm computes it:
     * {@code |Gᵀ| [ Σ_tiles (|A| |dY| |Aᵀ|) ⊙ (|Bᵀ| |d| |B|) ] |G|}.
     */
    static Tensor filterBound(Tensor x, Tensor dy, int pad) {
        int n = x.dim(0), c = x.dim(1);
        int o = dy.dim(1), oh = dy.dim(2), ow = dy.dim(3);
        double[][][] du = new double[o][c][16];
        for (int b = 0; b < n; b++) {
            for (int th = 0; th < (oh + 1) / 2; th++) {
                for (int tw = 0; tw < (ow + 1) / 2; tw++) {
                    double[][] v = new double[c][];
                    for (int ch = 0; ch < c; ch++) {
                        v[ch] = absInputTransform(x, b, ch, th, tw, pad);
                    }
                    for (int oc = 0; oc < o; oc++) {
                        double[][] g = new double[2][2];
                        for (int a = 0; a < 2; a++) {
                            for (int s = 0; s < 2; s++) {
                                int y = 2 * th + a, xx = 2 * tw + s;
                                g[a][s] = y < oh && xx < ow ? Math.abs(dy.get(((b * o + oc) * oh + y) * ow + xx)) : 0;
                            }
                        }
                        double[] dm = flatten(multiply(multiply(transpose(AT), g), AT));
                        for (int ch = 0; ch < c; ch++) {
                            for (int p = 0; p < 16; p++) {
                                du[oc][ch][p] += dm[p] * v[ch][p];
                            }
                        }
                    }
                }
            }
        }
        Tensor bound = Tensor.zeros(DType.FLOAT64, o, c, 3, 3);
        for (int oc = 0; oc < o; oc++) {
            for (int ch = 0; ch < c; ch++) {
                double[][] u = new double[4][4];
                for (int p = 0; p < 16; p++) {
                    u[p / 4][p % 4] = du[oc][ch][p];
                }
                double[][] g = multiply(multiply(transpose(G), u), G);
                for (int a = 0; a < 3; a++) {
                    for (int s = 0; s < 3; s++) {
                        bound.set(((oc * c + ch) * 3 + a) * 3 + s, g[a][s]);
                    }
                }
            }
        }
        return bound;
    }

    /** {@code |Bᵀ| |d| |B|} for the 4x4 input tile (th, tw) of channel c of image b, padded by {@code pad}. */
    private static double[] absInputTransform(Tensor in, int b, int c, int th, int tw, int pad) {
        int ins = in.dim(1), h = in.dim(2), width = in.dim(3);
        double[][] d = new double[4][4];
        for (int r = 0; r < 4; r++) {
            for (int s = 0; s < 4; s++) {
                int y = 2 * th + r - pad, x = 2 * tw + s - pad;
                d[r][s] = y >= 0 && y < h && x >= 0 && x < width ? Math.abs(in.get(((b * ins + c) * h + y) * width + x)) : 0;
            }
        }
        return flatten(multiply(multiply(BT, d), transpose(BT)));
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b[0].length; j++) {
                for (int k = 0; k < b.length; k++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }

    private static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    private static double[] flatten(double[][] a) {
        double[] f = new double[16];
        for (int i = 0; i < 4; i++) {
            System.arraycopy(a[i], 0, f, 4 * i, 4);
        }
        return f;
    }
}
