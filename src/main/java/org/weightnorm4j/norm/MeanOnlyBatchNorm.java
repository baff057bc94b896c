package org.weightnorm4j.norm;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.weightnorm4j.nn.Buffers;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Tensor;

/**
 * Mean-only batch normalization (§4 of the paper): {@code y = t − μ[t] + b} per unit, where
 * {@code μ[t]} is the minibatch mean over batch and space during training and a running mean at
 * evaluation. Unlike full batch norm it does not divide by the standard deviation, so with weight
 * normalization the scale stays with {@code g}, and the noise it adds is gentler (the mean of a
 * minibatch is roughly Gaussian, §4).
 *
 * <p>The running mean follows the authors' 0.9/0.1 update:
 * {@code running_mean ← 0.9 running_mean + 0.1 μ_B} (momentum 0.1, as
 * {@code shared/bench/torch_peer.py}). Parameter {@code bias} (zeros); buffer
 * {@code running_mean} (zeros).
 */
public final class MeanOnlyBatchNorm implements Layer {
    public static final double MOMENTUM = 0.1;

    private final int channels;
    private final Param bias;
    private final Tensor runningMean;

    private Tensor shift;
    private Tensor sums;
    private Tensor y;
    private Tensor dx;
    private boolean trained;

    /** Float32 parameters and buffers. */
    public MeanOnlyBatchNorm(int channels) {
        this(channels, DType.FLOAT32);
    }

    public MeanOnlyBatchNorm(int channels, DType dtype) {
        this.channels = channels;
        this.bias = new Param("bias", Tensor.zeros(dtype, channels));
        this.runningMean = Tensor.zeros(dtype, channels);
    }

    public int channels() {
        return channels;
    }

    public Param bias() {
        return bias;
    }

    /** The running mean used at evaluation. */
    public Tensor runningMean() {
        return runningMean;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (x.rank() < 2 || x.dim(1) != channels) {
            throw new IllegalArgumentException(describe() + ": expected input [N, " + channels + ", ...] but got "
                    + Arrays.toString(x.shape()));
        }
        int m = x.size() / channels;
        shift = Buffers.ensure(shift, x, channels);
        if (mode == Mode.TRAIN) {
            sums = Buffers.ensure(sums, x, channels);
            Kernels.channelSums(x, sums, false);
            for (int c = 0; c < channels; c++) {
                double mean = sums.get(c) / m;                                          // μ[t] over the minibatch
                runningMean.set(c, (1 - MOMENTUM) * runningMean.get(c) + MOMENTUM * mean);
                shift.set(c, bias.value().get(c) - mean);
            }
        } else {
            for (int c = 0; c < channels; c++) {
                shift.set(c, bias.value().get(c) - runningMean.get(c));
            }
        }
        trained = mode == Mode.TRAIN;
        y = Buffers.ensure(y, x, x.shape());
        Kernels.channelScaleShift(x, null, shift, y);                                    // y = t − μ[t] + b
        return y;
    }

    /**
     * Training-mode backward: {@code ∇b = Σ ∇y}, {@code ∇t = ∇y − mean(∇y)} (the mean depends on
     * every input of its channel). After an evaluation forward the mean is a constant, so
     * {@code ∇t = ∇y}.
     */
    @Override
    public Tensor backward(Tensor dy) {
        if (y == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        y.requireSameShape(describe() + " backward", dy);
        int m = dy.size() / channels;
        sums = Buffers.ensure(sums, dy, channels);
        Kernels.channelSums(dy, sums, false);
        for (int c = 0; c < channels; c++) {
            bias.grad().set(c, bias.grad().get(c) + sums.get(c));
            shift.set(c, trained ? -sums.get(c) / m : 0);
        }
        dx = Buffers.ensure(dx, dy, dy.shape());
        Kernels.channelScaleShift(dy, null, shift, dx);
        return dx;
    }

    @Override
    public List<Param> params() {
        return List.of(bias);
    }

    @Override
    public Map<String, Tensor> buffers() {
        return Map.of("running_mean", runningMean);
    }

    @Override
    public String describe() {
        return "MeanOnlyBatchNorm(" + channels + ")";
    }
}
