package org.weightnorm4j.tensor;

/**
 * The plain reference of every kernel: straightforward loops, every sum accumulated in double.
 *
 * <p>It is the test oracle for the fast float32 kernels, and the compute path for FLOAT64
 * tensors (gradient checks). It reads and writes through {@link Tensor#get}/{@link Tensor#set},
 * so it serves both element types; it is written for clarity, not speed.
 *
 * <p>Internal: not part of the public API; may change without notice.
 */
final class ReferenceKernels implements KernelBackend {

    public static final ReferenceKernels INSTANCE = new ReferenceKernels();

    private ReferenceKernels() {
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += av * bv;
                }
                int ci = cOff + i * ldc + j;
                c[ci] = (float) (accumulate ? c[ci] + sum : sum);
            }
        }
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                     double[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += av * bv;
                }
                int ci = cOff + i * ldc + j;
                c[ci] = accumulate ? c[ci] + sum : sum;
            }
        }
    }

    @Override
    public void conv2dForward(Tensor x, Tensor w, Tensor y, ConvSpec spec) {
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), wd = x.dim(3);
        int o = w.dim(0), kh = w.dim(2), kw = w.dim(3);
        int oh = y.dim(2), ow = y.dim(3);
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double sum = 0;
                        for (int ic = 0; ic < c; ic++) {
                            for (int p = 0; p < kh; p++) {
                                int yi = i * spec.stride() - spec.padding() + p;
                                if (yi < 0 || yi >= h) {
                                    continue;
                                }
                                for (int q = 0; q < kw; q++) {
                                    int xj = j * spec.stride() - spec.padding() + q;
                                    if (xj < 0 || xj >= wd) {
                                        continue;
                                    }
                                    sum += x.get(((b * c + ic) * h + yi) * wd + xj) * w.get(((oc * c + ic) * kh + p) * kw + q);
                                }
                            }
                        }
                        y.set(((b * o + oc) * oh + i) * ow + j, sum);
                    }
                }
            }
        }
    }

    @Override
    public void conv2dBackwardData(Tensor dy, Tensor w, Tensor dx, ConvSpec spec) {
        int n = dx.dim(0), c = dx.dim(1), h = dx.dim(2), wd = dx.dim(3);
        int o = w.dim(0), kh = w.dim(2), kw = w.dim(3);
        int oh = dy.dim(2), ow = dy.dim(3);
        double[] acc = new double[dx.size()];
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double g = dy.get(((b * o + oc) * oh + i) * ow + j);
                        for (int ic = 0; ic < c; ic++) {
                            for (int p = 0; p < kh; p++) {
                                int yi = i * spec.stride() - spec.padding() + p;
                                if (yi < 0 || yi >= h) {
                                    continue;
                                }
                                for (int q = 0; q < kw; q++) {
                                    int xj = j * spec.stride() - spec.padding() + q;
                                    if (xj < 0 || xj >= wd) {
                                        continue;
                                    }
                                    acc[((b * c + ic) * h + yi) * wd + xj] += g * w.get(((oc * c + ic) * kh + p) * kw + q);
                                }
                            }
                        }
                    }
                }
            }
        }
        for (int i = 0; i < acc.length; i++) {
            dx.set(i, acc[i]);
        }
    }

    @Override
    public void conv2dBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvSpec spec, boolean accumulate) {
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), wd = x.dim(3);
        int o = dw.dim(0), kh = dw.dim(2), kw = dw.dim(3);
        int oh = dy.dim(2), ow = dy.dim(3);
        for (int oc = 0; oc < o; oc++) {
            for (int ic = 0; ic < c; ic++) {
                for (int p = 0; p < kh; p++) {
                    for (int q = 0; q < kw; q++) {
                        double sum = 0;
                        for (int b = 0; b < n; b++) {
                            for (int i = 0; i < oh; i++) {
                                int yi = i * spec.stride() - spec.padding() + p;
                                if (yi < 0 || yi >= h) {
                                    continue;
                                }
                                for (int j = 0; j < ow; j++) {
                                    int xj = j * spec.stride() - spec.padding() + q;
                                    if (xj < 0 || xj >= wd) {
                                        continue;
                                    }
                                    sum += dy.get(((b * o + oc) * oh + i) * ow + j) * x.get(((b * c + ic) * h + yi) * wd + xj);
                                }
                            }
                        }
                        int wi = ((oc * c + ic) * kh + p) * kw + q;
                        dw.set(wi, accumulate ? dw.get(wi) + sum : sum);
                    }
                }
            }
        }
    }

    @Override
    public void maxPool2x2Forward(Tensor x, Tensor y, int[] argmax) {
        int planes = x.dim(0) * x.dim(1), h = x.dim(2), wd = x.dim(3);
        int oh = h / 2, ow = wd / 2;
        for (int pl = 0; pl < planes; pl++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int best = -1;
                    double bestValue = Double.NEGATIVE_INFINITY;
                    for (int p = 0; p < 2; p++) {
                        for (int q = 0; q < 2; q++) {
                            int xi = (pl * h + 2 * i + p) * wd + 2 * j + q;
                            double v = x.get(xi);
                            // First maximum wins; NaN propagates (as in PyTorch).
                            if (best < 0 || v > bestValue || Double.isNaN(v) && !Double.isNaN(bestValue)) {
                                best = xi;
                                bestValue = v;
                            }
                        }
                    }
                    int yi = (pl * oh + i) * ow + j;
                    y.set(yi, bestValue);
                    argmax[yi] = best;
                }
            }
        }
    }

    @Override
    public void maxPool2x2Backward(Tensor dy, int[] argmax, Tensor dx) {
        dx.fill(0);
        for (int i = 0; i < dy.size(); i++) {
            dx.set(argmax[i], dx.get(argmax[i]) + dy.get(i));
        }
    }

    @Override
    public void globalAvgPoolForward(Tensor x, Tensor y) {
        int planes = x.dim(0) * x.dim(1), s = x.dim(2) * x.dim(3);
        for (int pl = 0; pl < planes; pl++) {
            double sum = 0;
            for (int i = 0; i < s; i++) {
                sum += x.get(pl * s + i);
            }
            y.set(pl, sum / s);
        }
    }

    @Override
    public void globalAvgPoolBackward(Tensor dy, Tensor dx) {
        int planes = dx.dim(0) * dx.dim(1), s = dx.dim(2) * dx.dim(3);
        for (int pl = 0; pl < planes; pl++) {
            double g = dy.get(pl) / s;
            for (int i = 0; i < s; i++) {
                dx.set(pl * s + i, g);
            }
        }
    }

    @Override
    public void activationForward(Activation f, Tensor x, Tensor y) {
        for (int i = 0; i < x.size(); i++) {
            y.set(i, f.apply(x.get(i)));
        }
    }

    @Override
    public void activationBackward(Activation f, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        for (int i = 0; i < x.size(); i++) {
            dx.set(i, f.derivative(x.get(i), y.get(i)) * dy.get(i));
        }
    }

    @Override
    public void channelScaleShift(Tensor u, Tensor scale, Tensor shift, Tensor y) {
        int n = u.dim(0), c = u.dim(1), s = u.sizeFrom(2);
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                double sc = scale == null ? 1 : scale.get(ch);
                double sh = shift == null ? 0 : shift.get(ch);
                int base = (b * c + ch) * s;
                for (int i = 0; i < s; i++) {
                    y.set(base + i, sc * u.get(base + i) + sh);
                }
            }
        }
    }

    @Override
    public void channelShiftLeakyRelu(Tensor u, Tensor shift, double slope, Tensor y) {
        int n = u.dim(0), c = u.dim(1), s = u.sizeFrom(2);
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (b * c + ch) * s;
                for (int i = 0; i < s; i++) {
                    double v = u.get(base + i) + shift.get(ch);
                    y.set(base + i, v > 0 ? v : slope == 0 ? 0 : slope * v);            // ReLU's negative side is +0
                }
            }
        }
    }

    @Override
    public void leakyReluBackwardChannelSums(double slope, Tensor y, Tensor dy, Tensor dx, Tensor sums) {
        int n = y.dim(0), c = y.dim(1), s = y.sizeFrom(2);
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int b = 0; b < n; b++) {
                int base = (b * c + ch) * s;
                for (int i = 0; i < s; i++) {
                    double g = dy.get(base + i);
                    double d = y.get(base + i) > 0 ? g : slope * g;
                    dx.set(base + i, d);
                    sum += dx.get(base + i);
                }
            }
            sums.set(ch, sum);
        }
    }

    @Override
    public void channelSums(Tensor x, Tensor out, boolean accumulate) {
        int n = x.dim(0), c = x.dim(1), s = x.sizeFrom(2);
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int b = 0; b < n; b++) {
                int base = (b * c + ch) * s;
                for (int i = 0; i < s; i++) {
                    sum += x.get(base + i);
                }
            }
            out.set(ch, accumulate ? out.get(ch) + sum : sum);
        }
    }

    @Override
    public void channelDots(Tensor a, Tensor b, Tensor out, boolean accumulate) {
        int n = a.dim(0), c = a.dim(1), s = a.sizeFrom(2);
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int bi = 0; bi < n; bi++) {
                int base = (bi * c + ch) * s;
                for (int i = 0; i < s; i++) {
                    sum += a.get(base + i) * b.get(base + i);
                }
            }
            out.set(ch, accumulate ? out.get(ch) + sum : sum);
        }
    }

    @Override
    public void channelSumsAndDots(Tensor a, Tensor b, Tensor sums, Tensor dots) {
        channelSums(a, sums, false);
        channelDots(a, b, dots, false);
    }

    @Override
    public void channelSquaredDeviations(Tensor x, Tensor mean, Tensor out) {
        int n = x.dim(0), c = x.dim(1), s = x.sizeFrom(2);
        for (int ch = 0; ch < c; ch++) {
            double mu = mean.get(ch);
            double sum = 0;
            for (int b = 0; b < n; b++) {
                int base = (b * c + ch) * s;
                for (int i = 0; i < s; i++) {
                    double d = x.get(base + i) - mu;
                    sum += d * d;
                }
            }
            out.set(ch, sum);
        }
    }

    @Override
    public void channelNormalize(Tensor x, Tensor mean, Tensor invStd, Tensor gamma, Tensor beta, Tensor xhat, Tensor y) {
        int n = x.dim(0), c = x.dim(1), s = x.sizeFrom(2);
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                double mu = mean.get(ch), is = invStd.get(ch), g = gamma.get(ch), be = beta.get(ch);
                int base = (b * c + ch) * s;
                for (int i = 0; i < s; i++) {
                    double xh = (x.get(base + i) - mu) * is;
                    xhat.set(base + i, xh);
                    y.set(base + i, g * xh + be);
                }
            }
        }
    }

    @Override
    public void channelCombine(Tensor a, Tensor scaleA, Tensor b, Tensor scaleB, Tensor shift, Tensor out) {
        int n = a.dim(0), c = a.dim(1), s = a.sizeFrom(2);
        for (int bi = 0; bi < n; bi++) {
            for (int ch = 0; ch < c; ch++) {
                double sa = scaleA.get(ch), sb = scaleB.get(ch), t = shift.get(ch);
                int base = (bi * c + ch) * s;
                for (int i = 0; i < s; i++) {
                    out.set(base + i, sa * a.get(base + i) + sb * b.get(base + i) + t);
                }
            }
        }
    }

    @Override
    public void rowSums(Tensor m, Tensor out) {
        int rows = m.dim(0), cols = m.sizeFrom(1);
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += m.get(r * cols + j);
            }
            out.set(r, sum);
        }
    }

    @Override
    public void rowL2Norms(Tensor m, Tensor out) {
        int rows = m.dim(0), cols = m.sizeFrom(1);
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                double v = m.get(r * cols + j);
                sum += v * v;
            }
            out.set(r, Math.sqrt(sum));
        }
    }

    @Override
    public void axpy(double alpha, Tensor x, Tensor y) {
        for (int i = 0; i < x.size(); i++) {
            y.set(i, y.get(i) + alpha * x.get(i));
        }
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        for (int i = 0; i < a.size(); i++) {
            out.set(i, a.get(i) * b.get(i));
        }
    }

    @Override
    public void scale(double alpha, Tensor x) {
        for (int i = 0; i < x.size(); i++) {
            x.set(i, alpha * x.get(i));
        }
    }

    /** In double, with {@link Math#tanh} and {@link #sigmoid}: the reference the fused float32 kernels are tested against. */
    @Override
    public void lstmCellForward(Tensor gates, int gOff, Tensor cPrev, int pOff, Tensor c, Tensor tanhC, Tensor h, int off,
                                int rows, int hidden) {
        int n = hidden;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                int a = gOff + r * 4 * n + j, e = off + r * n + j;
                double i = sigmoid(gates.get(a));
                double f = sigmoid(gates.get(a + n));
                double g = Math.tanh(gates.get(a + 2 * n));
                double o = sigmoid(gates.get(a + 3 * n));
                double cc = f * cPrev.get(pOff + r * n + j) + i * g;        // c_t = f ⊙ c_{t−1} + i ⊙ g
                double tc = Math.tanh(cc);
                gates.set(a, i);
                gates.set(a + n, f);
                gates.set(a + 2 * n, g);
                gates.set(a + 3 * n, o);
                c.set(e, cc);
                tanhC.set(e, tc);
                h.set(e, o * tc);                                          // h_t = o ⊙ tanh(c_t)
            }
        }
    }

    @Override
    public void lstmCellBackward(Tensor gates, int gOff, Tensor cPrev, int pOff, Tensor tanhC, Tensor dy, int off,
                                 Tensor dhRec, Tensor dc, Tensor dGates, int rows, int hidden) {
        int n = hidden;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                int a = gOff + r * 4 * n + j, e = off + r * n + j, s = r * n + j;
                double i = gates.get(a), f = gates.get(a + n), g = gates.get(a + 2 * n), o = gates.get(a + 3 * n);
                double tc = tanhC.get(e);
                double dh = dy.get(e) + dhRec.get(s);                          // ∂h_t: output + next step
                double dcT = dc.get(s) + dh * o * (1 - tc * tc);               // ∂c_t: next step + through h_t
                dGates.set(a, dcT * g * i * (1 - i));                          // ∂a_i
                dGates.set(a + n, dcT * cPrev.get(pOff + s) * f * (1 - f));    // ∂a_f
                dGates.set(a + 2 * n, dcT * i * (1 - g * g));                  // ∂a_g
                dGates.set(a + 3 * n, dh * tc * o * (1 - o));                  // ∂a_o
                dc.set(s, dcT * f);                                            // ∂c_{t−1}
            }
        }
    }

    /** σ(x) = 1/(1 + e^{−x}) without overflow. */
    private static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }
}
