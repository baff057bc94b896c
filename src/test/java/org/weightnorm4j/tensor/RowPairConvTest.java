package org.weightnorm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.weightnorm4j.tensor.ConvChecks.assertFilterGradientInBothModes;
import static org.weightnorm4j.tensor.Float32Fixtures.random;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The two-rows-per-vector 3x3 convolutions ({@link RowPairConv}: forward and filter gradient) against
 * the double reference, on {@link RowConvTest}'s shapes and more: batches of 1, 7 and 17 images,
 * 1, 3, 4 and 10 input channels, 4, 16 and 20 outputs (blocks of four and a remainder), odd output
 * heights (a half pair at the end of the plane), padding 0 to 2. On a host without 512-bit vectors
 * the Vector API computes them in Java: the same sums, slowly.
 */
class RowPairConvTest {
    static Stream<WinogradConvTest.Case> cases() {
        return Stream.concat(RowConvTest.cases(), Stream.of(
                new WinogradConvTest.Case(1, 4, 10, 10, 16, 0),    // the DQN layer, one image
                new WinogradConvTest.Case(7, 3, 10, 10, 20, 0),    // 7 images, 20 outputs
                new WinogradConvTest.Case(17, 10, 10, 10, 16, 0),  // 17 images, Seaquest's 10 channels
                new WinogradConvTest.Case(7, 1, 10, 10, 4, 0),     // one input channel
                new WinogradConvTest.Case(17, 4, 5, 8, 20, 1),     // 5 output rows: a half pair, padded
                new WinogradConvTest.Case(1, 3, 4, 6, 16, 2),      // 6 rows from 4, padding 2
                new WinogradConvTest.Case(7, 10, 3, 10, 4, 0)));   // one output row: a half pair only
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardMatchesReference(WinogradConvTest.Case cs) {
        RowConvTest.assertRowForwardMatchesReference("row-pair", new RowPairConv(), cs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void backwardFilterMatchesReferenceInBothModes(WinogradConvTest.Case cs) {
        SplittableRandom rnd = new SplittableRandom(cs.hashCode() + 2);
        Tensor x = random(rnd, cs.n(), cs.c(), cs.h(), cs.w());
        Tensor dy = random(rnd, cs.n(), cs.o(), cs.oh(), cs.ow());
        Tensor start = random(rnd, cs.o(), cs.c(), 3, 3);
        long terms = (long) cs.n() * (cs.oh() + 1) / 2 + 16;    // each lane sums a column of every other row in float
        assertFilterGradientInBothModes("row-pair backward-filter " + cs, x, dy, start, new ConvSpec(1, cs.pad()), terms,
                (dw, accumulate) -> new RowPairConv().backwardFilter(x.data(), dy.data(), dw, cs.n(), cs.c(), cs.h(), cs.w(),
                        cs.o(), cs.pad(), accumulate));
    }

    /** The forward is the im2col GEMM's sum in the GEMM's order, so the two agree bit for bit (as {@link RowConv}'s). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardHasTheBitsOfTheIm2colProduct(WinogradConvTest.Case cs) {
        SplittableRandom rnd = new SplittableRandom(cs.hashCode() + 3);
        Tensor x = random(rnd, cs.n(), cs.c(), cs.h(), cs.w());
        Tensor w = random(rnd, cs.o(), cs.c(), 3, 3);
        Tensor bias = random(rnd, cs.o());
        Tensor pairs = Tensor.zeros(cs.n(), cs.o(), cs.oh(), cs.ow()), gemm = Tensor.zeros(pairs.shape());
        new RowPairConv().forward(x.data(), w.data(), bias.data(), pairs.data(), cs.n(), cs.c(), cs.h(), cs.w(), cs.o(), cs.pad());
        Float32Kernels im2col = new Float32Kernels(new PanamaGemm(), false, false);   // no Vector API ops: im2col + GEMM
        im2col.conv2dForward(x, w, bias, gemm, new ConvSpec(1, cs.pad()));
        assertArrayEquals(gemm.data(), pairs.data(), cs.toString());
    }

    /** The forward is the same sums whatever the thread count; the filter gradient repeats for each. */
    @Test
    void resultsDoNotDependOnSchedulingAndRepeat() {
        RowConvTest.assertRowResultsRepeat(new WinogradConvTest.Case(17, 4, 9, 10, 20, 0), RowPairConv::new);
    }
}
