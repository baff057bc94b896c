package org.weightnorm4j.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.tensor.Tensor;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay.
 *
 * <p>Update rule, per parameter θ with gradient ∇ (the same convention as PyTorch's {@code SGD}
 * with no dampening, so results can be compared):
 * <pre>
 *   d  = ∇ + λ θ                       (weight decay λ; skipped when λ = 0)
 *   b  = μ b + d                       (momentum buffer, starts at 0; skipped when μ = 0)
 *   d  = d + μ b   (Nesterov)   or   d = b   (classical momentum)
 *   θ  = θ − η d
 * </pre>
 *
 * <p>Hyperparameters: learning rate η &gt; 0, momentum μ ∈ [0, 1), {@code nesterov} (needs μ &gt; 0),
 * weight decay λ ≥ 0. Arithmetic is float32, each element on its own, so two runs with the same
 * gradients give bit-identical parameters; large models are updated on several threads in fixed
 * ranges ({@link ParamRanges}), with the same bits for any thread count.
 */
public final class Sgd extends ElementwiseOptimizer {
    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;
    private final List<Tensor> buffers = new ArrayList<>();
    // The scalars of the step in progress (set by prepareStep, read by updateRange on any thread).
    private float eta;
    private float mu;
    private float wd;

    /**
     * @param params parameters under model-wide unique names (the names key the saved state),
     *               e.g. {@code Sequential.namedParams()}
     */
    public Sgd(Map<String, Param> params, double lr, double momentum, boolean nesterov, double weightDecay) {
        super("SGD", params, lr);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("SGD momentum must be in [0, 1), got " + momentum);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("SGD with Nesterov momentum needs momentum > 0");
        }
        Hyper.requireNonNegative("SGD weight decay", weightDecay);
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
        if (momentum > 0) {
            for (Param p : params()) {
                buffers.add(p.value().zerosLike());
            }
        }
    }

    /** Parameters keyed by their own names, which must be unique. */
    public Sgd(List<Param> params, double lr, double momentum, boolean nesterov, double weightDecay) {
        this(NamedParams.byOwnName(params), lr, momentum, nesterov, weightDecay);
    }

    /** Plain SGD: no momentum, no weight decay. */
    public Sgd(List<Param> params, double lr) {
        this(params, lr, 0, false, 0);
    }

    @Override
    void prepareStep(long step) {
        eta = (float) learningRate();
        mu = (float) momentum;
        wd = (float) weightDecay;
    }

    @Override
    void updateRange(int i, int from, int to) {
        float[] theta = param(i).value().data();
        float[] grad = param(i).grad().data();
        float[] b = momentum > 0 ? buffers.get(i).data() : null;
        float eta = this.eta, mu = this.mu, wd = this.wd;
        for (int j = from; j < to; j++) {
            float d = grad[j];
            if (wd != 0f) {
                d += wd * theta[j];
            }
            if (b != null) {
                b[j] = mu * b[j] + d;
                d = nesterov ? d + mu * b[j] : b[j];
            }
            theta[j] -= eta * d;
        }
    }

    @Override
    public OptimizerState state() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < buffers.size(); i++) {
            tensors.put(name(i) + ".momentum_buffer", buffers.get(i).copy());
        }
        return new OptimizerState(tensors, scalars());
    }

    @Override
    public void loadState(OptimizerState state) {
        for (int i = 0; i < buffers.size(); i++) {
            Tensor b = buffers.get(i);
            b.copyFrom(state.require("SGD", name(i) + ".momentum_buffer", b.shape()));
        }
        loadScalars(state);
    }

    @Override
    public String toString() {
        return "SGD(lr=" + learningRate() + ", momentum=" + momentum + ", nesterov=" + nesterov
                + ", weight_decay=" + weightDecay + ")";
    }
}
