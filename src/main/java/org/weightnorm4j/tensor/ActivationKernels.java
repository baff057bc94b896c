package org.weightnorm4j.tensor;

import static org.weightnorm4j.tensor.KernelRanges.ALIGN;
import static org.weightnorm4j.tensor.KernelRanges.forRanges;

/**
 * The float32 activations, forward and backward, and the two fused kernels around a ReLU or leaky
 * ReLU: a per-channel shift followed by the activation (mean-only batch normalization and its
 * ReLU), and the activation's backward followed by the per-channel sum the layer before needs.
 * The ReLUs and ELU go through {@link VectorOps} and split over threads (ELU with
 * {@link GateMath#expm1}, the same bits on both implementations); the other smooth activations are
 * scalar loops over {@link Math} in double. Arguments arrive validated and FLOAT32
 * ({@link Float32Kernels} checks).
 *
 * <p>Internal: not part of the public API; may change without notice.
 */
final class ActivationKernels {
    private final VectorOps ops;
    private final ChannelScratch scratch;

    ActivationKernels(VectorOps ops, ChannelScratch scratch) {
        this.ops = ops;
        this.scratch = scratch;
    }

    void forward(Activation f, Tensor x, Tensor y) {
        float[] xs = x.data(), ys = y.data();
        int n = x.size();
        switch (f.kind()) {
            case IDENTITY -> {
                if (xs != ys) {
                    System.arraycopy(xs, 0, ys, 0, n);
                }
            }
            case RELU -> forRanges(n, 1, ALIGN, (from, to) -> ops.relu(xs, ys, from, to - from));
            case LEAKY_RELU -> {
                float slope = (float) f.param();
                forRanges(n, 1, ALIGN, (from, to) -> ops.leakyRelu(slope, xs, ys, from, to - from));
            }
            case ELU -> {
                float alpha = (float) f.param();
                forRanges(n, 1, ALIGN, (from, to) -> ops.elu(alpha, xs, ys, from, to - from));
            }
            case SOFTPLUS -> {
                for (int i = 0; i < n; i++) {
                    double v = xs[i];
                    ys[i] = (float) (Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))));
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    ys[i] = (float) Math.tanh(xs[i]);
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    ys[i] = (float) sigmoid(xs[i]);
                }
            }
            default -> throw new IllegalArgumentException("activation " + f + " has no float32 kernel");
        }
    }

    void backward(Activation f, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        float[] xs = x.data(), ys = y.data(), g = dy.data(), d = dx.data();
        int n = x.size();
        switch (f.kind()) {
            case IDENTITY -> {
                if (g != d) {
                    System.arraycopy(g, 0, d, 0, n);
                }
            }
            case RELU, LEAKY_RELU -> {
                float slope = f.kind() == Activation.Kind.RELU ? 0f : (float) f.param();
                forRanges(n, 1, ALIGN, (from, to) -> ops.leakyReluBackward(slope, xs, g, d, from, to - from));
            }
            // alpha e^x = y + alpha, alpha in two floats (GateMath.eluBackward): as exact as in double.
            case ELU -> {
                float alphaHi = (float) f.param();
                float alphaLo = (float) (f.param() - alphaHi);
                forRanges(n, 1, ALIGN, (from, to) -> ops.eluBackward(alphaHi, alphaLo, xs, ys, g, d, from, to - from));
            }
            // The derivatives through y are formed in double: 1 - y² cancels badly in float.
            case SOFTPLUS -> {
                // d/dx log(1 + e^x) = sigmoid(x)
                for (int i = 0; i < n; i++) {
                    d[i] = (float) (sigmoid(xs[i]) * g[i]);
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    double t = ys[i];
                    d[i] = (float) ((1 - t * t) * g[i]);
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    double s = ys[i];
                    d[i] = (float) (s * (1 - s) * g[i]);
                }
            }
            default -> throw new IllegalArgumentException("activation " + f + " has no float32 kernel");
        }
    }

    /**
     * {@code dx = f'(x) ⊙ dy + addend}: for ELU one pass over the five arrays (a residual block's
     * gradient through its first activation plus the shortcut's), for the others
     * {@link #backward} then {@link #plus}; the bits of those two either way.
     */
    void backwardPlus(Activation f, Tensor x, Tensor y, Tensor dy, Tensor addend, Tensor dx) {
        if (f.kind() != Activation.Kind.ELU) {
            backward(f, x, y, dy, dx);
            plus(dx, addend, dx);
            return;
        }
        float[] xs = x.data(), ys = y.data(), g = dy.data(), a = addend.data(), d = dx.data();
        float alphaHi = (float) f.param();
        float alphaLo = (float) (f.param() - alphaHi);
        forRanges(x.size(), 1, ALIGN, (from, to) -> ops.eluBackwardPlus(alphaHi, alphaLo, xs, ys, g, a, d, from, to - from));
    }

    /** {@code out = a + b}, one pass (a residual block's sum). */
    void plus(Tensor a, Tensor b, Tensor out) {
        float[] as = a.data(), bs = b.data(), os = out.data();
        forRanges(a.size(), 1, ALIGN, (from, to) -> ops.plus(as, bs, os, from, to - from));
    }

    /** The logistic function without overflow for large |x|. */
    private static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /** y = leakyRelu(u + shift_c): mean-only batch normalization and its activation in one pass. */
    void channelShiftLeakyRelu(Tensor u, Tensor shift, double slope, Tensor y) {
        float[] us = u.data(), sh = shift.data(), ys = y.data();
        float a = (float) slope;
        int n = u.dim(0), c = u.dim(1), s = u.sizeFrom(2);
        if (s == 1) {
            // A dense layer's [N, C]: each row shifted by the whole vector of shifts.
            forRanges(n, c, 1, (from, to) -> {
                for (int b = from; b < to; b++) {
                    ops.shiftRowLeakyRelu(sh, a, us, ys, b * c, c);
                }
            });
            return;
        }
        forRanges(n * c, s, 1, (from, to) -> ops.shiftLeakyReluPlanes(sh, c, a, us, ys, s, from, to));
    }

    /** dx = leakyRelu'(y) ⊙ dy and its per-channel sums, each plane summed while still in cache. */
    void leakyReluBackwardChannelSums(double slope, Tensor y, Tensor dy, Tensor dx, Tensor sums) {
        float[] ys = y.data(), g = dy.data(), d = dx.data(), os = sums.data();
        float a = (float) slope;
        int n = y.dim(0), c = y.dim(1), s = y.sizeFrom(2);
        if (s == 1) {
            // Row by row into one double per channel, in channelSums's order; each row's stretch of dx
            // is written by the element-wise kernel, then added while it is in cache.
            forRanges(c, 2L * n, ALIGN, (from, to) -> {
                double[] totals = scratch.denseTotals(c);
                java.util.Arrays.fill(totals, from, to, 0.0);
                for (int b = 0; b < n; b++) {
                    int base = b * c;
                    ops.leakyReluBackward(a, ys, g, d, base + from, to - from);
                    for (int ch = from; ch < to; ch++) {
                        totals[ch] += d[base + ch];
                    }
                }
                for (int ch = from; ch < to; ch++) {
                    os[ch] = (float) totals[ch];
                }
            });
            return;
        }
        // Each plane is summed right after it is written, while it is still in cache, and the planes'
        // sums are added per channel as channelSums adds them.
        // Small planes (the cnn's 5x5) go a run of whole planes at a time, not a scalar tail per plane.
        double[] planeSums = scratch.planeTotals(n * c);
        int chunk = s < VectorOps.SMALL_PLANE ? VectorOps.planesPerChunk(s) : 1;
        forRanges(n * c, 3L * s, 1, (from, to) -> {
            for (int first = from; first < to; first += chunk) {
                int last = Math.min(to, first + chunk);
                ops.leakyReluBackward(a, ys, g, d, first * s, (last - first) * s);
                for (int plane = first; plane < last; plane++) {
                    planeSums[plane] = ops.sum(d, plane * s, s);
                }
            }
        });
        ChannelScratch.addPlanesPerChannel(planeSums, n, c, os, false);
    }
}
