package org.weightnorm4j.nn;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.weightnorm4j.tensor.ConvSpec;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Tensor;

/**
 * A 2-D convolution on NCHW images, {@code x [N, C, H, W] → y [N, O, OH, OW]}, with any kernel
 * size, stride and zero padding; its filters {@code [O, C, KH, KW]} come from a
 * {@link LinearWeights} (plain or weight-normalized; for weight norm each filter is one unit).
 *
 * <p>Forward: {@code y = s ⊙ conv(x, d) + b} per output channel, computed as
 * {@code conv(x, s ⊙ d) + b} with the bias added as the convolution writes y. Backward:
 * {@code ∇w L} = the usual filter-gradient convolution of {@code x} and {@code ∇y}, handed to the
 * weights; {@code ∇b} = sum of {@code ∇y} over batch and space; {@code ∇x} = the data-gradient
 * convolution of {@code ∇y} with the scaled filters {@code s ⊙ d} (the same as that of
 * {@code s ⊙ ∇y} with {@code d}, and far cheaper to scale).
 */
public final class Conv2d implements LinearLayer {
    private final LinearWeights weights;
    private final ConvSpec spec;
    private final int outChannels;
    private final int inChannels;

    private final ScaleShift scaleShift;

    private Tensor x;
    /** The filters of the last forward, {@code s ⊙ d}; the input gradient convolves with the same ones. */
    private Tensor filters;
    private Tensor y;
    private Tensor gradW;
    private Tensor dx;

    /**
     * A convolution {@code in → out} channels with a square {@code kernel}, a bias and PyTorch's
     * default initialisation (as {@code nn.Conv2d}); put weight norm on it with {@code WeightNorm.apply(layer)}.
     */
    public Conv2d(int in, int out, int kernel, ConvSpec spec, RandomGenerator rng) {
        this(PlainWeights.pytorchDefault(new int[] {out, in, kernel, kernel}, true, DType.FLOAT32, rng), spec);
    }

    /** A convolution with these filters ({@code [out, in, kh, kw]}) and geometry. */
    public Conv2d(LinearWeights weights, ConvSpec spec) {
        int[] shape = weights.shape();
        if (shape.length != 4) {
            throw new IllegalArgumentException("Conv2d: weights must be [out, in, kh, kw] but are " + Arrays.toString(shape));
        }
        this.weights = weights;
        this.scaleShift = new ScaleShift(weights);
        this.spec = spec;
        this.outChannels = shape[0];
        this.inChannels = shape[1];
    }

    public ConvSpec spec() {
        return spec;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    /** Output shape {@code [N, O, OH, OW]} for an input shape {@code [N, C, H, W]}. */
    public int[] outputShape(int[] inputShape) {
        int[] w = weights.shape();
        try {
            return new int[] {inputShape[0], outChannels, spec.outSize(inputShape[2], w[2]), spec.outSize(inputShape[3], w[3])};
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(describe() + " on input " + Arrays.toString(inputShape) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public LinearWeights weights() {
        return weights;
    }

    @Override
    public Conv2d withWeights(LinearWeights other) {
        if (!Arrays.equals(other.shape(), weights.shape())) {
            throw new IllegalArgumentException(describe() + ": new weights " + Arrays.toString(other.shape())
                    + " do not match " + Arrays.toString(weights.shape()));
        }
        return new Conv2d(other, spec);
    }

    @Override
    public Tensor forward(Tensor input, Mode mode) {
        if (input.rank() != 4 || input.dim(1) != inChannels) {
            throw new IllegalArgumentException(describe() + ": expected input [N, " + inChannels + ", H, W] but got "
                    + Arrays.toString(input.shape()));
        }
        x = input;
        scaleShift.prepare(describe());
        y = Buffers.ensure(y, input, outputShape(input.shape()));
        // y = s ⊙ conv(x, d) + b = conv(x, s ⊙ d) + b: the scale goes on the filters, and the bias
        // is added as the convolution writes y, so nothing makes a second pass over the output.
        filters = scaleShift.scaledDirection(weights.direction());            // s ⊙ d (Eq. 2: w for weight norm)
        Param bias = weights.bias();
        if (bias == null) {
            Kernels.conv2dForward(input, filters, y, spec);
        } else {
            Kernels.conv2dForward(input, filters, bias.value(), y, spec);
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        parameterGradients(dy);
        dx = Buffers.ensure(dx, dy, x.shape());
        Kernels.conv2dBackwardData(dy, filters, dx, spec);                  // ∇x, with the forward's s ⊙ d
        return dx;
    }

    /** Skips the backward-data convolution, whose result (the gradient of the images) nothing uses. */
    @Override
    public void backwardParamsOnly(Tensor dy) {
        parameterGradients(dy);
    }

    /** Accumulates ∇w (handed to the weights: Eq. 3 for weight norm) and ∇b. */
    private void parameterGradients(Tensor dy) {
        if (x == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        dy.requireShape(describe() + " output gradient", outputShape(x.shape()));
        gradW = Buffers.ensure(gradW, dy, weights.shape());
        Kernels.conv2dBackwardFilter(x, dy, gradW, spec, false);            // ∇w L
        scaleShift.backward(dy, gradW, false);                              // Eq. 3, ∇b
    }

    @Override
    public List<Param> params() {
        return weights.params();
    }

    @Override
    public String describe() {
        int[] w = weights.shape();
        return "Conv2d(" + inChannels + "->" + outChannels + ", " + w[2] + "x" + w[3]
                + (spec.stride() != 1 ? ", stride " + spec.stride() : "")
                + (spec.padding() != 0 ? ", pad " + spec.padding() : "")
                + ", " + weights.kind() + (weights.bias() == null ? ", no bias" : "") + ")";
    }
}
