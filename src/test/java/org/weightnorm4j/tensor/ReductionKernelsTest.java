package org.weightnorm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weightnorm4j.tensor.Float32Fixtures.abs;
import static org.weightnorm4j.tensor.Float32Fixtures.assertWithinSumBound;
import static org.weightnorm4j.tensor.Float32Fixtures.describe;
import static org.weightnorm4j.tensor.Float32Fixtures.random;
import static org.weightnorm4j.tensor.Float32Fixtures.toDouble;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Channel sums and dots, row sums and row L2 norms on the float32 backends against the reference. */
class ReductionKernelsTest {

    static Stream<Arguments> shapesBackends() {
        return Stream.of(new int[] {1, 1}, new int[] {7, 17}, new int[] {33, 1}, new int[] {3, 7, 1023},
                        new int[] {2, 5, 7, 7}, new int[] {1, 3, 2, 1500}, new int[] {17, 33, 1, 1},
                        new int[] {128, 512}, new int[] {301, 333})
                .flatMap(s -> Float32Fixtures.loopBackends().stream().map(k -> Arguments.of(s, k)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("shapesBackends")
    void channelSumsAndDotsMatchReferenceInBothModes(int[] shape, Float32Kernels k) {
        SplittableRandom rnd = new SplittableRandom(shape[0] * 1000L + shape[shape.length - 1]);
        int c = shape[1];
        long terms = Tensor.sizeOf(shape) / c;
        Tensor a = random(rnd, shape);
        Tensor b = random(rnd, shape);
        Tensor start = random(rnd, c);
        for (boolean accumulate : new boolean[] {false, true}) {
            Tensor sums = start.copy();
            k.channelSums(a, sums, accumulate);
            Tensor expected = toDouble(start);
            ReferenceKernels.INSTANCE.channelSums(toDouble(a), expected, accumulate);
            Tensor bound = abs(start);
            ReferenceKernels.INSTANCE.channelSums(abs(a), bound, accumulate);
            assertWithinSumBound("channelSums accumulate=" + accumulate + " on " + describe(k), expected, sums, bound, terms + 1);

            Tensor dots = start.copy();
            k.channelDots(a, b, dots, accumulate);
            Tensor expectedDots = toDouble(start);
            ReferenceKernels.INSTANCE.channelDots(toDouble(a), toDouble(b), expectedDots, accumulate);
            Tensor boundDots = abs(start);
            ReferenceKernels.INSTANCE.channelDots(abs(a), abs(b), boundDots, accumulate);
            assertWithinSumBound("channelDots accumulate=" + accumulate + " on " + describe(k), expectedDots, dots, boundDots,
                    terms + 1);
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("shapesBackends")
    void rowSumsAndNormsMatchReference(int[] shape, Float32Kernels k) {
        SplittableRandom rnd = new SplittableRandom(shape[1] * 1000L + shape[0]);
        int rows = shape[0];
        long cols = Tensor.sizeOf(shape) / rows;
        Tensor m = random(rnd, shape);

        Tensor sums = random(rnd, rows);
        k.rowSums(m, sums);
        Tensor expected = Tensor.zeros(DType.FLOAT64, rows);
        ReferenceKernels.INSTANCE.rowSums(toDouble(m), expected);
        Tensor bound = Tensor.zeros(DType.FLOAT64, rows);
        ReferenceKernels.INSTANCE.rowSums(abs(m), bound);
        assertWithinSumBound("rowSums on " + describe(k), expected, sums, bound, cols);

        // ||v|| = sqrt(Σ v²): a relative error e in the sum of squares gives e/2 in the norm.
        Tensor norms = random(rnd, rows);
        k.rowL2Norms(m, norms);
        Tensor expectedNorms = Tensor.zeros(DType.FLOAT64, rows);
        ReferenceKernels.INSTANCE.rowL2Norms(toDouble(m), expectedNorms);
        assertWithinSumBound("rowL2Norms on " + describe(k), expectedNorms, norms, expectedNorms, cols);
    }

    /**
     * The norms feed {@code w = g v/||v||} (paper eq. 2), so they must stay accurate to float
     * precision on long rows and where squares overflow or underflow float: values of 1e25
     * (squares 1e50) and 1e-25 (squares 1e-50).
     */
    @Test
    void rowL2NormsStayAccurateOnLongRowsAndExtremeMagnitudes() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (Float32Kernels k : Float32Fixtures.loopBackends()) {
            for (double magnitude : new double[] {1, 1e25, 1e-25}) {
                int cols = 20_000;
                Tensor m = Tensor.zeros(3, cols);
                for (int i = 0; i < m.size(); i++) {
                    m.set(i, magnitude * (rnd.nextDouble() + 0.5));
                }
                Tensor norms = Tensor.zeros(3);
                k.rowL2Norms(m, norms);
                Tensor expected = Tensor.zeros(DType.FLOAT64, 3);
                ReferenceKernels.INSTANCE.rowL2Norms(toDouble(m), expected);
                for (int r = 0; r < 3; r++) {
                    double rel = Math.abs(norms.get(r) - expected.get(r)) / expected.get(r);
                    assertTrue(rel < 1e-5, "magnitude " + magnitude + " row " + r + " on " + describe(k) + ": relative error "
                            + rel + " (" + norms.get(r) + " vs " + expected.get(r) + ")");
                }
            }
        }
    }

    @Test
    void zeroRowHasZeroNorm() {
        for (Float32Kernels k : Float32Fixtures.loopBackends()) {
            Tensor norms = Tensor.zeros(2);
            norms.fill(5);
            k.rowL2Norms(Tensor.zeros(2, 40), norms);
            assertEquals(0.0, norms.get(0));
            assertEquals(0.0, norms.get(1));
        }
    }

    @Test
    void wrongOutputShapesNameBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.rowL2Norms(Tensor.zeros(4, 3, 3), Tensor.zeros(3)));
        assertTrue(e.getMessage().contains("[4, 3, 3]") && e.getMessage().contains("[3]"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> Kernels.channelSums(Tensor.zeros(2, 6, 5), Tensor.zeros(5), false));
        assertTrue(e2.getMessage().contains("[2, 6, 5]") && e2.getMessage().contains("[5]"), e2.getMessage());
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class,
                () -> Kernels.channelDots(Tensor.zeros(2, 6), Tensor.zeros(6, 2), Tensor.zeros(6), false));
        assertTrue(e3.getMessage().contains("[2, 6]") && e3.getMessage().contains("[6, 2]"), e3.getMessage());
        IllegalArgumentException e4 = assertThrows(IllegalArgumentException.class,
                () -> Kernels.rowSums(Tensor.zeros(4, 2), Tensor.zeros(2)));
        assertTrue(e4.getMessage().contains("[4, 2]") && e4.getMessage().contains("[2]"), e4.getMessage());
    }
}
