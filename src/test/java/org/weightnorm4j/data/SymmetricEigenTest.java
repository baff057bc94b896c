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

    /** Repeated, zero and widely graded eigenvalues: the cases a covariance matrix produces. */
    @ParameterizedTest
    @ValueSource(strings = {"identity", "zero", "rank1", "rank2", "graded", "tridiagonal"})
    void handlesDegenerateAndGradedSpectra(String kind) {
        int n = 40;
        SplittableRandom r = new SplittableRandom(kind.hashCode());
        double[] a = new double[n * n];
        switch (kind) {
            case "identity" -> {
                for (int i = 0; i < n; i++) {
                    a[i * n + i] = 3;
                }
            }
            case "zero" -> { }
            case "rank1", "rank2" -> {
                int rank = kind.equals("rank1") ? 1 : 2;
                for (int k = 0; k < rank; k++) {
                    double[] u = new double[n];
                    for (int i = 0; i < n; i++) {
                        u[i] = r.nextGaussian();
                    }
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            a[i * n + j] += u[i] * u[j];
                        }
                    }
                }
            }
            case "graded" -> {
                // Q diag(10^-k) Qᵀ for a random orthogonal-ish Q from a Gram–Schmidt basis.
                double[][] q = new double[n][n];
                for (int k = 0; k < n; k++) {
                    for (int i = 0; i < n; i++) {
                        q[k][i] = r.nextGaussian();
                    }
                    for (int l = 0; l < k; l++) {
                        double dot = 0;
                        for (int i = 0; i < n; i++) {
                            dot += q[k][i] * q[l][i];
                        }
                        for (int i = 0; i < n; i++) {
                            q[k][i] -= dot * q[l][i];
                        }
                    }
                    double norm = 0;
                    for (int i = 0; i < n; i++) {
                        norm += q[k][i] * q[k][i];
                    }
                    for (int i = 0; i < n; i++) {
                        q[k][i] /= Math.sqrt(norm);
                    }
                }
                for (int k = 0; k < n; k++) {
                    double lambda = Math.pow(10, -10.0 * k / (n - 1));
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            a[i * n + j] += lambda * q[k][i] * q[k][j];
                        }
                    }
                }
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < i; j++) {
                        a[i * n + j] = a[j * n + i];
                    }
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    a[i * n + i] = r.nextGaussian();
                    if (i + 1 < n) {
                        a[i * n + i + 1] = a[(i + 1) * n + i] = r.nextGaussian();
                    }
                }
            }
        }
        SymmetricEigen e = SymmetricEigen.of(a, n);
        double scale = 1;
        for (double x : a) {
            scale = Math.max(scale, Math.abs(x));
        }
        double[] back = e.apply(x -> x);
        for (int i = 0; i < n * n; i++) {
            assertEquals(a[i], back[i], 1e-12 * scale * n, kind + " element " + i);
        }
        double[] id = e.apply(x -> 1);
        for (int i = 0; i < n * n; i++) {
            assertEquals(i % (n + 1) == 0 ? 1 : 0, id[i], 1e-12, kind + " orthogonality " + i);
        }
        if (kind.equals("graded")) {
            double[] values = new double[n];
            for (int k = 0; k < n; k++) {
                values[k] = e.value(k);
            }
            Arrays.sort(values);
            // The smallest eigenvalue, 1e-10, is recovered to an absolute error near 1e-16 ||A||.
            assertEquals(1e-10, values[0], 1e-14);
        }
    }

    @Test
    void rejectsNonSymmetricAndWrongSize() {
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[] {1, 2, 3, 4}, 2));
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[] {1, 2, 3}, 2));
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[] {Double.NaN}, 1));
    }
}
