package org.weightnorm4j.tensor;

/**
 * One implementation of every kernel. {@link Kernels} checks arguments and then calls a backend:
 * the double-precision {@link ReferenceKernels} for FLOAT64 tensors, and the fastest available
 * float32 backend (chosen by {@link KernelProvider}) for FLOAT32 tensors.
 *
 * <p>Arguments arrive already validated: shapes agree, types agree. Every method either overwrites
 * its output or, where it takes {@code accumulate}, adds into it. Layout conventions:
 * images are NCHW; a "channel" view treats a tensor {@code [N, C, ...]} as {@code [N, C, S]} where
 * {@code S} is the product of the trailing dimensions (1 for a dense layer's {@code [N, C]}).
 *
 * <p>Internal: not part of the public API; may change without notice. (Public because
 * {@link KernelProvider#float32()} returns it; outside this package only {@link #name()} is used.)
 */
public interface KernelBackend {

    /** A short name for logs and benchmarks, e.g. {@code "panama-avx512"} or {@code "scalar"}. */
    String name();

    /**
     * {@code C = op(A) · op(B)} (or {@code C += ...} when {@code accumulate}), float32, row-major.
     * {@code op(A)} is {@code m × k}: A is stored {@code m × k} (leading dimension {@code lda}) or,
     * when {@code transA}, {@code k × m}. {@code op(B)} is {@code k × n}: B is stored {@code k × n}
     * or, when {@code transB}, {@code n × k}. C is {@code m × n} with leading dimension {@code ldc}.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
              float[] c, int cOff, int ldc, boolean accumulate);

    /** Same as the float version, in double (the reference path). */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
              double[] c, int cOff, int ldc, boolean accumulate);

    /** y[N,O,OH,OW] = conv(x[N,C,H,W], w[O,C,KH,KW]); no bias. */
    void conv2dForward(Tensor x, Tensor w, Tensor y, ConvSpec spec);

    /**
     * {@code y = conv(x, w) + bias}, {@code bias [O]} added to every output of its channel. The
     * default adds it in a second pass; a backend may add it as it writes y.
     */
    default void conv2dForward(Tensor x, Tensor w, Tensor bias, Tensor y, ConvSpec spec) {
        conv2dForward(x, w, y, spec);
        channelScaleShift(y, null, bias, y);
    }

    /** dx[N,C,H,W] = gradient of the convolution with respect to its input (overwrites dx). */
    void conv2dBackwardData(Tensor dy, Tensor w, Tensor dx, ConvSpec spec);

    /** dw[O,C,KH,KW] (+)= gradient of the convolution with respect to its filters. */
    void conv2dBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvSpec spec, boolean accumulate);

    /**
     * 2x2 max pooling with stride 2 over NCHW ({@code OH = H/2}, {@code OW = W/2}, remainder
     * dropped). {@code argmax[i]} receives the flat index into x of the maximum for output i.
     */
    void maxPool2x2Forward(Tensor x, Tensor y, int[] argmax);

    /** dx = 0 everywhere except dx[argmax[i]] += dy[i]. */
    void maxPool2x2Backward(Tensor dy, int[] argmax, Tensor dx);

    /** y[N,C] = mean over H,W of x[N,C,H,W]. */
    void globalAvgPoolForward(Tensor x, Tensor y);

    /** dx[N,C,H,W] = dy[N,C] / (H*W). */
    void globalAvgPoolBackward(Tensor dy, Tensor dx);

    /** y = f(x), element-wise. */
    void activationForward(Activation f, Tensor x, Tensor y);

    /** dx = f'(x) * dy, element-wise, with y = f(x) available. */
    void activationBackward(Activation f, Tensor x, Tensor y, Tensor dy, Tensor dx);

    /**
     * {@code dx = f'(x) ⊙ dy + addend}, with the bits of {@link #activationBackward} followed by
     * {@link #plus} (a backend may do it in one pass).
     */
    default void activationBackwardPlus(Activation f, Tensor x, Tensor y, Tensor dy, Tensor addend, Tensor dx) {
        activationBackward(f, x, y, dy, dx);
        plus(dx, addend, dx);
    }

    /** {@code out = a + b} element-wise (out may alias a or b), with the bits of a copy of {@code a} then {@link #axpy} of {@code b} with alpha 1. */
    default void plus(Tensor a, Tensor b, Tensor out) {
        if (out == b) {
            axpy(1, a, out);                                   // b + a: the same sum
            return;
        }
        if (out != a) {
            out.copyFrom(a);
        }
        axpy(1, b, out);
    }

    /**
     * y[n,c,s] = scale[c] * u[n,c,s] + shift[c]. Either of scale and shift may be null (meaning
     * 1 and 0). This is the fused weight-norm output {@code y = (g/||v||) ⊙ u + b}.
     */
    void channelScaleShift(Tensor u, Tensor scale, Tensor shift, Tensor y);

    /** out[c] (+)= sum over n,s of x[n,c,s]. */
    void channelSums(Tensor x, Tensor out, boolean accumulate);

    /** out[c] (+)= sum over n,s of a[n,c,s] * b[n,c,s]. */
    void channelDots(Tensor a, Tensor b, Tensor out, boolean accumulate);

    /**
     * sums[c] = sum over n,s of a[n,c,s] and dots[c] = sum over n,s of a[n,c,s] · b[n,c,s], in one
     * pass over a and b (overwrites both): batch normalization's Σ∇y and Σ∇y x̂. Each equals what
     * {@link #channelSums} and {@link #channelDots} give.
     */
    void channelSumsAndDots(Tensor a, Tensor b, Tensor sums, Tensor dots);

    /**
     * out[c] = sum over n,s of (x[n,c,s] − mean[c])²: the second pass of a two-pass variance, read
     * straight from x, so batch normalization needs neither a centred copy of x nor the
     * cancellation-prone E[x²] − E[x]².
     */
    void channelSquaredDeviations(Tensor x, Tensor mean, Tensor out);

    /**
     * xhat[n,c,s] = (x[n,c,s] − mean[c]) · invStd[c] and y[n,c,s] = gamma[c] · xhat[n,c,s] + beta[c],
     * both written in one pass over x: batch normalization's training output. None may be null.
     */
    void channelNormalize(Tensor x, Tensor mean, Tensor invStd, Tensor gamma, Tensor beta, Tensor xhat, Tensor y);

    /**
     * out[n,c,s] = scaleA[c] · a[n,c,s] + scaleB[c] · b[n,c,s] + shift[c] in one pass: batch
     * normalization's input gradient {@code k ∇y + a x̂ + b}. None may be null.
     */
    void channelCombine(Tensor a, Tensor scaleA, Tensor b, Tensor scaleB, Tensor shift, Tensor out);

    /**
     * y[n,c,s] = leakyRelu(u[n,c,s] + shift[c]): v for v > 0, else slope · v (ReLU when the slope is
     * 0, with +0 on the negative side). A per-channel shift and the activation after it in one pass: mean-only batch
     * normalization followed by its ReLU or leaky ReLU. Each element has the bits of
     * {@link #channelScaleShift} (without scale) followed by {@link #activationForward}.
     */
    void channelShiftLeakyRelu(Tensor u, Tensor shift, double slope, Tensor y);

    /**
     * dx[n,c,s] = y[n,c,s] > 0 ? dy[n,c,s] : slope · dy[n,c,s] and sums[c] = sum over n,s of dx, in one
     * pass: the backward of a ReLU or leaky ReLU read from its output y (for a slope ≥ 0, y > 0
     * exactly when its input is), and the per-channel sum the layer before it needs. Each element
     * has the bits of {@link #activationBackward}, each sum those of {@link #channelSums} on dx.
     */
    void leakyReluBackwardChannelSums(double slope, Tensor y, Tensor dy, Tensor dx, Tensor sums);

    /** out[r] = sum of row r of m viewed as [rows, rest]. */
    void rowSums(Tensor m, Tensor out);

    /** out[r] = Euclidean norm of row r of m viewed as [rows, rest]. */
    void rowL2Norms(Tensor m, Tensor out);

    /**
     * {@code y[r] += sa[r]·a[r] + sb[r]·b[r]} for every row r of the {@code [rows, rest]} views
     * (weight normalization's Eq. 3 for {@code ∇v}): each product rounded, then added into y in that order.
     */
    default void addRowScaled(Tensor a, Tensor sa, Tensor b, Tensor sb, Tensor y) {
        int rows = a.dim(0), cols = a.size() / Math.max(1, rows);
        for (int r = 0; r < rows; r++) {
            double fa = sa.get(r), fb = sb.get(r);
            for (int i = r * cols; i < (r + 1) * cols; i++) {
                y.set(i, (y.get(i) + fa * a.get(i)) + fb * b.get(i));
            }
        }
    }

    /**
     * Weight normalization's Eq. 3 for a weight whose units are its rows ({@code [out, fanIn]}
     * views, the scale per unit): per unit u, {@code ∇g[u] += (∇w[u]·v[u]) / ||v[u]||} and
     * {@code ∇v[u] += s[u] ∇w[u] − (s[u] ∇g_u / ||v[u]||) v[u]}, where {@code ∇g_u} is this call's
     * part of {@code ∇g[u]}. The same bits as {@link #channelDots} of the units, the per-unit
     * coefficients in double, then {@link #addRowScaled}: this default does exactly that.
     */
    default void weightNormRowGradients(Tensor gradW, Tensor v, Tensor norm, Tensor scale, Tensor gradG, Tensor gradV) {
        int out = norm.size(), fanIn = gradW.size() / Math.max(1, out);
        Tensor dots = norm.zerosLike();
        channelDots(gradW.reshape(1, out, fanIn), v.reshape(1, out, fanIn), dots, false);
        Tensor coef = norm.zerosLike();
        for (int u = 0; u < out; u++) {
            double dg = dots.get(u) / norm.get(u);                  // Eq. 3: ∇g = ∇w L · v/||v||
            gradG.set(u, gradG.get(u) + dg);
            coef.set(u, -scale.get(u) * dg / norm.get(u));          // Eq. 3: −(g ∇g/||v||²)
        }
        addRowScaled(gradW.reshape(out, fanIn), scale, v.reshape(out, fanIn), coef, gradV.reshape(out, fanIn));
    }

    /** Whether no element of {@code t} is NaN or infinite. */
    default boolean allFinite(Tensor t) {
        for (int i = 0, n = t.size(); i < n; i++) {
            if (!Double.isFinite(t.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** y += alpha * x. */
    void axpy(double alpha, Tensor x, Tensor y);

    /** out = a * b element-wise (out may alias a or b). */
    void mul(Tensor a, Tensor b, Tensor out);

    /** x *= alpha. */
    void scale(double alpha, Tensor x);

    /**
     * One LSTM step forward for {@code rows} batch entries (PyTorch's {@code nn.LSTM}, gate order
     * i, f, g, o): {@code gates} holds each row's pre-activations {@code [4·hidden]} from
     * {@code gOff} and is overwritten with the activated gates; {@code c = f c_prev + i g},
     * {@code tanhC = tanh c} and {@code h = o tanh c} are written from {@code off}, {@code cPrev}
     * is read from {@code pOff} (rows of {@code hidden}).
     */
    void lstmCellForward(Tensor gates, int gOff, Tensor cPrev, int pOff, Tensor c, Tensor tanhC, Tensor h, int off,
                         int rows, int hidden);

    /**
     * One LSTM step backward, from what {@link #lstmCellForward} left: {@code ∂h = dy + dhRec},
     * {@code ∂c = dc + ∂h o (1 − tanh² c)}; writes the pre-activation gradients into
     * {@code dGates} (laid out as {@code gates}, from {@code gOff}) and overwrites {@code dc}
     * ({@code [rows, hidden]}) with {@code ∂c_prev = ∂c f}. {@code dhRec} is {@code [rows, hidden]}.
     */
    void lstmCellBackward(Tensor gates, int gOff, Tensor cPrev, int pOff, Tensor tanhC, Tensor dy, int off,
                          Tensor dhRec, Tensor dc, Tensor dGates, int rows, int hidden);
}
