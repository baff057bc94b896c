package org.weightnorm4j.tensor;

import static org.weightnorm4j.tensor.KernelRanges.forRanges;

import java.util.Arrays;

/**
 * The float32 pooling kernels: 2x2 max pooling (split over threads by planes) and global average
 * pooling. Arguments arrive validated and FLOAT32 ({@link Float32Kernels} checks).
 *
 * <p>Internal: not part of the public API; may change without notice.
 */
final class PoolingKernels {
    private final VectorOps ops;

    PoolingKernels(VectorOps ops) {
        this.ops = ops;
    }

    void maxPool2x2Forward(Tensor x, Tensor y, int[] argmax) {
        float[] xs = x.data(), ys = y.data();
        int planes = x.dim(0) * x.dim(1), h = x.dim(2), w = x.dim(3);
        // Prepared once here, on the calling thread, and shared by the parts.
        int[] corners = ops.maxPoolCorners(h, w);
        forRanges(planes, (long) h * w, 1, (from, to) -> ops.maxPoolPlanes(xs, ys, argmax, h, w, corners, from, to));
    }

    void maxPool2x2Backward(Tensor dy, int[] argmax, Tensor dx) {
        float[] g = dy.data(), d = dx.data();
        int planes = dx.dim(0) * dx.dim(1), in = dx.dim(2) * dx.dim(3), out = dy.dim(2) * dy.dim(3);
        // Each maximum lies in its own plane, so ranges of planes scatter into disjoint parts of dx.
        forRanges(planes, in, 1, (from, to) -> {
            Arrays.fill(d, from * in, to * in, 0f);
            for (int i = from * out; i < to * out; i++) {
                d[argmax[i]] += g[i];
            }
        });
    }

    void globalAvgPoolForward(Tensor x, Tensor y) {
        float[] xs = x.data(), ys = y.data();
        int planes = x.dim(0) * x.dim(1), s = x.dim(2) * x.dim(3);
        for (int pl = 0; pl < planes; pl++) {
            ys[pl] = (float) (ops.sum(xs, pl * s, s) / s);
        }
    }

    void globalAvgPoolBackward(Tensor dy, Tensor dx) {
        float[] g = dy.data(), d = dx.data();
        int planes = dx.dim(0) * dx.dim(1), s = dx.dim(2) * dx.dim(3);
        for (int pl = 0; pl < planes; pl++) {
            Arrays.fill(d, pl * s, pl * s + s, (float) ((double) g[pl] / s));
        }
    }
}
