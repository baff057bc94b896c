package org.weightnorm4j.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.tensor.Tensor;

/**
 * Adamax (Kingma &amp; Ba 2015, §7.1, the infinity-norm variant of Adam), as PyTorch's
 * {@code torch.optim.Adamax} computes it (no weight decay). The weight-normalization paper trains
 * its DQN with it, β1 0.5 (§5.4).
 *
 * <p>Update rule at step t, per parameter θ with gradient ∇:
 * <pre>
 *   m = β1 m + (1 − β1) ∇                 (exp_avg)
 *   u = max(β2 u, |∇| + ε)                (exp_inf; PyTorch puts ε inside the max, the paper has none)
 *   θ = θ − (η / (1 − β1^t)) m / u
 * </pre>
 * ε (default 1e-8) only keeps u away from zero for a parameter whose gradients have all been 0.
 *
 * <p>Arithmetic is float32, element by element, split over threads in fixed ranges: the same bits
 * for any thread count.
 */
public final class Adamax extends ElementwiseOptimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final List<Tensor> m = new ArrayList<>();
    private final List<Tensor> u = new ArrayList<>();
    private float b1;
    private float oneMinusB1;
    private float b2;
    private float e;
    private float stepSize;

    /**
     * @param params parameters under model-wide unique names (the names key the saved state)
     */
    public Adamax(Map<String, Param> params, double lr, double beta1, double beta2, double eps) {
        super("Adamax", params, lr);
        Hyper.requireUnit("Adamax beta1", beta1);
        Hyper.requireUnit("Adamax beta2", beta2);
        Hyper.requirePositive("Adamax epsilon", eps);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        for (Param p : params()) {
            m.add(p.value().zerosLike());
            u.add(p.value().zerosLike());
        }
    }

    /** The weight-normalization paper's DQN variant: β1 0.5, β2 0.999, ε 1e-8, at {@code lr}. */
    public static Adamax paperDqn(Map<String, Param> params, double lr) {
        return new Adamax(params, lr, 0.5, 0.999, 1e-8);
    }

    @Override
    void prepareStep(long step) {
        b1 = (float) beta1;
        oneMinusB1 = (float) (1 - beta1);
        b2 = (float) beta2;
        e = (float) eps;
        // The bias correction in float64 (β1^t underflows harmlessly to 0), rounded once.
        stepSize = (float) (learningRate() / (1 - Math.pow(beta1, step)));
    }

    @Override
    void updateRange(int i, int from, int to) {
        float[] theta = param(i).value().data();
        float[] grad = param(i).grad().data();
        float[] mi = m.get(i).data();
        float[] ui = u.get(i).data();
        float b1 = this.b1, oneMinusB1 = this.oneMinusB1, b2 = this.b2, e = this.e, stepSize = this.stepSize;
        for (int j = from; j < to; j++) {
            float g = grad[j];
            mi[j] = b1 * mi[j] + oneMinusB1 * g;
            ui[j] = Math.max(b2 * ui[j], Math.abs(g) + e);
            theta[j] -= stepSize * mi[j] / ui[j];
        }
    }

    @Override
    public OptimizerState state() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < m.size(); i++) {
            tensors.put(name(i) + ".exp_avg", m.get(i).copy());
            tensors.put(name(i) + ".exp_inf", u.get(i).copy());
        }
        return new OptimizerState(tensors, scalars());
    }

    @Override
    public void loadState(OptimizerState state) {
        for (int i = 0; i < m.size(); i++) {
            m.get(i).copyFrom(state.require(label(), name(i) + ".exp_avg", m.get(i).shape()));
            u.get(i).copyFrom(state.require(label(), name(i) + ".exp_inf", u.get(i).shape()));
        }
        loadScalars(state);
    }

    @Override
    public String toString() {
        return "Adamax(lr=" + learningRate() + ", beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + eps + ")";
    }
}
