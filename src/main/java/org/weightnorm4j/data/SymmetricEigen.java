package org.weightnorm4j.data;

import java.util.function.DoubleUnaryOperator;

/**
 * Eigendecomposition of a real symmetric matrix, {@code A = U diag(λ) Uᵀ}, in double precision.
 *
 * <p>Method (Golub &amp; Van Loan, <i>Matrix Computations</i>, §8.3): Householder reflections reduce
 * {@code A} to a tridiagonal {@code T = Qᵀ A Q}; implicit symmetric QR steps with the Wilkinson
 * shift then drive {@code T}'s off-diagonal to zero, each step a chain of Givens rotations that are
 * also applied to {@code Q}. About 10 n³ flops in all, every inner loop over contiguous memory;
 * backward stable, so eigenvalues are accurate to about {@code 1e-16 ||A||}, which is what ZCA
 * whitening needs for the small ones it divides by (they are floored by its ε anyway).
 *
 * <p>Storage: the matrix is row-major; the eigenvectors are kept as the <em>rows</em> of
 * {@code Uᵀ}, so every rotation touches two contiguous rows.
 */
public final class SymmetricEigen {
    private static final double EPS = Math.ulp(1.0);

    private final int n;
    private final double[] values;
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
     */
    public static SymmetricEigen of(double[] a, int n) {
        check(a, n);
        double[] m = a.clone();
        double[] d = new double[n];
        double[] e = new double[Math.max(n - 1, 0)];
        double[] qt = tridiagonalize(m, n, d, e);
        diagonalize(d, e, qt, n);
        return new SymmetricEigen(n, d, qt);
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
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (Math.abs(a[i * n + j] - a[j * n + i]) > 1e-9 * scale) {
                    throw new IllegalArgumentException("matrix is not symmetric at (" + i + ", " + j + "): "
                            + a[i * n + j] + " vs " + a[j * n + i]);
                }
            }
        }
    }

    /**
     * Householder reduction: overwrites {@code m}, fills the diagonal {@code d} and off-diagonal
     * {@code e} of {@code T = Qᵀ A Q}, and returns {@code Qᵀ} row-major.
     */
    private static double[] tridiagonalize(double[] m, int n, double[] d, double[] e) {
        int steps = Math.max(n - 2, 0);
        double[][] vs = new double[steps][];
        double[] betas = new double[steps];
        double[] p = new double[n];
        for (int k = 0; k < steps; k++) {
            // x = column k below the diagonal = row k right of it (symmetry); reflect it onto alpha e1.
            int len = n - k - 1;
            int row = k * n + k + 1;
            double norm = 0;
            for (int j = 0; j < len; j++) {
                norm = Math.hypot(norm, m[row + j]);
            }
            d[k] = m[k * n + k];
            double x0 = m[row];
            double alpha = x0 > 0 ? -norm : norm;
            double[] v = new double[len];
            System.arraycopy(m, row, v, 0, len);
            v[0] = x0 - alpha;
            double vv = 0;
            for (double x : v) {
                vv += x * x;
            }
            e[k] = alpha;
            if (vv == 0) {
                vs[k] = v;
                betas[k] = 0;
                continue;
            }
            double beta = 2 / vv;
            vs[k] = v;
            betas[k] = beta;
            // A22 ← H A22 H with H = I - β v vᵀ: p = β A22 v, w = p - (β pᵀv / 2) v, A22 -= v wᵀ + w vᵀ.
            int off = k + 1;
            double pv = 0;
            for (int i = 0; i < len; i++) {
                int r = (off + i) * n + off;
                double s = 0;
                for (int j = 0; j < len; j++) {
                    s += m[r + j] * v[j];
                }
                p[i] = beta * s;
                pv += p[i] * v[i];
            }
            double kk = beta * pv / 2;
            for (int i = 0; i < len; i++) {
                p[i] -= kk * v[i];
            }
            for (int i = 0; i < len; i++) {
                int r = (off + i) * n + off;
                double vi = v[i];
                double wi = p[i];
                for (int j = 0; j < len; j++) {
                    m[r + j] -= vi * p[j] + wi * v[j];
                }
            }
        }
        if (n >= 2) {
            d[n - 2] = m[(n - 2) * n + n - 2];
            e[n - 2] = m[(n - 2) * n + n - 1];
        }
        if (n >= 1) {
            d[n - 1] = m[(n - 1) * n + n - 1];
        }
        // Q = H_0 H_1 ... H_{n-3}, built from the back so each reflection touches only its trailing block.
        double[] q = new double[n * n];
        for (int i = 0; i < n; i++) {
            q[i * n + i] = 1;
        }
        double[] u = new double[n];
        for (int k = steps - 1; k >= 0; k--) {
            double beta = betas[k];
            if (beta == 0) {
                continue;
            }
            double[] v = vs[k];
            int off = k + 1;
            int len = n - off;
            java.util.Arrays.fill(u, 0, len, 0);
            for (int i = 0; i < len; i++) {
                int r = (off + i) * n + off;
                double vi = v[i];
                for (int j = 0; j < len; j++) {
                    u[j] += vi * q[r + j];
                }
            }
            for (int i = 0; i < len; i++) {
                int r = (off + i) * n + off;
                double bv = beta * v[i];
                for (int j = 0; j < len; j++) {
                    q[r + j] -= bv * u[j];
                }
            }
        }
        double[] qt = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                qt[j * n + i] = q[i * n + j];
            }
        }
        return qt;
    }

    /**
     * Implicit symmetric QR with Wilkinson shift on the tridiagonal (d, e), rotating the rows of
     * {@code qt} along (G&amp;VL Algorithms 8.3.2 and 8.3.3).
     */
    private static void diagonalize(double[] d, double[] e, double[] qt, int n) {
        int hi = n - 1;
        int iterations = 0;
        int limit = 50 * Math.max(n, 1);
        while (hi > 0) {
            if (Math.abs(e[hi - 1]) <= EPS * (Math.abs(d[hi - 1]) + Math.abs(d[hi]))) {
                e[hi - 1] = 0;
                hi--;
                continue;
            }
            int lo = hi - 1;
            while (lo > 0 && Math.abs(e[lo - 1]) > EPS * (Math.abs(d[lo - 1]) + Math.abs(d[lo]))) {
                lo--;
            }
            if (++iterations > limit) {
                throw new IllegalStateException("symmetric QR did not converge after " + limit + " steps (n = " + n + ")");
            }
            qrStep(d, e, qt, n, lo, hi);
        }
    }

    /** One implicit QR step on the unreduced block lo..hi: T ← Gᵀ T G, chasing the bulge down. */
    private static void qrStep(double[] d, double[] e, double[] qt, int n, int lo, int hi) {
        double dd = (d[hi - 1] - d[hi]) / 2;
        double b = e[hi - 1];
        double mu = d[hi] - b * b / (dd + (dd >= 0 ? 1 : -1) * Math.hypot(dd, b));
        double x = d[lo] - mu;
        double z = e[lo];
        for (int k = lo; k < hi; k++) {
            double r = Math.hypot(x, z);
            double c = r == 0 ? 1 : x / r;
            double s = r == 0 ? 0 : -z / r;
            if (k > lo) {
                e[k - 1] = r; // the rotation zeroes the bulge at (k-1, k+1)
            }
            double p = d[k];
            double q = d[k + 1];
            double o = e[k];
            d[k] = c * c * p - 2 * c * s * o + s * s * q;
            d[k + 1] = s * s * p + 2 * c * s * o + c * c * q;
            e[k] = c * s * (p - q) + (c * c - s * s) * o;
            if (k + 1 < hi) {
                double t = e[k + 1];
                z = -s * t; // new bulge at (k, k+2)
                e[k + 1] = c * t;
                x = e[k];
            }
            int rk = k * n;
            int rk1 = rk + n;
            for (int j = 0; j < n; j++) {
                double a0 = qt[rk + j];
                double a1 = qt[rk1 + j];
                qt[rk + j] = c * a0 - s * a1;
                qt[rk1 + j] = s * a0 + c * a1;
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
