package org.weightnorm4j.data;

/**
 * Eigendecomposition of a real symmetric matrix, {@code A = U diag(λ) Uᵀ}, by the cyclic Jacobi
 * method in double precision.
 *
 * <p>Why Jacobi: it is short, unconditionally stable and accurate to working precision for every
 * eigenvalue, including the tiny ones ZCA whitening divides by. Each rotation zeroes one
 * off-diagonal pair {@code (p, q)}; sweeps repeat until the off-diagonal mass is negligible
 * (quadratic convergence, typically 6 to 10 sweeps). Cost is O(n³) per sweep: fine for a few
 * hundred dimensions (MNIST's 784 takes seconds), slow for CIFAR's 3072 (minutes).
 *
 * <p>Storage: the matrix is row-major; the eigenvectors are kept as the <em>rows</em> of
 * {@code Uᵀ} so every rotation touches two contiguous rows.
 */
public final class SymmetricEigen {
    private static final int MAX_SWEEPS = 60;

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
        if (a.length != (long) n * n) {
            throw new IllegalArgumentException("expected a " + n + "x" + n + " matrix (" + ((long) n * n)
                    + " values), got " + a.length + " values");
        }
        double scale = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double x = a[i * n + j];
                if (!Double.isFinite(x)) {
                    throw new IllegalArgumentException("matrix element (" + i + ", " + j + ") is " + x);
                }
                scale = Math.max(scale, Math.abs(x));
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (Math.abs(a[i * n + j] - a[j * n + i]) > 1e-9 * Math.max(scale, 1e-300)) {
                    throw new IllegalArgumentException("matrix is not symmetric at (" + i + ", " + j + "): "
                            + a[i * n + j] + " vs " + a[j * n + i]);
                }
            }
        }
        double[] m = a.clone();
        double[] vt = new double[n * n];
        for (int i = 0; i < n; i++) {
            vt[i * n + i] = 1;
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0;
            double diag = 0;
            for (int i = 0; i < n; i++) {
                diag += m[i * n + i] * m[i * n + i];
                for (int j = i + 1; j < n; j++) {
                    off += m[i * n + j] * m[i * n + j];
                }
            }
            if (off <= 1e-26 * diag || off == 0) {
                return finish(n, m, vt);
            }
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    rotate(m, vt, n, p, q);
                }
            }
        }
        throw new IllegalStateException("Jacobi eigendecomposition did not converge in " + MAX_SWEEPS + " sweeps");
    }

    /** One Jacobi rotation in the (p, q) plane chosen to zero m[p][q]. */
    private static void rotate(double[] m, double[] vt, int n, int p, int q) {
        double apq = m[p * n + q];
        if (apq == 0) {
            return;
        }
        double app = m[p * n + p];
        double aqq = m[q * n + q];
        // tan of the rotation angle: the smaller root of t² + 2θt - 1 = 0, θ = (aqq - app) / (2 apq).
        double theta = (aqq - app) / (2 * apq);
        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        if (theta == 0) {
            t = 1;
        }
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        // Rows p and q: m' = Jᵀ m (rotate the two rows).
        int rp = p * n;
        int rq = q * n;
        for (int k = 0; k < n; k++) {
            double mp = m[rp + k];
            double mq = m[rq + k];
            m[rp + k] = c * mp - s * mq;
            m[rq + k] = s * mp + c * mq;
        }
        // Columns p and q: m'' = m' J; by symmetry of the result, copy the rows into the columns.
        for (int k = 0; k < n; k++) {
            if (k != p && k != q) {
                m[k * n + p] = m[rp + k];
                m[k * n + q] = m[rq + k];
            }
        }
        m[rp + p] = app - t * apq;
        m[rq + q] = aqq + t * apq;
        m[rp + q] = 0;
        m[rq + p] = 0;
        for (int k = 0; k < n; k++) {
            double vp = vt[rp + k];
            double vq = vt[rq + k];
            vt[rp + k] = c * vp - s * vq;
            vt[rq + k] = s * vp + c * vq;
        }
    }

    private static SymmetricEigen finish(int n, double[] m, double[] vt) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = m[i * n + i];
        }
        return new SymmetricEigen(n, values, vt);
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
    public double[] apply(java.util.function.DoubleUnaryOperator f) {
        double[] fl = new double[n];
        for (int i = 0; i < n; i++) {
            fl[i] = f.applyAsDouble(values[i]);
        }
        double[] out = new double[n * n];
        // out[i][j] = sum_k U[i][k] f_k U[j][k] = sum_k vt[k][i] f_k vt[k][j]: accumulate row k of vt.
        for (int k = 0; k < n; k++) {
            int rk = k * n;
            double fk = fl[k];
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
