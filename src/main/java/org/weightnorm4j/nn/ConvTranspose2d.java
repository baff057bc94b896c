package org.weightnorm4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.weightnorm4j.tensor.ConvSpec;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Tensor;

/**
 * A 2-D transposed convolution on NCHW images, as PyTorch's {@code nn.ConvTranspose2d(in, out, k,
 * stride, padding, output_padding)}: {@code x [N, in, H, W] → y [N, out, OH, OW]} with
 * {@code OH = (H − 1)·stride − 2·padding + k + output_padding}. Its weight has PyTorch's layout
 * {@code [in, out, kh, kw]} and state-dict names ({@code weight}, {@code bias}); it comes from a
 * {@link LinearWeights}, so {@code WeightNorm.apply(layer, 1)} gives {@code weight_g [1, out, 1, 1]}
 * and {@code weight_v}, as {@code torch.nn.utils.weight_norm(convT, dim=1)}.
 *
 * <p><b>Why the conv kernels suffice.</b> A transposed convolution is the adjoint of the
 * convolution {@code C} with filters {@code w [in, out, kh, kw]} read as a conv's {@code [O, C, kh, kw]}
 * (it maps {@code out} channels of size OH to {@code in} channels of size H with the same stride and
 * padding). So, with {@code C} that convolution:
 * <ul>
 *   <li>forward {@code y = Cᵀ x + b}: the conv's backward-data of {@code x} (as its "dy");</li>
 *   <li>{@code ∇x = C ∇y}: the conv's forward of {@code ∇y};</li>
 *   <li>{@code ∇w}: the conv's filter gradient with its input and output swapped
 *       ({@code ∇y} as its input, {@code x} as its output gradient), since
 *       {@code L = ⟨x, C(∇y)⟩} is bilinear in the same way;</li>
 *   <li>{@code ∇b = Σ ∇y} over batch and space.</li>
 * </ul>
 * {@code output_padding < stride} adds rows and columns at the bottom and right that no input
 * reaches: the conv {@code C} on an OH-row input still gives H rows, so the kernels' shape checks
 * hold and those rows receive only the bias.
 *
 * <p><b>Weight norm.</b> Over dim 1 (PyTorch's choice for a transposed convolution: one norm per
 * output channel) {@link LinearWeights#prepareScale} builds {@code w} (Eq. 2) and returns no scale;
 * over dim 0 (one norm per <em>input</em> channel) it returns a scale per dim-0 index, which this
 * layer multiplies into the filters ({@code s ⊙ d} along dim 0 is exactly {@code w}, Eq. 2).
 * Either way the layer convolves with {@code w} and hands {@code ∇w} back (Eq. 3 per unit).
 *
 * <p><b>The bias</b> has one value per output channel, {@code [out]} = the weight's dim 1, while a
 * {@link LinearWeights}' bias is per dim 0; so this layer holds its bias itself and builds its
 * weights without one. {@link #params()} lists them in PyTorch's state-dict order: {@code weight,
 * bias} (plain) or {@code bias, weight_g, weight_v} (weight norm registers its two last).
 */
public final class ConvTranspose2d implements LinearLayer {
    private final LinearWeights weights;
    private final Param bias;
    private final ConvSpec spec;
    private final int outputPadding;
    private final int inChannels;
    private final int outChannels;
    private final ScaleShift scaleShift;

    private Tensor x;
    /** The filters of the last forward, {@code w} ({@code s ⊙ d}); the input gradient uses the same ones. */
    private Tensor filters;
    private Tensor y;
    private Tensor gradW;
    private Tensor dx;

    /**
     * A transposed convolution {@code in → out} channels with a square {@code kernel}, a bias and
     * PyTorch's default initialisation (kaiming-uniform over {@code fan_in = out·k·k}, the weight's
     * dims 1.., as PyTorch computes it for this layout).
     */
    public ConvTranspose2d(int in, int out, int kernel, ConvSpec spec, int outputPadding, RandomGenerator rng) {
        this(plainDefault(in, out, kernel, rng), defaultBias(in, out, kernel, rng), spec, outputPadding);
    }

    /**
     * A transposed convolution with these weights ({@code [in, out, kh, kw]}, built without a bias),
     * a bias {@code [out]} (or null), its stride and padding, and {@code outputPadding < stride}.
     */
    public ConvTranspose2d(LinearWeights weights, Tensor bias, ConvSpec spec, int outputPadding) {
        int[] shape = weights.shape();
        if (shape.length != 4) {
            throw new IllegalArgumentException("ConvTranspose2d: weights must be [in, out, kh, kw] but are " + Arrays.toString(shape));
        }
        if (weights.bias() != null) {
            throw new IllegalArgumentException("ConvTranspose2d: the bias is per output channel (the weight's dim 1);"
                    + " pass it to the layer and build the weights without one");
        }
        if (outputPadding < 0 || outputPadding >= spec.stride()) {
            throw new IllegalArgumentException("ConvTranspose2d: output_padding must be in [0, stride = " + spec.stride()
                    + "), got " + outputPadding + " (as PyTorch requires)");
        }
        this.weights = weights;
        this.inChannels = shape[0];
        this.outChannels = shape[1];
        if (bias != null) {
            bias.requireShape("ConvTranspose2d bias for weight " + Arrays.toString(shape), outChannels);
            bias.requireSameType("ConvTranspose2d (bias vs weight)", weights.params().get(0).value());
        }
        this.bias = bias == null ? null : new Param("bias", bias);
        this.spec = spec;
        this.outputPadding = outputPadding;
        this.scaleShift = new ScaleShift(weights);
    }

    private static PlainWeights plainDefault(int in, int out, int kernel, RandomGenerator rng) {
        Tensor w = Tensor.zeros(DType.FLOAT32, in, out, kernel, kernel);
        Initializers.kaimingUniform(w, rng);                       // PyTorch: fan_in from dims 1.. = out·k·k
        return new PlainWeights(w, null);
    }

    private static Tensor defaultBias(int in, int out, int kernel, RandomGenerator rng) {
        Tensor b = Tensor.zeros(DType.FLOAT32, out);
        Initializers.biasUniform(b, Initializers.fanIn(new int[] {in, out, kernel, kernel}), rng);
        return b;
    }

    public ConvSpec spec() {
        return spec;
    }

    public int outputPadding() {
        return outputPadding;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    /** The bias parameter ({@code [out]}), or null. */
    public Param bias() {
        return bias;
    }

    /** Output shape {@code [N, out, OH, OW]}, {@code OH = (H − 1)·stride − 2·padding + kh + output_padding}. */
    public int[] outputShape(int[] inputShape) {
        int[] w = weights.shape();
        int oh = (inputShape[2] - 1) * spec.stride() - 2 * spec.padding() + w[2] + outputPadding;
        int ow = (inputShape[3] - 1) * spec.stride() - 2 * spec.padding() + w[3] + outputPadding;
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException(describe() + " on input " + Arrays.toString(inputShape)
                    + ": the output would be " + oh + "x" + ow + " (padding too large)");
        }
        return new int[] {inputShape[0], outChannels, oh, ow};
    }

    @Override
    public LinearWeights weights() {
        return weights;
    }

    /** The same geometry with other weights; the bias is copied, so the new layer shares no tensor with this one. */
    @Override
    public ConvTranspose2d withWeights(LinearWeights other) {
        if (!Arrays.equals(other.shape(), weights.shape())) {
            throw new IllegalArgumentException(describe() + ": new weights " + Arrays.toString(other.shape())
                    + " do not match " + Arrays.toString(weights.shape()));
        }
        return new ConvTranspose2d(other, bias == null ? null : bias.value().copy(), spec, outputPadding);
    }

    @Override
    public Tensor forward(Tensor input, Mode mode) {
        if (input.rank() != 4 || input.dim(1) != inChannels) {
            throw new IllegalArgumentException(describe() + ": expected input [N, " + inChannels + ", H, W] but got "
                    + Arrays.toString(input.shape()));
        }
        x = input;
        scaleShift.prepare(describe());                                    // dim 0: s = g/||v||; dim 1: w built
        filters = scaleShift.scaledDirection(weights.direction());         // w = s ⊙ d along dim 0 (Eq. 2), or w
        y = Buffers.ensure(y, input, outputShape(input.shape()));
        Kernels.conv2dBackwardData(input, filters, y, spec);               // y = Cᵀ x (the adjoint of conv with w)
        if (bias != null) {
            Kernels.channelScaleShift(y, null, bias.value(), y);           // y += b per output channel
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        parameterGradients(dy);
        dx = Buffers.ensure(dx, dy, x.shape());
        Kernels.conv2dForward(dy, filters, dx, spec);                      // ∇x = C ∇y
        return dx;
    }

    /** Skips the convolution that forms the input gradient, which nothing uses. */
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
        Kernels.conv2dBackwardFilter(dy, x, gradW, spec, false);           // ∇w: the conv's filter gradient, x and ∇y swapped
        weights.accumulateGradients(gradW);                                // plain: ∇w; weight norm: Eq. 3
        if (bias != null) {
            Kernels.channelSums(dy, bias.grad(), true);                    // ∇b = Σ ∇y over batch and space
        }
    }

    @Override
    public List<Param> params() {
        List<Param> ps = new ArrayList<>();
        List<Param> own = weights.params();
        boolean plain = own.stream().anyMatch(p -> p.name().equals("weight"));
        if (plain) {
            ps.addAll(own);                                                // weight, bias (nn.ConvTranspose2d)
        }
        if (bias != null) {
            ps.add(bias);
        }
        if (!plain) {
            ps.addAll(own);                                                // bias, weight_g, weight_v (weight_norm)
        }
        return List.copyOf(ps);
    }

    @Override
    public String describe() {
        int[] w = weights.shape();
        return "ConvTranspose2d(" + inChannels + "->" + outChannels + ", " + w[2] + "x" + w[3]
                + (spec.stride() != 1 ? ", stride " + spec.stride() : "")
                + (spec.padding() != 0 ? ", pad " + spec.padding() : "")
                + (outputPadding != 0 ? ", output_padding " + outputPadding : "")
                + ", " + weights.kind() + (bias == null ? ", no bias" : "") + ")";
    }
}
