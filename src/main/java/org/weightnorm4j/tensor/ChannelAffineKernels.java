package org.weightnorm4j.tensor;

import static org.weightnorm4j.tensor.KernelRanges.forRanges;

/**
 * The float32 per-channel affine maps of an {@code [N, C, S]} view: weight normalization's fused
 * output {@code y = s_c·u + b_c}, batch normalization's training output and its input gradient.
 * Image tensors are split over threads by planes (one scale per plane through {@link VectorOps});
 * dense {@code [N, C]} tensors by rows, as loops over channels that the JIT vectorises by itself.
 * Arguments arrive validated and FLOAT32 ({@link Float32Kernels} checks).
 *
 * <p>Internal: not part of the public API; may change without notice.
 */
final class ChannelAffineKernels {
    private final VectorOps ops;

    ChannelAffineKernels(VectorOps ops) {
        this.ops = ops;
    }

    /** y = scale_c·u + shift_c; a null scale or shift means 1 or 0. */
    void channelScaleShift(Tensor u, Tensor scale, Tensor shift, Tensor y) {
        float[] us = u.data(), ys = y.data();
        float[] sc = scale == null ? null : scale.data();
        float[] sh = shift == null ? null : shift.data();
        int n = u.dim(0), c = u.dim(1), s = u.sizeFrom(2);
        if (s == 1) {
            denseScaleShift(us, sc, sh, ys, n, c);
            return;
        }
        forRanges(n * c, s, 1, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int ch = plane % c;
                float a = sc == null ? 1f : sc[ch];
                float t = sh == null ? 0f : sh[ch];
                ops.scaleShift(a, t, us, ys, plane * s, s);
            }
        });
    }

    /**
     * A dense layer's [N, C]: one row of channels per example, loops the JIT vectorises. Same
     * formula as the per-plane path, {@code a·u + t} with a = 1 and t = 0 standing in for a
     * missing scale or shift; before, a missing one sent every single element through the
     * per-plane path (6% of an mlp step in the backward pass's {@code s ⊙ ∇y}).
     */
    private static void denseScaleShift(float[] us, float[] sc, float[] sh, float[] ys, int n, int c) {
        for (int b = 0; b < n; b++) {
            int base = b * c;
            if (sc != null && sh != null) {
                for (int ch = 0; ch < c; ch++) {
                    ys[base + ch] = sc[ch] * us[base + ch] + sh[ch];
                }
            } else if (sc != null) {
                for (int ch = 0; ch < c; ch++) {
                    ys[base + ch] = sc[ch] * us[base + ch] + 0f;
                }
            } else if (sh != null) {
                for (int ch = 0; ch < c; ch++) {
                    ys[base + ch] = 1f * us[base + ch] + sh[ch];
                }
            } else {
                for (int ch = 0; ch < c; ch++) {
                    ys[base + ch] = 1f * us[base + ch] + 0f;
                }
            }
        }
    }

    /**
     * x̂ = (x − μ_c)·invStd_c and y = γ_c x̂ + β_c in one pass over x. Subtracting μ before scaling
     * (rather than {@code invStd·x − invStd·μ}) keeps x̂ accurate when |μ| is much larger than σ.
     */
    void channelNormalize(Tensor x, Tensor mean, Tensor invStd, Tensor gamma, Tensor beta, Tensor xhat, Tensor y) {
        float[] xs = x.data(), ms = mean.data(), is = invStd.data(), gs = gamma.data(), bs = beta.data();
        float[] hs = xhat.data(), ys = y.data();
        int n = x.dim(0), c = x.dim(1), s = x.sizeFrom(2);
        if (s == 1) {
            // [N, C]: whole rows per range, loops over channels the JIT vectorises.
            forRanges(n, 3L * c, 1, (from, to) -> {
                for (int b = from; b < to; b++) {
                    int base = b * c;
                    for (int ch = 0; ch < c; ch++) {
                        float xh = (xs[base + ch] - ms[ch]) * is[ch];
                        hs[base + ch] = xh;
                        ys[base + ch] = gs[ch] * xh + bs[ch];
                    }
                }
            });
            return;
        }
        forRanges(n * c, 3L * s, 1, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int ch = plane % c;
                ops.normalize(xs, plane * s, s, ms[ch], is[ch], gs[ch], bs[ch], hs, ys);
            }
        });
    }

    /** out = scaleA_c·a + scaleB_c·b + shift_c in one pass (batch normalization's ∇x). */
    void channelCombine(Tensor a, Tensor scaleA, Tensor b, Tensor scaleB, Tensor shift, Tensor out) {
        float[] as = a.data(), sas = scaleA.data(), bs = b.data(), sbs = scaleB.data(), ts = shift.data();
        float[] os = out.data();
        int n = a.dim(0), c = a.dim(1), s = a.sizeFrom(2);
        if (s == 1) {
            forRanges(n, 3L * c, 1, (from, to) -> {
                for (int bi = from; bi < to; bi++) {
                    int base = bi * c;
                    for (int ch = 0; ch < c; ch++) {
                        os[base + ch] = sas[ch] * as[base + ch] + sbs[ch] * bs[base + ch] + ts[ch];
                    }
                }
            });
            return;
        }
        forRanges(n * c, 3L * s, 1, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int ch = plane % c;
                ops.combine(sas[ch], as, sbs[ch], bs, ts[ch], os, plane * s, s);
            }
        });
    }
}
