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
 * weight decay λ ≥ 0. Arithmetic is float32, element by element, in a fixed order, so two runs
 * with the same gradients give bit-identical parameters.
 */
public final class Sgd implements Optimizer {
    private final List<Param> params;
    private final List<String> names;
    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;
    private final List<Tensor> buffers = new ArrayList<>();
    private double lr;
    private long steps;

    /**
     * @param params parameters under model-wide unique names (the names key the saved state),
     *               e.g. {@code Sequential.namedParams()}
     */
    public Sgd(Map<String, Param> params, double lr, double momentum, boolean nesterov, double weightDecay) {
        Hyper.requirePositive("SGD learning rate", lr);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("SGD momentum must be in [0, 1), got " + momentum);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("SGD with Nesterov momentum needs momentum > 0");
        }
        Hyper.requireNonNegative("SGD weight decay", weightDecay);
        this.params = List.copyOf(params.values());
        this.names = List.copyOf(params.keySet());
        this.lr = lr;
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
        if (momentum > 0) {
            for (Param p : this.params) {
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
    public void step() {
        float eta = (float) lr, mu = (float) momentum, wd = (float) weightDecay;
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            float[] theta = p.value().data();
            float[] grad = p.grad().data();
            float[] b = momentum > 0 ? buffers.get(i).data() : null;
            int n = p.value().size();
            for (int j = 0; j < n; j++) {
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
        steps++;
    }

    @Override
    public List<Param> params() {
        return params;
    }

    @Override
    public long stepCount() {
        return steps;
    }

    @Override
    public double learningRate() {
        return lr;
    }

    @Override
    public void setLearningRate(double lr) {
        Hyper.requirePositiveOrZero("SGD learning rate", lr);
        this.lr = lr;
    }

    @Override
    public OptimizerState state() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < buffers.size(); i++) {
            tensors.put(names.get(i) + ".momentum_buffer", buffers.get(i).copy());
        }
        return new OptimizerState(tensors, Map.of("step", (double) steps, "lr", lr));
    }

    @Override
    public void loadState(OptimizerState state) {
        for (int i = 0; i < buffers.size(); i++) {
            Tensor b = buffers.get(i);
            b.copyFrom(state.require("SGD", names.get(i) + ".momentum_buffer", b.shape()));
        }
        steps = (long) state.requireScalar("SGD", "step");
        lr = state.requireScalar("SGD", "lr");
    }

    @Override
    public String toString() {
        return "SGD(lr=" + lr + ", momentum=" + momentum + ", nesterov=" + nesterov
                + ", weight_decay=" + weightDecay + ")";
    }
}
