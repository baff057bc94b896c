package org.weightnorm4j.data;

import java.util.function.DoubleUnaryOperator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Eigendecomposition of a real symmetric matrix, {@code A = U diag(λ) Uᵀ}, in double precision:
 * a thin wrapper over EJML's symmetric QR algorithm (Householder tridiagonalisation, then
 * implicit shifted QR), which is backward stable, so eigenvalues are accurate to about
 * {@code 1e-16 ||A||}: what ZCA whitening needs for the small ones it divides by (they are floored
 * by its ε anyway). docs/ARCHITECTURE.md says why EJML replaced a hand-written solver, and
 * docs/BENCHMARKS.md gives the measurement.
 *
 * <p>The wrapper keeps the project's conventions: row-major {@code double[]} in and out, an
 * argument check that names the offending element, and {@link #apply} for functions of the matrix.
 * Eigenvalues come in no particular order and each eigenvector's sign is arbitrary; neither
 * matters to {@code U diag(f(λ)) Uᵀ}.
 */
public final class SymmetricEigen {
    private final int n;
    private final double[] values;
    /** The eigenvectors as the rows of {@code Uᵀ}, so {@link #apply} reads contiguous rows. */
    private final double[] vectorsT;

    private SymmetricEigen(int n, double[] values, double[] vectorsT) {
        this.n = n;
        this.values = values;
        this.vectorsT = vectorsT;
    }

    /**
     * Decomposes the symmetric {@code n x n} row-major matrix {@code a} (not modified).
     *
     * @throws IllegalArgumentException when {@code a} is not {@code n x n}, not symmetric, or not finite
     * @throws ArithmeticException when the QR iteration does not converge (not seen on finite input)
     */
    public static SymmetricEigen of(double[] a, int n) {
        check(a, n);
        double[] values = new double[n];
        double[] vectorsT = new double[n * n];
        if (n == 0) {
            return new SymmetricEigen(0, values, vectorsT);
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        // EJML may overwrite its input, and the caller keeps a.
        if (!eig.decompose(DMatrixRMaj.wrap(n, n, a.clone()))) {
            throw new ArithmeticException("the symmetric eigendecomposition of a " + n + "x" + n + " matrix did not converge");
        }
        for (int k = 0; k < n; k++) {
            values[k] = eig.getEigenvalue(k).real;
            System.arraycopy(eig.getEigenVector(k).data, 0, vectorsT, k * n, n);
        }
        return new SymmetricEigen(n, values, vectorsT);
    }

    private static void check(double[] a, int n) {
        if (n < 0 || a.length != (long) n * n) {
            throw new IllegalArgumentException("expected a " + n + "x" + n + " matrix (" + ((long) n * n)
                    + " values), got " + a.length + " values");
        }
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i])) {
                throw new IllegalArgumentException("matrix element (" + (i / n) + ", " + (i % n) + ") is " + a[i]);
            }
            scale = Math.max(scale, Math.abs(a[i]));
        }
        // EJML's symmetric solver reads one triangle only, so an asymmetric input would pass silently.
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (Math.abs(a[i * n + j] - a[j * n + i]) > 1e-9 * scale) {
                    throw new IllegalArgumentException("matrix is not symmetric at (" + i + ", " + j + "): "
                            + a[i * n + j] + " vs " + a[j * n + i]);
                }
            }
        }
    }

    public int dimension() {
        return n;
    }

    /** Eigenvalue {@code i} (unsorted; paired with {@link #vector(int)}). */
    public double value(int i) {
        return values[i];
    }

    /** A copy of eigenvector {@code i} (unit length). */
    public double[] vector(int i) {
        double[] v = new double[n];
        System.arraycopy(vectorsT, i * n, v, 0, n);
        return v;
    }

    /**
     * {@code U diag(f(λ)) Uᵀ} as a row-major {@code n x n} matrix: a function of the matrix,
     * e.g. {@code f(λ) = 1/sqrt(λ + ε)} gives the ZCA whitening matrix.
     */
    public double[] apply(DoubleUnaryOperator f) {
        double[] out = new double[n * n];
        // out[i][j] = Σ_k U[i][k] f(λ_k) U[j][k] = Σ_k vt[k][i] f_k vt[k][j]: accumulate row k of vt.
        for (int k = 0; k < n; k++) {
            int rk = k * n;
            double fk = f.applyAsDouble(values[k]);
            for (int i = 0; i < n; i++) {
                double a = vectorsT[rk + i] * fk;
                if (a == 0) {
                    continue;
                }
                int ri = i * n;
                for (int j = 0; j < n; j++) {
                    out[ri + j] += a * vectorsT[rk + j];
                }
            }
        }
        return out;
    }
}
