package org.weightnorm4j.tensor;

/**
 * Geometry of a 2-D convolution that is not carried by the tensors' shapes: the stride and the
 * zero padding, the same along height and width (as in the paper's models).
 *
 * <p>Output size along one axis: {@code (in + 2 * padding - kernel) / stride + 1}.
 */
public record ConvSpec(int stride, int padding) {
    public ConvSpec {
        if (stride < 1) {
            throw new IllegalArgumentException("convolution stride must be >= 1, got " + stride);
        }
        if (padding < 0) {
            throw new IllegalArgumentException("convolution padding must be >= 0, got " + padding);
        }
    }

    /** Stride 1, no padding ("valid"). */
    public static ConvSpec valid() {
        return new ConvSpec(1, 0);
    }

    /** Stride 1 with padding that keeps the size for an odd kernel ("same"). */
    public static ConvSpec same(int kernel) {
        return new ConvSpec(1, kernel / 2);
    }

    /** Output length along one axis; throws if the kernel does not fit. */
    public int outSize(int in, int kernel) {
        int span = in + 2 * padding - kernel;
        if (span < 0) {
            throw new IllegalArgumentException("kernel of size " + kernel + " does not fit input of size " + in
                    + " with padding " + padding);
        }
        return span / stride + 1;
    }
}
