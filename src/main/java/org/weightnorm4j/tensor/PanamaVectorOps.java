package org.weightnorm4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API ({@code jdk.incubator.vector}) {@link VectorOps}: the loops of the non-GEMM
 * float32 kernels.
 *
 * <p>Besides the GEMM and Winograd classes, this is the only class that imports the incubator
 * module. {@link KernelProvider#vectorOps} loads it by name, and only when the module is present, so a JVM started
 * without {@code --add-modules jdk.incubator.vector} never loads it.
 *
 * <p>One species ({@code SPECIES_PREFERRED}, the one {@code PanamaGemm} uses) and small methods:
 * a second species in hot code spoiled the JIT's profiles, and methods with many vector
 * operations inlined into large callers ran out of C2's inlining budget; both made vectors box
 * (2-20x slower, hundreds of MB of garbage per step).
 *
 * <p>Every loop has the same shape: whole vectors up to {@code species.loopBound(n)}, then a
 * scalar tail. Reductions keep two vector accumulators (to hide the FMA latency), reduce them
 * lane by lane in a fixed order ({@link #sumLanes}), and add the tail. Float accumulation makes sums depend on the vector
 * width; the error grows with the reduction length, and callers that need more (the row norms of
 * weight normalization) accumulate blocks of at most {@link #BLOCK} elements into a double.
 *
 * <p>Internal: not part of the public API; may change without notice.
 */
final class PanamaVectorOps implements VectorOps {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** Below this a float sum of squares may have lost squares to underflow (1e-38 / 1e-30 is fine). */
    private static final float TINY = 1e-30f;

    /** The last table of {@link #maxPoolCorners}. */
    private volatile WindowCorners lastCorners;

    private record WindowCorners(int h, int w, int[] table) {
    }

    /** For {@link KernelProvider#vectorOps}, which loads this class by name. */
    PanamaVectorOps() {
    }

    @Override
    public boolean simd() {
        return true;
    }

    /**
     * The lanes of {@code v} added from lane 0 up. Not {@code reduceLanes(ADD)}: its order is
     * unspecified, and on JDK 25 the interpreted and the compiled forms add in different orders,
     * so the same call gave different bits before and after JIT compilation (a resumed run then
     * drifted from an uninterrupted one).
     */
    private static float sumLanes(FloatVector v) {
        float s = 0;
        if (L == 8) {
            // Constant lane numbers: C2 extracts each with one instruction; with a loop variable
            // lane(i) took its slow path (3% of a DQN update, from the weight norms' sums of squares).
            s += v.lane(0);
            s += v.lane(1);
            s += v.lane(2);
            s += v.lane(3);
            s += v.lane(4);
            s += v.lane(5);
            s += v.lane(6);
            s += v.lane(7);
            return s;
        }
        for (int i = 0; i < L; i++) {
            s += v.lane(i);
        }
        return s;
    }

    @Override
    public double sum(float[] a, int off, int n) {
        double total = 0;
        for (int start = 0; start < n; start += BLOCK) {
            total += blockSum(a, off + start, Math.min(BLOCK, n - start));
        }
        return total;
    }

    @Override
    public double dot(float[] a, float[] b, int off, int n) {
        double total = 0;
        for (int start = 0; start < n; start += BLOCK) {
            total += blockDot(a, off + start, b, off + start, Math.min(BLOCK, n - start));
        }
        return total;
    }

    @Override
    public double squaredDeviations(float[] a, int off, int n, float mean) {
        double total = 0;
        for (int start = 0; start < n; start += BLOCK) {
            total += blockSquaredDeviations(a, off + start, Math.min(BLOCK, n - start), mean);
        }
        return total;
    }

    /** Sum of {@code a[off .. off+n)}, float accumulators. */
    private static float blockSum(float[] a, int off, int n) {
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        int i = 0;
        int bound2 = n - 2 * L + 1;
        for (; i < bound2; i += 2 * L) {
            acc0 = acc0.add(FloatVector.fromArray(S, a, off + i));
            acc1 = acc1.add(FloatVector.fromArray(S, a, off + i + L));
        }
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            acc0 = acc0.add(FloatVector.fromArray(S, a, off + i));
        }
        float s = sumLanes(acc0.add(acc1));
        for (; i < n; i++) {
            s += a[off + i];
        }
        return s;
    }

    /** Dot product of {@code a[aOff ..]} and {@code b[bOff ..]} over n elements, float accumulators. */
    private static float blockDot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        int i = 0;
        int bound2 = n - 2 * L + 1;
        for (; i < bound2; i += 2 * L) {
            acc0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc0);
            acc1 = FloatVector.fromArray(S, a, aOff + i + L).fma(FloatVector.fromArray(S, b, bOff + i + L), acc1);
        }
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            acc0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc0);
        }
        float s = sumLanes(acc0.add(acc1));
        for (; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    /**
     * Sum of squares of n elements, accumulated in float over blocks of {@link #BLOCK} elements
     * and in double across blocks, so the rounding error does not grow with the row length. A
     * block whose float sum overflowed, or came out so small that squares may have underflowed,
     * is summed again in double.
     */
    @Override
    public double sumSquares(float[] a, int off, int n) {
        double total = 0;
        for (int start = 0; start < n; start += BLOCK) {
            int len = Math.min(BLOCK, n - start);
            float block = blockDot(a, off + start, a, off + start, len);
            if (Float.isFinite(block) && block >= TINY) {
                total += block;
            } else {
                for (int i = off + start; i < off + start + len; i++) {
                    double v = a[i];
                    total += v * v;
                }
            }
        }
        return total;
    }

    /**
     * {@code x·0} is ±0 for a finite x and NaN for NaN or ±∞, so a running sum of those products
     * stays zero exactly when every element is finite: a branch-free pass (the scalar test with
     * an early exit does not vectorise), checked once per block so that a bad value is found
     * without reading the rest.
     */
    @Override
    public void addScaledPair(float sa, float[] a, float sb, float[] b, float[] y, int off, int n) {
        FloatVector va = FloatVector.broadcast(S, sa), vb = FloatVector.broadcast(S, sb), zero = FloatVector.zero(S);
        int i = off;
        int bound = off + S.loopBound(n);
        for (; i < bound; i += L) {
            FloatVector t = FloatVector.fromArray(S, y, i).add(FloatVector.fromArray(S, a, i).fma(va, zero));
            t.add(FloatVector.fromArray(S, b, i).fma(vb, zero)).intoArray(y, i);
        }
        for (; i < off + n; i++) {
            y[i] = (y[i] + (sa * a[i] + 0f)) + (sb * b[i] + 0f);
        }
    }

    @Override
    public boolean allFinite(float[] a, int off, int n) {
        int end = off + n;
        int i = off;
        while (i + L <= end) {
            FloatVector acc = FloatVector.zero(S);
            int blockEnd = Math.min(end - L + 1, i + BLOCK);
            for (; i < blockEnd; i += L) {
                acc = acc.add(FloatVector.fromArray(S, a, i).mul(0f));
            }
            for (int l = 0; l < L; l++) {
                if (acc.lane(l) != 0f) {
                    return false;
                }
            }
        }
        for (; i < end; i++) {
            if (!Float.isFinite(a[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void axpy(float alpha, float[] x, float[] y, int n) {
        FloatVector va = FloatVector.broadcast(S, alpha);
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, x, i).fma(va, FloatVector.fromArray(S, y, i)).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] += alpha * x[i];
        }
    }

    @Override
    public void mul(float[] a, float[] b, float[] out, int off, int n) {
        int i = off;
        int bound = off + S.loopBound(n);
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, a, i).mul(FloatVector.fromArray(S, b, i)).intoArray(out, i);
        }
        for (; i < off + n; i++) {
            out[i] = a[i] * b[i];
        }
    }

    @Override
    public void scaleShift(float scale, float shift, float[] u, float[] y, int off, int n) {
        FloatVector vs = FloatVector.broadcast(S, scale);
        FloatVector vb = FloatVector.broadcast(S, shift);
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, u, off + i).fma(vs, vb).intoArray(y, off + i);
        }
        for (; i < n; i++) {
            y[off + i] = scale * u[off + i] + shift;
        }
    }

    /**
     * Float lanes over blocks of {@link #BLOCK}, each block reduced exactly as {@link #blockSum}
     * and {@link #blockDot} reduce it, added into the doubles from 0 as {@link #sum} and
     * {@link #dot} add them.
     */
    @Override
    public void sumAndDot(float[] a, float[] b, int off, int n, double[] totals) {
        totals[0] = 0;
        totals[1] = 0;
        for (int start = 0; start < n; start += BLOCK) {
            int len = Math.min(BLOCK, n - start);
            int o = off + start;
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
            FloatVector d0 = FloatVector.zero(S);
            FloatVector d1 = FloatVector.zero(S);
            int i = 0;
            int bound2 = len - 2 * L + 1;
            for (; i < bound2; i += 2 * L) {
                FloatVector a0 = FloatVector.fromArray(S, a, o + i);
                FloatVector a1 = FloatVector.fromArray(S, a, o + i + L);
                s0 = s0.add(a0);
                s1 = s1.add(a1);
                d0 = a0.fma(FloatVector.fromArray(S, b, o + i), d0);
                d1 = a1.fma(FloatVector.fromArray(S, b, o + i + L), d1);
            }
            int bound = S.loopBound(len);
            for (; i < bound; i += L) {
                FloatVector a0 = FloatVector.fromArray(S, a, o + i);
                s0 = s0.add(a0);
                d0 = a0.fma(FloatVector.fromArray(S, b, o + i), d0);
            }
            float sum = sumLanes(s0.add(s1));
            float dot = sumLanes(d0.add(d1));
            for (; i < len; i++) {
                sum += a[o + i];
                dot += a[o + i] * b[o + i];
            }
            totals[0] += sum;
            totals[1] += dot;
        }
    }

    /**
     * {@code Σ (a[off + i] − mean)²} over n elements, float accumulators (callers add blocks of at
     * most {@link #BLOCK} into a double, as for {@link #blockDot}).
     */
    private static float blockSquaredDeviations(float[] a, int off, int n, float mean) {
        FloatVector vm = FloatVector.broadcast(S, mean);
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        int i = 0;
        int bound2 = n - 2 * L + 1;
        for (; i < bound2; i += 2 * L) {
            FloatVector d0 = FloatVector.fromArray(S, a, off + i).sub(vm);
            FloatVector d1 = FloatVector.fromArray(S, a, off + i + L).sub(vm);
            acc0 = d0.fma(d0, acc0);
            acc1 = d1.fma(d1, acc1);
        }
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            FloatVector d0 = FloatVector.fromArray(S, a, off + i).sub(vm);
            acc0 = d0.fma(d0, acc0);
        }
        float s = sumLanes(acc0.add(acc1));
        for (; i < n; i++) {
            float d = a[off + i] - mean;
            s += d * d;
        }
        return s;
    }

    /**
     * {@code xhat[i] = (x[i] − mean)·invStd} and {@code y[i] = gamma·xhat[i] + beta} for {@code i}
     * in {@code [off, off + n)}: batch normalization's training output, one read of x.
     */
    @Override
    public void normalize(float[] x, int off, int n, float mean, float invStd, float gamma, float beta,
                          float[] xhat, float[] y) {
        FloatVector vm = FloatVector.broadcast(S, mean);
        FloatVector vs = FloatVector.broadcast(S, invStd);
        FloatVector vg = FloatVector.broadcast(S, gamma);
        FloatVector vb = FloatVector.broadcast(S, beta);
        int i = off;
        int bound = off + S.loopBound(n);
        for (; i < bound; i += L) {
            FloatVector xh = FloatVector.fromArray(S, x, i).sub(vm).mul(vs);
            xh.intoArray(xhat, i);
            xh.fma(vg, vb).intoArray(y, i);
        }
        for (; i < off + n; i++) {
            float xh = (x[i] - mean) * invStd;
            xhat[i] = xh;
            y[i] = gamma * xh + beta;
        }
    }

    /** {@code out[i] = sa·a[i] + sb·b[i] + shift} for {@code i} in {@code [off, off + n)} (out may alias a or b). */
    @Override
    public void combine(float sa, float[] a, float sb, float[] b, float shift, float[] out, int off, int n) {
        FloatVector va = FloatVector.broadcast(S, sa);
        FloatVector vb = FloatVector.broadcast(S, sb);
        FloatVector vt = FloatVector.broadcast(S, shift);
        int i = off;
        int bound = off + S.loopBound(n);
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, a, i).fma(va, FloatVector.fromArray(S, b, i).fma(vb, vt)).intoArray(out, i);
        }
        for (; i < off + n; i++) {
            out[i] = sa * a[i] + sb * b[i] + shift;
        }
    }

    /**
     * {@code y[i] = x[i] > 0 ? x[i] : 0} for {@code i} in {@code [off, off + n)}; NaN and minus
     * infinity give 0, as in the reference.
     */
    @Override
    public void relu(float[] x, float[] y, int off, int n) {
        FloatVector zero = FloatVector.zero(S);
        int i = off;
        int bound = off + S.loopBound(n);
        for (; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, i);
        }
        for (; i < off + n; i++) {
            float v = x[i];
            y[i] = v > 0 ? v : 0f;
        }
    }

    /** {@code y[i] = x[i] > 0 ? x[i] : slope * x[i]} for {@code i} in {@code [off, off + n)}. */
    @Override
    public void leakyRelu(float slope, float[] x, float[] y, int off, int n) {
        int i = off;
        int bound = off + S.loopBound(n);
        for (; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            VectorMask<Float> positive = v.compare(VectorOperators.GT, 0f);
            v.mul(slope).blend(v, positive).intoArray(y, i);
        }
        for (; i < off + n; i++) {
            float v = x[i];
            y[i] = v > 0 ? v : slope * v;
        }
    }

    /**
     * Planes of a few vectors (the cnn's 5x5) are shifted plane by plane, then the activation runs
     * over a cache-sized run of whole planes at once, instead of a scalar tail in every plane.
     * Larger planes are shifted and activated in one pass each.
     */
    @Override
    public void shiftLeakyReluPlanes(float[] shift, int c, float slope, float[] u, float[] y, int s, int from, int to) {
        if (s < SMALL_PLANE) {
            int chunk = VectorOps.planesPerChunk(s);
            for (int first = from; first < to; first += chunk) {
                int last = Math.min(to, first + chunk);
                for (int plane = first; plane < last; plane++) {
                    scaleShift(1f, shift[plane % c], u, y, plane * s, s);
                }
                leakyReluRun(slope, y, first * s, (last - first) * s);
            }
            return;
        }
        for (int plane = from; plane < to; plane++) {
            shiftLeakyRelu(shift[plane % c], slope, u, y, plane * s, s);
        }
    }

    /** ReLU (slope 0) or leaky ReLU in place over {@code y[off, off + n)}. */
    private void leakyReluRun(float slope, float[] y, int off, int n) {
        if (slope == 0) {
            relu(y, y, off, n);
        } else {
            leakyRelu(slope, y, y, off, n);
        }
    }

    /**
     * {@code y[i] = v > 0 ? v : slope * v} with {@code v = u[i] + shift}, for {@code i} in
     * {@code [off, off + n)}: a channel's shift (mean-only batch norm) and its leaky ReLU in one pass.
     * Slope 0 is ReLU, whose negative side is +0 as {@link #relu} writes it (not {@code 0 · v = −0}).
     */
    private static void shiftLeakyRelu(float shift, float slope, float[] u, float[] y, int off, int n) {
        FloatVector vb = FloatVector.broadcast(S, shift);
        int i = off;
        int bound = off + S.loopBound(n);
        // Two loops rather than a choice of vector inside one, which the JIT may box.
        if (slope == 0) {
            FloatVector zero = FloatVector.zero(S);
            for (; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, u, i).add(vb);
                zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, i);
            }
        } else {
            for (; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, u, i).add(vb);
                v.mul(slope).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, i);
            }
        }
        for (; i < off + n; i++) {
            y[i] = Activation.leakyRelu(u[i] + shift, slope);
        }
    }

    /**
     * {@code y[off + i] = v > 0 ? v : slope * v} with {@code v = u[off + i] + shift[i]}, for {@code i}
     * in {@code [0, n)}: one row of a dense layer's [N, C] with a shift per column; slope 0 as
     * {@link #shiftLeakyRelu}.
     */
    @Override
    public void shiftRowLeakyRelu(float[] shift, float slope, float[] u, float[] y, int off, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        if (slope == 0) {
            FloatVector zero = FloatVector.zero(S);
            for (; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, u, off + i).add(FloatVector.fromArray(S, shift, i));
                zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, off + i);
            }
        } else {
            for (; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, u, off + i).add(FloatVector.fromArray(S, shift, i));
                v.mul(slope).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, off + i);
            }
        }
        for (; i < n; i++) {
            y[off + i] = Activation.leakyRelu(u[off + i] + shift[i], slope);
        }
    }

    /** {@code dx[i] = x[i] > 0 ? dy[i] : slope * dy[i]} for {@code i} in {@code [off, off + n)} (ReLU when slope is 0). */
    @Override
    public void leakyReluBackward(float slope, float[] x, float[] dy, float[] dx, int off, int n) {
        int i = off;
        int bound = off + S.loopBound(n);
        for (; i < bound; i += L) {
            FloatVector g = FloatVector.fromArray(S, dy, i);
            VectorMask<Float> positive = FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f);
            g.mul(slope).blend(g, positive).intoArray(dx, i);
        }
        for (; i < off + n; i++) {
            dx[i] = x[i] > 0 ? dy[i] : slope * dy[i];
        }
    }

    /**
     * {@code table[i·OW + j] = 2i·W + 2j}: the offset of each 2x2 window's top-left input in its
     * plane, which {@link #maxPoolPlanes} gathers from. The last table is kept: max pooling runs
     * on the same few plane sizes every step.
     */
    @Override
    public int[] maxPoolCorners(int h, int w) {
        WindowCorners last = lastCorners;
        if (last != null && last.h() == h && last.w() == w) {
            return last.table();
        }
        int oh = h / 2, ow = w / 2;
        int[] table = new int[oh * ow];
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                table[i * ow + j] = 2 * i * w + 2 * j;
            }
        }
        lastCorners = new WindowCorners(h, w, table);
        return table;
    }

    /**
     * 2x2 max pooling of planes {@code [from, to)}, {@code L} windows at a time: the four inputs of
     * each window are gathered through {@code corners} (each window's top-left offset in its
     * plane), and the maximum and its position are chosen by compares and blends instead of
     * branches. On random data the scalar loop's branches are mispredicted about half the time,
     * which made max pooling 5% of a cnn training step. The result is bit for bit that of
     * {@link ScalarVectorOps#maxPoolWindow}: a strict greater-than keeps the first of equal values
     * (−0 before +0), and a group of windows holding a NaN (or an infinity that could hide one) is
     * left to the scalar code. Only compares, blends, gathers and lane-wise adds are used: the
     * Vector API's NaN test and mask casts are not intrinsified on JDK 17 and would allocate.
     */
    @Override
    public void maxPoolPlanes(float[] x, float[] y, int[] argmax, int h, int w, int[] corners, int from, int to) {
        int windows = (h / 2) * (w / 2);
        int bound = S.loopBound(windows);
        float[] codes = new float[L];
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector two = FloatVector.broadcast(S, 2f);
        FloatVector three = FloatVector.broadcast(S, 3f);
        for (int pl = from; pl < to; pl++) {
            int plane = pl * h * w;
            int out = pl * windows;
            int o = 0;
            for (; o < bound; o += L) {
                FloatVector a = FloatVector.fromArray(S, x, plane, corners, o);
                FloatVector b = FloatVector.fromArray(S, x, plane + 1, corners, o);
                FloatVector c = FloatVector.fromArray(S, x, plane + w, corners, o);
                FloatVector d = FloatVector.fromArray(S, x, plane + w + 1, corners, o);
                float total = a.add(b).add(c).add(d).reduceLanes(VectorOperators.ADD);
                if (!Float.isFinite(total)) {
                    for (int l = 0; l < L; l++) {
                        ScalarVectorOps.maxPoolWindow(x, plane + corners[o + l], w, y, argmax, out + o + l);
                    }
                    continue;
                }
                // Codes 0..3 in window order; compare with the best so far, later windows only when strictly greater.
                VectorMask<Float> m = b.compare(VectorOperators.GT, a);
                FloatVector best = a.blend(b, m);
                FloatVector code = FloatVector.zero(S).blend(one, m);
                m = c.compare(VectorOperators.GT, best);
                best = best.blend(c, m);
                code = code.blend(two, m);
                m = d.compare(VectorOperators.GT, best);
                best = best.blend(d, m);
                code = code.blend(three, m);
                best.intoArray(y, out + o);
                code.intoArray(codes, 0);
                for (int l = 0; l < L; l++) {
                    int k = (int) codes[l];
                    argmax[out + o + l] = plane + corners[o + l] + (k & 1) + (k >> 1) * w;
                }
            }
            for (; o < windows; o++) {
                ScalarVectorOps.maxPoolWindow(x, plane + corners[o], w, y, argmax, out + o);
            }
        }
    }

    /** {@code dst[dOff + i] += src[sOff + i]}: the scatter-add of col2im. */
    @Override
    public void add(float[] src, int sOff, float[] dst, int dOff, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, dst, dOff + i).add(FloatVector.fromArray(S, src, sOff + i))
                    .intoArray(dst, dOff + i);
        }
        for (; i < n; i++) {
            dst[dOff + i] += src[sOff + i];
        }
    }

    /** In {@link PanamaActivations}, to keep this class's methods small. */
    @Override
    public void elu(float alpha, float[] x, float[] y, int off, int n) {
        PanamaActivations.elu(alpha, x, y, off, n);
    }

    @Override
    public void eluBackward(float alphaHi, float alphaLo, float[] x, float[] y, float[] dy, float[] dx, int off, int n) {
        PanamaActivations.eluBackward(alphaHi, alphaLo, x, y, dy, dx, off, n);
    }

    @Override
    public void eluBackwardPlus(float alphaHi, float alphaLo, float[] x, float[] y, float[] dy, float[] addend, float[] dx, int off,
                                int n) {
        PanamaActivations.eluBackwardPlus(alphaHi, alphaLo, x, y, dy, addend, dx, off, n);
    }

    @Override
    public void plus(float[] a, float[] b, float[] out, int off, int n) {
        int i = off;
        int bound = off + S.loopBound(n);
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, a, i).add(FloatVector.fromArray(S, b, i)).intoArray(out, i);
        }
        for (; i < off + n; i++) {
            out[i] = a[i] + b[i];
        }
    }

    /** In {@link PanamaLstmGates}, to keep this class's methods small. */
    @Override
    public void lstmForward(float[] gates, int gOff, int n, float[] cPrev, int pOff, float[] c, float[] tanhC, float[] h, int off) {
        PanamaLstmGates.forward(gates, gOff, n, cPrev, pOff, c, tanhC, h, off);
    }

    @Override
    public void lstmBackward(float[] gates, int gOff, int n, float[] cPrev, int pOff, float[] tanhC,
                             float[] dy, int off, float[] dhRec, float[] dc, int rOff, float[] dGates) {
        PanamaLstmGates.backward(gates, gOff, n, cPrev, pOff, tanhC, dy, off, dhRec, dc, rOff, dGates);
    }
}
