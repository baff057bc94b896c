package org.weightnorm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weightnorm4j.tensor.Float32Fixtures.abs;
import static org.weightnorm4j.tensor.Float32Fixtures.assertRelative;
import static org.weightnorm4j.tensor.Float32Fixtures.assertWithinSumBound;
import static org.weightnorm4j.tensor.Float32Fixtures.describe;
import static org.weightnorm4j.tensor.Float32Fixtures.random;
import static org.weightnorm4j.tensor.Float32Fixtures.toDouble;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.weightnorm4j.testing.RestoreThreads;

/**
 * The fused per-channel kernels of batch normalization ({@code channelSquaredDeviations},
 * {@code channelNormalize}, {@code channelSumsAndDots}, {@code channelCombine}) and of mean-only batch
 * normalization with its activation ({@code channelShiftLeakyRelu}, {@code leakyReluBackwardChannelSums})
 * on every float32 backend against the double-precision reference, and bit-identical on 1 and 2 threads.
 */
@ExtendWith(RestoreThreads.class)
class FusedChannelKernelsTest {

    /** Dense [N, C] and image [N, C, ...] layouts with C = 1, 7, 17 and planes of 1, 7, 17x17 and 1023 elements. */
    static Stream<Arguments> shapesBackends() {
        List<int[]> shapes = List.of(new int[] {5, 1}, new int[] {3, 7}, new int[] {33, 17}, new int[] {128, 512},
                new int[] {3, 1, 7}, new int[] {2, 7, 17, 17}, new int[] {2, 17, 1023}, new int[] {4, 1, 17, 17},
                new int[] {3, 7, 1, 1}, new int[] {2, 17, 7});
        List<Float32Kernels> backends = Float32Fixtures.backends().toList();
        return shapes.stream().flatMap(s -> backends.stream().map(k -> Arguments.of(s, k)));
    }

    /** Uniform in [-1, 1) plus a per-channel offset of up to ±100, so centring matters. */
    private static Tensor offsetRandom(SplittableRandom rnd, int... shape) {
        Tensor x = random(rnd, shape);
        int c = shape[1], s = x.size() / (shape[0] * c);
        float[] offsets = new float[c];
        for (int ch = 0; ch < c; ch++) {
            offsets[ch] = (float) (200 * rnd.nextDouble() - 100);
        }
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) {
            d[i] += offsets[i / s % c];
        }
        return x;
    }

    /** The per-channel mean of x (double, rounded to float): what batch normalization passes in. */
    private static Tensor channelMeans(Tensor x) {
        int c = x.dim(1);
        Tensor sums = Tensor.zeros(DType.FLOAT64, c);
        ReferenceKernels.INSTANCE.channelSums(toDouble(x), sums, false);
        Tensor mean = Tensor.zeros(c);
        for (int ch = 0; ch < c; ch++) {
            mean.set(ch, sums.get(ch) / (x.size() / c));
        }
        return mean;
    }

    /**
     * Σa and Σa·b in one pass: the same bits as {@code channelSums} and {@code channelDots} (same
     * blocks, lanes and order), and within the float sum bound of the reference.
     */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("shapesBackends")
    void sumsAndDotsEqualTheSeparateKernels(int[] shape, Float32Kernels k) {
        SplittableRandom rnd = new SplittableRandom(shape[0] * 7L + shape[shape.length - 1]);
        int c = shape[1];
        long terms = Tensor.sizeOf(shape) / c;
        Tensor a = random(rnd, shape);
        Tensor b = random(rnd, shape);
        Tensor sums = random(rnd, c);
        Tensor dots = random(rnd, c);
        k.channelSumsAndDots(a, b, sums, dots);

        Tensor separateSums = Tensor.zeros(c);
        Tensor separateDots = Tensor.zeros(c);
        k.channelSums(a, separateSums, false);
        k.channelDots(a, b, separateDots, false);
        assertArrayEquals(separateSums.data(), sums.data(), "sums vs channelSums on " + describe(k));
        assertArrayEquals(separateDots.data(), dots.data(), "dots vs channelDots on " + describe(k));

        Tensor expectedSums = Tensor.zeros(DType.FLOAT64, c);
        Tensor expectedDots = Tensor.zeros(DType.FLOAT64, c);
        ReferenceKernels.INSTANCE.channelSumsAndDots(toDouble(a), toDouble(b), expectedSums, expectedDots);
        Tensor boundSums = Tensor.zeros(DType.FLOAT64, c);
        Tensor boundDots = Tensor.zeros(DType.FLOAT64, c);
        ReferenceKernels.INSTANCE.channelSumsAndDots(abs(a), abs(b), boundSums, boundDots);
        assertWithinSumBound("channelSumsAndDots sums on " + describe(k), expectedSums, sums, boundSums, terms);
        assertWithinSumBound("channelSumsAndDots dots on " + describe(k), expectedDots, dots, boundDots, terms);
    }

    /**
     * Σ(x − μ)² against the reference, with data centred up to 100 away from 0: a sum of k
     * non-negative terms, so the bound is the reference result itself. A one-pass
     * {@code Σx² − m μ²} in float would lose every digit here (x² ≈ 1e4, deviations² ≈ 1/3).
     */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("shapesBackends")
    void squaredDeviationsMatchReference(int[] shape, Float32Kernels k) {
        SplittableRandom rnd = new SplittableRandom(shape[0] * 1000L + shape[shape.length - 1]);
        int c = shape[1];
        Tensor x = offsetRandom(rnd, shape);
        Tensor mean = channelMeans(x);
        Tensor out = random(rnd, c);
        k.channelSquaredDeviations(x, mean, out);
        Tensor expected = Tensor.zeros(DType.FLOAT64, c);
        ReferenceKernels.INSTANCE.channelSquaredDeviations(toDouble(x), toDouble(mean), expected);
        assertWithinSumBound("channelSquaredDeviations on " + describe(k), expected, out, expected, x.size() / c);
    }

    /**
     * x̂ = (x − μ)·s has two roundings (3 ulps allowed); y = γ x̂ + β inherits x̂'s error and adds
     * two more roundings: a sum of 3 terms bounded by |γ x̂| + |β|.
     */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("shapesBackends")
    void normalizeMatchesReference(int[] shape, Float32Kernels k) {
        SplittableRandom rnd = new SplittableRandom(shape[1] * 1000L + shape[0]);
        int c = shape[1];
        Tensor x = offsetRandom(rnd, shape);
        Tensor mean = channelMeans(x);
        Tensor invStd = random(rnd, c);
        Tensor gamma = random(rnd, c);
        Tensor beta = random(rnd, c);
        Tensor xhat = random(rnd, shape);
        Tensor y = random(rnd, shape);
        k.channelNormalize(x, mean, invStd, gamma, beta, xhat, y);

        Tensor expectedXhat = Tensor.zeros(DType.FLOAT64, shape);
        Tensor expectedY = Tensor.zeros(DType.FLOAT64, shape);
        ReferenceKernels.INSTANCE.channelNormalize(toDouble(x), toDouble(mean), toDouble(invStd), toDouble(gamma),
                toDouble(beta), expectedXhat, expectedY);
        assertRelative("channelNormalize x̂ on " + describe(k), expectedXhat, xhat, 3);
        Tensor bound = Tensor.zeros(DType.FLOAT64, shape);
        ReferenceKernels.INSTANCE.channelScaleShift(abs(expectedXhat), abs(gamma), abs(beta), bound);
        assertWithinSumBound("channelNormalize y on " + describe(k), expectedY, y, bound, 3);
    }

    /** out = sa·a + sb·b + t: a sum of 3 terms, bounded by |sa a| + |sb b| + |t|. */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("shapesBackends")
    void combineMatchesReference(int[] shape, Float32Kernels k) {
        SplittableRandom rnd = new SplittableRandom(shape[0] * 31L + shape[1]);
        int c = shape[1];
        Tensor a = random(rnd, shape);
        Tensor b = random(rnd, shape);
        Tensor sa = random(rnd, c);
        Tensor sb = random(rnd, c);
        Tensor t = random(rnd, c);
        Tensor out = random(rnd, shape);
        k.channelCombine(a, sa, b, sb, t, out);

        Tensor expected = Tensor.zeros(DType.FLOAT64, shape);
        ReferenceKernels.INSTANCE.channelCombine(toDouble(a), toDouble(sa), toDouble(b), toDouble(sb), toDouble(t), expected);
        Tensor bound = Tensor.zeros(DType.FLOAT64, shape);
        ReferenceKernels.INSTANCE.channelCombine(abs(a), abs(sa), abs(b), abs(sb), abs(t), bound);
        assertWithinSumBound("channelCombine on " + describe(k), expected, out, bound, 3);
    }

    /** The slopes of the leaky ReLU kernels: ReLU, the paper's 0.1, and 1 (the identity). */
    private static final double[] SLOPES = {0, 0.1, 1};

    /**
     * leakyRelu(u + shift[c]): the bits of channelScaleShift followed by activationForward (what
     * mean-only batch norm and its activation give unfused), and one rounding of the reference.
     */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("shapesBackends")
    void shiftLeakyReluEqualsShiftThenActivation(int[] shape, Float32Kernels k) {
        SplittableRandom rnd = new SplittableRandom(shape[0] * 13L + shape[1]);
        int c = shape[1];
        for (double slope : SLOPES) {
            Tensor u = random(rnd, shape);
            Tensor shift = random(rnd, c);
            Tensor y = random(rnd, shape);
            k.channelShiftLeakyRelu(u, shift, slope, y);

            Tensor separate = Tensor.zeros(shape);
            k.channelScaleShift(u, null, shift, separate);
            k.activationForward(slope == 0 ? Activation.RELU : Activation.leakyRelu(slope), separate, separate);
            assertArrayEquals(separate.data(), y.data(), "slope " + slope + " vs shift then activation on " + describe(k));

            Tensor expected = Tensor.zeros(DType.FLOAT64, shape);
            ReferenceKernels.INSTANCE.channelShiftLeakyRelu(toDouble(u), toDouble(shift), slope, expected);
            Tensor bound = Tensor.zeros(DType.FLOAT64, shape);
            ReferenceKernels.INSTANCE.channelScaleShift(abs(u), null, abs(shift), bound);
            assertWithinSumBound("channelShiftLeakyRelu slope " + slope + " on " + describe(k), expected, y, bound, 3);
        }
    }

    /**
     * The leaky ReLU's backward read from its output, with Σdx per channel: dx has the bits of
     * activationBackward given the input (whose sign the output shares), the sums those of
     * channelSums on dx, and both agree with the reference.
     */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("shapesBackends")
    void leakyReluBackwardSumsEqualActivationBackwardThenSums(int[] shape, Float32Kernels k) {
        SplittableRandom rnd = new SplittableRandom(shape[0] * 17L + shape[shape.length - 1]);
        int c = shape[1];
        for (double slope : SLOPES) {
            Activation f = slope == 0 ? Activation.RELU : Activation.leakyRelu(slope);
            Tensor x = random(rnd, shape);
            Tensor y = Tensor.zeros(shape);
            k.activationForward(f, x, y);
            Tensor dy = random(rnd, shape);
            Tensor dx = random(rnd, shape);
            Tensor sums = random(rnd, c);
            k.leakyReluBackwardChannelSums(slope, y, dy, dx, sums);

            Tensor separate = Tensor.zeros(shape);
            k.activationBackward(f, x, y, dy, separate);
            Tensor separateSums = Tensor.zeros(c);
            k.channelSums(separate, separateSums, false);
            assertArrayEquals(separate.data(), dx.data(), "dx, slope " + slope + ", vs activationBackward on " + describe(k));
            assertArrayEquals(separateSums.data(), sums.data(), "sums, slope " + slope + ", vs channelSums on " + describe(k));

            Tensor expectedDx = Tensor.zeros(DType.FLOAT64, shape);
            Tensor expectedSums = Tensor.zeros(DType.FLOAT64, c);
            ReferenceKernels.INSTANCE.leakyReluBackwardChannelSums(slope, toDouble(y), toDouble(dy), expectedDx, expectedSums);
            // Two roundings against the reference's double slope: the slope's to float, and the product.
            assertRelative("dx, slope " + slope + ", on " + describe(k), expectedDx, dx, 2);
            Tensor bound = Tensor.zeros(DType.FLOAT64, c);
            ReferenceKernels.INSTANCE.channelSums(abs(dx), bound, false);
            assertWithinSumBound("sums, slope " + slope + ", on " + describe(k), expectedSums, sums, bound, Tensor.sizeOf(shape) / c);
        }
    }

    /** Every output of the kernels for one draw, flattened in a fixed order. */
    private static List<float[]> outputs(Float32Kernels k, int[] shape) {
        SplittableRandom rnd = new SplittableRandom(17);
        int c = shape[1];
        Tensor x = offsetRandom(rnd, shape);
        Tensor dy = random(rnd, shape);
        Tensor mean = channelMeans(x);
        Tensor invStd = random(rnd, c);
        Tensor gamma = random(rnd, c);
        Tensor beta = random(rnd, c);
        List<float[]> out = new ArrayList<>();

        Tensor squares = Tensor.zeros(c);
        k.channelSquaredDeviations(x, mean, squares);
        out.add(squares.data().clone());
        Tensor xhat = Tensor.zeros(shape);
        Tensor y = Tensor.zeros(shape);
        k.channelNormalize(x, mean, invStd, gamma, beta, xhat, y);
        out.add(xhat.data().clone());
        out.add(y.data().clone());
        Tensor dx = Tensor.zeros(shape);
        k.channelCombine(dy, gamma, xhat, invStd, beta, dx);
        out.add(dx.data().clone());
        Tensor sums = Tensor.zeros(c);
        Tensor dots = Tensor.zeros(c);
        k.channelSumsAndDots(dy, xhat, sums, dots);
        out.add(sums.data().clone());
        out.add(dots.data().clone());
        Tensor z = Tensor.zeros(shape);
        k.channelShiftLeakyRelu(x, beta, 0.1, z);
        out.add(z.data().clone());
        Tensor dz = Tensor.zeros(shape);
        Tensor zSums = Tensor.zeros(c);
        k.leakyReluBackwardChannelSums(0.1, z, dy, dz, zSums);
        out.add(dz.data().clone());
        out.add(zSums.data().clone());
        return out;
    }

    /**
     * Above {@link KernelRanges#PARALLEL_MIN_WORK} the kernels split over threads; each channel's
     * sum and each element must come out with the same bits on 1 and 2 threads.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("shapesForThreads")
    void oneAndTwoThreadsGiveIdenticalBits(int[] shape) {
        for (Float32Kernels k : Float32Fixtures.backends().toList()) {
            Parallel.setThreads(1);
            List<float[]> one = outputs(k, shape);
            Parallel.setThreads(2);
            List<float[]> two = outputs(k, shape);
            for (int i = 0; i < one.size(); i++) {
                assertArrayEquals(one.get(i), two.get(i), "output " + i + " of " + describe(k) + " on 1 vs 2 threads");
            }
        }
    }

    static Stream<int[]> shapesForThreads() {
        // 7·17·17·17 = 34,391, 301·333 = 100,233 and 60·33·25 = 49,500 elements (planes of 5x5, which the
        // fused activation kernels run a chunk of planes at a time): above the split threshold, odd sizes.
        return Stream.of(new int[] {7, 17, 17, 17}, new int[] {301, 333}, new int[] {9, 7, 1023}, new int[] {60, 33, 5, 5});
    }

    @Test
    void facadeNamesBothShapesAndRefusesNull() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.channelSquaredDeviations(Tensor.zeros(2, 6, 5), Tensor.zeros(5), Tensor.zeros(6)));
        assertTrue(e.getMessage().contains("[2, 6, 5]") && e.getMessage().contains("[5]") && e.getMessage().contains("mean"),
                e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> Kernels.channelNormalize(Tensor.zeros(2, 3), Tensor.zeros(3), Tensor.zeros(3), Tensor.zeros(3),
                        Tensor.zeros(3), Tensor.zeros(3, 2), Tensor.zeros(2, 3)));
        assertTrue(e2.getMessage().contains("[2, 3]") && e2.getMessage().contains("[3, 2]"), e2.getMessage());
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class,
                () -> Kernels.channelNormalize(Tensor.zeros(2, 3), Tensor.zeros(3), Tensor.zeros(3), null,
                        Tensor.zeros(3), Tensor.zeros(2, 3), Tensor.zeros(2, 3)));
        assertTrue(e3.getMessage().contains("gamma") && e3.getMessage().contains("null"), e3.getMessage());
        IllegalArgumentException e4 = assertThrows(IllegalArgumentException.class,
                () -> Kernels.channelCombine(Tensor.zeros(4, 2, 3), Tensor.zeros(2), Tensor.zeros(4, 2, 3), Tensor.zeros(2),
                        Tensor.zeros(3), Tensor.zeros(4, 2, 3)));
        IllegalArgumentException e5 = assertThrows(IllegalArgumentException.class,
                () -> Kernels.channelSumsAndDots(Tensor.zeros(4, 5), Tensor.zeros(4, 5), Tensor.zeros(5), Tensor.zeros(4)));
        assertTrue(e5.getMessage().contains("dots") && e5.getMessage().contains("[4, 5]") && e5.getMessage().contains("[4]"),
                e5.getMessage());
        assertTrue(e4.getMessage().contains("shift") && e4.getMessage().contains("[4, 2, 3]") && e4.getMessage().contains("[3]"),
                e4.getMessage());
        IllegalArgumentException e6 = assertThrows(IllegalArgumentException.class,
                () -> Kernels.channelShiftLeakyRelu(Tensor.zeros(4, 2, 3), Tensor.zeros(3), 0.1, Tensor.zeros(4, 2, 3)));
        assertTrue(e6.getMessage().contains("shift") && e6.getMessage().contains("[4, 2, 3]") && e6.getMessage().contains("[3]"),
                e6.getMessage());
        IllegalArgumentException e7 = assertThrows(IllegalArgumentException.class,
                () -> Kernels.leakyReluBackwardChannelSums(0.1, Tensor.zeros(4, 2, 3), Tensor.zeros(4, 2, 3), Tensor.zeros(4, 3, 2),
                        Tensor.zeros(2)));
        assertTrue(e7.getMessage().contains("[4, 2, 3]") && e7.getMessage().contains("[4, 3, 2]"), e7.getMessage());
    }

    /** With a negative slope a negative input gives a positive output: the output's sign cannot give the derivative. */
    @Test
    void backwardFromTheOutputRefusesANegativeSlope() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.leakyReluBackwardChannelSums(-0.5, Tensor.zeros(2, 3), Tensor.zeros(2, 3), Tensor.zeros(2, 3),
                        Tensor.zeros(3)));
        assertTrue(e.getMessage().contains("-0.5") && e.getMessage().contains("activationBackward"), e.getMessage());
    }
}
