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
        y.requireShape("maxPool2x2Forward output for input " + Arrays.toString(x.shape()),
                x.dim(0), x.dim(1), x.dim(2) / 2, x.dim(3) / 2);
        x.requireSameType("maxPool2x2Forward", y);
        requireIndexLength("maxPool2x2Forward", argmax, y.size());
        backendFor(x).maxPool2x2Forward(x, y, argmax);
    }

    /** Routes dy back to the positions recorded by the forward pass. */
    public static void maxPool2x2Backward(Tensor dy, int[] argmax, Tensor dx) {
        requireRank("maxPool2x2Backward input gradient", dx, 4);
        dy.requireShape("maxPool2x2Backward output gradient for input " + Arrays.toString(dx.shape()),
                dx.dim(0), dx.dim(1), dx.dim(2) / 2, dx.dim(3) / 2);
        dy.requireSameType("maxPool2x2Backward", dx);
        requireIndexLength("maxPool2x2Backward", argmax, dy.size());
        backendFor(dy).maxPool2x2Backward(dy, argmax, dx);
    }

    /** y[N,C] = mean over space of x[N,C,H,W]. */
    public static void globalAvgPoolForward(Tensor x, Tensor y) {
        requireRank("globalAvgPoolForward input", x, 4);
        y.requireShape("globalAvgPoolForward output for input " + Arrays.toString(x.shape()), x.dim(0), x.dim(1));
        x.requireSameType("globalAvgPoolForward", y);
        backendFor(x).globalAvgPoolForward(x, y);
    }

    /** dx[N,C,H,W] = dy[N,C] / (H W). */
    public static void globalAvgPoolBackward(Tensor dy, Tensor dx) {
        requireRank("globalAvgPoolBackward input gradient", dx, 4);
        dy.requireShape("globalAvgPoolBackward output gradient for input " + Arrays.toString(dx.shape()), dx.dim(0), dx.dim(1));
        dy.requireSameType("globalAvgPoolBackward", dx);
        backendFor(dy).globalAvgPoolBackward(dy, dx);
    }

    /** y = f(x). */
    public static void activationForward(Activation f, Tensor x, Tensor y) {
        x.requireSameShape("activation " + f, y);
        x.requireSameType("activation " + f, y);
        backendFor(x).activationForward(f, x, y);
    }

    /** dx = f'(x) dy. */
    public static void activationBackward(Activation f, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        x.requireSameShape("activation " + f + " backward (x vs y)", y);
        x.requireSameShape("activation " + f + " backward (x vs dy)", dy);
        x.requireSameShape("activation " + f + " backward (x vs dx)", dx);
        backendFor(x).activationBackward(f, x, y, dy, dx);
    }

    /** y[n,c,s] = scale[c] u[n,c,s] + shift[c]; scale or shift may be null. */
    public static void channelScaleShift(Tensor u, Tensor scale, Tensor shift, Tensor y) {
        u.requireSameShape("channelScaleShift", y);
        int c = channels("channelScaleShift", u);
        if (scale != null) {
            scale.requireShape("channelScaleShift scale for " + Arrays.toString(u.shape()), c);
        }
        if (shift != null) {
            shift.requireShape("channelScaleShift shift for " + Arrays.toString(u.shape()), c);
        }
        backendFor(u).channelScaleShift(u, scale, shift, y);
    }

    /** out[c] (+)= sum over batch and space of x. */
    public static void channelSums(Tensor x, Tensor out, boolean accumulate) {
        out.requireShape("channelSums output for " + Arrays.toString(x.shape()), channels("channelSums", x));
        backendFor(x).channelSums(x, out, accumulate);
    }

    /** out[c] (+)= sum over batch and space of a * b. */
    public static void channelDots(Tensor a, Tensor b, Tensor out, boolean accumulate) {
        a.requireSameShape("channelDots", b);
        out.requireShape("channelDots output for " + Arrays.toString(a.shape()), channels("channelDots", a));
        backendFor(a).channelDots(a, b, out, accumulate);
    }

    /** out[r] = sum of row r of m as [rows, rest]. */
    public static void rowSums(Tensor m, Tensor out) {
        out.requireShape("rowSums output for " + Arrays.toString(m.shape()), m.dim(0));
        backendFor(m).rowSums(m, out);
    }

    /** out[r] = ||row r|| of m as [rows, rest]: the per-unit norm ||v|| of weight normalization. */
    public static void rowL2Norms(Tensor m, Tensor out) {
        out.requireShape("rowL2Norms output for " + Arrays.toString(m.shape()), m.dim(0));
        backendFor(m).rowL2Norms(m, out);
    }

    /** y += alpha x. */
    public static void axpy(double alpha, Tensor x, Tensor y) {
        x.requireSameShape("axpy", y);
        x.requireSameType("axpy", y);
        backendFor(x).axpy(alpha, x, y);
    }

    /** out = a * b element-wise. */
    public static void mul(Tensor a, Tensor b, Tensor out) {
        a.requireSameShape("mul", b);
        a.requireSameShape("mul (output)", out);
        backendFor(a).mul(a, b, out);
    }

    /** x *= alpha. */
    public static void scale(double alpha, Tensor x) {
        backendFor(x).scale(alpha, x);
    }

    private static int channels(String op, Tensor t) {
        if (t.rank() < 2) {
            throw new IllegalArgumentException(op + ": expected a tensor [N, C, ...] but got " + Arrays.toString(t.shape()));
        }
        return t.dim(1);
    }

    private static void requireRank(String what, Tensor t, int rank) {
        if (t.rank() != rank) {
            throw new IllegalArgumentException(what + ": expected rank " + rank + " but got shape " + Arrays.toString(t.shape()));
        }
    }

    private static void requireIndexLength(String op, int[] index, int needed) {
        if (index.length < needed) {
            throw new IllegalArgumentException(op + ": argmax has " + index.length + " entries, needs " + needed);
        }
    }

    private static void checkConv(String op, Tensor x, Tensor w, Tensor y, ConvSpec spec) {
        requireRank(op + " input", x, 4);
        requireRank(op + " filters", w, 4);
        requireRank(op + " output", y, 4);
        x.requireSameType(op, w);
        x.requireSameType(op, y);
        if (w.dim(1) != x.dim(1)) {
            throw new IllegalArgumentException(op + ": filters " + Arrays.toString(w.shape()) + " expect " + w.dim(1)
                    + " input channels but input " + Arrays.toString(x.shape()) + " has " + x.dim(1));
        }
        int oh = spec.outSize(x.dim(2), w.dim(2));
        int ow = spec.outSize(x.dim(3), w.dim(3));
        y.requireShape(op + " output for input " + Arrays.toString(x.shape()) + " and filters " + Arrays.toString(w.shape())
                + " with " + spec, x.dim(0), w.dim(0), oh, ow);
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
