package org.weightnorm4j.tensor;

import static org.weightnorm4j.tensor.KernelRanges.forRanges;

/**
 * The float32 fused LSTM gate kernels, one step of a batch: the rows (batch entries) split over
 * threads ({@link KernelRanges}), each row one pass of {@link VectorOps#lstmForward} or
 * {@link VectorOps#lstmBackward}. Every element is computed by the same code whatever the thread
 * count. Arguments arrive validated and FLOAT32 ({@link Float32Kernels} checks).
 *
 * <p>Internal: not part of the public API; may change without notice.
 */
final class LstmKernels {
    private final VectorOps ops;

    LstmKernels(VectorOps ops) {
        this.ops = ops;
    }

    void forward(Tensor gates, int gOff, Tensor cPrev, int pOff, Tensor c, Tensor tanhC, Tensor h, int off,
                 int rows, int hidden) {
        float[] gs = gates.data(), cp = cPrev.data(), cs = c.data(), tc = tanhC.data(), hs = h.data();
        int stride = 4 * hidden;
        forRanges(rows, stride, 1, (from, to) -> {
            for (int r = from; r < to; r++) {
                ops.lstmForward(gs, gOff + r * stride, hidden, cp, pOff + r * hidden, cs, tc, hs, off + r * hidden);
            }
        });
    }

    void backward(Tensor gates, int gOff, Tensor cPrev, int pOff, Tensor tanhC, Tensor dy, int off,
                  Tensor dhRec, Tensor dc, Tensor dGates, int rows, int hidden) {
        float[] gs = gates.data(), cp = cPrev.data(), tc = tanhC.data(), d = dy.data();
        float[] dhr = dhRec.data(), dcs = dc.data(), dg = dGates.data();
        int stride = 4 * hidden;
        forRanges(rows, stride, 1, (from, to) -> {
            for (int r = from; r < to; r++) {
                ops.lstmBackward(gs, gOff + r * stride, hidden, cp, pOff + r * hidden, tc, d, off + r * hidden,
                        dhr, dcs, r * hidden, dg);
            }
        });
    }
}
