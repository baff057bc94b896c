package org.weightnorm4j.data;

import java.util.Arrays;
import org.weightnorm4j.tensor.Tensor;

/**
 * Per-channel standardisation {@code x' = (x - mean_c) / std_c}, with the statistics computed on
 * the training split only and then applied to every split (so no test information leaks into
 * training).
 *
 * <p>{@code std_c} is the population standard deviation over all {@code N*H*W} values of channel
 * {@code c}, accumulated in double. A constant channel ({@code std_c} below {@value #MIN_STD}) is
 * only centred, since dividing by ~0 would blow it up.
 */
public record ChannelNormalization(double[] mean, double[] std) {
    /** Below this, a channel counts as constant and is not scaled. */
    public static final double MIN_STD = 1e-8;

    public ChannelNormalization {
        if (mean.length != std.length) {
            throw new IllegalArgumentException(mean.length + " means but " + std.length + " standard deviations");
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** Computes per-channel mean and standard deviation of {@code images} {@code [N, C, H, W]}. */
    public static ChannelNormalization fit(Tensor images) {
        requireImages(images);
        int n = images.dim(0), c = images.dim(1), hw = images.sizeFrom(2);
        float[] d = images.data();
        double[] mean = new double[c];
        double[] std = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                int off = (i * c + ch) * hw;
                for (int j = 0; j < hw; j++) {
                    sum += d[off + j];
                }
            }
            double m = sum / ((double) n * hw);
            double sq = 0;
            for (int i = 0; i < n; i++) {
                int off = (i * c + ch) * hw;
                for (int j = 0; j < hw; j++) {
                    double e = d[off + j] - m;
                    sq += e * e;
                }
            }
            mean[ch] = m;
            std[ch] = Math.sqrt(sq / ((double) n * hw));
        }
        return new ChannelNormalization(mean, std);
    }

    /** Standardises {@code images} in place. */
    public void apply(Tensor images) {
        requireImages(images);
        if (images.dim(1) != mean.length) {
            throw new IllegalArgumentException("normalisation fitted on " + mean.length + " channels cannot apply to images "
                    + Arrays.toString(images.shape()));
        }
        int n = images.dim(0), c = images.dim(1), hw = images.sizeFrom(2);
        float[] d = images.data();
        for (int ch = 0; ch < c; ch++) {
            float m = (float) mean[ch];
            float inv = (float) (std[ch] < MIN_STD ? 1.0 : 1.0 / std[ch]);
            for (int i = 0; i < n; i++) {
                int off = (i * c + ch) * hw;
                for (int j = 0; j < hw; j++) {
                    d[off + j] = (d[off + j] - m) * inv;
                }
            }
        }
    }

    private static void requireImages(Tensor images) {
        if (images.rank() != 4 || !images.isFloat32() || images.dim(0) == 0) {
            throw new IllegalArgumentException("expected a non-empty float32 [N, C, H, W] tensor, got " + images);
        }
    }

    @Override
    public String toString() {
        return "ChannelNormalization(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
