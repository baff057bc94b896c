package org.weightnorm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The direct 3x3 convolutions ({@link DirectConv}: forward, input gradient, filter gradient)
 * against the double reference, called directly on every shape (not only those
 * {@link DirectConv#worthIt} takes): 1, 3, 4, 7, 17 channels (whole blocks of four output
 * channels and the remainder), planes of 1 to 28 pixels, padding 0 to 2, batches that do not
 * divide into the parts ({@link WinogradConvTest.Case}, its shapes). The tolerance is the direct
 * sum's error bound: the reference run on absolute values, times the number of terms.
 */
class DirectConvTest {
    /** Shapes as Winograd's tests give them: x {@code [n, c, h, w]}, filters {@code [o, c, 3, 3]}, padding. */
    static Stream<WinogradConvTest.Case> cases() {
        List<WinogradConvTest.Case> cases = new ArrayList<>(List.of(
                new WinogradConvTest.Case(1, 1, 1, 1, 1, 1),        // one pixel
                new WinogradConvTest.Case(1, 1, 3, 3, 1, 0),        // one output
                new WinogradConvTest.Case(2, 7, 7, 7, 17, 1),       // four blocks of four outputs and one left
                new WinogradConvTest.Case(3, 17, 17, 17, 7, 1),
                new WinogradConvTest.Case(2, 17, 2, 9, 3, 2),       // padding 2; three outputs: no whole block
                new WinogradConvTest.Case(3, 5, 7, 7, 4, 0),        // "valid"
                new WinogradConvTest.Case(2, 3, 1, 17, 2, 1),       // one-row plane
                new WinogradConvTest.Case(13, 4, 5, 6, 8, 1),       // batch not divisible by the part count
                new WinogradConvTest.Case(2, 16, 28, 28, 1, 1),     // the VAE's last convolution
                new WinogradConvTest.Case(2, 1, 28, 28, 16, 1),     // and its first
                new WinogradConvTest.Case(3, 16, 28, 28, 16, 1)));  // and its 28x28 blocks
        SplittableRandom rnd = new SplittableRandom(2024);
        for (int i = 0; i < 8; i++) {
            int pad = rnd.nextInt(3);
            int h = Math.max(3 - 2 * pad, 1) + rnd.nextInt(12), w = Math.max(3 - 2 * pad, 1) + rnd.nextInt(20);
            cases.add(new WinogradConvTest.Case(1 + rnd.nextInt(5), 1 + rnd.nextInt(20), h, w, 1 + rnd.nextInt(20), pad));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardMatchesReference(WinogradConvTest.Case cs) {
        SplittableRandom rnd = new SplittableRandom(cs.hashCode());
        Tensor x = random(rnd, cs.n(), cs.c(), cs.h(), cs.w());
        Tensor w = random(rnd, cs.o(), cs.c(), 3, 3);
        Tensor bias = random(rnd, cs.o());
        Tensor y = random(rnd, cs.n(), cs.o(), cs.oh(), cs.ow());       // garbage that must be overwritten
        new DirectConv().forward(x.data(), w.data(), bias.data(), y.data(), cs.n(), cs.c(), cs.h(), cs.w(), cs.o(), cs.pad());
        assertForwardMatchesReference("direct forward " + cs, x, w, bias, y, new ConvSpec(1, cs.pad()), 9L * cs.c() + 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void backwardDataMatchesReference(WinogradConvTest.Case cs) {
        SplittableRandom rnd = new SplittableRandom(cs.hashCode() + 1);
        Tensor dy = random(rnd, cs.n(), cs.o(), cs.oh(), cs.ow());
        Tensor w = random(rnd, cs.o(), cs.c(), 3, 3);
        Tensor dx = random(rnd, cs.n(), cs.c(), cs.h(), cs.w());        // garbage that must be overwritten
        new DirectConv().backwardData(dy.data(), w.data(), dx.data(), cs.n(), cs.o(), cs.oh(), cs.ow(), cs.c(), cs.pad());
        assertBackwardDataMatchesReference("direct backward-data " + cs, dy, w, dx, new ConvSpec(1, cs.pad()), 9L * cs.o());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void backwardFilterMatchesReferenceInBothModes(WinogradConvTest.Case cs) {
        SplittableRandom rnd = new SplittableRandom(cs.hashCode() + 2);
        Tensor x = random(rnd, cs.n(), cs.c(), cs.h(), cs.w());
        Tensor dy = random(rnd, cs.n(), cs.o(), cs.oh(), cs.ow());
        Tensor start = random(rnd, cs.o(), cs.c(), 3, 3);
        // Each lane sums its pixels of every image of its part in float, then the lanes and parts in double.
        long terms = (long) cs.n() * cs.oh() * (cs.ow() + 2) + 8;
        assertFilterGradientInBothModes("direct backward-filter " + cs, x, dy, start, new ConvSpec(1, cs.pad()), terms,
                (dw, accumulate) -> new DirectConv().backwardFilter(x.data(), dy.data(), dw, cs.n(), cs.c(), cs.h(), cs.w(), cs.o(),
                        cs.pad(), accumulate));
    }

    /** Forward and input gradient are the same sums whatever the thread count; the filter gradient is repeatable for each. */
    @Test
    void resultsDoNotDependOnTheThreadCountAndRepeat() {
        SplittableRandom rnd = new SplittableRandom(11);
        WinogradConvTest.Case cs = new WinogradConvTest.Case(11, 6, 9, 13, 3, 1);
        Tensor x = random(rnd, cs.n(), cs.c(), cs.h(), cs.w());
        Tensor w = random(rnd, cs.o(), cs.c(), 3, 3);
        Tensor dy = random(rnd, cs.n(), cs.o(), cs.oh(), cs.ow());
        assertForwardSameAndFilterGradientRepeats(new int[] {1, 2, 3, 4}, DirectConv::new,
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

    /** A NaN in the input reaches every output that reads it and no other. */
    @Test
    void aNanReachesExactlyTheOutputsThatReadIt() {
        SplittableRandom rnd = new SplittableRandom(17);
        WinogradConvTest.Case cs = new WinogradConvTest.Case(2, 5, 12, 12, 2, 1);
        Tensor x = random(rnd, cs.n(), cs.c(), cs.h(), cs.w());
        Tensor w = random(rnd, cs.o(), cs.c(), 3, 3);
        int row = 5, col = 11;                                                         // at the right edge
        x.set(((1 * cs.c() + 3) * cs.h() + row) * cs.w() + col, Float.NaN);
        Tensor y = Tensor.zeros(cs.n(), cs.o(), cs.oh(), cs.ow());
        new DirectConv().forward(x.data(), w.data(), null, y.data(), cs.n(), cs.c(), cs.h(), cs.w(), cs.o(), cs.pad());
        assertNanExactlyWhereRead(y, 1, row, col);
    }

    /** The backend's choice, pass by pass: the VAE's 16 → 1 and 1 → 16 layers. */
    @Test
    void theBackendChoosesDirectWhereItMeasuredFaster() {
        Float32Kernels k = new Float32Kernels(new PanamaGemm(), true, true);
        ConvSpec same = new ConvSpec(1, 1);
        assertEquals(List.of("direct", "im2col", "direct"), k.convolutionAlgorithms(16, 1, 3, same, 28, 28));
        assertEquals(List.of("im2col", "direct", "direct"), k.convolutionAlgorithms(1, 16, 3, same, 28, 28));
        // 16 → 16 and 32 → 32 now go to ChannelVectorConv (ChannelVectorConvTest.theBackendRoutesTheVaeLayersHere)
        assertFalse(DirectConv.worthIt(16, 1, 3, 3, 2, 1), "stride 2");
        assertFalse(DirectConv.worthItForFilter(16, 16, 4, 4, 1, 1), "4x4");
        assertTrue(DirectConv.worthItForFilter(16, 16, 3, 3, 1, 2));
        assertFalse(DirectConv.worthItForFilter(16, 16, 3, 3, 1, 3), "padding 3");

        // routed through the backend: the same bits as calling it
        SplittableRandom rnd = new SplittableRandom(5);
        Tensor x = random(rnd, 3, 16, 10, 12);
        Tensor w = random(rnd, 1, 16, 3, 3);
        Tensor bias = random(rnd, 1);
        Tensor called = Tensor.zeros(3, 1, 10, 12), routed = Tensor.zeros(3, 1, 10, 12);
        new DirectConv().forward(x.data(), w.data(), bias.data(), called.data(), 3, 16, 10, 12, 1, 1);
        k.conv2dForward(x, w, bias, routed, same);
        assertArrayEquals(called.data(), routed.data());
    }
}
