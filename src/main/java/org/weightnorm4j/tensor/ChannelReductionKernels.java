package org.weightnorm4j.tensor;

import static org.weightnorm4j.tensor.KernelRanges.ALIGN;
import static org.weightnorm4j.tensor.KernelRanges.forRanges;

import java.util.Arrays;

/**
 * The float32 reductions per channel of an {@code [N, C, S]} view (sums, dots, squared
 * deviations: weight normalization's and batch normalization's statistics and gradients) and per
 * row (sums, L2 norms). Each channel's terms are added in the same order on any thread count:
 * dense {@code [N, C]} tensors row by row into one double per channel (split over channels),
 * image tensors plane by plane in memory order and then per channel
 * ({@link ChannelScratch#addPlanesPerChannel}). Arguments arrive validated and FLOAT32
 * ({@link Float32Kernels} checks).
 *
 * <p>Internal: not part of the public API; may change without notice.
 */
final class ChannelReductionKernels {
    private final VectorOps ops;
    private final ChannelScratch scratch;

    ChannelReductionKernels(VectorOps ops, ChannelScratch scratch) {
        this.ops = ops;
        this.scratch = scratch;
    }

    void channelSums(Tensor x, Tensor out, boolean accumulate) {
        float[] xs = x.data(), os = out.data();
        int n = x.dim(0), c = x.dim(1), s = x.sizeFrom(2);
        if (s == 1) {
            // Row by row into one double per channel: each channel still adds b = 0, 1, 2, ...
            // in order (the same bits as a column walk), but memory is read contiguously.
            forRanges(c, n, ALIGN, (from, to) -> {
                double[] totals = scratch.denseTotals(c);
                Arrays.fill(totals, from, to, 0.0);
                for (int b = 0; b < n; b++) {
                    int base = b * c;
                    for (int ch = from; ch < to; ch++) {
                        totals[ch] += xs[base + ch];
                    }
                }
                for (int ch = from; ch < to; ch++) {
                    os[ch] = (float) (accumulate ? os[ch] + totals[ch] : totals[ch]);
                }
            });
            return;
        }
        double[] planeSums = scratch.planeTotals(n * c);
        forRanges(n * c, s, 1, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                planeSums[plane] = ops.sum(xs, plane * s, s);
            }
        });
        ChannelScratch.addPlanesPerChannel(planeSums, n, c, os, accumulate);
    }

    /**
     * {@link KernelBackend#weightNormRowGradients}, unit by unit: the unit's dot (as
     * {@link #channelDots} computes it for a {@code [1, out, fanIn]} view: one {@code ops.dot}, rounded
     * to float), its coefficients in double as {@code WeightNormWeights} computed them, then its row of
     * ∇v while its rows of ∇w and v are still in L1. Split over units, so the bits do not depend on
     * the thread count.
     */
    void weightNormRowGradients(Tensor gradW, Tensor v, Tensor norm, Tensor scale, Tensor gradG, Tensor gradV) {
        float[] gw = gradW.data(), vs = v.data(), gv = gradV.data();
        float[] norms = norm.data(), scales = scale.data(), gg = gradG.data();
        int out = norm.size(), fanIn = gradW.size() / Math.max(1, out);
        forRanges(out, 4L * fanIn, 1, (from, to) -> {
            for (int u = from; u < to; u++) {
                int row = u * fanIn;
                float dot = (float) ops.dot(gw, vs, row, fanIn);
                double dg = (double) dot / norms[u];                          // Eq. 3: ∇g = ∇w L · v/||v||
                gg[u] = (float) (gg[u] + dg);
                float coef = (float) (-(double) scales[u] * dg / norms[u]);  // Eq. 3: −(g ∇g/||v||²)
                ops.addScaledPair(scales[u], gw, coef, vs, gv, row, fanIn);    // ∇v += s ∇w L + coef v
            }
        });
    }

    void channelDots(Tensor a, Tensor b, Tensor out, boolean accumulate) {
        float[] as = a.data(), bs = b.data(), os = out.data();
        int n = a.dim(0), c = a.dim(1), s = a.sizeFrom(2);
        if (s == 1) {
            // Row by row, as channelSums: the same order per channel, contiguous reads.
            forRanges(c, 2L * n, ALIGN, (from, to) -> {
                double[] totals = scratch.denseTotals(c);
                Arrays.fill(totals, from, to, 0.0);
                for (int bi = 0; bi < n; bi++) {
                    int base = bi * c;
                    for (int ch = from; ch < to; ch++) {
                        totals[ch] += (double) as[base + ch] * bs[base + ch];
                    }
                }
                for (int ch = from; ch < to; ch++) {
                    os[ch] = (float) (accumulate ? os[ch] + totals[ch] : totals[ch]);
                }
            });
            return;
        }
        double[] planeDots = scratch.planeTotals(n * c);
        forRanges(n * c, 2L * s, 1, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                planeDots[plane] = ops.dot(as, bs, plane * s, s);
            }
        });
        ChannelScratch.addPlanesPerChannel(planeDots, n, c, os, accumulate);
    }

    /**
     * Σa and Σa·b per channel in one pass over a and b, with the same bits as
     * {@link #channelSums} and {@link #channelDots}: the same blocks, lanes and order.
     */
    void channelSumsAndDots(Tensor a, Tensor b, Tensor sums, Tensor dots) {
        float[] as = a.data(), bs = b.data(), ss = sums.data(), ds = dots.data();
        int n = a.dim(0), c = a.dim(1), s = a.sizeFrom(2);
        if (s == 1) {
            // Row by row, as channelSums and channelDots. Two separate arrays, so the JIT sees
            // no possible overlap between the two accumulations and vectorises the loop.
            forRanges(c, 2L * n, ALIGN, (from, to) -> {
                double[] sumTotals = scratch.denseTotals(c);
                double[] dotTotals = scratch.denseDotTotals(c);
                Arrays.fill(sumTotals, from, to, 0.0);
                Arrays.fill(dotTotals, from, to, 0.0);
                for (int bi = 0; bi < n; bi++) {
                    int base = bi * c;
                    for (int ch = from; ch < to; ch++) {
                        float v = as[base + ch];
                        sumTotals[ch] += v;
                        dotTotals[ch] += (double) v * bs[base + ch];
                    }
                }
                for (int ch = from; ch < to; ch++) {
                    ss[ch] = (float) sumTotals[ch];
                    ds[ch] = (float) dotTotals[ch];
                }
            });
            return;
        }
        forRanges(c, 2L * n * s, 1, (from, to) -> {
            double[] totals = scratch.denseTotals(2);
            for (int ch = from; ch < to; ch++) {
                double sum = 0, dot = 0;
                for (int bi = 0; bi < n; bi++) {
                    // Each plane's sum and dot formed from 0 and then added, as channelSums/channelDots do.
                    ops.sumAndDot(as, bs, (bi * c + ch) * s, s, totals);
                    sum += totals[0];
                    dot += totals[1];
                }
                ss[ch] = (float) sum;
                ds[ch] = (float) dot;
            }
        });
    }

    /**
     * Σ(x − μ_c)² per channel, read straight from x (batch normalization's two-pass variance).
     * Split over channels like {@link #channelDots}: each channel's terms are added in the same
     * order on any thread count.
     */
    void channelSquaredDeviations(Tensor x, Tensor mean, Tensor out) {
        float[] xs = x.data(), ms = mean.data(), os = out.data();
        int n = x.dim(0), c = x.dim(1), s = x.sizeFrom(2);
        if (s == 1) {
            // Row by row, as channelDots: b = 0, 1, 2, ... per channel, contiguous reads.
            forRanges(c, 2L * n, ALIGN, (from, to) -> {
                double[] totals = scratch.denseTotals(c);
                Arrays.fill(totals, from, to, 0.0);
                for (int b = 0; b < n; b++) {
                    int base = b * c;
                    for (int ch = from; ch < to; ch++) {
                        double d = (double) xs[base + ch] - ms[ch];
                        totals[ch] += d * d;
                    }
                }
                for (int ch = from; ch < to; ch++) {
                    os[ch] = (float) totals[ch];
                }
            });
            return;
        }
        forRanges(c, 2L * n * s, 1, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double total = 0;
                for (int b = 0; b < n; b++) {
                    total += ops.squaredDeviations(xs, (b * c + ch) * s, s, ms[ch]);
                }
                os[ch] = (float) total;
            }
        });
    }

    void rowSums(Tensor m, Tensor out) {
        float[] ms = m.data(), os = out.data();
        int rows = m.dim(0), cols = m.sizeFrom(1);
        for (int r = 0; r < rows; r++) {
            os[r] = (float) ops.sum(ms, r * cols, cols);
        }
    }

    /**
     * ||v|| per row: the norm in the denominator of {@code w = g v / ||v||} (paper eq. 2). Squares
     * are summed in double (scalar) or in float blocks of {@link VectorOps#BLOCK} added into a
     * double (SIMD), with any block that overflowed or underflowed in float redone in double.
     */
    void rowL2Norms(Tensor m, Tensor out) {
        float[] ms = m.data(), os = out.data();
        int rows = m.dim(0), cols = m.sizeFrom(1);
        for (int r = 0; r < rows; r++) {
            os[r] = (float) Math.sqrt(ops.sumSquares(ms, r * cols, cols));
        }
    }
}
