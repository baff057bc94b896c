package org.weightnorm4j.tensor;

import static org.weightnorm4j.tensor.KernelRanges.ALIGN;
import static org.weightnorm4j.tensor.KernelRanges.forRanges;

/**
 * The float32 element-wise arithmetic: {@code y += αx} (the optimizers), the product (dropout's
 * mask, split over threads in 64-aligned ranges) and scaling. Arguments arrive validated and
 * FLOAT32 ({@link Float32Kernels} checks).
 *
 * <p>Internal: not part of the public API; may change without notice.
 */
final class ElementwiseKernels {
    private final VectorOps ops;

    ElementwiseKernels(VectorOps ops) {
        this.ops = ops;
    }

    void axpy(double alpha, Tensor x, Tensor y) {
        ops.axpy((float) alpha, x.data(), y.data(), x.size());
    }

    void mul(Tensor a, Tensor b, Tensor out) {
        float[] as = a.data(), bs = b.data(), os = out.data();
        forRanges(a.size(), 2, ALIGN, (from, to) -> ops.mul(as, bs, os, from, to - from));
    }

    /** A loop the JIT vectorises by itself, so both implementations share it. */
    void scale(double alpha, Tensor x) {
        float a = (float) alpha;
        float[] xs = x.data();
        int n = x.size();
        for (int i = 0; i < n; i++) {
            xs[i] *= a;
        }
    }
}
