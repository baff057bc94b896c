package org.weightnorm4j.tensor;

/**
 * The 3x3, stride-1 convolutions with 8-pixel output rows ({@link RowConv#worthIt}: MinAtar's DQN)
 * in one output row per vector: {@link RowConv} with 256-bit vectors, {@link RowPairConv} with
 * 512-bit ones (two rows per vector). Their forwards have the same bits (the im2col GEMM's); their
 * filter gradients are summed in different fixed orders.
 */
interface RowConvolution {
    /** {@code y = conv(x, w) + bias}: x {@code [n, c, h, width]}, filters {@code [o, c, 3, 3]}, y {@code [n, o, oh, 8]}. */
    void forward(float[] x, float[] w, float[] bias, float[] y, int n, int c, int h, int width, int o, int pad);

    /** {@code dw (+)= ∂L/∂w} from x {@code [n, c, h, width]} and dy {@code [n, o, oh, 8]}; filters {@code [o, c, 3, 3]}. */
    void backwardFilter(float[] x, float[] dy, float[] dw, int n, int c, int h, int width, int o, int pad, boolean accumulate);

    /**
     * The implementation in the host's preferred vector width, or null where there is none: one JVM
     * must not run two vector shapes (docs/KERNELS.md, "Mixed vector shapes"), and every other
     * kernel uses the preferred one.
     */
    static RowConvolution forThisHost() {
        if (RowConv.SUITS_THIS_HOST) {
            return new RowConv();
        }
        return RowPairConv.SUITS_THIS_HOST ? new RowPairConv() : null;
    }
}
