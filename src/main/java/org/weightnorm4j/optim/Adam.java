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
 *
 * <p>Arithmetic is float32, each element on its own; large models are updated on several threads
 * in fixed ranges ({@link ParamRanges}), with the same bits for any thread count.
 */
public final class Adam extends ElementwiseOptimizer {
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final List<Tensor> m = new ArrayList<>();
    private final List<Tensor> v = new ArrayList<>();
    private double beta1;
    private double beta1Product = 1;
    // The scalars of the step in progress (set by prepareStep, read by updateRange on any thread).
    private float stepSize;
    private float invSqrtC2;
    private float b1;
    private float b2;
    private float e;
    private float wd;
    private float oneMinusB1;
    private float oneMinusB2;

    /**
     * @param params parameters under model-wide unique names (the names key the saved state),
     *               e.g. {@code Sequential.namedParams()}
     */
    public Adam(Map<String, Param> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super("Adam", params, lr);
        Hyper.requireUnit("Adam beta1", beta1);
        Hyper.requireUnit("Adam beta2", beta2);
        Hyper.requirePositive("Adam epsilon", eps);
        Hyper.requireNonNegative("Adam weight decay", weightDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        for (Param p : params()) {
            m.add(p.value().zerosLike());
            v.add(p.value().zerosLike());
        }
    }

    /** Parameters keyed by their own names, which must be unique. */
    public Adam(List<Param> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this(NamedParams.byOwnName(params), lr, beta1, beta2, eps, weightDecay);
    }

    /**
     * Adam with the defaults (β1 0.9, β2 0.999, ε 1e-8, no weight decay) over a model's parameters
     * under their state-dict names: {@code new Adam(ModelTree.namedParams(model), 1e-3)}.
     */
    public Adam(Map<String, Param> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0);
    }

    /** Adam with the defaults (β1 0.9, β2 0.999, ε 1e-8, no weight decay); the parameters' own names must be unique. */
    public Adam(List<Param> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0);
    }

    @Override
    void prepareStep(long step) {
        beta1Product *= beta1;
        double c1 = 1 - beta1Product;
        double c2 = 1 - Math.pow(beta2, step);
        stepSize = (float) (learningRate() / c1);
        invSqrtC2 = (float) (1 / Math.sqrt(c2));
        b1 = (float) beta1;
        b2 = (float) beta2;
        e = (float) eps;
        wd = (float) weightDecay;
        oneMinusB1 = (float) (1 - beta1);
        oneMinusB2 = (float) (1 - beta2);
    }

    @Override
    void updateRange(int i, int from, int to) {
        float[] theta = param(i).value().data();
        float[] grad = param(i).grad().data();
        float[] mi = m.get(i).data();
        float[] vi = v.get(i).data();
        float b1 = this.b1, b2 = this.b2, e = this.e, wd = this.wd, stepSize = this.stepSize, invSqrtC2 = this.invSqrtC2;
        float oneMinusB1 = this.oneMinusB1, oneMinusB2 = this.oneMinusB2;
        for (int j = from; j < to; j++) {
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

    /** Sets β1 for the next steps (the paper: 0.9, then 0.5 from epoch 100). */
    public void setBeta1(double beta1) {
        Hyper.requireUnit("Adam beta1", beta1);
        this.beta1 = beta1;
    }

    public double beta1() {
        return beta1;
    }

    @Override
    public OptimizerState state() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < m.size(); i++) {
            tensors.put(name(i) + ".exp_avg", m.get(i).copy());
            tensors.put(name(i) + ".exp_avg_sq", v.get(i).copy());
        }
        Map<String, Double> scalars = scalars();
        scalars.put("beta1", beta1);
        scalars.put("beta1_product", beta1Product);
        return new OptimizerState(tensors, scalars);
    }

    @Override
    public void loadState(OptimizerState state) {
        for (int i = 0; i < m.size(); i++) {
            m.get(i).copyFrom(state.require("Adam", name(i) + ".exp_avg", m.get(i).shape()));
            v.get(i).copyFrom(state.require("Adam", name(i) + ".exp_avg_sq", v.get(i).shape()));
        }
        loadScalars(state);
        beta1 = state.requireScalar("Adam", "beta1");
        beta1Product = state.requireScalar("Adam", "beta1_product");
    }

    @Override
    public String toString() {
        return "Adam(lr=" + learningRate() + ", beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + eps
                + ", weight_decay=" + weightDecay + ")";
    }
}
