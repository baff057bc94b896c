package org.weightnorm4j.tensor;

import java.util.Arrays;

/**
 * The facade every layer calls: checks shapes and types (messages name both shapes), then runs
 * the kernel on the FLOAT64 reference path or the fastest FLOAT32 backend.
 */
public final class Kernels {

    private Kernels() {
    }

    /** The backend that serves tensors of this type. */
    public static KernelBackend backendFor(Tensor t) {
        return t.isFloat32() ? KernelProvider.float32() : ReferenceKernels.INSTANCE;
    }

    /** Raw float32 GEMM; see {@link KernelBackend#gemm(boolean, boolean, int, int, int, float[], int, int, float[], int, int, float[], int, int, boolean)}. */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        checkGemm(transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc);
        KernelProvider.float32().gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /** Raw float64 GEMM (reference). */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                            double[] c, int cOff, int ldc, boolean accumulate) {
        checkGemm(transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc);
        ReferenceKernels.INSTANCE.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /**
     * Prepares the right operand {@code op(b)} ({@code k × n}; {@code b} is {@code n × k} when
     * {@code transB}) of several float32 products {@link #gemmPackedB}, as the GEMM lays it out for
     * its micro-kernel: once per pass instead of once per product (an LSTM's recurrent weight,
     * multiplied at every step). {@code b} must not change until {@link PackedB#release}.
     */
    public static void packB(boolean transB, int k, int n, float[] b, int bOff, int ldb, PackedB into) {
        java.util.Objects.requireNonNull(into, "packB: the PackedB to fill is null");
        checkGemm(false, transB, 0, n, k, 0, 0, Math.max(1, k), b.length, bOff, ldb, 0, 0, Math.max(1, n));
        if (KernelProvider.float32() instanceof Float32Kernels f) {
            f.gemmKernel().packB(transB, k, n, b, bOff, ldb, into);
        } else {
            into.set(transB, k, n, b, bOff, ldb);
        }
    }

    /**
     * {@code C (+)= op(A) · op(B)} with op(B) from {@link #packB}: bit for bit what
     * {@link #gemm(boolean, boolean, int, int, int, float[], int, int, float[], int, int, float[], int, int, boolean)}
     * gives with the original B, at any thread count.
     *
     * @throws IllegalStateException when {@code b} holds no operand (never packed, or released)
     */
    public static void gemmPackedB(boolean transA, int m, float[] a, int aOff, int lda, PackedB b,
                                   float[] c, int cOff, int ldc, boolean accumulate) {
        if (!b.holdsOperand()) {
            throw new IllegalStateException("gemmPackedB: the packed right operand holds no matrix (never packed, or"
                    + " released at the end of its pass): call Kernels.packB with the current weights first");
        }
        checkGemm(transA, b.transB, m, b.n, b.k, a.length, aOff, lda, b.b.length, b.bOff, b.ldb, c.length, cOff, ldc);
        if (KernelProvider.float32() instanceof Float32Kernels f) {
            f.gemmKernel().gemmPackedB(transA, m, a, aOff, lda, b, c, cOff, ldc, accumulate);
        } else {
            KernelProvider.float32().gemm(transA, b.transB, m, b.n, b.k, a, aOff, lda, b.b, b.bOff, b.ldb,
                    c, cOff, ldc, accumulate);
        }
    }

    /**
     * {@code c = op(a) · op(b)} (or {@code +=}) for 2-D tensors, where op transposes when asked.
     * Tensors of higher rank are viewed as 2-D: {@code [dim0, rest]}.
     */
    public static void matmul(Tensor a, boolean transA, Tensor b, boolean transB, Tensor c, boolean accumulate) {
        a.requireSameType("matmul", b);
        a.requireSameType("matmul", c);
        int ar = a.dim(0), ac = a.sizeFrom(1), br = b.dim(0), bc = b.sizeFrom(1);
        int m = transA ? ac : ar, k = transA ? ar : ac;
        int kb = transB ? bc : br, n = transB ? br : bc;
        if (k != kb) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + describe(a, transA) + " · "
                    + describe(b, transB));
        }
        if (c.dim(0) != m || c.sizeFrom(1) != n) {
            throw new IllegalArgumentException("matmul: output " + Arrays.toString(c.shape()) + " does not fit "
                    + describe(a, transA) + " · " + describe(b, transB) + " = [" + m + ", " + n + "]");
        }
        if (a.isFloat32()) {
            KernelProvider.float32().gemm(transA, transB, m, n, k, a.data(), 0, ac, b.data(), 0, bc, c.data(), 0, n, accumulate);
        } else {
            ReferenceKernels.INSTANCE.gemm(transA, transB, m, n, k, a.data64(), 0, ac, b.data64(), 0, bc, c.data64(), 0, n, accumulate);
        }
    }

    /** y[N,O,OH,OW] = conv(x[N,C,H,W], w[O,C,KH,KW]); no bias. */
    public static void conv2dForward(Tensor x, Tensor w, Tensor y, ConvSpec spec) {
        checkConv("conv2dForward", x, w, y, spec);
        backendFor(x).conv2dForward(x, w, y, spec);
    }

    /** y[N,O,OH,OW] = conv(x[N,C,H,W], w[O,C,KH,KW]) + bias[O] per output channel. */
    public static void conv2dForward(Tensor x, Tensor w, Tensor bias, Tensor y, ConvSpec spec) {
        checkConv("conv2dForward", x, w, y, spec);
        if (bias == null) {
            throw new IllegalArgumentException("conv2dForward bias: expected a tensor [" + w.dim(0) + "] for filters "
                    + Arrays.toString(w.shape()) + " but got null (without a bias, call conv2dForward(x, w, y, spec))");
        }
        if (bias.rank() != 1 || bias.dim(0) != w.dim(0)) {
            throw shapeError("conv2dForward bias", bias, "filters", w, w.dim(0));
        }
        backendFor(x).conv2dForward(x, w, bias, y, spec);
    }

    /** dx[N,C,H,W] = gradient with respect to the input (overwritten). */
    public static void conv2dBackwardData(Tensor dy, Tensor w, Tensor dx, ConvSpec spec) {
        checkConv("conv2dBackwardData", dx, w, dy, spec);
        backendFor(dy).conv2dBackwardData(dy, w, dx, spec);
    }

    /** dw[O,C,KH,KW] (+)= gradient with respect to the filters. */
    public static void conv2dBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvSpec spec, boolean accumulate) {
        checkConv("conv2dBackwardFilter", x, dw, dy, spec);
        backendFor(x).conv2dBackwardFilter(x, dy, dw, spec, accumulate);
    }

    /** 2x2 max pooling, stride 2; {@code argmax} has y.size() entries. */
    public static void maxPool2x2Forward(Tensor x, Tensor y, int[] argmax) {
        requireRank("maxPool2x2Forward input", x, 4);
        if (!is(y, x.dim(0), x.dim(1), x.dim(2) / 2, x.dim(3) / 2)) {
            throw shapeError("maxPool2x2Forward output", y, "input", x, x.dim(0), x.dim(1), x.dim(2) / 2, x.dim(3) / 2);
        }
        x.requireSameType("maxPool2x2Forward", y);
        requireIndexLength("maxPool2x2Forward", argmax, y.size());
        backendFor(x).maxPool2x2Forward(x, y, argmax);
    }

    /** Routes dy back to the positions recorded by the forward pass. */
    public static void maxPool2x2Backward(Tensor dy, int[] argmax, Tensor dx) {
        requireRank("maxPool2x2Backward input gradient", dx, 4);
        if (!is(dy, dx.dim(0), dx.dim(1), dx.dim(2) / 2, dx.dim(3) / 2)) {
            throw shapeError("maxPool2x2Backward output gradient", dy, "input", dx,
                    dx.dim(0), dx.dim(1), dx.dim(2) / 2, dx.dim(3) / 2);
        }
        dy.requireSameType("maxPool2x2Backward", dx);
        requireIndexLength("maxPool2x2Backward", argmax, dy.size());
        backendFor(dy).maxPool2x2Backward(dy, argmax, dx);
    }

    /** y[N,C] = mean over space of x[N,C,H,W]. */
    public static void globalAvgPoolForward(Tensor x, Tensor y) {
        requireRank("globalAvgPoolForward input", x, 4);
        if (!is(y, x.dim(0), x.dim(1))) {
            throw shapeError("globalAvgPoolForward output", y, "input", x, x.dim(0), x.dim(1));
        }
        x.requireSameType("globalAvgPoolForward", y);
        backendFor(x).globalAvgPoolForward(x, y);
    }

    /** dx[N,C,H,W] = dy[N,C] / (H W). */
    public static void globalAvgPoolBackward(Tensor dy, Tensor dx) {
        requireRank("globalAvgPoolBackward input gradient", dx, 4);
        if (!is(dy, dx.dim(0), dx.dim(1))) {
            throw shapeError("globalAvgPoolBackward output gradient", dy, "input", dx, dx.dim(0), dx.dim(1));
        }
        dy.requireSameType("globalAvgPoolBackward", dx);
        backendFor(dy).globalAvgPoolBackward(dy, dx);
    }

    /** y = f(x). */
    public static void activationForward(Activation f, Tensor x, Tensor y) {
        requireSame("activation forward (x vs y)", x, y);
        x.requireSameType("activation forward", y);
        backendFor(x).activationForward(f, x, y);
    }

    /** dx = f'(x) dy. */
    public static void activationBackward(Activation f, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        requireSame("activation backward (x vs y)", x, y);
        requireSame("activation backward (x vs dy)", x, dy);
        requireSame("activation backward (x vs dx)", x, dx);
        backendFor(x).activationBackward(f, x, y, dy, dx);
    }

    /**
     * dx = f'(x) dy + addend, one pass where the backend can (ELU on float32): a residual block's
     * gradient through its body's first activation plus the shortcut's. The bits of
     * {@link #activationBackward} followed by {@link #plus}.
     */
    public static void activationBackwardPlus(Activation f, Tensor x, Tensor y, Tensor dy, Tensor addend, Tensor dx) {
        requireSame("activation backward (x vs y)", x, y);
        requireSame("activation backward (x vs dy)", x, dy);
        requireSame("activation backward (x vs addend)", x, addend);
        requireSame("activation backward (x vs dx)", x, dx);
        backendFor(x).activationBackwardPlus(f, x, y, dy, addend, dx);
    }

    /** out = a + b element-wise, one pass (out may alias a or b); the bits of a copy of a then {@link #axpy}(1, b, out). */
    public static void plus(Tensor a, Tensor b, Tensor out) {
        requireSame("plus (a vs b)", a, b);
        requireSame("plus (a vs output)", a, out);
        a.requireSameType("plus", b);
        a.requireSameType("plus", out);
        backendFor(a).plus(a, b, out);
    }

    /** y[n,c,s] = scale[c] u[n,c,s] + shift[c]; scale or shift may be null. */
    public static void channelScaleShift(Tensor u, Tensor scale, Tensor shift, Tensor y) {
        requireSame("channelScaleShift (u vs y)", u, y);
        int c = channels("channelScaleShift", u);
        if (scale != null && !is(scale, c)) {
            throw shapeError("channelScaleShift scale", scale, "input", u, c);
        }
        if (shift != null && !is(shift, c)) {
            throw shapeError("channelScaleShift shift", shift, "input", u, c);
        }
        backendFor(u).channelScaleShift(u, scale, shift, y);
    }

    /** out[c] (+)= sum over batch and space of x. */
    public static void channelSums(Tensor x, Tensor out, boolean accumulate) {
        int c = channels("channelSums", x);
        if (!is(out, c)) {
            throw shapeError("channelSums output", out, "input", x, c);
        }
        backendFor(x).channelSums(x, out, accumulate);
    }

    /** out[c] (+)= sum over batch and space of a * b. */
    public static void channelDots(Tensor a, Tensor b, Tensor out, boolean accumulate) {
        requireSame("channelDots (a vs b)", a, b);
        int c = channels("channelDots", a);
        if (!is(out, c)) {
            throw shapeError("channelDots output", out, "input", a, c);
        }
        backendFor(a).channelDots(a, b, out, accumulate);
    }

    /** sums[c] = Σ a and dots[c] = Σ a·b over batch and space, one pass (batch norm's Σ∇y and Σ∇y x̂). */
    public static void channelSumsAndDots(Tensor a, Tensor b, Tensor sums, Tensor dots) {
        requireSame("channelSumsAndDots (a vs b)", a, b);
        int c = channels("channelSumsAndDots", a);
        requireChannelVector("channelSumsAndDots sums", sums, a, c);
        requireChannelVector("channelSumsAndDots dots", dots, a, c);
        backendFor(a).channelSumsAndDots(a, b, sums, dots);
    }

    /** out[c] = Σ over batch and space of (x − mean[c])²: the two-pass variance's second pass. */
    public static void channelSquaredDeviations(Tensor x, Tensor mean, Tensor out) {
        int c = channels("channelSquaredDeviations", x);
        requireChannelVector("channelSquaredDeviations mean", mean, x, c);
        requireChannelVector("channelSquaredDeviations output", out, x, c);
        backendFor(x).channelSquaredDeviations(x, mean, out);
    }

    /** xhat = (x − mean[c])·invStd[c] and y = gamma[c]·xhat + beta[c] in one pass (batch norm's training forward). */
    public static void channelNormalize(Tensor x, Tensor mean, Tensor invStd, Tensor gamma, Tensor beta,
                                        Tensor xhat, Tensor y) {
        requireSame("channelNormalize (x vs xhat)", x, xhat);
        requireSame("channelNormalize (x vs y)", x, y);
        int c = channels("channelNormalize", x);
        requireChannelVector("channelNormalize mean", mean, x, c);
        requireChannelVector("channelNormalize invStd", invStd, x, c);
        requireChannelVector("channelNormalize gamma", gamma, x, c);
        requireChannelVector("channelNormalize beta", beta, x, c);
        backendFor(x).channelNormalize(x, mean, invStd, gamma, beta, xhat, y);
    }

    /** out = scaleA[c]·a + scaleB[c]·b + shift[c] in one pass (batch norm's input gradient). */
    public static void channelCombine(Tensor a, Tensor scaleA, Tensor b, Tensor scaleB, Tensor shift, Tensor out) {
        requireSame("channelCombine (a vs b)", a, b);
        requireSame("channelCombine (a vs output)", a, out);
        int c = channels("channelCombine", a);
        requireChannelVector("channelCombine scaleA", scaleA, a, c);
        requireChannelVector("channelCombine scaleB", scaleB, a, c);
        requireChannelVector("channelCombine shift", shift, a, c);
        backendFor(a).channelCombine(a, scaleA, b, scaleB, shift, out);
    }

    /** y = leakyRelu(u + shift[c]) per channel, one pass (mean-only batch norm and its ReLU or leaky ReLU). */
    public static void channelShiftLeakyRelu(Tensor u, Tensor shift, double slope, Tensor y) {
        requireSame("channelShiftLeakyRelu (u vs y)", u, y);
        u.requireSameType("channelShiftLeakyRelu", y);
        int c = channels("channelShiftLeakyRelu", u);
        requireChannelVector("channelShiftLeakyRelu shift", shift, u, c);
        backendFor(u).channelShiftLeakyRelu(u, shift, slope, y);
    }

    /**
     * dx = (y > 0 ? 1 : slope) dy from the activation's output y, and sums[c] = Σ dx over batch and
     * space, one pass. Needs a slope ≥ 0: with a negative slope a negative input gives a positive
     * output, and the sign of y no longer tells the two branches apart.
     */
    public static void leakyReluBackwardChannelSums(double slope, Tensor y, Tensor dy, Tensor dx, Tensor sums) {
        if (!(slope >= 0)) {
            throw new IllegalArgumentException("leakyReluBackwardChannelSums reads the derivative from the sign of the output, "
                    + "which needs a slope >= 0, but got " + slope + "; use activationBackward with the input instead");
        }
        requireSame("leakyReluBackwardChannelSums (y vs dy)", y, dy);
        requireSame("leakyReluBackwardChannelSums (y vs dx)", y, dx);
        y.requireSameType("leakyReluBackwardChannelSums", dy);
        y.requireSameType("leakyReluBackwardChannelSums", dx);
        int c = channels("leakyReluBackwardChannelSums", y);
        requireChannelVector("leakyReluBackwardChannelSums sums", sums, y, c);
        backendFor(y).leakyReluBackwardChannelSums(slope, y, dy, dx, sums);
    }

    /** out[r] = sum of row r of m as [rows, rest]. */
    public static void rowSums(Tensor m, Tensor out) {
        if (!is(out, m.dim(0))) {
            throw shapeError("rowSums output", out, "input", m, m.dim(0));
        }
        backendFor(m).rowSums(m, out);
    }

    /** out[r] = ||row r|| of m as [rows, rest]: the per-unit norm ||v|| of weight normalization. */
    public static void rowL2Norms(Tensor m, Tensor out) {
        if (!is(out, m.dim(0))) {
            throw shapeError("rowL2Norms output", out, "input", m, m.dim(0));
        }
        backendFor(m).rowL2Norms(m, out);
    }

    /**
     * {@code y[r] += sa[r]·a[r] + sb[r]·b[r]} per row of the {@code [rows, rest]} views, each
     * product rounded and added in that order: weight normalization's {@code ∇v} (Eq. 3) in one pass.
     */
    public static void addRowScaled(Tensor a, Tensor sa, Tensor b, Tensor sb, Tensor y) {
        requireSame("addRowScaled (a vs b)", a, b);
        requireSame("addRowScaled (a vs y)", a, y);
        a.requireSameType("addRowScaled", b);
        a.requireSameType("addRowScaled", y);
        if (!is(sa, a.dim(0))) {
            throw shapeError("addRowScaled sa", sa, "input", a, a.dim(0));
        }
        if (!is(sb, a.dim(0))) {
            throw shapeError("addRowScaled sb", sb, "input", a, a.dim(0));
        }
        backendFor(a).addRowScaled(a, sa, b, sb, y);
    }

    /**
     * Weight normalization's Eq. 3 for a weight whose units are its rows: per unit u (row u of the
     * {@code [out, fanIn]} views of {@code gradW}, {@code v} and {@code gradV}),
     * {@code ∇g[u] += (∇w[u]·v[u]) / norm[u]} and {@code ∇v[u] += s[u] ∇w[u] − (s[u] ∇g_u / norm[u]) v[u]},
     * with {@code ∇g_u} this call's addition to {@code ∇g[u]} and {@code s = scale = g/norm}.
     * The same bits as {@link #channelDots} over the units, the coefficients in double and then
     * {@link #addRowScaled}; the float32 backend does it unit by unit, so that the second pass over a
     * unit's row of {@code ∇w} and {@code v} finds it in L1.
     */
    public static void weightNormRowGradients(Tensor gradW, Tensor v, Tensor norm, Tensor scale, Tensor gradG,
                                              Tensor gradV) {
        requireSame("weightNormRowGradients (∇w vs v)", gradW, v);
        requireSame("weightNormRowGradients (∇w vs ∇v)", gradW, gradV);
        gradW.requireSameType("weightNormRowGradients", v);
        gradW.requireSameType("weightNormRowGradients", gradV);
        int out = gradW.dim(0);
        for (Tensor perUnit : new Tensor[] {norm, scale, gradG}) {
            if (perUnit == null) {
                throw new IllegalArgumentException("weightNormRowGradients: a per-unit tensor (norm, scale or ∇g) is null");
            }
            if (perUnit.size() != out) {
                throw shapeError("weightNormRowGradients per-unit tensor", perUnit, "∇w", gradW, out);
            }
        }
        backendFor(gradW).weightNormRowGradients(gradW, v, norm, scale, gradG, gradV);
    }

    /** Whether no element of {@code t} is NaN or infinite (the training step's gradient guard). */
    public static boolean allFinite(Tensor t) {
        return backendFor(t).allFinite(t);
    }

    /** y += alpha x. */
    public static void axpy(double alpha, Tensor x, Tensor y) {
        requireSame("axpy (x vs y)", x, y);
        x.requireSameType("axpy", y);
        backendFor(x).axpy(alpha, x, y);
    }

    /** out = a * b element-wise. */
    public static void mul(Tensor a, Tensor b, Tensor out) {
        requireSame("mul (a vs b)", a, b);
        requireSame("mul (a vs output)", a, out);
        backendFor(a).mul(a, b, out);
    }

    /** x *= alpha. */
    public static void scale(double alpha, Tensor x) {
        backendFor(x).scale(alpha, x);
    }

    /**
     * One LSTM step forward over {@code rows} batch entries ({@link KernelBackend#lstmCellForward}):
     * {@code gates} rows of {@code 4·hidden} pre-activations (gate order i, f, g, o) from
     * {@code gOff}, overwritten with the activated gates; {@code c}, {@code tanhC}, {@code h}
     * rows of {@code hidden} written from {@code off}; {@code cPrev} read from {@code pOff}.
     */
    public static void lstmCellForward(Tensor gates, int gOff, Tensor cPrev, int pOff, Tensor c, Tensor tanhC, Tensor h,
                                       int off, int rows, int hidden) {
        sameTypes("lstmCellForward", gates, cPrev, c, tanhC, h);
        int gates4 = 4 * hidden;
        requireRange("lstmCellForward gates", gates, gOff, rows, gates4);
        requireRange("lstmCellForward cPrev", cPrev, pOff, rows, hidden);
        requireRange("lstmCellForward c", c, off, rows, hidden);
        requireRange("lstmCellForward tanhC", tanhC, off, rows, hidden);
        requireRange("lstmCellForward h", h, off, rows, hidden);
        backendFor(gates).lstmCellForward(gates, gOff, cPrev, pOff, c, tanhC, h, off, rows, hidden);
    }

    /**
     * One LSTM step backward ({@link KernelBackend#lstmCellBackward}): {@code dGates} laid out as
     * {@code gates} from {@code gOff}; {@code dy} and {@code tanhC} from {@code off}; {@code dhRec}
     * and {@code dc} are {@code [rows, hidden]} step buffers ({@code dc} read and overwritten with
     * {@code ∂c_prev}).
     */
    public static void lstmCellBackward(Tensor gates, int gOff, Tensor cPrev, int pOff, Tensor tanhC, Tensor dy, int off,
                                        Tensor dhRec, Tensor dc, Tensor dGates, int rows, int hidden) {
        sameTypes("lstmCellBackward", gates, cPrev, tanhC, dy, dhRec, dc, dGates);
        int gates4 = 4 * hidden;
        requireRange("lstmCellBackward gates", gates, gOff, rows, gates4);
        requireRange("lstmCellBackward dGates", dGates, gOff, rows, gates4);
        requireRange("lstmCellBackward cPrev", cPrev, pOff, rows, hidden);
        requireRange("lstmCellBackward tanhC", tanhC, off, rows, hidden);
        requireRange("lstmCellBackward dy", dy, off, rows, hidden);
        requireRange("lstmCellBackward dhRec", dhRec, 0, rows, hidden);
        requireRange("lstmCellBackward dc", dc, 0, rows, hidden);
        backendFor(gates).lstmCellBackward(gates, gOff, cPrev, pOff, tanhC, dy, off, dhRec, dc, dGates, rows, hidden);
    }

    private static void sameTypes(String op, Tensor first, Tensor... rest) {
        for (Tensor t : rest) {
            first.requireSameType(op, t);
        }
    }

    /** {@code rows} rows of {@code width} from {@code off} must lie inside {@code t}. */
    private static void requireRange(String what, Tensor t, int off, int rows, int width) {
        if (off < 0 || rows < 0 || width < 0 || (long) off + (long) rows * width > t.size()) {
            throw new IllegalArgumentException(what + ": " + rows + " rows of " + width + " from offset " + off
                    + " do not fit " + Arrays.toString(t.shape()));
        }
    }

    // Shape checks that allocate nothing when the shapes are right: the message is built only on failure.

    private static boolean is(Tensor t, int d0) {
        return t.rank() == 1 && t.dim(0) == d0;
    }

    private static boolean is(Tensor t, int d0, int d1) {
        return t.rank() == 2 && t.dim(0) == d0 && t.dim(1) == d1;
    }

    private static boolean is(Tensor t, int d0, int d1, int d2, int d3) {
        return t.rank() == 4 && t.dim(0) == d0 && t.dim(1) == d1 && t.dim(2) == d2 && t.dim(3) == d3;
    }

    private static void requireSame(String op, Tensor a, Tensor b) {
        if (a.rank() != b.rank()) {
            a.requireSameShape(op, b);
        }
        for (int i = 0; i < a.rank(); i++) {
            if (a.dim(i) != b.dim(i)) {
                a.requireSameShape(op, b);
            }
        }
    }

    private static IllegalArgumentException shapeError(String what, Tensor actual, String contextName, Tensor context,
                                                       int... expected) {
        return new IllegalArgumentException(what + ": expected shape " + Arrays.toString(expected) + " for "
                + contextName + (context == null ? "" : " " + Arrays.toString(context.shape())) + " but got "
                + Arrays.toString(actual.shape()));
    }

    /** A per-channel vector [c] of a channel kernel; null is refused here, not deep inside a backend. */
    private static void requireChannelVector(String what, Tensor v, Tensor input, int c) {
        if (v == null) {
            throw new IllegalArgumentException(what + ": expected a tensor [" + c + "] for input "
                    + Arrays.toString(input.shape()) + " but got null");
        }
        if (!is(v, c)) {
            throw shapeError(what, v, "input", input, c);
        }
    }

    private static int channels(String op, Tensor t) {
        if (t.rank() < 2) {
            throw new IllegalArgumentException(op + ": expected a tensor [N, C, ...] but got " + Arrays.toString(t.shape()));
        }
        return t.dim(1);
    }

    private static void requireRank(String what, Tensor t, int rank) {
        requireRank(what, "", t, rank);
    }

    private static void requireRank(String op, String which, Tensor t, int rank) {
        if (t.rank() != rank) {
            throw new IllegalArgumentException(op + which + ": expected rank " + rank + " but got shape " + Arrays.toString(t.shape()));
        }
    }

    private static void requireIndexLength(String op, int[] index, int needed) {
        if (index.length < needed) {
            throw new IllegalArgumentException(op + ": argmax has " + index.length + " entries, needs " + needed);
        }
    }

    private static void checkConv(String op, Tensor x, Tensor w, Tensor y, ConvSpec spec) {
        requireRank(op, " input", x, 4);
        requireRank(op, " filters", w, 4);
        requireRank(op, " output", y, 4);
        x.requireSameType(op, w);
        x.requireSameType(op, y);
        if (w.dim(1) != x.dim(1)) {
            throw new IllegalArgumentException(op + ": filters " + Arrays.toString(w.shape()) + " expect " + w.dim(1)
                    + " input channels but input " + Arrays.toString(x.shape()) + " has " + x.dim(1));
        }
        int oh = spec.outSize(x.dim(2), w.dim(2));
        int ow = spec.outSize(x.dim(3), w.dim(3));
        if (!is(y, x.dim(0), w.dim(0), oh, ow)) {
            throw shapeError(op + " output", y, "input " + Arrays.toString(x.shape()) + ", filters "
                    + Arrays.toString(w.shape()) + " and " + spec, null, x.dim(0), w.dim(0), oh, ow);
        }
    }

    private static void checkGemm(boolean transA, boolean transB, int m, int n, int k,
                                  int aLen, int aOff, int lda, int bLen, int bOff, int ldb, int cLen, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: negative size m=" + m + " n=" + n + " k=" + k);
        }
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        checkOperand("A", aRows, aCols, aLen, aOff, lda);
        checkOperand("B", bRows, bCols, bLen, bOff, ldb);
        checkOperand("C", m, n, cLen, cOff, ldc);
    }

    private static void checkOperand(String name, int rows, int cols, int length, int off, int ld) {
        if (rows == 0 || cols == 0) {
            return;
        }
        if (ld < cols) {
            throw new IllegalArgumentException("gemm: leading dimension of " + name + " is " + ld + " but rows have " + cols + " columns");
        }
        long last = (long) off + (long) (rows - 1) * ld + cols;
        if (off < 0 || last > length) {
            throw new IllegalArgumentException("gemm: " + name + " [" + rows + " x " + cols + "] at offset " + off
                    + " with leading dimension " + ld + " needs " + last + " elements but the array has " + length);
        }
    }

    private static String describe(Tensor t, boolean transposed) {
        return Arrays.toString(t.shape()) + (transposed ? "ᵀ" : "");
    }
}
