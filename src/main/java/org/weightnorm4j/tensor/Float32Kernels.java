package org.weightnorm4j.tensor;

/**
 * The float32 backend: GEMM through the chosen {@link GemmKernel}; the other kernels are being
 * moved from the reference implementation to fast float32 code.
 */
public final class Float32Kernels implements KernelBackend {
    private final GemmKernel gemm;
    private final boolean simd;

    /**
     * @param gemm the matrix multiply to use
     * @param simd whether the Vector API may be used by the other kernels
     */
    public Float32Kernels(GemmKernel gemm, boolean simd) {
        this.gemm = gemm;
        this.simd = simd;
    }

    @Override
    public String name() {
        return gemm.name();
    }

    public boolean simd() {
        return simd;
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

    @Override
    public void conv2dForward(Tensor x, Tensor w, Tensor y, ConvSpec spec) {
        ReferenceKernels.INSTANCE.conv2dForward(x, w, y, spec);
    }

    @Override
    public void conv2dBackwardData(Tensor dy, Tensor w, Tensor dx, ConvSpec spec) {
        ReferenceKernels.INSTANCE.conv2dBackwardData(dy, w, dx, spec);
    }

    @Override
    public void conv2dBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvSpec spec, boolean accumulate) {
        ReferenceKernels.INSTANCE.conv2dBackwardFilter(x, dy, dw, spec, accumulate);
    }

    @Override
    public void maxPool2x2Forward(Tensor x, Tensor y, int[] argmax) {
        ReferenceKernels.INSTANCE.maxPool2x2Forward(x, y, argmax);
    }

    @Override
    public void maxPool2x2Backward(Tensor dy, int[] argmax, Tensor dx) {
        ReferenceKernels.INSTANCE.maxPool2x2Backward(dy, argmax, dx);
    }

    @Override
    public void globalAvgPoolForward(Tensor x, Tensor y) {
        ReferenceKernels.INSTANCE.globalAvgPoolForward(x, y);
    }

    @Override
    public void globalAvgPoolBackward(Tensor dy, Tensor dx) {
        ReferenceKernels.INSTANCE.globalAvgPoolBackward(dy, dx);
    }

    @Override
    public void activationForward(Activation f, Tensor x, Tensor y) {
        ReferenceKernels.INSTANCE.activationForward(f, x, y);
    }

    @Override
    public void activationBackward(Activation f, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        ReferenceKernels.INSTANCE.activationBackward(f, x, y, dy, dx);
    }

    @Override
    public void channelScaleShift(Tensor u, Tensor scale, Tensor shift, Tensor y) {
        ReferenceKernels.INSTANCE.channelScaleShift(u, scale, shift, y);
    }

    @Override
    public void channelSums(Tensor x, Tensor out, boolean accumulate) {
        ReferenceKernels.INSTANCE.channelSums(x, out, accumulate);
    }

    @Override
    public void channelDots(Tensor a, Tensor b, Tensor out, boolean accumulate) {
        ReferenceKernels.INSTANCE.channelDots(a, b, out, accumulate);
    }

    @Override
    public void rowSums(Tensor m, Tensor out) {
        ReferenceKernels.INSTANCE.rowSums(m, out);
    }

    @Override
    public void rowL2Norms(Tensor m, Tensor out) {
        ReferenceKernels.INSTANCE.rowL2Norms(m, out);
    }

    @Override
    public void axpy(double alpha, Tensor x, Tensor y) {
        ReferenceKernels.INSTANCE.axpy(alpha, x, y);
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        ReferenceKernels.INSTANCE.mul(a, b, out);
    }

    @Override
    public void scale(double alpha, Tensor x) {
        ReferenceKernels.INSTANCE.scale(alpha, x);
    }
}
