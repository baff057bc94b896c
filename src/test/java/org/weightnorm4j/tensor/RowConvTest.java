package org.weightnorm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weightnorm4j.tensor.ConvChecks.assertFilterGradientInBothModes;
import static org.weightnorm4j.tensor.ConvChecks.assertForwardMatchesReference;
import static org.weightnorm4j.tensor.ConvChecks.assertForwardSameAndFilterGradientRepeats;
import static org.weightnorm4j.tensor.Float32Fixtures.random;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The row-vector 3x3 convolutions ({@link RowConv}: forward and filter gradient) against the
 * double reference on awkward shapes with 8-pixel output rows: 1 to 17 channels (whole blocks of
 * four outputs and remainders), odd output heights (the last row outside a pair), padding 0 to 2,
 * batches that do not divide into the parts, and MinAtar's DQN layer. The tolerance is the direct
 * sum's error bound (the reference on absolute values times the number of terms).
 */
class RowConvTest {
    static Stream<WinogradConvTest.Case> cases() {
        return Stream.of(
                new WinogradConvTest.Case(1, 1, 3, 10, 4, 0),      // one output row
                new WinogradConvTest.Case(3, 4, 10, 10, 16, 0),    // the DQN layer (Breakout)
                new WinogradConvTest.Case(2, 10, 10, 10, 16, 0),   // Seaquest's 10 channels
                new WinogradConvTest.Case(5, 3, 9, 8, 4, 1),       // 9 output rows: one outside the pairs
                new WinogradConvTest.Case(2, 7, 8, 8, 5, 1),       // one block of four outputs and one left
                new WinogradConvTest.Case(2, 16, 6, 6, 32, 2),     // padding 2, the largest channel counts
                new WinogradConvTest.Case(3, 10, 11, 10, 17, 0),   // odd rows and a remainder channel
                new WinogradConvTest.Case(13, 2, 10, 10, 6, 0),    // batch not divisible by the parts
                new WinogradConvTest.Case(1, 1, 1, 8, 7, 1));      // a one-row image, padded
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardMatchesReference(WinogradConvTest.Case cs) {
        assertRowForwardMatchesReference("row", new RowConv(), cs);
    }

    /** {@code conv}'s forward, with and without a bias, against the double reference on case {@code cs}. */
    static void assertRowForwardMatchesReference(String label, RowConvolution conv, WinogradConvTest.Case cs) {
        SplittableRandom rnd = new SplittableRandom(cs.hashCode());
        Tensor x = random(rnd, cs.n(), cs.c(), cs.h(), cs.w());
        Tensor w = random(rnd, cs.o(), cs.c(), 3, 3);
        Tensor bias = random(rnd, cs.o());
        Tensor y = random(rnd, cs.n(), cs.o(), cs.oh(), cs.ow());       // garbage that must be overwritten
        conv.forward(x.data(), w.data(), bias.data(), y.data(), cs.n(), cs.c(), cs.h(), cs.w(), cs.o(), cs.pad());
        ConvSpec spec = new ConvSpec(1, cs.pad());
        assertForwardMatchesReference(label + " forward " + cs, x, w, bias, y, spec, 9L * cs.c() + 1);

        Tensor noBias = Tensor.zeros(y.shape());
        conv.forward(x.data(), w.data(), null, noBias.data(), cs.n(), cs.c(), cs.h(), cs.w(), cs.o(), cs.pad());
        assertForwardMatchesReference(label + " forward without bias " + cs, x, w, null, noBias, spec, 9L * cs.c() + 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void backwardFilterMatchesReferenceInBothModes(WinogradConvTest.Case cs) {
        SplittableRandom rnd = new SplittableRandom(cs.hashCode() + 2);
        Tensor x = random(rnd, cs.n(), cs.c(), cs.h(), cs.w());
        Tensor dy = random(rnd, cs.n(), cs.o(), cs.oh(), cs.ow());
        Tensor start = random(rnd, cs.o(), cs.c(), 3, 3);
        long terms = (long) cs.n() * cs.oh() + 8;        // each lane sums its column of every row in float
        assertFilterGradientInBothModes("row backward-filter " + cs, x, dy, start, new ConvSpec(1, cs.pad()), terms,
                (dw, accumulate) -> new RowConv().backwardFilter(x.data(), dy.data(), dw, cs.n(), cs.c(), cs.h(), cs.w(), cs.o(),
                        cs.pad(), accumulate));
    }

    /**
     * The forward is the im2col GEMM's sum in the GEMM's order (channels, filter rows, filter
     * columns, one fused multiply-add at a time, then the bias), so the two agree bit for bit.
     */
    @Test
    void forwardHasTheBitsOfTheIm2colProduct() {
        SplittableRandom rnd = new SplittableRandom(3);
        Tensor x = random(rnd, 5, 4, 10, 10);
        Tensor w = random(rnd, 16, 4, 3, 3);
        Tensor bias = random(rnd, 16);
        Tensor rows = Tensor.zeros(5, 16, 8, 8), gemm = Tensor.zeros(5, 16, 8, 8);
        new RowConv().forward(x.data(), w.data(), bias.data(), rows.data(), 5, 4, 10, 10, 16, 0);
        Float32Kernels im2col = new Float32Kernels(new PanamaGemm(), false, false);   // no Vector API ops: im2col + GEMM
        im2col.conv2dForward(x, w, bias, gemm, ConvSpec.valid());
        assertArrayEquals(gemm.data(), rows.data());
    }

    /** The forward is the same sums whatever the thread count; the filter gradient repeats for each. */
    @Test
    void resultsDoNotDependOnSchedulingAndRepeat() {
        assertRowResultsRepeat(new WinogradConvTest.Case(11, 6, 10, 10, 8, 0), RowConv::new);
    }

    /** A row convolution's forward at 1, 2, 3 threads gives the same sums; its filter gradient repeats at each. */
    static void assertRowResultsRepeat(WinogradConvTest.Case cs, java.util.function.Supplier<RowConvolution> make) {
        SplittableRandom rnd = new SplittableRandom(11);
        Tensor x = random(rnd, cs.n(), cs.c(), cs.h(), cs.w());
        Tensor w = random(rnd, cs.o(), cs.c(), 3, 3);
        Tensor dy = random(rnd, cs.n(), cs.o(), cs.oh(), cs.ow());
        assertForwardSameAndFilterGradientRepeats(new int[] {1, 2, 3}, make,
                conv -> {
                    Tensor y = Tensor.zeros(cs.n(), cs.o(), cs.oh(), cs.ow());
                    conv.forward(x.data(), w.data(), null, y.data(), cs.n(), cs.c(), cs.h(), cs.w(), cs.o(), cs.pad());
                    return y.data();
                },
                conv -> {
                    Tensor dw = Tensor.zeros(w.shape());
                    conv.backwardFilter(x.data(), dy.data(), dw.data(), cs.n(), cs.c(), cs.h(), cs.w(), cs.o(), cs.pad(), false);
                    return dw.data();
                });
    }

    /**
     * The backend's choice: the DQN layer's forward and filter gradient on rows (this class where the
     * host prefers 256-bit vectors, {@link RowPairConv} where it prefers 512), its input gradient and
     * wider rows elsewhere.
     */
    @Test
    void theBackendChoosesRowsForEightPixelRows() {
        Float32Kernels k = new Float32Kernels(new PanamaGemm(), true, true);
        int bits = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
        assertEquals(bits == 256 || bits == 512 ? List.of("rows", "im2col", "rows") : List.of("im2col", "im2col", "direct"),
                k.convolutionAlgorithms(4, 16, 3, ConvSpec.valid(), 10, 10));
        assertEquals(bits == 256, RowConv.SUITS_THIS_HOST);
        assertEquals(bits == 512, RowPairConv.SUITS_THIS_HOST);
        RowConvolution chosen = RowConvolution.forThisHost();
        assertEquals(bits == 256 ? RowConv.class : bits == 512 ? RowPairConv.class : null, chosen == null ? null : chosen.getClass());
        assertFalse(RowConv.worthIt(4, 16, 3, 3, 1, 0, 9), "9-pixel rows");
        assertFalse(RowConv.worthIt(4, 3, 3, 3, 1, 0, 8), "fewer outputs than a tile");
        assertFalse(RowConv.worthIt(32, 16, 3, 3, 1, 1, 8), "32 inputs");
        assertFalse(RowConv.worthIt(4, 16, 3, 3, 2, 0, 8), "stride 2");
        assertTrue(RowConv.worthIt(10, 16, 3, 3, 1, 1, 8));

        SplittableRandom rnd = new SplittableRandom(5);
        Tensor x = random(rnd, 3, 4, 10, 10);
        Tensor w = random(rnd, 16, 4, 3, 3);
        Tensor bias = random(rnd, 16);
        Tensor called = Tensor.zeros(3, 16, 8, 8), routed = Tensor.zeros(3, 16, 8, 8);
        (chosen == null ? new RowConv() : chosen).forward(x.data(), w.data(), bias.data(), called.data(), 3, 4, 10, 10, 16, 0);
        k.conv2dForward(x, w, bias, routed, ConvSpec.valid());
        assertArrayEquals(called.data(), routed.data());
    }
}
