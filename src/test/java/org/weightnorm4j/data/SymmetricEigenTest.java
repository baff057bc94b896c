package org.weightnorm4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {
    @Test
    void twoByTwoHasTheTextbookEigenvalues() {
        // [[2, 1], [1, 2]]: eigenvalues 1 and 3, eigenvectors (1, -1)/√2 and (1, 1)/√2.
        SymmetricEigen e = SymmetricEigen.of(new double[] {2, 1, 1, 2}, 2);
        double[] values = {e.value(0), e.value(1)};
        Arrays.sort(values);
        assertEquals(1, values[0], 1e-14);
        assertEquals(3, values[1], 1e-14);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 30, 64})
    void reconstructsRandomSymmetricMatrices(int n) {
        SplittableRandom r = new SplittableRandom(n);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double v = r.nextGaussian();
                a[i * n + j] = v;
                a[j * n + i] = v;
            }
        }
        SymmetricEigen e = SymmetricEigen.of(a, n);
        for (int k = 0; k < n; k++) {
            double[] v = e.vector(k);
            // A v = λ v
            for (int i = 0; i < n; i++) {
                double av = 0;
                for (int j = 0; j < n; j++) {
                    av += a[i * n + j] * v[j];
                }
                assertEquals(e.value(k) * v[i], av, 1e-10, "n=" + n + " k=" + k + " i=" + i);
            }
            // orthonormal
            for (int l = 0; l < n; l++) {
                double dot = 0;
                double[] w = e.vector(l);
                for (int i = 0; i < n; i++) {
                    dot += v[i] * w[i];
                }
                assertEquals(k == l ? 1 : 0, dot, 1e-12);
            }
        }
        // f(λ) = λ rebuilds A; f(λ) = 1 gives the identity.
        double[] back = e.apply(x -> x);
        double[] id = e.apply(x -> 1);
        for (int i = 0; i < n * n; i++) {
            assertEquals(a[i], back[i], 1e-11);
            assertEquals(i % (n + 1) == 0 ? 1 : 0, id[i], 1e-12);
        }
    }

    @Test
    void rejectsNonSymmetricAndWrongSize() {
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[] {1, 2, 3, 4}, 2));
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[] {1, 2, 3}, 2));
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[] {Double.NaN}, 1));
    }
}
