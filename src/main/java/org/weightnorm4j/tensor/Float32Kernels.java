package org.weightnorm4j.tensor;

import java.util.List;

/**
 * The float32 backend: checks that every tensor of a call is FLOAT32 and hands the call to the
 * class that does that job. GEMM goes through the chosen {@link GemmKernel}, convolutions through
 * {@link Float32Conv} (im2col + that GEMM, or Winograd), and the rest through
 * {@link PoolingKernels}, {@link ActivationKernels}, {@link ChannelReductionKernels},
 * {@link ChannelAffineKernels} and {@link ElementwiseKernels}.
 *
 * <p>Whether the inner loops use the Vector API is decided once, here in the constructor, by the
 * {@link VectorOps} all those classes share: {@link ScalarVectorOps} or the Panama one that
 * {@link KernelProvider#vectorOps} loads by name, so this class (and the job classes) never touch
 * {@code jdk.incubator.vector} and work on a JVM started without it. Scalar reductions
 * accumulate in double; vector reductions accumulate in float lanes, in blocks added into a
 * double where the result feeds weight normalization (sums, dots and norms over channels and rows).
 *
 * <p>{@link Kernels} checks shapes but not the element type of every auxiliary tensor (the scale
 * of {@code channelScaleShift}, the output of the reductions); a call that mixes in a FLOAT64
 * tensor is served by {@link ReferenceKernels}.
 *
 * <p>Internal: not part of the public API; may change without notice. (Public because the CLI's
 * benchmarks ask it which convolution algorithms it runs.)
 */
public final class Float32Kernels implements KernelBackend {
    private final GemmKernel gemm;
    private final VectorOps ops;
    private final Float32Conv conv;
    private final PoolingKernels pooling;
    private final ActivationKernels activations;
    private final ChannelReductionKernels reductions;
    private final ChannelAffineKernels affine;
    private final ElementwiseKernels elementwise;
    private final LstmKernels lstm;

    /**
     * With Winograd convolutions where they pay off, unless {@value KernelProvider#WINOGRAD_PROPERTY} is {@code false}.
     *
     * @param gemm the matrix multiply to use
     * @param simd whether the Vector API may be used by the other kernels
     */
    Float32Kernels(GemmKernel gemm, boolean simd) {
        this(gemm, simd, KernelProvider.winogradEnabled());
    }

    /**
     * @param winograd whether 3x3 stride-1 convolutions may use Winograd's F(2x2, 3x3)
     *                 ({@link WinogradConv}; needs {@code simd})
     */
    Float32Kernels(GemmKernel gemm, boolean simd, boolean winograd) {
        this.gemm = gemm;
        this.ops = KernelProvider.vectorOps(simd);
        this.conv = new Float32Conv(gemm, ops, winograd);
        ChannelScratch scratch = new ChannelScratch();
        this.pooling = new PoolingKernels(ops);
        this.activations = new ActivationKernels(ops, scratch);
        this.reductions = new ChannelReductionKernels(ops, scratch);
        this.affine = new ChannelAffineKernels(ops);
        this.elementwise = new ElementwiseKernels(ops);
        this.lstm = new LstmKernels(ops);
    }

    @Override
    public String name() {
        return gemm.name();
    }

    /** The GEMM's block sizes and how they were chosen, or null when it does not block by them (the scalar GEMM). */
    public GemmBlocking gemmBlocking() {
        return gemm.blocking();
    }

    /** The matrix multiply itself, for the prepacked-operand entry points ({@link Kernels#packB}). */
    GemmKernel gemmKernel() {
        return gemm;
    }

    /** Whether the non-GEMM kernels run on the Vector API. */
    public boolean simd() {
        return ops.simd();
    }

    /**
     * How this backend runs the forward, backward-data and backward-filter passes of a
     * convolution from {@code inChannels} to {@code outChannels} channels with a
     * {@code kernel × kernel} filter on an {@code h × w} input: {@code "winograd"} (F(2x2, 3x3))
     * or {@code "im2col"} for each. For benchmarks and logs.
     */
    public List<String> convolutionAlgorithms(int inChannels, int outChannels, int kernel, ConvSpec spec, int h, int w) {
        return List.of(conv.algorithms(inChannels, outChannels, kernel, kernel, spec, h, w));
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        gemm.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff, int lda,
                     double[] b, int bOff, int ldb, double[] c, int cOff, int ldc, boolean accumulate) {
        ReferenceKernels.INSTANCE.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    // ---- convolution -------------------------------------------------------------------------

    @Override
    public void conv2dForward(Tensor x, Tensor w, Tensor y, ConvSpec spec) {
        if (!allFloat32(x, w, y)) {
            ReferenceKernels.INSTANCE.conv2dForward(x, w, y, spec);
            return;
        }
        conv.forward(x, w, null, y, spec);
    }

    @Override
    public void conv2dForward(Tensor x, Tensor w, Tensor bias, Tensor y, ConvSpec spec) {
        if (!allFloat32(x, w, bias, y)) {
            KernelBackend.super.conv2dForward(x, w, bias, y, spec);
            return;
        }
        conv.forward(x, w, bias, y, spec);
    }

    @Override
    public void conv2dBackwardData(Tensor dy, Tensor w, Tensor dx, ConvSpec spec) {
        if (!allFloat32(dy, w, dx)) {
            ReferenceKernels.INSTANCE.conv2dBackwardData(dy, w, dx, spec);
            return;
        }
        conv.backwardData(dy, w, dx, spec);
    }

    @Override
    public void conv2dBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvSpec spec, boolean accumulate) {
        if (!allFloat32(x, dy, dw)) {
            ReferenceKernels.INSTANCE.conv2dBackwardFilter(x, dy, dw, spec, accumulate);
            return;
        }
        conv.backwardFilter(x, dy, dw, spec, accumulate);
    }

    // ---- pooling -----------------------------------------------------------------------------

    @Override
    public void maxPool2x2Forward(Tensor x, Tensor y, int[] argmax) {
        if (!allFloat32(x, y)) {
            ReferenceKernels.INSTANCE.maxPool2x2Forward(x, y, argmax);
            return;
        }
        pooling.maxPool2x2Forward(x, y, argmax);
    }

    @Override
    public void maxPool2x2Backward(Tensor dy, int[] argmax, Tensor dx) {
        if (!allFloat32(dy, dx)) {
            ReferenceKernels.INSTANCE.maxPool2x2Backward(dy, argmax, dx);
            return;
        }
        pooling.maxPool2x2Backward(dy, argmax, dx);
    }

    @Override
    public void globalAvgPoolForward(Tensor x, Tensor y) {
        if (!allFloat32(x, y)) {
            ReferenceKernels.INSTANCE.globalAvgPoolForward(x, y);
            return;
        }
        pooling.globalAvgPoolForward(x, y);
    }

    @Override
    public void globalAvgPoolBackward(Tensor dy, Tensor dx) {
        if (!allFloat32(dy, dx)) {
            ReferenceKernels.INSTANCE.globalAvgPoolBackward(dy, dx);
            return;
        }
        pooling.globalAvgPoolBackward(dy, dx);
    }

    // ---- activations -------------------------------------------------------------------------

    @Override
    public void activationForward(Activation f, Tensor x, Tensor y) {
        if (!allFloat32(x, y)) {
            ReferenceKernels.INSTANCE.activationForward(f, x, y);
            return;
        }
        activations.forward(f, x, y);
    }

    @Override
    public void activationBackward(Activation f, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        if (!allFloat32(x, y, dy, dx)) {
            ReferenceKernels.INSTANCE.activationBackward(f, x, y, dy, dx);
            return;
        }
        activations.backward(f, x, y, dy, dx);
    }

    @Override
    public void activationBackwardPlus(Activation f, Tensor x, Tensor y, Tensor dy, Tensor addend, Tensor dx) {
        if (!allFloat32(x, y, dy, addend, dx)) {
            ReferenceKernels.INSTANCE.activationBackwardPlus(f, x, y, dy, addend, dx);
            return;
        }
        activations.backwardPlus(f, x, y, dy, addend, dx);
    }

    @Override
    public void plus(Tensor a, Tensor b, Tensor out) {
        if (!allFloat32(a, b, out)) {
            ReferenceKernels.INSTANCE.plus(a, b, out);
            return;
        }
        activations.plus(a, b, out);
    }

    @Override
    public void channelShiftLeakyRelu(Tensor u, Tensor shift, double slope, Tensor y) {
        if (!allFloat32(u, shift, y)) {
            ReferenceKernels.INSTANCE.channelShiftLeakyRelu(u, shift, slope, y);
            return;
        }
        activations.channelShiftLeakyRelu(u, shift, slope, y);
    }

    @Override
    public void leakyReluBackwardChannelSums(double slope, Tensor y, Tensor dy, Tensor dx, Tensor sums) {
        if (!allFloat32(y, dy, dx, sums)) {
            ReferenceKernels.INSTANCE.leakyReluBackwardChannelSums(slope, y, dy, dx, sums);
            return;
        }
        activations.leakyReluBackwardChannelSums(slope, y, dy, dx, sums);
    }

    // ---- per-channel affine maps -------------------------------------------------------------

    @Override
    public void channelScaleShift(Tensor u, Tensor scale, Tensor shift, Tensor y) {
        if (!allFloat32(u, y) || scale != null && !scale.isFloat32() || shift != null && !shift.isFloat32()) {
            ReferenceKernels.INSTANCE.channelScaleShift(u, scale, shift, y);
            return;
        }
        affine.channelScaleShift(u, scale, shift, y);
    }

    @Override
    public void channelNormalize(Tensor x, Tensor mean, Tensor invStd, Tensor gamma, Tensor beta, Tensor xhat, Tensor y) {
        if (!allFloat32(x, mean, invStd) || !allFloat32(gamma, beta, xhat, y)) {
            ReferenceKernels.INSTANCE.channelNormalize(x, mean, invStd, gamma, beta, xhat, y);
            return;
        }
        affine.channelNormalize(x, mean, invStd, gamma, beta, xhat, y);
    }

    @Override
    public void channelCombine(Tensor a, Tensor scaleA, Tensor b, Tensor scaleB, Tensor shift, Tensor out) {
        if (!allFloat32(a, scaleA, b) || !allFloat32(scaleB, shift, out)) {
            ReferenceKernels.INSTANCE.channelCombine(a, scaleA, b, scaleB, shift, out);
            return;
        }
        affine.channelCombine(a, scaleA, b, scaleB, shift, out);
    }

    // ---- per-channel and per-row reductions --------------------------------------------------

    @Override
    public void channelSums(Tensor x, Tensor out, boolean accumulate) {
        if (!allFloat32(x, out)) {
            ReferenceKernels.INSTANCE.channelSums(x, out, accumulate);
            return;
        }
        reductions.channelSums(x, out, accumulate);
    }

    @Override
    public void channelDots(Tensor a, Tensor b, Tensor out, boolean accumulate) {
        if (!allFloat32(a, b, out)) {
            ReferenceKernels.INSTANCE.channelDots(a, b, out, accumulate);
            return;
        }
        reductions.channelDots(a, b, out, accumulate);
    }

    @Override
    public void channelSumsAndDots(Tensor a, Tensor b, Tensor sums, Tensor dots) {
        if (!allFloat32(a, b, sums, dots)) {
            ReferenceKernels.INSTANCE.channelSumsAndDots(a, b, sums, dots);
            return;
        }
        reductions.channelSumsAndDots(a, b, sums, dots);
    }

    @Override
    public void channelSquaredDeviations(Tensor x, Tensor mean, Tensor out) {
        if (!allFloat32(x, mean, out)) {
            ReferenceKernels.INSTANCE.channelSquaredDeviations(x, mean, out);
            return;
        }
        reductions.channelSquaredDeviations(x, mean, out);
    }

    @Override
    public void rowSums(Tensor m, Tensor out) {
        if (!allFloat32(m, out)) {
            ReferenceKernels.INSTANCE.rowSums(m, out);
            return;
        }
        reductions.rowSums(m, out);
    }

    @Override
    public void addRowScaled(Tensor a, Tensor sa, Tensor b, Tensor sb, Tensor y) {
        if (!allFloat32(a, sa, b, sb, y)) {
            KernelBackend.super.addRowScaled(a, sa, b, sb, y);
            return;
        }
        int rows = a.dim(0), cols = a.size() / Math.max(1, rows);
        float[] as = a.data(), bs = b.data(), ys = y.data(), fa = sa.data(), fb = sb.data();
        for (int r = 0; r < rows; r++) {
            ops.addScaledPair(fa[r], as, fb[r], bs, ys, r * cols, cols);
        }
    }

    @Override
    public void weightNormRowGradients(Tensor gradW, Tensor v, Tensor norm, Tensor scale, Tensor gradG, Tensor gradV) {
        if (!allFloat32(gradW, v, norm, scale, gradG) || !gradV.isFloat32()) {
            KernelBackend.super.weightNormRowGradients(gradW, v, norm, scale, gradG, gradV);
            return;
        }
        reductions.weightNormRowGradients(gradW, v, norm, scale, gradG, gradV);
    }

    @Override
    public boolean allFinite(Tensor t) {
        if (!t.isFloat32()) {
            return KernelBackend.super.allFinite(t);
        }
        return ops.allFinite(t.data(), 0, t.size());
    }

    @Override
    public void rowL2Norms(Tensor m, Tensor out) {
        if (!allFloat32(m, out)) {
            ReferenceKernels.INSTANCE.rowL2Norms(m, out);
            return;
        }
        reductions.rowL2Norms(m, out);
    }

    // ---- element-wise arithmetic -------------------------------------------------------------

    @Override
    public void axpy(double alpha, Tensor x, Tensor y) {
        if (!allFloat32(x, y)) {
            ReferenceKernels.INSTANCE.axpy(alpha, x, y);
            return;
        }
        elementwise.axpy(alpha, x, y);
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        if (!allFloat32(a, b, out)) {
            ReferenceKernels.INSTANCE.mul(a, b, out);
            return;
        }
        elementwise.mul(a, b, out);
    }

    @Override
    public void scale(double alpha, Tensor x) {
        if (!x.isFloat32()) {
            ReferenceKernels.INSTANCE.scale(alpha, x);
            return;
        }
        elementwise.scale(alpha, x);
    }

    @Override
    public void lstmCellForward(Tensor gates, int gOff, Tensor cPrev, int pOff, Tensor c, Tensor tanhC, Tensor h, int off,
                                int rows, int hidden) {
        if (!allFloat32(gates, cPrev, c, tanhC) || !h.isFloat32()) {
            ReferenceKernels.INSTANCE.lstmCellForward(gates, gOff, cPrev, pOff, c, tanhC, h, off, rows, hidden);
            return;
        }
        lstm.forward(gates, gOff, cPrev, pOff, c, tanhC, h, off, rows, hidden);
    }

    @Override
    public void lstmCellBackward(Tensor gates, int gOff, Tensor cPrev, int pOff, Tensor tanhC, Tensor dy, int off,
                                 Tensor dhRec, Tensor dc, Tensor dGates, int rows, int hidden) {
        if (!allFloat32(gates, cPrev, tanhC, dy) || !allFloat32(dhRec, dc, dGates)) {
            ReferenceKernels.INSTANCE.lstmCellBackward(gates, gOff, cPrev, pOff, tanhC, dy, off, dhRec, dc, dGates, rows, hidden);
            return;
        }
        lstm.backward(gates, gOff, cPrev, pOff, tanhC, dy, off, dhRec, dc, dGates, rows, hidden);
    }

    private static boolean allFloat32(Tensor a, Tensor b) {
        return a.isFloat32() && b.isFloat32();
    }

    private static boolean allFloat32(Tensor a, Tensor b, Tensor c) {
        return a.isFloat32() && b.isFloat32() && c.isFloat32();
    }

    private static boolean allFloat32(Tensor a, Tensor b, Tensor c, Tensor d) {
        return a.isFloat32() && b.isFloat32() && c.isFloat32() && d.isFloat32();
    }

    private static boolean allFloat32(Tensor a, Tensor b, Tensor c, Tensor d, Tensor e) {
        return allFloat32(a, b, c, d) && e.isFloat32();
    }
}
