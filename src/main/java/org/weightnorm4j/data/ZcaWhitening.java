package org.weightnorm4j.data;

import java.util.Arrays;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Tensor;

/**
 * ZCA whitening, the paper's CIFAR-10 preprocessing (§5.1, following the authors' {@code nn.ZCA}).
 *
 * <p>Fit on the training split: flatten each image to a vector of {@code D = C*H*W} values,
 * subtract the mean image {@code m}, form the covariance {@code Σ = (1/N) Σᵢ (xᵢ-m)(xᵢ-m)ᵀ},
 * decompose {@code Σ = U diag(λ) Uᵀ} ({@link SymmetricEigen}) and build
 * {@code W = U diag(1/sqrt(λ + ε)) Uᵀ}. Apply to any split: {@code x' = W (x - m)}. Because
 * {@code W} is symmetric and is the inverse square root of {@code Σ + εI}, the whitened training
 * data has covariance {@code Σ(Σ+εI)⁻¹}, i.e. ≈ identity in every direction whose variance is well
 * above ε, while the image stays as close as possible to the original (that is what "zero-phase"
 * means, unlike PCA whitening which rotates).
 *
 * <p>ε regularises the directions of tiny variance (which are mostly noise). The default
 * {@value #DEFAULT_EPSILON} is the authors' {@code ZCA(regularization=1e-5)}; note that our pixels
 * are in [0, 1], so relative to the pixel scale it is stronger than on 0..255 data.
 *
 * <p>Numerics: the covariance is accumulated in double from float32 GEMMs over chunks of
 * {@value #CHUNK} images (so rounding error grows with the chunk, not with N); the
 * eigendecomposition is in double. Cost: O(N D²) for the covariance, about 10 D³ for the decomposition
 * (D = 784: about 3 s; D = 3072, CIFAR-10: an estimated 1.5 CPU-minutes, so fit once and reuse).
 */
public final class ZcaWhitening {
    /** The authors' regularisation (their {@code nn.ZCA} default). */
    public static final double DEFAULT_EPSILON = 1e-5;
    private static final int CHUNK = 256;

    private final int[] imageShape;
    private final double epsilon;
    private final float[] mean;
    private final float[] whitening;

    private ZcaWhitening(int[] imageShape, double epsilon, float[] mean, float[] whitening) {
        this.imageShape = imageShape;
        this.epsilon = epsilon;
        this.mean = mean;
        this.whitening = whitening;
    }

    /** Fits on {@code train} images {@code [N, C, H, W]} with the given ε &gt; 0. */
    public static ZcaWhitening fit(Tensor train, double epsilon) {
        if (train.rank() != 4 || !train.isFloat32() || train.dim(0) < 2) {
            throw new IllegalArgumentException("ZCA needs a float32 [N, C, H, W] tensor with N >= 2, got " + train);
        }
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("ZCA epsilon must be positive and finite, got " + epsilon);
        }
        int n = train.dim(0);
        int d = train.sizeFrom(1);
        float[] x = train.data();
        double[] meanD = new double[d];
        for (int i = 0; i < n; i++) {
            int off = i * d;
            for (int j = 0; j < d; j++) {
                meanD[j] += x[off + j];
            }
        }
        float[] mean = new float[d];
        for (int j = 0; j < d; j++) {
            meanD[j] /= n;
            mean[j] = (float) meanD[j];
        }
        double[] cov = new double[d * d];
        float[] centred = new float[Math.min(CHUNK, n) * d];
        float[] partial = new float[d * d];
        for (int start = 0; start < n; start += CHUNK) {
            int rows = Math.min(CHUNK, n - start);
            for (int r = 0; r < rows; r++) {
                int src = (start + r) * d;
                for (int j = 0; j < d; j++) {
                    centred[r * d + j] = (float) (x[src + j] - meanD[j]);
                }
            }
            // partial = centredᵀ · centred over this chunk's rows.
            Kernels.gemm(true, false, d, d, rows, centred, 0, d, centred, 0, d, partial, 0, d, false);
            for (int k = 0; k < d * d; k++) {
                cov[k] += partial[k];
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                // Symmetrise exactly (the float GEMM may differ in the last bit between (i,j) and (j,i)).
                double v = 0.5 * (cov[i * d + j] + cov[j * d + i]) / n;
                cov[i * d + j] = v;
                cov[j * d + i] = v;
            }
        }
        SymmetricEigen eig = SymmetricEigen.of(cov, d);
        double[] w = eig.apply(lambda -> 1.0 / Math.sqrt(Math.max(lambda, 0.0) + epsilon));
        float[] wf = new float[d * d];
        for (int k = 0; k < wf.length; k++) {
            wf[k] = (float) w[k];
        }
        return new ZcaWhitening(Arrays.copyOfRange(train.shape(), 1, 4), epsilon, mean, wf);
    }

    /** Fits with the authors' ε = {@value #DEFAULT_EPSILON}. */
    public static ZcaWhitening fit(Tensor train) {
        return fit(train, DEFAULT_EPSILON);
    }

    /** Whitens {@code images} {@code [N, C, H, W]} in place: {@code x ← W (x - m)}. */
    public void apply(Tensor images) {
        if (images.rank() != 4 || !images.isFloat32()
                || !Arrays.equals(Arrays.copyOfRange(images.shape(), 1, 4), imageShape)) {
            throw new IllegalArgumentException("ZCA fitted on images " + Arrays.toString(imageShape)
                    + " cannot apply to " + images);
        }
        int n = images.dim(0);
        int d = mean.length;
        float[] x = images.data();
        float[] centred = new float[Math.min(CHUNK, Math.max(n, 1)) * d];
        for (int start = 0; start < n; start += CHUNK) {
            int rows = Math.min(CHUNK, n - start);
            for (int r = 0; r < rows; r++) {
                int src = (start + r) * d;
                for (int j = 0; j < d; j++) {
                    centred[r * d + j] = x[src + j] - mean[j];
                }
            }
            // Rows are vectors, so x' = (x - m) W (W is symmetric), written back over the chunk.
            Kernels.gemm(false, false, rows, d, d, centred, 0, d, whitening, 0, d, x, start * d, d, false);
        }
    }

    public double epsilon() {
        return epsilon;
    }

    /** The mean image (copy), flattened. */
    public float[] mean() {
        return mean.clone();
    }

    /** The whitening matrix {@code W} (copy), row-major {@code D x D}. */
    public float[] matrix() {
        return whitening.clone();
    }
}
