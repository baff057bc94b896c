package org.weightnorm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weightnorm4j.tensor.Float32Fixtures.abs;
import static org.weightnorm4j.tensor.Float32Fixtures.assertWithinSumBound;
import static org.weightnorm4j.tensor.Float32Fixtures.describe;
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
 * The float32 convolutions (im2col + GEMM, {@link Float32Conv}) against the double reference, and
 * the reference's own gradients against central finite differences of its forward pass.
 */
class ConvKernelsTest {

    /** One convolution geometry: batch, channels, image, filters, kernel, stride, padding. */
    record Case(int n, int c, int h, int w, int o, int kh, int kw, int stride, int pad) {
        int oh() {
            return (h + 2 * pad - kh) / stride + 1;
        }

        int ow() {
            return (w + 2 * pad - kw) / stride + 1;
        }

        @Override
        public String toString() {
            return "x[" + n + "," + c + "," + h + "," + w + "] w[" + o + "," + c + "," + kh + "," + kw + "] s" + stride + " p" + pad;
        }
    }

    /** Hand-picked edge cases plus seeded random geometries (kernels 1, 3, 5; stride 1, 2; padding 0, 1, 2). */
    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>(List.of(
                new Case(1, 1, 1, 1, 1, 1, 1, 1, 0),       // everything 1
                new Case(3, 7, 5, 9, 4, 1, 1, 1, 0),       // pointwise: straight GEMM
                new Case(2, 17, 6, 4, 3, 1, 1, 2, 0),      // 1x1 with stride: im2col path
                new Case(2, 3, 3, 3, 2, 1, 1, 1, 1),       // 1x1 with padding
                new Case(2, 33, 7, 9, 5, 3, 3, 1, 1),      // "same" 3x3, non-square
                new Case(3, 4, 8, 6, 7, 3, 3, 2, 1),       // strided 3x3
                new Case(2, 2, 5, 7, 3, 5, 5, 1, 2),       // "same" 5x5
                new Case(1, 3, 1, 7, 2, 1, 3, 1, 0),       // one-row image, 1x3 kernel
                new Case(2, 2, 2, 2, 3, 5, 5, 1, 2),       // kernel larger than the image
                new Case(5, 3, 9, 11, 4, 3, 5, 2, 2),      // non-square kernel, stride 2, pad 2
                new Case(17, 2, 4, 4, 3, 3, 3, 1, 0),      // batch not divisible by the part count
                // several images per product (Float32Conv.groupSize), last group of a part shorter
                new Case(30, 8, 7, 7, 6, 3, 3, 1, 0),      // like the cnn's 3x3 "valid" on 7x7
                new Case(13, 6, 5, 5, 7, 1, 1, 1, 0),      // like its 1x1 convolutions on 5x5
                new Case(11, 5, 14, 14, 4, 3, 3, 1, 1),    // "same" on 14x14: two images per product
                new Case(9, 3, 6, 10, 5, 3, 5, 1, 1)));    // non-square kernel: dX through col2im, grouped
        SplittableRandom rnd = new SplittableRandom(20161010);
        int[] kernels = {1, 3, 5};
        for (int i = 0; i < 12; i++) {
            int kh = kernels[rnd.nextInt(3)], kw = kernels[rnd.nextInt(3)];
            int stride = 1 + rnd.nextInt(2), pad = rnd.nextInt(3);
            int h = Math.max(kh - 2 * pad, 1) + rnd.nextInt(9);
            int w = Math.max(kw - 2 * pad, 1) + rnd.nextInt(9);
            cases.add(new Case(1 + rnd.nextInt(4), 1 + rnd.nextInt(9), h, w, 1 + rnd.nextInt(8), kh, kw, stride, pad));
        }
        return cases.stream();
    }

    static Stream<Arguments> casesTimesBackends() {
        return cases().flatMap(c -> Float32Fixtures.backends().map(b -> Arguments.of(c, b)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("casesTimesBackends")
    void forwardMatchesReference(Case cs, Float32Kernels k) {
        SplittableRandom rnd = new SplittableRandom(cs.hashCode());
        ConvSpec spec = new ConvSpec(cs.stride(), cs.pad());
        Tensor x = random(rnd, cs.n(), cs.c(), cs.h(), cs.w());
        Tensor w = random(rnd, cs.o(), cs.c(), cs.kh(), cs.kw());
        Tensor y = random(rnd, cs.n(), cs.o(), cs.oh(), cs.ow());   // garbage that must be overwritten
        k.conv2dForward(x, w, y, spec);

        Tensor expected = Tensor.zeros(DType.FLOAT64, y.shape());
        ReferenceKernels.INSTANCE.conv2dForward(toDouble(x), toDouble(w), expected, spec);
        Tensor bound = Tensor.zeros(DType.FLOAT64, y.shape());
        ReferenceKernels.INSTANCE.conv2dForward(abs(x), abs(w), bound, spec);
        assertWithinSumBound("forward " + cs + " on " + describe(k), expected, y, bound, (long) cs.c() * cs.kh() * cs.kw());

        // With a bias, added as the output is written: y + bias[o], with |bias| in the bound.
        Tensor bias = random(rnd, cs.o());
        Tensor withBias = random(rnd, y.shape());
        k.conv2dForward(x, w, bias, withBias, spec);
        Tensor expectedWithBias = Tensor.zeros(DType.FLOAT64, y.shape());
        ReferenceKernels.INSTANCE.channelScaleShift(expected, null, toDouble(bias), expectedWithBias);
        Tensor boundWithBias = Tensor.zeros(DType.FLOAT64, y.shape());
        ReferenceKernels.INSTANCE.channelScaleShift(bound, null, abs(bias), boundWithBias);
        assertWithinSumBound("forward with bias " + cs + " on " + describe(k), expectedWithBias, withBias, boundWithBias,
                (long) cs.c() * cs.kh() * cs.kw() + 1);
    }

    @Test
    void aBiasOfTheWrongShapeNamesBothShapes() {
        Tensor x = Tensor.zeros(1, 2, 5, 5), w = Tensor.zeros(3, 2, 3, 3), y = Tensor.zeros(1, 3, 3, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.conv2dForward(x, w, Tensor.zeros(2), y, ConvSpec.valid()));
        assertTrue(e.getMessage().contains("[2]") && e.getMessage().contains("[3, 2, 3, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Kernels.conv2dForward(x, w, null, y, ConvSpec.valid()));
        assertTrue(e.getMessage().contains("got null"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("casesTimesBackends")
    void backwardDataMatchesReference(Case cs, Float32Kernels k) {
        SplittableRandom rnd = new SplittableRandom(cs.hashCode() + 1);
        ConvSpec spec = new ConvSpec(cs.stride(), cs.pad());
        Tensor dy = random(rnd, cs.n(), cs.o(), cs.oh(), cs.ow());
        Tensor w = random(rnd, cs.o(), cs.c(), cs.kh(), cs.kw());
        Tensor dx = random(rnd, cs.n(), cs.c(), cs.h(), cs.w());   // garbage that must be overwritten
        k.conv2dBackwardData(dy, w, dx, spec);

        Tensor expected = Tensor.zeros(DType.FLOAT64, dx.shape());
        ReferenceKernels.INSTANCE.conv2dBackwardData(toDouble(dy), toDouble(w), expected, spec);
        Tensor bound = Tensor.zeros(DType.FLOAT64, dx.shape());
        ReferenceKernels.INSTANCE.conv2dBackwardData(abs(dy), abs(w), bound, spec);
        assertWithinSumBound("backward-data " + cs + " on " + describe(k), expected, dx, bound,
                (long) cs.o() * cs.kh() * cs.kw());
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("casesTimesBackends")
    void backwardFilterMatchesReferenceInBothModes(Case cs, Float32Kernels k) {
        SplittableRandom rnd = new SplittableRandom(cs.hashCode() + 2);
        ConvSpec spec = new ConvSpec(cs.stride(), cs.pad());
        Tensor x = random(rnd, cs.n(), cs.c(), cs.h(), cs.w());
        Tensor dy = random(rnd, cs.n(), cs.o(), cs.oh(), cs.ow());
        Tensor start = random(rnd, cs.o(), cs.c(), cs.kh(), cs.kw());
        long terms = (long) cs.n() * cs.oh() * cs.ow();

        Tensor bound = Tensor.zeros(DType.FLOAT64, start.shape());
        ReferenceKernels.INSTANCE.conv2dBackwardFilter(abs(x), abs(dy), bound, spec, false);

        Tensor overwritten = start.copy();
        k.conv2dBackwardFilter(x, dy, overwritten, spec, false);
        Tensor expected = Tensor.zeros(DType.FLOAT64, start.shape());
        ReferenceKernels.INSTANCE.conv2dBackwardFilter(toDouble(x), toDouble(dy), expected, spec, false);
        assertWithinSumBound("backward-filter " + cs + " on " + describe(k), expected, overwritten, bound, terms);

        Tensor accumulated = start.copy();
        k.conv2dBackwardFilter(x, dy, accumulated, spec, true);
        Tensor expectedAcc = toDouble(start);
        ReferenceKernels.INSTANCE.conv2dBackwardFilter(toDouble(x), toDouble(dy), expectedAcc, spec, true);
        Tensor boundAcc = abs(start);
        ReferenceKernels.INSTANCE.conv2dBackwardFilter(abs(x), abs(dy), boundAcc, spec, true);
        assertWithinSumBound("backward-filter (accumulate) " + cs + " on " + describe(k), expectedAcc, accumulated,
                boundAcc, terms + 1);
    }

    /** The partial dW of each part is added in part order: repeated calls give identical bits. */
    @Test
    void backwardFilterIsReproducibleAcrossCallsAndThreadCounts() {
        SplittableRandom rnd = new SplittableRandom(7);
        ConvSpec spec = new ConvSpec(1, 1);
        Tensor x = random(rnd, 9, 5, 7, 6);
        Tensor dy = random(rnd, 9, 4, 7, 6);
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2, 3, 4}) {
                Parallel.setThreads(threads);
                for (Float32Kernels k : Float32Fixtures.loopBackends()) {
                    Tensor first = Tensor.zeros(4, 5, 3, 3);
                    Tensor second = Tensor.zeros(4, 5, 3, 3);
                    k.conv2dBackwardFilter(x, dy, first, spec, false);
                    k.conv2dBackwardFilter(x, dy, second, spec, false);
                    assertArrayEquals(first.data(), second.data(), "threads " + threads + " on " + describe(k));

                    Tensor expected = Tensor.zeros(DType.FLOAT64, 4, 5, 3, 3);
                    ReferenceKernels.INSTANCE.conv2dBackwardFilter(toDouble(x), toDouble(dy), expected, spec, false);
                    Tensor bound = Tensor.zeros(DType.FLOAT64, 4, 5, 3, 3);
                    ReferenceKernels.INSTANCE.conv2dBackwardFilter(abs(x), abs(dy), bound, spec, false);
                    assertWithinSumBound("threads " + threads, expected, first, bound, 9L * 7 * 6);
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /**
     * Two threads convolving at once on one backend (each takes its own job and column buffer)
     * get exactly what they get alone.
     */
    @Test
    void concurrentCallersDoNotShareWorkBuffers() throws Exception {
        Float32Kernels k = new Float32Kernels(Float32Fixtures.PROVIDER_GEMM, true);
        SplittableRandom rnd = new SplittableRandom(13);
        Case[] shapes = {new Case(6, 5, 9, 7, 4, 3, 3, 1, 1), new Case(5, 3, 11, 12, 6, 5, 5, 2, 2)};
        Tensor[][] inputs = new Tensor[2][];
        Tensor[][] alone = new Tensor[2][];
        for (int t = 0; t < 2; t++) {
            Case cs = shapes[t];
            inputs[t] = new Tensor[] {random(rnd, cs.n(), cs.c(), cs.h(), cs.w()), random(rnd, cs.o(), cs.c(), cs.kh(), cs.kw())};
            alone[t] = runAll(k, cs, inputs[t]);
        }
        Thread[] threads = new Thread[2];
        Throwable[] failures = new Throwable[2];
        for (int t = 0; t < 2; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                try {
                    for (int r = 0; r < 30; r++) {
                        Tensor[] got = runAll(k, shapes[id], inputs[id]);
                        for (int i = 0; i < got.length; i++) {
                            assertArrayEquals(alone[id][i].data(), got[i].data(), "thread " + id + " result " + i);
                        }
                    }
                } catch (Throwable e) {
                    failures[id] = e;
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        for (Throwable f : failures) {
            if (f != null) {
                throw new AssertionError(f);
            }
        }
    }

    /** Forward, backward-data and backward-filter of one case, with the forward output as dY. */
    private static Tensor[] runAll(Float32Kernels k, Case cs, Tensor[] xw) {
        ConvSpec spec = new ConvSpec(cs.stride(), cs.pad());
        Tensor y = Tensor.zeros(cs.n(), cs.o(), cs.oh(), cs.ow());
        Tensor dx = xw[0].zerosLike();
        Tensor dw = xw[1].zerosLike();
        k.conv2dForward(xw[0], xw[1], y, spec);
        k.conv2dBackwardData(y, xw[1], dx, spec);
        k.conv2dBackwardFilter(xw[0], y, dw, spec, false);
        return new Tensor[] {y, dx, dw};
    }

    // ---- gradients of the reference against finite differences (FLOAT64 through Kernels) ----------

    static Stream<Case> gradientCases() {
        return Stream.of(
                new Case(2, 3, 5, 6, 2, 3, 3, 1, 1),
                new Case(2, 2, 7, 5, 3, 3, 3, 2, 0),
                new Case(1, 2, 4, 6, 2, 5, 3, 2, 2),
                new Case(2, 3, 4, 4, 2, 1, 1, 1, 0));
    }

    /**
     * With {@code L = Σ r ⊙ conv(x, w)} for a random r, {@code ∂L/∂x = backwardData(r, w)} and
     * {@code ∂L/∂w = backwardFilter(x, r)}. L is linear in x and in w, so the central difference is
     * exact up to rounding and the test can be tight.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("gradientCases")
    void referenceGradientsMatchFiniteDifferences(Case cs) {
        SplittableRandom rnd = new SplittableRandom(cs.hashCode() + 3);
        ConvSpec spec = new ConvSpec(cs.stride(), cs.pad());
        Tensor x = toDouble(random(rnd, cs.n(), cs.c(), cs.h(), cs.w()));
        Tensor w = toDouble(random(rnd, cs.o(), cs.c(), cs.kh(), cs.kw()));
        Tensor r = toDouble(random(rnd, cs.n(), cs.o(), cs.oh(), cs.ow()));

        Tensor dx = x.zerosLike();
        Kernels.conv2dBackwardData(r, w, dx, spec);
        Tensor dw = w.zerosLike();
        Kernels.conv2dBackwardFilter(x, r, dw, spec, false);

        double h = 1e-3;
        for (int i = 0; i < x.size(); i++) {
            double fd = centralDifference(x, i, h, () -> loss(x, w, r, spec));
            assertEquals(fd, dx.get(i), 1e-9 * (1 + Math.abs(fd)), "dL/dx[" + i + "] for " + cs);
        }
        for (int i = 0; i < w.size(); i++) {
            double fd = centralDifference(w, i, h, () -> loss(x, w, r, spec));
            assertEquals(fd, dw.get(i), 1e-9 * (1 + Math.abs(fd)), "dL/dw[" + i + "] for " + cs);
        }
    }

    private static double centralDifference(Tensor t, int i, double h, java.util.function.DoubleSupplier loss) {
        double saved = t.get(i);
        t.set(i, saved + h);
        double plus = loss.getAsDouble();
        t.set(i, saved - h);
        double minus = loss.getAsDouble();
        t.set(i, saved);
        return (plus - minus) / (2 * h);
    }

    private static double loss(Tensor x, Tensor w, Tensor r, ConvSpec spec) {
        Tensor y = r.zerosLike();
        Kernels.conv2dForward(x, w, y, spec);
        double sum = 0;
        for (int i = 0; i < y.size(); i++) {
            sum += r.get(i) * y.get(i);
        }
        return sum;
    }

    // ---- argument checks through the facade ----------------------------------------------------

    @Test
    void channelMismatchNamesBothShapes() {
        Tensor x = Tensor.zeros(2, 3, 8, 8);
        Tensor w = Tensor.zeros(4, 5, 3, 3);
        Tensor y = Tensor.zeros(2, 4, 8, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.conv2dForward(x, w, y, ConvSpec.same(3)));
        assertTrue(e.getMessage().contains("[2, 3, 8, 8]") && e.getMessage().contains("[4, 5, 3, 3]"), e.getMessage());
    }

    @Test
    void wrongOutputShapeNamesBothShapes() {
        Tensor x = Tensor.zeros(2, 3, 8, 8);
        Tensor w = Tensor.zeros(4, 3, 3, 3);
        Tensor dy = Tensor.zeros(2, 4, 8, 8);   // valid conv gives 6x6
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.conv2dBackwardFilter(x, dy, w, ConvSpec.valid(), false));
        assertTrue(e.getMessage().contains("[2, 4, 6, 6]") && e.getMessage().contains("[2, 4, 8, 8]"), e.getMessage());
        Tensor dx = Tensor.zeros(2, 3, 8, 8);
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> Kernels.conv2dBackwardData(dy, w, dx, ConvSpec.valid()));
        assertTrue(e2.getMessage().contains("[2, 4, 6, 6]") && e2.getMessage().contains("[2, 4, 8, 8]"), e2.getMessage());
    }

    @Test
    void kernelLargerThanPaddedImageIsRejected() {
        Tensor x = Tensor.zeros(1, 1, 2, 2);
        Tensor w = Tensor.zeros(1, 1, 5, 5);
        Tensor y = Tensor.zeros(1, 1, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.conv2dForward(x, w, y, ConvSpec.valid()));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
    }

    /** The fast path serves FLOAT32 only; FLOAT64 tensors handed to the float32 backend still get the right answer. */
    @Test
    void float64TensorsFallBackToTheReference() {
        SplittableRandom rnd = new SplittableRandom(11);
        Tensor x = toDouble(random(rnd, 2, 3, 5, 5));
        Tensor w = toDouble(random(rnd, 2, 3, 3, 3));
        Tensor y = Tensor.zeros(DType.FLOAT64, 2, 2, 5, 5);
        new Float32Kernels(Float32Fixtures.REFERENCE_GEMM, false).conv2dForward(x, w, y, ConvSpec.same(3));
        Tensor expected = Tensor.zeros(DType.FLOAT64, 2, 2, 5, 5);
        ReferenceKernels.INSTANCE.conv2dForward(x, w, expected, ConvSpec.same(3));
        assertArrayEquals(expected.data64(), y.data64());
        assertEquals(DType.FLOAT64, y.dtype());
    }
}
