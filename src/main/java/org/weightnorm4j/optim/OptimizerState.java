package org.weightnorm4j.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.weightnorm4j.tensor.Tensor;

/**
 * Everything an optimizer needs to continue exactly where it stopped: its per-parameter buffers
 * (named {@code "<param name>.<buffer>"}, e.g. {@code "0.weight_v.exp_avg"}) and its scalars
 * (e.g. the step count). Checkpoints store the tensors as safetensors and the scalars as JSON.
 *
 * @param tensors per-parameter buffers, in a stable order
 * @param scalars counters and running products; doubles are exact for counts below 2^53
 */
public record OptimizerState(Map<String, Tensor> tensors, Map<String, Double> scalars) {

    public OptimizerState {
        tensors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        scalars = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scalars));
    }

    /** The tensor called {@code name}, checked against the shape the optimizer expects. */
    Tensor require(String optimizer, String name, int[] shape) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(optimizer + " state has no tensor '" + name
                    + "': the state was saved for a different model or optimizer");
        }
        t.requireShape(optimizer + " state tensor '" + name + "'", shape);
        return t;
    }

    /** The scalar called {@code name}. */
    double requireScalar(String optimizer, String name) {
        Double v = scalars.get(name);
        if (v == null) {
            throw new IllegalArgumentException(optimizer + " state has no scalar '" + name
                    + "': the state was saved for a different optimizer");
        }
        return v;
    }
}
