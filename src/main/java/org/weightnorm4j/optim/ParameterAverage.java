package org.weightnorm4j.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.tensor.Tensor;

/**
 * A moving average of the parameters, used in place of the raw parameters for evaluation
 * (Polyak &amp; Juditsky, 1992; the weight-normalization authors evaluate their CIFAR-10 model
 * with an exponential moving average of the parameters).
 *
 * <p>After each optimizer step, {@link #update()} computes, per parameter θ,
 * <pre>
 *   a = δ a + (1 − δ) θ,   δ = min(decay, (1 + t) / (10 + t))
 * </pre>
 * where t is the number of updates so far: the warm-up term lets early averages follow the
 * parameters instead of their random initial values. With {@code decay = 1} this is plain Polyak
 * averaging, δ = (1 + t)/(10 + t) giving weight to all past iterates.
 *
 * <p>{@link #swapIn()} puts the averages into the model (for evaluation or saving) and
 * {@link #swapOut()} restores the raw parameters; training must only continue after swapOut.
 *
 * <p>The update is element-wise, so large models are averaged on several threads in fixed ranges
 * ({@link ParamRanges}), with the same bits for any thread count.
 */
public final class ParameterAverage {
    private final List<Param> params;
    private final List<String> names;
    private final double decay;
    private final List<Tensor> averages = new ArrayList<>();
    private final List<Tensor> saved = new ArrayList<>();
    private final ParamRanges ranges;
    private long updates;
    private boolean swapped;
    // The weights of the update in progress (set by update(), read by updateRange on any thread).
    private float d;
    private float oneMinusD;

    /** Parameters keyed by their own names, which must be unique. */
    public ParameterAverage(List<Param> params, double decay) {
        this(NamedParams.byOwnName(params), decay);
    }

    /** @param params parameters under model-wide unique names (they key the saved state) */
    public ParameterAverage(Map<String, Param> params, double decay) {
        if (!(decay > 0 && decay <= 1)) {
            throw new IllegalArgumentException("parameter average decay must be in (0, 1], got " + decay);
        }
        this.params = List.copyOf(params.values());
        this.names = List.copyOf(params.keySet());
        this.decay = decay;
        for (Param p : this.params) {
            averages.add(p.value().copy());
            saved.add(p.value().zerosLike());
        }
        this.ranges = new ParamRanges(this.params, this::updateRange);
    }

    /** Folds the current parameters into the averages. */
    public void update() {
        if (swapped) {
            throw new IllegalStateException("parameter average: update() while the averages are swapped in; call swapOut() first");
        }
        d = (float) Math.min(decay, (1.0 + updates) / (10.0 + updates));
        oneMinusD = 1f - d;
        ranges.run();
        updates++;
    }

    /** {@code a = δ a + (1 − δ) θ} on elements {@code [from, to)} of parameter {@code i}. */
    private void updateRange(int i, int from, int to) {
        float[] a = averages.get(i).data();
        float[] theta = params.get(i).value().data();
        float d = this.d, oneMinusD = this.oneMinusD;
        for (int j = from; j < to; j++) {
            a[j] = d * a[j] + oneMinusD * theta[j];
        }
    }

    /** Replaces the model's parameters with their averages, keeping the raw values aside. */
    public void swapIn() {
        if (swapped) {
            throw new IllegalStateException("parameter average: already swapped in");
        }
        for (int i = 0; i < params.size(); i++) {
            saved.get(i).copyFrom(params.get(i).value());
            params.get(i).value().copyFrom(averages.get(i));
        }
        swapped = true;
    }

    /** Puts the raw parameters back after {@link #swapIn()}. */
    public void swapOut() {
        if (!swapped) {
            throw new IllegalStateException("parameter average: swapOut() without swapIn()");
        }
        for (int i = 0; i < params.size(); i++) {
            params.get(i).value().copyFrom(saved.get(i));
        }
        swapped = false;
    }

    public double decay() {
        return decay;
    }

    public long updates() {
        return updates;
    }

    /** A deep copy of the averages ({@code "<param name>.ema"}) and the update count. */
    public OptimizerState state() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            tensors.put(names.get(i) + ".ema", averages.get(i).copy());
        }
        // In a fixed order: Map.of iterates in an order randomized per JVM start, and these scalars
        // go into trainer.json, which must be the same bytes for the same run (docs/RELIABILITY.md).
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put("updates", (double) updates);
        scalars.put("decay", decay);
        return new OptimizerState(tensors, scalars);
    }

    /** Restores a state produced by {@link #state()}. */
    public void loadState(OptimizerState state) {
        for (int i = 0; i < params.size(); i++) {
            Tensor a = averages.get(i);
            a.copyFrom(state.require("parameter average", names.get(i) + ".ema", a.shape()));
        }
        updates = (long) state.requireScalar("parameter average", "updates");
    }

    @Override
    public String toString() {
        return "ParameterAverage(decay=" + decay + ", updates=" + updates + ")";
    }
}
