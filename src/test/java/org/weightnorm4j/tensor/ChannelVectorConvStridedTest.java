package org.weightnorm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weightnorm4j.tensor.ConvChecks.assertBackwardDataMatchesReference;
import static org.weightnorm4j.tensor.Float32Fixtures.random;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.weightnorm4j.testing.TemporaryProperty;

/**
 * {@link ChannelVectorConv#backwardDataStrided} (the input gradient of a strided convolution, the
 * forward of a transposed one, phase by phase) against the double reference: dx planes of 1, 7,
 * 17 and 1023 pixels, 1, 7 and 17 dy channels, dx channels of one to three pairs of vectors, stride
 * 2 and 3, kernels 2 to 5, padding 0 to 2, dx sizes that leave rows no tap reaches (a transposed
 * convolution's output padding), batches that do not divide into the parts.
 */
class ChannelVectorConvStridedTest {
    private static final int L = FloatVector.SPECIES_PREFERRED.length();

    /** dy {@code [n, o, oh, ow]}, filters {@code [o, c, k, k]}, dx {@code [n, c, h, w]}. */
    record Case(int n, int o, int c, int h, int w, int k, int stride, int pad) {
        int oh() {
            return (h + 2 * pad - k) / stride + 1;
        }

        int ow() {
            return (w + 2 * pad - k) / stride + 1;
        }

        @Override
        public String toString() {
            return "dy[" + n + "," + o + "," + oh() + "," + ow() + "] w[" + o + "," + c + "," + k + "," + k + "] dx " + h + "x" + w
                    + " s" + stride + " p" + pad;
        }
    }

    static Stream<Case> cases() {
        int pair = 2 * L;
        return Stream.of(
                new Case(2, 32, 2 * pair, 14, 14, 4, 2, 1),        // the VAE's transposed convolutions' forwards (AVX2)
                new Case(2, 32, pair, 28, 28, 4, 2, 1),
                new Case(2, 32, pair, 28, 28, 3, 2, 1),            // its stride-2 convolutions' input gradients
                new Case(3, 32, 2 * pair, 14, 14, 3, 2, 1),
                new Case(1, 1, pair, 1, 1, 3, 2, 1),               // one pixel
                new Case(2, 7, pair, 1, 7, 3, 2, 1),               // a row of 7
                new Case(3, 17, 3 * pair, 17, 1, 3, 2, 1),         // a column of 17
                new Case(1, 3, pair, 33, 31, 3, 2, 1),             // 1023 pixels
                new Case(13, 5, pair, 15, 15, 4, 2, 1),            // output padding 1 (7 -> 15); batch not divisible by the parts
                new Case(2, 7, pair, 8, 9, 2, 2, 0),               // kernel = stride
                new Case(2, 4, 2 * pair, 11, 10, 5, 3, 2),         // stride 3
                new Case(2, 6, pair, 9, 7, 3, 3, 0),
                new Case(2, 9, pair, 12, 13, 5, 2, 2),
                new Case(1, 17, pair, 6, 6, 4, 2, 0));
    }

    /**
     * One vector of dx channels (16 with AVX-512's 16 lanes; none with AVX2): the VAE's stride-2
     * 16 → 32 convolution's input gradient and its 32 → 16 transposed convolution's forward, a
     * 3-wide stride 3 and a dx 56 wide (two runs of 14 per phase row).
     */
    static Stream<Case> oneVectorCases() {
        if (L < 16) {
            return Stream.empty();
        }
        return Stream.of(new Case(2, 32, L, 28, 28, 4, 2, 1), new Case(3, 32, L, 28, 28, 3, 2, 1),
                new Case(2, 5, L, 9, 42, 3, 3, 1), new Case(13, 7, L, 5, 56, 4, 2, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"cases", "oneVectorCases"})
    void matchesReference(Case cs) {
        SplittableRandom rnd = new SplittableRandom(cs.hashCode());
        Tensor dy = random(rnd, cs.n(), cs.o(), cs.oh(), cs.ow());
        Tensor w = random(rnd, cs.o(), cs.c(), cs.k(), cs.k());
        Tensor dx = random(rnd, cs.n(), cs.c(), cs.h(), cs.w());          // garbage that must be overwritten
        assertTrue(ChannelVectorConv.worthItStrided(cs.c(), cs.k(), cs.k(), cs.stride(), cs.pad())
                || ChannelVectorConv.worthItStridedOneVector(cs.c(), cs.k(), cs.k(), cs.stride(), cs.pad(), cs.w()), cs.toString());
        new ChannelVectorConv().backwardDataStrided(dy.data(), w.data(), dx.data(), cs.n(), cs.o(), cs.oh(), cs.ow(), cs.c(),
                cs.h(), cs.w(), cs.k(), cs.stride(), cs.pad());
        assertBackwardDataMatchesReference("channel-vector strided backward-data " + cs, dy, w, dx,
                new ConvSpec(cs.stride(), cs.pad()), (long) cs.k() * cs.k() * cs.o());
    }

    /** Each output is one sum in a fixed order: the same bits for 1 to 4 threads, and again on a second call. */
    @Test
    void sameBitsForEveryThreadCount() {
        Case cs = new Case(11, 9, 2 * L, 14, 14, 4, 2, 1);
        SplittableRandom rnd = new SplittableRandom(5);
        Tensor dy = random(rnd, cs.n(), cs.o(), cs.oh(), cs.ow());
        Tensor w = random(rnd, cs.o(), cs.c(), cs.k(), cs.k());
        int before = Parallel.threads();
        float[] first = null;
        try {
            for (int threads = 1; threads <= 4; threads++) {
                Parallel.setThreads(threads);
                ChannelVectorConv conv = new ChannelVectorConv();
                for (int call = 0; call < 2; call++) {
                    Tensor dx = Tensor.zeros(cs.n(), cs.c(), cs.h(), cs.w());
                    conv.backwardDataStrided(dy.data(), w.data(), dx.data(), cs.n(), cs.o(), cs.oh(), cs.ow(), cs.c(), cs.h(),
                            cs.w(), cs.k(), cs.stride(), cs.pad());
                    if (first == null) {
                        first = dx.data();
                    } else {
                        assertArrayEquals(first, dx.data(), threads + " threads, call " + call);
                    }
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void refusesWhatItDoesNotServe() {
        int pair = 2 * L;
        assertFalse(ChannelVectorConv.worthItStrided(pair, 3, 3, 1, 1), "stride 1 is the forward's job");
        assertFalse(ChannelVectorConv.worthItStrided(pair, 2, 2, 3, 0), "a kernel narrower than the stride leaves phases without taps");
        assertFalse(ChannelVectorConv.worthItStrided(pair + 1, 4, 4, 2, 1), "dx channels must be whole pairs of vectors");
        assertFalse(ChannelVectorConv.worthItStrided(pair, 6, 6, 2, 1), "kernels above 5");
        assertEquals(L >= 16, ChannelVectorConv.worthItStridedOneVector(L, 4, 4, 2, 1, 28), "one vector, phases 14 wide");
        assertFalse(ChannelVectorConv.worthItStridedOneVector(L, 4, 4, 2, 1, 27), "a phase 13 wide");
        assertFalse(ChannelVectorConv.worthItStridedOneVector(L, 4, 4, 2, 1, 14), "phases 7 wide");
        assertFalse(ChannelVectorConv.worthItStridedOneVector(L + 1, 4, 4, 2, 1, 28), "not one vector");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ChannelVectorConv()
                .backwardDataStrided(new float[4 * 9], new float[4 * pair * 9], new float[pair * 25], 1, 4, 3, 3, pair, 5, 5, 3, 2, 0));
        assertTrue(e.getMessage().contains("dy of the convolution's output size"), e.getMessage());
    }

    /** The backend routes strided input gradients here (same bits), and the switch sends them back to im2col. */
    @Test
    void theBackendRoutesStridedInputGradientsHereUnlessSwitchedOff() throws Exception {
        int pair = 2 * L;
        ConvSpec down = new ConvSpec(2, 1);
        SplittableRandom rnd = new SplittableRandom(9);
        Tensor dy = random(rnd, 3, 16, 7, 7);
        Tensor w = random(rnd, 16, pair, 4, 4);
        Tensor called = Tensor.zeros(3, pair, 14, 14), routed = Tensor.zeros(3, pair, 14, 14);
        new ChannelVectorConv().backwardDataStrided(dy.data(), w.data(), called.data(), 3, 16, 7, 7, pair, 14, 14, 4, 2, 1);
        Float32Kernels on = new Float32Kernels(new PanamaGemm(), true, true);
        assertEquals("channel-vector-phases", on.convolutionAlgorithms(pair, 16, 4, down, 14, 14).get(1));
        on.conv2dBackwardData(dy, w, routed, down);
        assertArrayEquals(called.data(), routed.data());

        TemporaryProperty.with(Float32Conv.CHANNEL_VECTOR_STRIDED_PROPERTY, "false", () -> {
            Float32Kernels off = new Float32Kernels(new PanamaGemm(), true, true);
            assertEquals("im2col", off.convolutionAlgorithms(pair, 16, 4, down, 14, 14).get(1));
            Tensor old = Tensor.zeros(3, pair, 14, 14);
            off.conv2dBackwardData(dy, w, old, down);
            assertBackwardDataMatchesReference("im2col strided backward-data", dy, w, old, down, 16L * 16);
        });
    }
}
