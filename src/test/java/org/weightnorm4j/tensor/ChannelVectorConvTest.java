package org.weightnorm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weightnorm4j.tensor.ConvChecks.assertBackwardDataMatchesReference;
import static org.weightnorm4j.tensor.ConvChecks.assertFilterGradientInBothModes;
import static org.weightnorm4j.tensor.ConvChecks.assertForwardMatchesReference;
import static org.weightnorm4j.tensor.ConvChecks.assertForwardSameAndFilterGradientRepeats;
import static org.weightnorm4j.tensor.ConvChecks.assertNanExactlyWhereRead;
import static org.weightnorm4j.tensor.Float32Fixtures.random;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.weightnorm4j.testing.TemporaryProperty;

/**
 * {@link ChannelVectorConv} (forward, input gradient, filter gradient) against the double
 * reference, called directly: 1, 3, 7, 17 input channels, output channels of one, two and three
 * pairs of vectors, planes of 1 to 33 pixels a side (pixel counts of 1, 7, 17 and 1023, none a
 * multiple of the tile's 6), stride 1 and 2, padding 0 to 2, batches that do not divide into the
 * parts. The tolerance is the sum's error bound: the reference on absolute values, times the
 * number of terms.
 */
class ChannelVectorConvTest {
    private static final int L = FloatVector.SPECIES_PREFERRED.length();

    record Case(int n, int c, int h, int w, int o, int stride, int pad, int k) {
        Case(int n, int c, int h, int w, int o, int stride, int pad) {
            this(n, c, h, w, o, stride, pad, 3);
        }

        int oh() {
            return (h + 2 * pad - k) / stride + 1;
        }

        int ow() {
            return (w + 2 * pad - k) / stride + 1;
        }

        ConvSpec spec() {
            return new ConvSpec(stride, pad);
        }

        @Override
        public String toString() {
            return "x[" + n + "," + c + "," + h + "," + w + "] w[" + o + "," + c + "," + k + "," + k + "] s" + stride + " p" + pad;
        }
    }

    static Stream<Case> cases() {
        int pair = 2 * L;
        List<Case> cases = new ArrayList<>(List.of(
                new Case(1, 1, 1, 1, pair, 1, 1),              // one pixel
                new Case(2, 7, 1, 7, pair, 1, 1),              // one row of 7
                new Case(3, 17, 17, 1, 2 * pair, 1, 1),        // one column of 17
                new Case(1, 3, 33, 31, pair, 1, 1),            // 1023 pixels
                new Case(13, 4, 5, 6, 3 * pair, 1, 1),         // batch not divisible by the parts; three pairs
                new Case(2, 5, 7, 7, pair, 1, 0),              // "valid"
                new Case(2, 3, 2, 9, pair, 1, 2),              // padding 2
                new Case(3, 17, 17, 17, pair, 2, 1),           // stride 2, odd plane
                new Case(2, 7, 8, 9, 2 * pair, 2, 0),
                new Case(2, 6, 4, 5, pair, 2, 2),
                new Case(2, 16, 28, 28, pair, 1, 1),           // the VAE's shapes (with AVX2's 8 lanes)
                new Case(2, 32, 7, 7, 2 * pair, 1, 1),
                new Case(2, 16, 28, 28, 2 * pair, 2, 1),
                new Case(2, 16, 28, 28, 2 * pair, 2, 1, 4),    // the VAE's transposed convolutions' input gradients
                new Case(3, 7, 14, 14, pair, 2, 1, 4),
                new Case(2, 17, 9, 7, pair, 1, 3, 4),          // 4x4, stride 1, padding 3
                new Case(1, 3, 4, 4, 3 * pair, 2, 0, 4)));     // one output pixel
        SplittableRandom rnd = new SplittableRandom(2026);
        for (int i = 0; i < 8; i++) {
            int pad = rnd.nextInt(3), stride = 1 + rnd.nextInt(2);
            int h = Math.max(3 - 2 * pad, 1) + rnd.nextInt(12), w = Math.max(3 - 2 * pad, 1) + rnd.nextInt(20);
            cases.add(new Case(1 + rnd.nextInt(5), 1 + rnd.nextInt(20), h, w, pair * (1 + rnd.nextInt(2)), stride, pad));
        }
        return cases.stream();
    }

    /**
     * One vector of output channels (16 with AVX-512's 16 lanes), stride 1, output rows a multiple
     * of 14 wide: the VAE's 16-channel layers, with padding 0, 1 and 2, one and many input
     * channels, and 1, 2 or 4 runs of 14 pixels per row. Empty with AVX2 (its 8 lanes keep this
     * shape in {@link #cases}' pairs).
     */
    static Stream<Case> oneVectorCases() {
        if (L < 16) {
            return Stream.empty();
        }
        return Stream.of(new Case(2, 16, 28, 28, L, 1, 1),         // the VAE's 16 -> 16
                new Case(3, 1, 1, 14, L, 1, 1),                     // one row, one channel
                new Case(1, 7, 5, 16, L, 1, 0),                     // "valid": 14 wide
                new Case(2, 3, 3, 12, L, 1, 2),                     // padding 2: 14 wide
                new Case(5, 17, 9, 56, L, 1, 1));                   // four runs per row; batch not divisible by the parts
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"cases", "oneVectorCases"})
    void forwardMatchesReference(Case cs) {
        SplittableRandom rnd = new SplittableRandom(cs.hashCode());
        Tensor x = random(rnd, cs.n(), cs.c(), cs.h(), cs.w());
        Tensor w = random(rnd, cs.o(), cs.c(), cs.k(), cs.k());
        Tensor bias = random(rnd, cs.o());
        Tensor y = random(rnd, cs.n(), cs.o(), cs.oh(), cs.ow());       // garbage that must be overwritten
        new ChannelVectorConv().forward(x.data(), w.data(), bias.data(), y.data(), cs.n(), cs.c(), cs.h(), cs.w(), cs.o(),
                cs.k(), cs.stride(), cs.pad());
        assertForwardMatchesReference("channel-vector forward " + cs, x, w, bias, y, cs.spec(), (long) cs.k() * cs.k() * cs.c() + 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"cases", "oneVectorCases"})
    void backwardDataMatchesReference(Case cs) {
        if (cs.stride() != 1 || cs.k() != 3) {
            return;                                                    // 3x3 stride 1 only (the caller routes the rest elsewhere)
        }
        if (cs.o() == L && L >= 16 && cs.w() % 14 != 0) {
            return;                                                    // one vector: dx's rows (16, 12 wide) are not runs of 14
        }
        // The input gradient's outputs are the forward's inputs: give it whole pairs of vectors.
        Case g = new Case(cs.n(), cs.o(), cs.h(), cs.w(), Math.max(1, cs.c()), 1, cs.pad());
        SplittableRandom rnd = new SplittableRandom(cs.hashCode() + 1);
        int c = cs.o(), o = cs.c();                                    // forward from c = pairs of vectors to o channels
        Tensor dy = random(rnd, g.n(), o, g.oh(), g.ow());
        Tensor w = random(rnd, o, c, 3, 3);
        Tensor dx = random(rnd, g.n(), c, g.h(), g.w());               // garbage that must be overwritten
        new ChannelVectorConv().backwardData(dy.data(), w.data(), dx.data(), g.n(), o, g.oh(), g.ow(), c, g.pad());
        assertBackwardDataMatchesReference("channel-vector backward-data " + cs, dy, w, dx, g.spec(), 9L * o);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"cases", "oneVectorCases", "oneVectorFilterCases"})
    void backwardFilterMatchesReferenceInBothModes(Case cs) {
        SplittableRandom rnd = new SplittableRandom(cs.hashCode() + 2);
        Tensor x = random(rnd, cs.n(), cs.c(), cs.h(), cs.w());
        Tensor dy = random(rnd, cs.n(), cs.o(), cs.oh(), cs.ow());
        Tensor start = random(rnd, cs.o(), cs.c(), cs.k(), cs.k());
        // Each part sums its images' pixels in float; the parts are added in double.
        long terms = (long) cs.n() * cs.oh() * cs.ow() + 1;
        assertFilterGradientInBothModes("channel-vector backward-filter " + cs, x, dy, start, cs.spec(), terms,
                (dw, accumulate) -> new ChannelVectorConv().backwardFilter(x.data(), dy.data(), dw, cs.n(), cs.c(), cs.h(), cs.w(),
                        cs.o(), cs.k(), cs.stride(), cs.pad(), accumulate));
    }

    /** The forward is the same sums whatever the thread count; the filter gradient is repeatable for each. */
    @Test
    void resultsDoNotDependOnTheThreadCountAndRepeat() {
        SplittableRandom rnd = new SplittableRandom(11);
        Case cs = new Case(11, 6, 9, 13, 2 * L, 2, 1);
        Tensor x = random(rnd, cs.n(), cs.c(), cs.h(), cs.w());
        Tensor w = random(rnd, cs.o(), cs.c(), 3, 3);
        Tensor dy = random(rnd, cs.n(), cs.o(), cs.oh(), cs.ow());
        assertForwardSameAndFilterGradientRepeats(new int[] {1, 2, 3, 4}, ChannelVectorConv::new,
                conv -> {
                    Tensor y = Tensor.zeros(cs.n(), cs.o(), cs.oh(), cs.ow());
                    conv.forward(x.data(), w.data(), null, y.data(), cs.n(), cs.c(), cs.h(), cs.w(), cs.o(), 3, cs.stride(), cs.pad());
                    return y.data();
                },
                conv -> {
                    Tensor dw = Tensor.zeros(w.shape());
                    conv.backwardFilter(x.data(), dy.data(), dw.data(), cs.n(), cs.c(), cs.h(), cs.w(), cs.o(), 3, cs.stride(), cs.pad(),
                            false);
                    return dw.data();
                });
    }

    /** A NaN in the input reaches every output that reads it and no other (the dropped pixels of the last tile included). */
    @Test
    void aNanReachesExactlyTheOutputsThatReadIt() {
        SplittableRandom rnd = new SplittableRandom(17);
        Case cs = new Case(2, 5, 7, 7, 2 * L, 1, 1);
        Tensor x = random(rnd, cs.n(), cs.c(), cs.h(), cs.w());
        Tensor w = random(rnd, cs.o(), cs.c(), 3, 3);
        int row = 6, col = 6;                                                          // the bottom-right corner
        x.set(((1 * cs.c() + 3) * cs.h() + row) * cs.w() + col, Float.NaN);
        Tensor y = Tensor.zeros(cs.n(), cs.o(), cs.oh(), cs.ow());
        new ChannelVectorConv().forward(x.data(), w.data(), null, y.data(), cs.n(), cs.c(), cs.h(), cs.w(), cs.o(), 3, 1, 1);
        assertNanExactlyWhereRead(y, 1, row, col);
    }

    @Test
    void refusesShapesItDoesNotServeWithAClearError() {
        ChannelVectorConv conv = new ChannelVectorConv();
        float[] any = new float[4096];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> conv.forward(any, any, null, any, 1, 1, 4, 4, 2 * L + 1, 3, 1, 1));
        assertTrue(e.getMessage().contains("output channels"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> conv.forward(any, any, null, any, 1, 1, 4, 4, 2 * L, 3, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> conv.forward(any, any, null, any, 1, 1, 4, 4, 2 * L, 5, 1, 1));
        assertTrue(ChannelVectorConv.worthItForFilter(2 * L, 4, 4, 2, 1), "4x4 filter gradient");
        assertFalse(ChannelVectorConv.worthIt(2 * L, 5, 5, 1, 1), "5x5");
        assertFalse(ChannelVectorConv.worthIt(2 * L, 3, 4, 1, 1), "3x4");
        assertFalse(ChannelVectorConv.worthIt(2 * L, 3, 3, 1, 3), "padding 3");
        assertTrue(ChannelVectorConv.worthIt(2 * L, 3, 3, 2, 1));
        // one vector of outputs: 16 lanes, 3x3, stride 1, rows a multiple of 14 wide
        assertEquals(L >= 16, ChannelVectorConv.worthItOneVector(L, 3, 3, 1, 1, 28));
        assertFalse(ChannelVectorConv.worthItOneVector(L, 3, 3, 1, 1, 13), "13 wide");
        assertFalse(ChannelVectorConv.worthItOneVector(L, 3, 3, 2, 1, 14), "stride 2");
        assertFalse(ChannelVectorConv.worthItOneVector(L, 4, 4, 1, 1, 14), "4x4");
        assertFalse(ChannelVectorConv.worthItOneVector(2 * L, 3, 3, 1, 1, 14), "two vectors: the pair tiles");
        assertFalse(ChannelVectorConv.worthItForFilter(L, 3, 3, 1, 1), "one vector: not the pairs' loops");
        assertEquals(L >= 16, ChannelVectorConv.worthItForFilterOneVector(L, 3, 3, 1, 1, 2));
        assertFalse(ChannelVectorConv.worthItForFilterOneVector(L, 3, 3, 1, 1, 1), "a one-pixel row");
        assertFalse(ChannelVectorConv.worthItForFilterOneVector(L, 3, 3, 2, 1, 14), "stride 2");
        IllegalArgumentException narrow = assertThrows(IllegalArgumentException.class,
                () -> conv.forward(any, any, null, any, 1, 1, 4, 13, L, 3, 1, 1));
        assertTrue(narrow.getMessage().contains("multiple of 14"), narrow.getMessage());
    }

    /** The backend's choice for the VAE's layers with AVX2's 8 lanes and AVX-512's 16, and that routing gives the kernel's bits. */
    @Test
    void theBackendRoutesTheVaeLayersHere() {
        Float32Kernels k = new Float32Kernels(new PanamaGemm(), true, true);
        ConvSpec same = new ConvSpec(1, 1), down = new ConvSpec(2, 1);
        if (L == 8 || L == 16) {
            // 16 channels: a pair of AVX2 vectors, one AVX-512 vector
            assertEquals(List.of("channel-vector", "channel-vector", "channel-vector"), k.convolutionAlgorithms(16, 16, 3, same, 28, 28));
            assertEquals(List.of("channel-vector", "channel-vector", "channel-vector"), k.convolutionAlgorithms(32, 32, 3, same, 14, 14));
            assertEquals(List.of("channel-vector", "channel-vector", "channel-vector"), k.convolutionAlgorithms(32, 32, 3, same, 7, 7));
            assertEquals(List.of("channel-vector", "channel-vector-phases", "channel-vector"),
                    k.convolutionAlgorithms(16, 32, 3, down, 28, 28));
            // the conv whose adjoint is ConvT(32 → 16, 4, s2, p1): its forward is the ConvT's input
            // gradient, its input gradient the ConvT's forward
            assertEquals(List.of("channel-vector", "channel-vector-phases", "channel-vector"),
                    k.convolutionAlgorithms(16, 32, 4, down, 28, 28));
        }
        // the cnn's wide layers and the VAE's one-channel ends stay where they were
        assertEquals(List.of("winograd", "winograd", "winograd"), k.convolutionAlgorithms(64, 64, 3, same, 28, 28));
        assertEquals(List.of("im2col", "direct", "direct"), k.convolutionAlgorithms(1, 16, 3, same, 28, 28));
        assertEquals(List.of("direct", "im2col", "direct"), k.convolutionAlgorithms(16, 1, 3, same, 28, 28));

        SplittableRandom rnd = new SplittableRandom(5);
        int o = 2 * L;
        Tensor x = random(rnd, 3, 16, 10, 12);
        Tensor w = random(rnd, o, 16, 3, 3);
        Tensor bias = random(rnd, o);
        Tensor called = Tensor.zeros(3, o, 5, 6), routed = Tensor.zeros(3, o, 5, 6);
        new ChannelVectorConv().forward(x.data(), w.data(), bias.data(), called.data(), 3, 16, 10, 12, o, 3, 2, 1);
        k.conv2dForward(x, w, bias, routed, down);
        assertArrayEquals(called.data(), routed.data());
    }

    /**
     * With 16 lanes the VAE's 16 -> 16 layer's forward and input gradient come here, with the
     * kernel's bits; {@code -Dweightnorm4j.channelvectorconv.onevector=false} sends them back to
     * Winograd (the bits of earlier builds, for resuming their runs).
     */
    @Test
    void oneVectorLayersComeHereUnlessSwitchedOff() throws Exception {
        if (L < 16) {
            return;                                        // AVX2: 16 channels are a pair of vectors (theBackendRoutesTheVaeLayersHere)
        }
        ConvSpec same = new ConvSpec(1, 1);
        SplittableRandom rnd = new SplittableRandom(21);
        Tensor x = random(rnd, 3, 16, 28, 28);
        Tensor w = random(rnd, 16, 16, 3, 3);
        Tensor called = Tensor.zeros(3, 16, 28, 28), routed = Tensor.zeros(3, 16, 28, 28);
        new ChannelVectorConv().forward(x.data(), w.data(), null, called.data(), 3, 16, 28, 28, 16, 3, 1, 1);
        Float32Kernels on = new Float32Kernels(new PanamaGemm(), true, true);
        on.conv2dForward(x, w, routed, same);
        assertArrayEquals(called.data(), routed.data());

        TemporaryProperty.with(Float32Conv.CHANNEL_VECTOR_ONE_VECTOR_PROPERTY, "false", () -> {
            Float32Kernels off = new Float32Kernels(new PanamaGemm(), true, true);
            assertEquals(List.of("winograd", "winograd", "direct"), off.convolutionAlgorithms(16, 16, 3, same, 28, 28));
            assertEquals("im2col", off.convolutionAlgorithms(16, 32, 4, new ConvSpec(2, 1), 28, 28).get(1));
            assertEquals(List.of("channel-vector", "channel-vector", "channel-vector"), off.convolutionAlgorithms(32, 32, 3, same, 14, 14));
        });
    }

    /**
     * Each forward output is exactly the float FMA chain over input channels, then taps, from
     * zero, whichever tile computed it: the one-block tile (2L channels, 4 pixels) and the 2x6
     * tile (3 pairs) on pixel counts that are multiples of neither 4 nor 6 (7x5, and 3x3 at
     * stride 2 with padding 2), and with 16 lanes the 7-pixel and one-vector 14-pixel tiles that
     * take a filter row at a time; so changing the tile changes no bit (docs/KERNELS.md, "The
     * 16-channel tile").
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("exactCases")
    void everyTileSumsInTheDocumentedOrderBitForBit(Case cs) {
        SplittableRandom rnd = new SplittableRandom(11);
        Tensor x = random(rnd, cs.n(), cs.c(), cs.h(), cs.w());
        Tensor w = random(rnd, cs.o(), cs.c(), 3, 3);
        int oh = (cs.h() + 2 * cs.pad() - 3) / cs.stride() + 1, ow = (cs.w() + 2 * cs.pad() - 3) / cs.stride() + 1;
        float[] y = new float[cs.n() * cs.o() * oh * ow];
        new ChannelVectorConv().forward(x.data(), w.data(), null, y, cs.n(), cs.c(), cs.h(), cs.w(), cs.o(), 3, cs.stride(), cs.pad());
        float[] xd = x.data(), wd = w.data();
        for (int b = 0; b < cs.n(); b++) {
            for (int o = 0; o < cs.o(); o++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        float acc = 0f;
                        for (int c = 0; c < cs.c(); c++) {
                            for (int t = 0; t < 9; t++) {
                                int iy = oy * cs.stride() - cs.pad() + t / 3, ix = ox * cs.stride() - cs.pad() + t % 3;
                                boolean inside = iy >= 0 && iy < cs.h() && ix >= 0 && ix < cs.w();
                                float xv = inside ? xd[((b * cs.c() + c) * cs.h() + iy) * cs.w() + ix] : 0f;
                                acc = Math.fma(wd[(o * cs.c() + c) * 9 + t], xv, acc);
                            }
                        }
                        int at = ((b * cs.o() + o) * oh + oy) * ow + ox;
                        float want = acc + 0f;                    // + the absent bias, as the kernel adds it
                        assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(y[at]),
                                () -> cs + ": output " + at + " is " + y[at] + ", the chain gives " + want);
                    }
                }
            }
        }
    }

    /**
     * Each filter-gradient element of one image (one part) is exactly the float FMA chain over the
     * output pixels in row-major order, from zero, whichever loop computed it: the two-row loop
     * (rows 0 and 1), the row-pair loop (row 2 of input channels c and c + 1) and the single-row
     * loop (row 2 of an odd last channel), for 16 and 32 output channels, odd and even input
     * channel counts, stride 1 and 2; with 16 lanes also the one-vector sliding loop.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("exactFilterCases")
    void theFilterGradientSumsInTheDocumentedOrderBitForBit(Case cs) {
        SplittableRandom rnd = new SplittableRandom(12);
        Tensor x = random(rnd, cs.n(), cs.c(), cs.h(), cs.w());
        Tensor dy = random(rnd, cs.n(), cs.o(), cs.oh(), cs.ow());
        float[] dw = new float[cs.o() * cs.c() * 9];
        new ChannelVectorConv().backwardFilter(x.data(), dy.data(), dw, cs.n(), cs.c(), cs.h(), cs.w(), cs.o(), 3, cs.stride(),
                cs.pad(), false);
        float[] xd = x.data(), dd = dy.data();
        int oh = cs.oh(), ow = cs.ow();
        for (int o = 0; o < cs.o(); o++) {
            for (int c = 0; c < cs.c(); c++) {
                for (int t = 0; t < 9; t++) {
                    float acc = 0f;
                    for (int oy = 0; oy < oh; oy++) {
                        for (int ox = 0; ox < ow; ox++) {
                            int iy = oy * cs.stride() - cs.pad() + t / 3, ix = ox * cs.stride() - cs.pad() + t % 3;
                            boolean inside = iy >= 0 && iy < cs.h() && ix >= 0 && ix < cs.w();
                            float xv = inside ? xd[(c * cs.h() + iy) * cs.w() + ix] : 0f;
                            acc = Math.fma(dd[(o * oh + oy) * ow + ox], xv, acc);
                        }
                    }
                    int at = (o * cs.c() + c) * 9 + t;
                    float want = acc;
                    assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(dw[at]),
                            () -> cs + ": dw " + at + " is " + dw[at] + ", the chain gives " + want);
                }
            }
        }
    }

    static Stream<Case> exactFilterCases() {
        int pair = 2 * L;
        return Stream.concat(Stream.of(new Case(1, 5, 7, 5, pair, 1, 1), new Case(1, 4, 7, 5, 2 * pair, 1, 1),
                new Case(1, 1, 3, 3, pair, 1, 1), new Case(1, 3, 9, 9, 2 * pair, 2, 1), new Case(1, 16, 14, 14, pair, 1, 1)),
                oneVectorFilterCases().filter(cs -> cs.n() == 1));
    }

    /**
     * The one-vector filter gradient's own shapes (16 lanes; stride 1, rows of any width from 2):
     * rows 2, 3 and 11 wide (the sliding window's first and last two pixels written out), padding
     * 0 to 2, the VAE's 16 -> 16, and a batch that does not divide into the parts.
     */
    static Stream<Case> oneVectorFilterCases() {
        if (L < 16) {
            return Stream.empty();
        }
        return Stream.of(new Case(1, 5, 3, 2, L, 1, 1), new Case(1, 3, 4, 5, L, 1, 0), new Case(1, 4, 6, 9, L, 1, 2),
                new Case(1, 16, 28, 28, L, 1, 1), new Case(7, 9, 5, 13, L, 1, 1));
    }

    /** Adds, with 16 lanes, the 7-pixel tile (rows 7 and 14 wide) and the one-vector 14-pixel tile (rows 14 and 28 wide). */
    static Stream<Case> exactCases() {
        int pair = 2 * L;
        return Stream.concat(Stream.of(new Case(3, 5, 7, 5, pair, 1, 1), new Case(3, 5, 7, 5, 3 * pair, 1, 1),
                new Case(2, 3, 3, 3, pair, 2, 2), new Case(2, 3, 3, 3, 3 * pair, 2, 2),
                new Case(2, 5, 7, 7, pair, 1, 1), new Case(2, 4, 3, 14, pair, 1, 1)), oneVectorCases());
    }
}
