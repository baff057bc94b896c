package org.weightnorm4j.tensor;

/**
 * The plain Java {@link VectorOps}: simple loops, reductions accumulated in double. Used when the
 * Vector API is missing (or forced off with {@code -Dweightnorm4j.kernels=scalar}); the JIT
 * vectorises the element-wise loops by itself, not the reductions or the masked activations.
 *
 * <p>Internal: not part of the public API; may change without notice.
 */
final class ScalarVectorOps implements VectorOps {

    @Override
    public boolean simd() {
        return false;
    }

    @Override
    public double sum(float[] a, int off, int n) {
        double total = 0;
        for (int i = off; i < off + n; i++) {
            total += a[i];
        }
        return total;
    }

    @Override
    public double dot(float[] a, float[] b, int off, int n) {
        double total = 0;
        for (int i = off; i < off + n; i++) {
            total += (double) a[i] * b[i];
        }
        return total;
    }

    @Override
    public double squaredDeviations(float[] a, int off, int n, float mean) {
        double total = 0;
        for (int i = off; i < off + n; i++) {
            double d = (double) a[i] - mean;
            total += d * d;
        }
        return total;
    }

    @Override
    public void addScaledPair(float sa, float[] a, float sb, float[] b, float[] y, int off, int n) {
        for (int i = off; i < off + n; i++) {
            y[i] = (y[i] + (sa * a[i] + 0f)) + (sb * b[i] + 0f);
        }
    }

    @Override
    public boolean allFinite(float[] a, int off, int n) {
        for (int i = off; i < off + n; i++) {
            if (!Float.isFinite(a[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public double sumSquares(float[] a, int off, int n) {
        double total = 0;
        for (int i = off; i < off + n; i++) {
            double v = a[i];
            total += v * v;
        }
        return total;
    }

    @Override
    public void sumAndDot(float[] a, float[] b, int off, int n, double[] totals) {
        double plainSum = 0, plainDot = 0;
        for (int i = off; i < off + n; i++) {
            plainSum += a[i];
            plainDot += (double) a[i] * b[i];
        }
        totals[0] = plainSum;
        totals[1] = plainDot;
    }

    @Override
    public void axpy(float alpha, float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] += alpha * x[i];
        }
    }

    @Override
    public void mul(float[] a, float[] b, float[] out, int off, int n) {
        for (int i = off; i < off + n; i++) {
            out[i] = a[i] * b[i];
        }
    }

    @Override
    public void add(float[] src, int sOff, float[] dst, int dOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dOff + i] += src[sOff + i];
        }
    }

    @Override
    public void scaleShift(float scale, float shift, float[] u, float[] y, int off, int n) {
        for (int i = off; i < off + n; i++) {
            y[i] = scale * u[i] + shift;
        }
    }

    @Override
    public void normalize(float[] x, int off, int n, float mean, float invStd, float gamma, float beta,
                          float[] xhat, float[] y) {
        for (int i = off; i < off + n; i++) {
            float xh = (x[i] - mean) * invStd;
            xhat[i] = xh;
            y[i] = gamma * xh + beta;
        }
    }

    @Override
    public void combine(float sa, float[] a, float sb, float[] b, float shift, float[] out, int off, int n) {
        for (int i = off; i < off + n; i++) {
            out[i] = sa * a[i] + sb * b[i] + shift;
        }
    }

    @Override
    public void relu(float[] x, float[] y, int off, int n) {
        for (int i = off; i < off + n; i++) {
            float v = x[i];
            y[i] = v > 0 ? v : 0f;
        }
    }

    @Override
    public void leakyRelu(float slope, float[] x, float[] y, int off, int n) {
        for (int i = off; i < off + n; i++) {
            float v = x[i];
            y[i] = v > 0 ? v : slope * v;
        }
    }

    @Override
    public void leakyReluBackward(float slope, float[] x, float[] dy, float[] dx, int off, int n) {
        for (int i = off; i < off + n; i++) {
            dx[i] = x[i] > 0 ? dy[i] : slope * dy[i];
        }
    }

    @Override
    public void elu(float alpha, float[] x, float[] y, int off, int n) {
        for (int i = off; i < off + n; i++) {
            y[i] = GateMath.elu(x[i], alpha);
        }
    }

    @Override
    public void eluBackward(float alphaHi, float alphaLo, float[] x, float[] y, float[] dy, float[] dx, int off, int n) {
        for (int i = off; i < off + n; i++) {
            dx[i] = GateMath.eluBackward(x[i], y[i], dy[i], alphaHi, alphaLo);
        }
    }

    @Override
    public void eluBackwardPlus(float alphaHi, float alphaLo, float[] x, float[] y, float[] dy, float[] addend, float[] dx, int off,
                                int n) {
        for (int i = off; i < off + n; i++) {
            dx[i] = GateMath.eluBackward(x[i], y[i], dy[i], alphaHi, alphaLo) + addend[i];
        }
    }

    @Override
    public void plus(float[] a, float[] b, float[] out, int off, int n) {
        for (int i = off; i < off + n; i++) {
            out[i] = a[i] + b[i];
        }
    }

    @Override
    public void shiftLeakyReluPlanes(float[] shift, int c, float slope, float[] u, float[] y, int s, int from, int to) {
        for (int plane = from; plane < to; plane++) {
            float t = shift[plane % c];
            for (int i = plane * s; i < plane * s + s; i++) {
                y[i] = Activation.leakyRelu(u[i] + t, slope);
            }
        }
    }

    @Override
    public void shiftRowLeakyRelu(float[] shift, float slope, float[] u, float[] y, int off, int n) {
        for (int ch = 0; ch < n; ch++) {
            y[off + ch] = Activation.leakyRelu(u[off + ch] + shift[ch], slope);
        }
    }

    @Override
    public int[] maxPoolCorners(int h, int w) {
        return null;
    }

    @Override
    public void maxPoolPlanes(float[] x, float[] y, int[] argmax, int h, int w, int[] corners, int from, int to) {
        int oh = h / 2, ow = w / 2;
        for (int pl = from; pl < to; pl++) {
            for (int i = 0; i < oh; i++) {
                int top = (pl * h + 2 * i) * w;
                int out = (pl * oh + i) * ow;
                for (int j = 0; j < ow; j++) {
                    maxPoolWindow(x, top + 2 * j, w, y, argmax, out + j);
                }
            }
        }
    }

    /**
     * One 2x2 window with top-left input {@code xs[corner]} (rows {@code w} apart) into output
     * {@code out}. Window order (0,0), (0,1), (1,0), (1,1): the first maximum wins (so of −0 and
     * +0 the first), and a NaN wins over any number, the first NaN over later ones. The vector
     * max pooling falls back to this for windows it cannot decide by compares.
     */
    static void maxPoolWindow(float[] xs, int corner, int w, float[] ys, int[] argmax, int out) {
        int best = corner;
        float bestValue = xs[best];
        int idx = corner + 1;
        float v = xs[idx];
        if (v > bestValue || v != v && bestValue == bestValue) {
            best = idx;
            bestValue = v;
        }
        idx = corner + w;
        v = xs[idx];
        if (v > bestValue || v != v && bestValue == bestValue) {
            best = idx;
            bestValue = v;
        }
        idx++;
        v = xs[idx];
        if (v > bestValue || v != v && bestValue == bestValue) {
            best = idx;
            bestValue = v;
        }
        ys[out] = bestValue;
        argmax[out] = best;
    }

    @Override
    public void lstmForward(float[] gates, int gOff, int n, float[] cPrev, int pOff, float[] c, float[] tanhC, float[] h, int off) {
        for (int j = 0; j < n; j++) {
            GateMath.cellForward(gates, gOff, n, cPrev, pOff, c, tanhC, h, off, j);
        }
    }

    @Override
    public void lstmBackward(float[] gates, int gOff, int n, float[] cPrev, int pOff, float[] tanhC,
                             float[] dy, int off, float[] dhRec, float[] dc, int rOff, float[] dGates) {
        for (int j = 0; j < n; j++) {
            GateMath.cellBackward(gates, gOff, n, cPrev, pOff, tanhC, dy, off, dhRec, dc, rOff, dGates, j);
        }
    }
}
