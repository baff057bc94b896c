package org.weightnorm4j.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.tensor.Tensor;

/**
 * Adam (Kingma &amp; Ba, 2015, "Adam: A Method for Stochastic Optimization", Algorithm 1), the
 * optimizer the weight-normalization paper trains its CIFAR-10 model with (§5.1).
 *
 * <p>Update rule at step t, per parameter θ with gradient ∇:
 * <pre>
 *   d  = ∇ + λ θ                          (L2 weight decay λ, as in PyTorch's Adam; default 0)
 *   m  = β1 m + (1 − β1) d                (first moment)
 *   v  = β2 v + (1 − β2) d²               (second moment)
 *   m̂ = m / (1 − Π_{s≤t} β1,s)            (bias corrections; with a constant β1 the product
 *   v̂ = v / (1 − β2^t)                     is β1^t, as in the paper)
 *   θ  = θ − η m̂ / (√v̂ + ε)
 * </pre>
 * β1 may change during training ({@link #setBeta1}): the paper lowers it from 0.9 to 0.5 at
 * epoch 100. The first-moment correction uses the running product of the β1 values actually
 * used, which is the exact sum of the weights m puts on past gradients, so the correction stays
 * unbiased when β1 changes.
 *
 * <p>Hyperparameters: learning rate η &gt; 0 (paper: 0.003 for weight norm, 0.0003 for the normal
 * parameterisation), β1 ∈ [0, 1) (0.9), β2 ∈ [0, 1) (0.999), ε &gt; 0 (1e-8), weight decay λ ≥ 0.
 */
public final class Adam implements Optimizer {
    private final List<Param> params;
    private final List<String> names;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final List<Tensor> m = new ArrayList<>();
    private final List<Tensor> v = new ArrayList<>();
    private double lr;
    private double beta1;
    private double beta1Product = 1;
    private long steps;

    /**
     * @param params parameters under model-wide unique names (the names key the saved state),
     *               e.g. {@code Sequential.namedParams()}
     */
    public Adam(Map<String, Param> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        Hyper.requirePositive("Adam learning rate", lr);
        Hyper.requireUnit("Adam beta1", beta1);
        Hyper.requireUnit("Adam beta2", beta2);
        Hyper.requirePositive("Adam epsilon", eps);
        Hyper.requireNonNegative("Adam weight decay", weightDecay);
        this.params = List.copyOf(params.values());
        this.names = List.copyOf(params.keySet());
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        for (Param p : this.params) {
            m.add(p.value().zerosLike());
            v.add(p.value().zerosLike());
        }
    }

    /** Parameters keyed by their own names, which must be unique. */
    public Adam(List<Param> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this(NamedParams.byOwnName(params), lr, beta1, beta2, eps, weightDecay);
    }

    /** Adam with the paper's defaults: β1 0.9, β2 0.999, ε 1e-8, no weight decay. */
    public Adam(List<Param> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0);
    }

    @Override
    public void step() {
        steps++;
        beta1Product *= beta1;
        double c1 = 1 - beta1Product;
        double c2 = 1 - Math.pow(beta2, steps);
        float stepSize = (float) (lr / c1);
        float invSqrtC2 = (float) (1 / Math.sqrt(c2));
        float b1 = (float) beta1, b2 = (float) beta2, e = (float) eps, wd = (float) weightDecay;
        float oneMinusB1 = (float) (1 - beta1), oneMinusB2 = (float) (1 - beta2);
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            float[] theta = p.value().data();
            float[] grad = p.grad().data();
            float[] mi = m.get(i).data();
            float[] vi = v.get(i).data();
            int n = p.value().size();
            for (int j = 0; j < n; j++) {
                float d = grad[j];
                if (wd != 0f) {
                    d += wd * theta[j];
                }
                mi[j] = b1 * mi[j] + oneMinusB1 * d;
                vi[j] = b2 * vi[j] + oneMinusB2 * d * d;
                float denom = (float) Math.sqrt(vi[j]) * invSqrtC2 + e;
                theta[j] -= stepSize * mi[j] / denom;
            }
        }
    }

    /** Sets β1 for the next steps (the paper: 0.9, then 0.5 from epoch 100). */
    public void setBeta1(double beta1) {
        Hyper.requireUnit("Adam beta1", beta1);
        this.beta1 = beta1;
    }

    public double beta1() {
        return beta1;
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
        Hyper.requirePositiveOrZero("Adam learning rate", lr);
        this.lr = lr;
    }

    @Override
    public OptimizerState state() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            tensors.put(names.get(i) + ".exp_avg", m.get(i).copy());
            tensors.put(names.get(i) + ".exp_avg_sq", v.get(i).copy());
        }
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put("step", (double) steps);
        scalars.put("lr", lr);
        scalars.put("beta1", beta1);
        scalars.put("beta1_product", beta1Product);
        return new OptimizerState(tensors, scalars);
    }

    @Override
    public void loadState(OptimizerState state) {
        for (int i = 0; i < params.size(); i++) {
            String name = names.get(i);
            m.get(i).copyFrom(state.require("Adam", name + ".exp_avg", m.get(i).shape()));
            v.get(i).copyFrom(state.require("Adam", name + ".exp_avg_sq", v.get(i).shape()));
        }
        steps = (long) state.requireScalar("Adam", "step");
        lr = state.requireScalar("Adam", "lr");
        beta1 = state.requireScalar("Adam", "beta1");
        beta1Product = state.requireScalar("Adam", "beta1_product");
    }

    @Override
    public String toString() {
        return "Adam(lr=" + lr + ", beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + eps
                + ", weight_decay=" + weightDecay + ")";
    }
}
