package org.weightnorm4j.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.tensor.Tensor;

/**
 * RMSprop (Tieleman &amp; Hinton 2012) as PyTorch's {@code torch.optim.RMSprop} computes it without
 * momentum or weight decay; centred (Graves 2013) by default, which is what MinAtar's DQN uses
 * (lr 2.5e-4, α 0.95, ε 0.01).
 *
 * <p>Update rule, per parameter θ with gradient ∇:
 * <pre>
 *   s = α s + (1 − α) ∇²                  (square_avg)
 *   m = α m + (1 − α) ∇                   (grad_avg; centred only)
 *   d = √(s − m²) + ε                     (centred; uncentred: √s + ε)
 *   θ = θ − η ∇ / d
 * </pre>
 * ε is added <em>outside</em> the square root, as in PyTorch (DeepMind's Atari DQN put it inside);
 * with MinAtar's ε 0.01 the difference matters, so we follow the peer. There is no bias
 * correction.
 *
 * <p>Arithmetic is float32, element by element in the order written above, split over threads in
 * fixed ranges ({@link ParamRanges}): the same bits for any thread count.
 */
public final class RmsProp extends ElementwiseOptimizer {
    private final double alpha;
    private final double eps;
    private final boolean centered;
    private final List<Tensor> squareAvg = new ArrayList<>();
    private final List<Tensor> gradAvg = new ArrayList<>();
    // The step's scalars as float32 (set by prepareStep, read by updateRange on any thread).
    private float a;
    private float oneMinusA;
    private float e;
    private float lrF;

    /**
     * @param params parameters under model-wide unique names (the names key the saved state)
     */
    public RmsProp(Map<String, Param> params, double lr, double alpha, double eps, boolean centered) {
        super("RMSprop", params, lr);
        Hyper.requireUnit("RMSprop alpha", alpha);
        Hyper.requirePositive("RMSprop epsilon", eps);
        this.alpha = alpha;
        this.eps = eps;
        this.centered = centered;
        for (Param p : params()) {
            squareAvg.add(p.value().zerosLike());
            gradAvg.add(centered ? p.value().zerosLike() : null);
        }
    }

    /** MinAtar's DQN optimizer: centred, lr 2.5e-4, α 0.95, ε 0.01. */
    public static RmsProp minAtar(Map<String, Param> params) {
        return new RmsProp(params, 2.5e-4, 0.95, 0.01, true);
    }

    @Override
    void prepareStep(long step) {
        a = (float) alpha;
        oneMinusA = (float) (1 - alpha);
        e = (float) eps;
        lrF = (float) learningRate();
    }

    @Override
    void updateRange(int i, int from, int to) {
        float[] theta = param(i).value().data();
        float[] grad = param(i).grad().data();
        float[] s = squareAvg.get(i).data();
        float a = this.a, oneMinusA = this.oneMinusA, e = this.e, lr = this.lrF;
        if (centered) {
            float[] m = gradAvg.get(i).data();
            for (int j = from; j < to; j++) {
                float g = grad[j];
                s[j] = a * s[j] + oneMinusA * g * g;
                m[j] = a * m[j] + oneMinusA * g;
                float d = (float) Math.sqrt(s[j] - m[j] * m[j]) + e;
                theta[j] -= lr * g / d;
            }
        } else {
            for (int j = from; j < to; j++) {
                float g = grad[j];
                s[j] = a * s[j] + oneMinusA * g * g;
                theta[j] -= lr * g / ((float) Math.sqrt(s[j]) + e);
            }
        }
    }

    public boolean centered() {
        return centered;
    }

    @Override
    public OptimizerState state() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < squareAvg.size(); i++) {
            tensors.put(name(i) + ".square_avg", squareAvg.get(i).copy());
            if (centered) {
                tensors.put(name(i) + ".grad_avg", gradAvg.get(i).copy());
            }
        }
        return new OptimizerState(tensors, scalars());
    }

    @Override
    public void loadState(OptimizerState state) {
        for (int i = 0; i < squareAvg.size(); i++) {
            squareAvg.get(i).copyFrom(state.require(label(), name(i) + ".square_avg", squareAvg.get(i).shape()));
            if (centered) {
                gradAvg.get(i).copyFrom(state.require(label(), name(i) + ".grad_avg", gradAvg.get(i).shape()));
            }
        }
        loadScalars(state);
    }

    @Override
    public String toString() {
        return "RMSprop(lr=" + learningRate() + ", alpha=" + alpha + ", eps=" + eps + ", centered=" + centered + ")";
    }
}
