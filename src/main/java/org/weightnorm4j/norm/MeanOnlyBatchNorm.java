package org.weightnorm4j.norm;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.weightnorm4j.nn.Buffers;
import org.weightnorm4j.nn.LeakyReluFusable;
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
 *
 * <p>Followed by a ReLU or leaky ReLU in a {@link org.weightnorm4j.nn.Sequential}, it runs together
 * with it ({@link LeakyReluFusable}): the mean, then {@code leakyRelu(t − μ[t] + b)} in one pass
 * forward; backward, the activation's derivative and {@code Σ∇y} in one pass, then the centring.
 */
public final class MeanOnlyBatchNorm implements LeakyReluFusable {
    public static final double MOMENTUM = 0.1;

    private final int channels;
    private final Param bias;
    private final Tensor runningMean;

    private Tensor shift;
    private Tensor sums;
    private Tensor y;
    private Tensor dx;
    private boolean trained;
    /** Where the minibatch's sums come from when it is split over data-parallel workers; null in one process. */
    private CrossWorkerSums across;
    /** The channel sums and the count, as {@link #across} exchanges them. */
    private double[] partial;
    /** The slope of the activation the last forward was fused with ({@link #forwardLeakyRelu}); NaN after a plain forward. */
    private double fusedSlope = Double.NaN;

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

    /**
     * Makes the training-mode statistics those of the whole minibatch when each data-parallel worker
     * holds a shard of it: the mean {@code μ[t]} forward and the mean of {@code ∇y} backward are
     * computed from the channel sums and counts of every worker ({@code sums}), as the paper's
     * mean-only batch norm is defined over the minibatch (§4). Null: this process holds the whole
     * minibatch (the default).
     */
    public void sumAcrossWorkers(CrossWorkerSums sums) {
        this.across = sums;
    }

    /** The running mean used at evaluation. */
    public Tensor runningMean() {
        return runningMean;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        setShift(x, mode);
        y = Buffers.ensure(y, x, x.shape());
        Kernels.channelScaleShift(x, null, shift, y);                                    // y = t − μ[t] + b
        fusedSlope = Double.NaN;
        return y;
    }

    /**
     * The forward followed by a ReLU or leaky ReLU, in one pass after the mean's:
     * {@code z = leakyRelu(t − μ[t] + b)}. {@code y} itself is never stored.
     */
    @Override
    public Tensor forwardLeakyRelu(Tensor x, Mode mode, double slope) {
        setShift(x, mode);
        y = Buffers.ensure(y, x, x.shape());
        Kernels.channelShiftLeakyRelu(x, shift, slope, y);                               // z = leakyRelu(t − μ[t] + b)
        fusedSlope = slope;
        return y;
    }

    /**
     * {@code shift = b − μ[t]}: the minibatch mean in training (which also moves the running mean),
     * the running mean at evaluation.
     */
    private void setShift(Tensor x, Mode mode) {
        if (x.rank() < 2 || x.dim(1) != channels) {
            throw new IllegalArgumentException(describe() + ": expected input [N, " + channels + ", ...] but got "
                    + Arrays.toString(x.shape()));
        }
        int m = x.size() / channels;
        shift = Buffers.ensure(shift, x, channels);
        if (mode == Mode.TRAIN) {
            sums = Buffers.ensure(sums, x, channels);
            Kernels.channelSums(x, sums, false);
            double[] total = totals(m);
            for (int c = 0; c < channels; c++) {
                double mean = total[c] / total[channels];                              // μ[t] over the minibatch
                runningMean.set(c, (1 - MOMENTUM) * runningMean.get(c) + MOMENTUM * mean);
                shift.set(c, bias.value().get(c) - mean);
            }
        } else {
            for (int c = 0; c < channels; c++) {
                shift.set(c, bias.value().get(c) - runningMean.get(c));
            }
        }
        trained = mode == Mode.TRAIN;
    }

    /**
     * Training-mode backward: {@code ∇b = Σ ∇y}, {@code ∇t = ∇y − mean(∇y)} (the mean depends on
     * every input of its channel). After an evaluation forward the mean is a constant, so
     * {@code ∇t = ∇y}.
     */
    @Override
    public Tensor backward(Tensor dy) {
        requireForward(false);
        y.requireSameShape(describe() + " backward", dy);
        sums = Buffers.ensure(sums, dy, channels);
        Kernels.channelSums(dy, sums, false);
        dx = Buffers.ensure(dx, dy, dy.shape());
        return subtractMean(dy, dx);
    }

    /**
     * The backward of {@link #forwardLeakyRelu}: {@code ∇y = leakyRelu'(y) ⊙ ∇z}, read from the sign
     * of z, with {@code Σ∇y} per channel in the same pass; then as {@link #backward}, in place.
     */
    @Override
    public Tensor backwardLeakyRelu(Tensor dz) {
        requireForward(true);
        y.requireSameShape(describe() + " backward", dz);
        sums = Buffers.ensure(sums, dz, channels);
        dx = Buffers.ensure(dx, dz, dz.shape());
        Kernels.leakyReluBackwardChannelSums(fusedSlope, y, dz, dx, sums);
        return subtractMean(dx, dx);
    }

    /** {@code ∇b += Σ ∇y} (sums holds Σ∇y) and {@code dx = ∇y − mean(∇y)} in training, {@code ∇y} after evaluation. */
    private Tensor subtractMean(Tensor dy, Tensor dx) {
        int m = dy.size() / channels;
        double[] total = trained ? totals(m) : null;
        for (int c = 0; c < channels; c++) {
            bias.grad().set(c, bias.grad().get(c) + sums.get(c)); // this shard's part: the workers' gradients are summed later
            shift.set(c, trained ? -total[c] / total[channels] : 0);
        }
        Kernels.channelScaleShift(dy, null, shift, dx);
        return dx;
    }

    /**
     * The channel sums in {@code sums} and the count {@code m} they cover, as doubles; summed over the
     * data-parallel workers when there are any ({@link #sumAcrossWorkers}).
     */
    private double[] totals(int m) {
        if (partial == null || partial.length != channels + 1) {
            partial = new double[channels + 1];
        }
        for (int c = 0; c < channels; c++) {
            partial[c] = sums.get(c);
        }
        partial[channels] = m;
        if (across != null) {
            across.allSum(partial);
        }
        return partial;
    }

    /** Refuses a backward that does not match the last forward: plain after plain, fused after fused. */
    private void requireForward(boolean fused) {
        if (y == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        if (fused == Double.isNaN(fusedSlope)) {
            throw new IllegalStateException(describe() + ": the last forward was " + (fused ? "the plain one" : "fused with "
                    + "the activation after it (forwardLeakyRelu)") + ", so its backward is "
                    + (fused ? "backward" : "backwardLeakyRelu"));
        }
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
