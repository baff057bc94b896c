package org.weightnorm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weightnorm4j.tensor.Float32Fixtures.abs;
import static org.weightnorm4j.tensor.Float32Fixtures.assertRelative;
import static org.weightnorm4j.tensor.Float32Fixtures.assertWithinSumBound;
import static org.weightnorm4j.tensor.Float32Fixtures.describe;
import static org.weightnorm4j.tensor.Float32Fixtures.random;
import static org.weightnorm4j.tensor.Float32Fixtures.toDouble;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Activations, channel scale-and-shift, axpy, mul and scale on the float32 backends against the reference. */
class ElementwiseKernelsTest {

    static final List<Activation> ACTIVATIONS = List.of(Activation.IDENTITY, Activation.RELU, Activation.leakyRelu(0.1),
            Activation.elu(1.0), Activation.elu(0.3), Activation.SOFTPLUS, Activation.TANH, Activation.SIGMOID);

    static Stream<Arguments> activationsLengthsBackends() {
        return ACTIVATIONS.stream().flatMap(f -> Float32Fixtures.awkwardLengths().stream()
                .flatMap(n -> Float32Fixtures.loopBackends().stream().map(k -> Arguments.of(f, n, k))));
    }

    static Stream<Arguments> lengthsBackends() {
        return Float32Fixtures.awkwardLengths().stream()
                .flatMap(n -> Float32Fixtures.loopBackends().stream().map(k -> Arguments.of(n, k)));
    }

    /** Uniform values in [-6, 6) with the special points of the activations mixed in. */
    private static Tensor inputs(SplittableRandom rnd, int n) {
        float[] specials = {0f, -0f, 1e-30f, -1e-30f, 40f, -40f, 100f, -100f, Float.NaN};
        Tensor x = Tensor.zeros(n);
        for (int i = 0; i < n; i++) {
            x.set(i, rnd.nextInt(10) == 0 ? specials[rnd.nextInt(specials.length)] : 12 * rnd.nextDouble() - 6);
        }
        return x;
    }

    /**
     * {@code y += sa·a + sb·b} per row has the bits of the four passes it replaced in weight
     * norm's Eq. 3 (scale into a buffer, add it, scale the other, add it), and matches the reference.
     */
    @ParameterizedTest(name = "n={0} on {1}")
    @MethodSource("lengthsBackends")
    void addRowScaledHasTheBitsOfScaleThenAddTwice(int n, Float32Kernels k) {
        SplittableRandom rnd = new SplittableRandom(n + 5L);
        int rows = 3;
        Tensor a = random(rnd, rows, n), b = random(rnd, rows, n), y = random(rnd, rows, n);
        Tensor sa = random(rnd, rows), sb = random(rnd, rows);
        b.set(0, -0f);
        Tensor expected = y.copy(), tmp = Tensor.zeros(1, rows, n);
        k.channelScaleShift(a.reshape(1, rows, n), sa, null, tmp);
        k.axpy(1, tmp, expected.reshape(1, rows, n));
        k.channelScaleShift(b.reshape(1, rows, n), sb, null, tmp);
        k.axpy(1, tmp, expected.reshape(1, rows, n));
        Tensor fused = y.copy();
        k.addRowScaled(a, sa, b, sb, fused);
        assertArrayEquals(expected.data(), fused.data(), "fused against four passes on " + describe(k));

        Tensor reference = toDouble(y);
        ReferenceKernels.INSTANCE.addRowScaled(toDouble(a), toDouble(sa), toDouble(b), toDouble(sb), reference);
        Tensor bound = abs(y);
        ReferenceKernels.INSTANCE.addRowScaled(abs(a), abs(sa), abs(b), abs(sb), bound);
        assertWithinSumBound("addRowScaled on " + describe(k), reference, fused, bound, 4);
    }

    /** The gradient guard's test: a NaN or an infinity anywhere (first, middle, last element) is found; huge finite values are not flagged. */
    @ParameterizedTest(name = "n={0} on {1}")
    @MethodSource("lengthsBackends")
    void allFiniteFindsEveryNanAndInfinity(int n, Float32Kernels k) {
        SplittableRandom rnd = new SplittableRandom(n);
        Tensor x = random(rnd, n);
        x.set(rnd.nextInt(n), Float.MAX_VALUE);
        x.set(rnd.nextInt(n), -Float.MAX_VALUE);
        assertTrue(k.allFinite(x), "finite values on " + describe(k));
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            for (int at : new int[] {0, n / 2, n - 1}) {
                Tensor y = x.copy();
                y.set(at, bad);
                assertFalse(k.allFinite(y), bad + " at " + at + " of " + n + " on " + describe(k));
                assertFalse(Kernels.allFinite(y), bad + " at " + at + " of " + n + " through the facade");
            }
        }
    }

    @ParameterizedTest(name = "{0} n={1} on {2}")
    @MethodSource("activationsLengthsBackends")
    void activationMatchesReference(Activation f, int n, Float32Kernels k) {
        SplittableRandom rnd = new SplittableRandom(n * 7L + f.kind().ordinal());
        Tensor x = inputs(rnd, n);
        Tensor y = random(rnd, n);
        k.activationForward(f, x, y);
        Tensor expectedY = Tensor.zeros(DType.FLOAT64, n);
        ReferenceKernels.INSTANCE.activationForward(f, toDouble(x), expectedY);
        assertRelative(f + " forward on " + describe(k), expectedY, y, 4);

        Tensor dy = random(rnd, n);
        Tensor dx = random(rnd, n);
        k.activationBackward(f, x, y, dy, dx);
        Tensor expectedDx = Tensor.zeros(DType.FLOAT64, n);
        ReferenceKernels.INSTANCE.activationBackward(f, toDouble(x), toDouble(y), toDouble(dy), expectedDx);
        assertRelative(f + " backward on " + describe(k), expectedDx, dx, 4);
    }

    /**
     * ELU's two implementations run {@code GateMath}'s operations lane by lane: the same bits, on
     * every length (vector body and scalar tail) and on inputs across the whole range of its exp.
     */
    @ParameterizedTest(name = "n={0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 7, 17, 1023, 4099})
    void eluSimdAndScalarGiveTheSameBits(int n) {
        SplittableRandom rnd = new SplittableRandom(n);
        Tensor x = inputs(rnd, n);
        for (int i = 0; i < n; i += 3) {
            x.set(i, 200 * rnd.nextDouble() - 100);
        }
        Float32Kernels scalar = Float32Fixtures.loopBackends().get(0);
        Float32Kernels simd = Float32Fixtures.loopBackends().get(1);
        for (Activation f : List.of(Activation.elu(1.0), Activation.elu(0.3))) {
            Tensor ys = x.zerosLike(), yv = x.zerosLike();
            scalar.activationForward(f, x, ys);
            simd.activationForward(f, x, yv);
            assertArrayEquals(ys.data(), yv.data(), f + " forward, n " + n);
            Tensor dy = random(rnd, n);
            Tensor ds = x.zerosLike(), dv = x.zerosLike();
            scalar.activationBackward(f, x, ys, dy, ds);
            simd.activationBackward(f, x, yv, dy, dv);
            assertArrayEquals(ds.data(), dv.data(), f + " backward, n " + n);
        }
    }

    /**
     * {@code activationBackwardPlus} and {@code plus} (a residual block's fused backward and its
     * one-pass sum) have the bits of the passes they replace, {@code activationBackward} then a copy
     * and an {@code axpy} with alpha 1, on the scalar and the SIMD loops alike (so also the same bits
     * as each other), for every activation, on every length (vector body and scalar tail), and in
     * float64 on the reference kernels; {@code plus} also into either operand.
     */
    @ParameterizedTest(name = "n={0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 7, 17, 1023, 4099})
    void backwardPlusAndPlusHaveTheBitsOfTheUnfusedPasses(int n) {
        SplittableRandom rnd = new SplittableRandom(n + 11L);
        Tensor x = inputs(rnd, n);
        Tensor addend = random(rnd, n);
        addend.set(0, -0f);
        Tensor dy = random(rnd, n);
        if (n > 1) {
            dy.set(1, -0f);
        }
        float[] firstBackend = null;
        for (Float32Kernels k : Float32Fixtures.loopBackends()) {
            for (Activation f : ACTIVATIONS) {
                Tensor y = x.zerosLike();
                k.activationForward(f, x, y);
                Tensor expected = x.zerosLike(), sum = x.zerosLike();
                k.activationBackward(f, x, y, dy, expected);
                sum.copyFrom(expected);
                k.axpy(1, addend, sum);
                Tensor fused = random(rnd, n);
                k.activationBackwardPlus(f, x, y, dy, addend, fused);
                assertArrayEquals(sum.data(), fused.data(), f + " backwardPlus on " + describe(k) + ", n " + n);
                if (f.kind() == Activation.Kind.ELU && f.param() == 1.0) {
                    if (firstBackend == null) {
                        firstBackend = fused.data().clone();
                    } else {
                        assertArrayEquals(firstBackend, fused.data(), "ELU backwardPlus, scalar vs SIMD, n " + n);
                    }
                }
            }
            Tensor a = random(rnd, n), b = random(rnd, n);
            a.set(0, -0f);
            b.set(0, -0f);
            Tensor expected = a.copy();
            k.axpy(1, b, expected);
            Tensor out = random(rnd, n);
            k.plus(a, b, out);
            assertArrayEquals(expected.data(), out.data(), "plus on " + describe(k) + ", n " + n);
            Tensor intoA = a.copy(), intoB = b.copy();
            k.plus(intoA, b, intoA);
            k.plus(a, intoB, intoB);
            assertArrayEquals(expected.data(), intoA.data(), "plus into a on " + describe(k) + ", n " + n);
            assertArrayEquals(expected.data(), intoB.data(), "plus into b on " + describe(k) + ", n " + n);
        }
        Tensor x64 = toDouble(x), y64 = x64.zerosLike(), dy64 = toDouble(random(rnd, n)), add64 = toDouble(addend);
        Activation elu = Activation.elu(0.3);
        Kernels.activationForward(elu, x64, y64);
        Tensor expected64 = x64.zerosLike();
        Kernels.activationBackward(elu, x64, y64, dy64, expected64);
        Kernels.axpy(1, add64, expected64);
        Tensor fused64 = x64.zerosLike();
        Kernels.activationBackwardPlus(elu, x64, y64, dy64, add64, fused64);
        assertArrayEquals(expected64.data64(), fused64.data64(), "float64 backwardPlus, n " + n);
        Tensor sum64 = x64.zerosLike();
        Kernels.plus(x64, add64, sum64);
        Tensor expectedSum64 = x64.copy();
        Kernels.axpy(1, add64, expectedSum64);
        assertArrayEquals(expectedSum64.data64(), sum64.data64(), "float64 plus, n " + n);
    }

    /** Layers apply activations in place (y is x, dx is dy): the kernels must allow it. */
    @Test
    void activationsWorkInPlace() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (Float32Kernels k : Float32Fixtures.loopBackends()) {
            for (Activation f : ACTIVATIONS) {
                Tensor x = inputs(rnd, 37);
                Tensor y = x.zerosLike();
                k.activationForward(f, x, y);
                Tensor inPlace = x.copy();
                k.activationForward(f, inPlace, inPlace);
                assertArrayEquals(y.data(), inPlace.data(), f + " on " + describe(k));

                Tensor dy = random(rnd, 37);
                Tensor dx = x.zerosLike();
                k.activationBackward(f, x, y, dy, dx);
                k.activationBackward(f, x, y, dy, dy);
                assertArrayEquals(dx.data(), dy.data(), f + " backward on " + describe(k));
            }
        }
    }

    static Stream<Arguments> channelShapesBackends() {
        return Stream.of(new int[] {1, 1}, new int[] {7, 17}, new int[] {3, 33, 1}, new int[] {2, 5, 7, 7},
                        new int[] {1, 3, 1023}, new int[] {4, 2, 3, 11})
                .flatMap(s -> Float32Fixtures.loopBackends().stream().map(k -> Arguments.of(s, k)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("channelShapesBackends")
    void channelScaleShiftMatchesReference(int[] shape, Float32Kernels k) {
        SplittableRandom rnd = new SplittableRandom(shape.length * 100 + shape[1]);
        int c = shape[1];
        Tensor u = random(rnd, shape);
        Tensor scale = random(rnd, c);
        Tensor shift = random(rnd, c);
        Tensor[][] variants = {{scale, shift}, {scale, null}, {null, shift}, {null, null}};
        for (Tensor[] v : variants) {
            Tensor y = random(rnd, shape);
            k.channelScaleShift(u, v[0], v[1], y);
            Tensor expected = Tensor.zeros(DType.FLOAT64, shape);
            ReferenceKernels.INSTANCE.channelScaleShift(toDouble(u), v[0] == null ? null : toDouble(v[0]),
                    v[1] == null ? null : toDouble(v[1]), expected);
            Tensor bound = Tensor.zeros(DType.FLOAT64, shape);
            ReferenceKernels.INSTANCE.channelScaleShift(abs(u), v[0] == null ? null : abs(v[0]),
                    v[1] == null ? null : abs(v[1]), bound);
            String what = "scale " + (v[0] != null) + " shift " + (v[1] != null) + " on " + describe(k);
            assertWithinSumBound(what, expected, y, bound, 2);

            Tensor inPlace = u.copy();
            k.channelScaleShift(inPlace, v[0], v[1], inPlace);
            assertArrayEquals(y.data(), inPlace.data(), "in place, " + what);
        }
    }

    @ParameterizedTest(name = "n={0} on {1}")
    @MethodSource("lengthsBackends")
    void axpyMulScaleMatchReference(int n, Float32Kernels k) {
        SplittableRandom rnd = new SplittableRandom(n);
        Tensor x = random(rnd, n);
        Tensor y = random(rnd, n);
        double alpha = -0.37;

        Tensor axpy = y.copy();
        k.axpy(alpha, x, axpy);
        Tensor expected = toDouble(y);
        ReferenceKernels.INSTANCE.axpy(alpha, toDouble(x), expected);
        Tensor bound = abs(y);
        ReferenceKernels.INSTANCE.axpy(Math.abs(alpha), abs(x), bound);
        assertWithinSumBound("axpy on " + describe(k), expected, axpy, bound, 3);

        Tensor product = random(rnd, n);
        k.mul(x, y, product);
        Tensor expectedProduct = Tensor.zeros(DType.FLOAT64, n);
        ReferenceKernels.INSTANCE.mul(toDouble(x), toDouble(y), expectedProduct);
        assertRelative("mul on " + describe(k), expectedProduct, product, 1);
        Tensor aliased = x.copy();
        k.mul(aliased, y, aliased);
        assertArrayEquals(product.data(), aliased.data(), "mul in place on " + describe(k));

        Tensor scaled = x.copy();
        k.scale(alpha, scaled);
        Tensor expectedScaled = toDouble(x);
        ReferenceKernels.INSTANCE.scale(alpha, expectedScaled);
        assertRelative("scale on " + describe(k), expectedScaled, scaled, 3);
    }

    @Test
    void shapeMismatchesNameBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.axpy(1, Tensor.zeros(3, 4), Tensor.zeros(4, 3)));
        assertTrue(e.getMessage().contains("[3, 4]") && e.getMessage().contains("[4, 3]"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> Kernels.mul(Tensor.zeros(2, 5), Tensor.zeros(2, 5), Tensor.zeros(10)));
        assertTrue(e2.getMessage().contains("[2, 5]") && e2.getMessage().contains("[10]"), e2.getMessage());
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class,
                () -> Kernels.activationForward(Activation.RELU, Tensor.zeros(2, 5), Tensor.zeros(5, 2)));
        assertTrue(e3.getMessage().contains("[2, 5]") && e3.getMessage().contains("[5, 2]"), e3.getMessage());
        IllegalArgumentException e4 = assertThrows(IllegalArgumentException.class,
                () -> Kernels.channelScaleShift(Tensor.zeros(2, 5, 3), Tensor.zeros(3), null, Tensor.zeros(2, 5, 3)));
        assertTrue(e4.getMessage().contains("[2, 5, 3]") && e4.getMessage().contains("[3]"), e4.getMessage());
    }
}
