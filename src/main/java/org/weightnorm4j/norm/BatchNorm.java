package org.weightnorm4j.norm;

import java.util.LinkedHashMap;
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
 * Batch normalization (Ioffe &amp; Szegedy 2015) per channel, over the batch and, for images, space;
 * PyTorch's {@code BatchNorm1d}/{@code BatchNorm2d} semantics:
 * <ul>
 *   <li>training: {@code x̂ = (x − μ_B)/√(σ²_B + ε)} with the biased batch variance,
 *       {@code y = γ x̂ + β}; the running estimates move by momentum 0.1, and the running
 *       variance uses the unbiased batch variance {@code σ²_B · m/(m−1)};</li>
 *   <li>evaluation: the running mean and variance replace the batch statistics.</li>
 * </ul>
 * Parameters {@code weight} (γ, ones) and {@code bias} (β, zeros); buffers {@code running_mean}
 * (zeros), {@code running_var} (ones) and {@code num_batches_tracked} (the number of training
 * batches seen, a scalar; PyTorch keeps it as int64 and uses it only when momentum is None).
 * {@code ε = 1e-5}.
 */
public final class BatchNorm implements Layer {
    public static final double EPS = 1e-5;
    public static final double MOMENTUM = 0.1;

    private final int channels;
    private final Param weight;
    private final Param bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    /** PyTorch's {@code num_batches_tracked} (a scalar; PyTorch stores it as int64), kept so a strict state-dict load works. */
    private final Tensor batchesTracked;

    private Tensor xhat;
    /** The input of the last forward and whether it trained (backward differs: batch statistics depend on x). */
    private Tensor input;
    private boolean training;
    private Tensor invStd;
    private Tensor y;
    private Tensor dx;
    /** Per-channel coefficients of the fused kernels (the batch mean μ_B in the training forward). */
    private Tensor meanC;
    private Tensor scaleC;
    private Tensor shiftC;
    /** The coefficient of x̂ in the training backward's ∇x. */
    private Tensor xhatScaleC;
    private Tensor sums;
    private Tensor dots;

    /** Float32 parameters and buffers. */
    public BatchNorm(int channels) {
        this(channels, DType.FLOAT32);
    }

    public BatchNorm(int channels, DType dtype) {
        this.channels = channels;
        Tensor gamma = Tensor.zeros(dtype, channels);
        gamma.fill(1);
        this.weight = new Param("weight", gamma);
        this.bias = new Param("bias", Tensor.zeros(dtype, channels));
        this.runningMean = Tensor.zeros(dtype, channels);
        this.runningVar = Tensor.zeros(dtype, channels);
        runningVar.fill(1);
        this.batchesTracked = Tensor.zeros(dtype, new int[0]);
    }

    public int channels() {
        return channels;
    }

    public Param weight() {
        return weight;
    }

    public Param bias() {
        return bias;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (x.rank() < 2 || x.dim(1) != channels) {
            throw new IllegalArgumentException(describe() + ": expected input [N, " + channels + ", ...] but got "
                    + java.util.Arrays.toString(x.shape()));
        }
        int m = x.size() / channels;
        scaleC = Buffers.ensure(scaleC, x, channels);
        shiftC = Buffers.ensure(shiftC, x, channels);
        invStd = Buffers.ensure(invStd, x, channels);
        y = Buffers.ensure(y, x, x.shape());
        input = x;
        training = mode == Mode.TRAIN;
        if (training) {
            if (m < 2) {
                throw new IllegalArgumentException(describe() + ": training needs more than one value per channel, got input "
                        + java.util.Arrays.toString(x.shape()));
            }
            sums = Buffers.ensure(sums, x, channels);
            dots = Buffers.ensure(dots, x, channels);
            meanC = Buffers.ensure(meanC, x, channels);
            // Three passes over x: Σx, then Σ(x − μ_B)² (two-pass variance, no E[x²] − E[x]²
            // cancellation), then x̂ and y written together.
            Kernels.channelSums(x, sums, false);
            batchesTracked.set(0, batchesTracked.get(0) + 1);
            for (int c = 0; c < channels; c++) {
                meanC.set(c, sums.get(c) / m);
            }
            Kernels.channelSquaredDeviations(x, meanC, dots);
            for (int c = 0; c < channels; c++) {
                double mean = sums.get(c) / m;
                double var = dots.get(c) / m;                                // biased batch variance σ²_B
                double is = 1 / Math.sqrt(var + EPS);
                invStd.set(c, is);
                runningMean.set(c, (1 - MOMENTUM) * runningMean.get(c) + MOMENTUM * mean);
                runningVar.set(c, (1 - MOMENTUM) * runningVar.get(c) + MOMENTUM * var * m / (m - 1));
            }
            xhat = Buffers.ensure(xhat, x, x.shape());
            // x̂ = (x − μ_B)/√(σ²_B + ε), y = γ x̂ + β
            Kernels.channelNormalize(x, meanC, invStd, weight.value(), bias.value(), xhat, y);
            return y;
        }
        for (int c = 0; c < channels; c++) {
            double is = 1 / Math.sqrt(runningVar.get(c) + EPS);
            double gamma = weight.value().get(c);
            invStd.set(c, is);
            scaleC.set(c, gamma * is);
            shiftC.set(c, bias.value().get(c) - gamma * is * runningMean.get(c));
        }
        Kernels.channelScaleShift(x, scaleC, shiftC, y);                       // y = γ (x − μ_run)/√(σ²_run + ε) + β
        return y;
    }

    /**
     * Training-mode backward: {@code ∇β = Σ ∇y}, {@code ∇γ = Σ ∇y x̂},
     * {@code ∇x = γ/√(σ²+ε) · (∇y − mean(∇y) − x̂ · mean(∇y x̂))}. After an evaluation forward the
     * statistics are constants: {@code ∇x = γ/√(σ²_run+ε) ∇y}.
     */
    @Override
    public Tensor backward(Tensor dy) {
        if (input == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        input.requireSameShape(describe() + " backward (x vs ∇y)", dy);
        if (!training) {
            return evalBackward(dy);
        }
        int m = dy.size() / channels;
        sums = Buffers.ensure(sums, dy, channels);
        dots = Buffers.ensure(dots, dy, channels);
        xhatScaleC = Buffers.ensure(xhatScaleC, dy, channels);
        Kernels.channelSumsAndDots(dy, xhat, sums, dots);                   // Σ∇y and Σ∇y x̂, one pass
        for (int c = 0; c < channels; c++) {
            bias.grad().set(c, bias.grad().get(c) + sums.get(c));
            weight.grad().set(c, weight.grad().get(c) + dots.get(c));
            double k = weight.value().get(c) * invStd.get(c);
            scaleC.set(c, k);
            xhatScaleC.set(c, -k * dots.get(c) / m);
            shiftC.set(c, -k * sums.get(c) / m);
        }
        dx = Buffers.ensure(dx, dy, dy.shape());
        // k (∇y − mean ∇y − x̂ mean(∇y x̂)) as k ∇y + (−k mean(∇y x̂)) x̂ + (−k mean ∇y), one pass
        Kernels.channelCombine(dy, scaleC, xhat, xhatScaleC, shiftC, dx);
        return dx;
    }

    private Tensor evalBackward(Tensor dy) {
        for (int c = 0; c < channels; c++) {
            shiftC.set(c, -runningMean.get(c) * invStd.get(c));
        }
        xhat = Buffers.ensure(xhat, dy, dy.shape());
        Kernels.channelScaleShift(input, invStd, shiftC, xhat);               // x̂ with the running statistics
        sums = Buffers.ensure(sums, dy, channels);
        dots = Buffers.ensure(dots, dy, channels);
        Kernels.channelSumsAndDots(dy, xhat, sums, dots);
        for (int c = 0; c < channels; c++) {
            bias.grad().set(c, bias.grad().get(c) + sums.get(c));
            weight.grad().set(c, weight.grad().get(c) + dots.get(c));
            scaleC.set(c, weight.value().get(c) * invStd.get(c));
        }
        dx = Buffers.ensure(dx, dy, dy.shape());
        Kernels.channelScaleShift(dy, scaleC, null, dx);
        return dx;
    }

    @Override
    public List<Param> params() {
        return List.of(weight, bias);
    }

    @Override
    public Map<String, Tensor> buffers() {
        Map<String, Tensor> b = new LinkedHashMap<>();
        b.put("running_mean", runningMean);
        b.put("running_var", runningVar);
        b.put("num_batches_tracked", batchesTracked);
        return b;
    }

    @Override
    public String describe() {
        return "BatchNorm(" + channels + ")";
    }
}
