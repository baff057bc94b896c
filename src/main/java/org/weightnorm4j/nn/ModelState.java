package org.weightnorm4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.weightnorm4j.tensor.Tensor;

/**
 * Parameter and buffer copies in memory: a DQN's target network, a snapshot to roll back to, an
 * exponential moving average's home. Works on any tree of layers, weight-normed or not (a
 * weight-normed layer's state is its {@code g}, {@code v} and bias, copied like any other tensor;
 * compare PyTorch, whose weight-normed modules cannot even be deep-copied, pytorch/pytorch#28594).
 *
 * <pre>{@code
 * Sequential target = buildNetwork(seed);          // the same architecture as online
 * ModelState.copy(online, target);                 // every parameter and buffer, by name
 * ModelState before = ModelState.snapshot(online); // ... train ...
 * before.restoreInto(online);                      // exactly as it was
 * }</pre>
 * Names and shapes must match (the same architecture, the same parameterization); a mismatch is an
 * error that lists what differs, and nothing is copied then.
 */
public final class ModelState {
    private final LinkedHashMap<String, Tensor> tensors;

    private ModelState(LinkedHashMap<String, Tensor> tensors) {
        this.tensors = tensors;
    }

    /** A deep copy of every parameter value and buffer of {@code model}, by state-dict name. */
    public static ModelState snapshot(Layer model) {
        LinkedHashMap<String, Tensor> copies = new LinkedHashMap<>();
        live(model).forEach((name, t) -> copies.put(name, t.copy()));
        return new ModelState(copies);
    }

    /** Copies this snapshot's values into {@code model}, which must have the same names and shapes. */
    public void restoreInto(Layer model) {
        copyInto(tensors, live(model), "snapshot", "model");
    }

    /** Copies every parameter value and buffer of {@code from} into {@code to} (same architecture); gradients are not copied. */
    public static void copy(Layer from, Layer to) {
        copyInto(live(from), live(to), "source model", "target model");
    }

    /** The tensors of this snapshot by name (unmodifiable; do not change them). */
    public Map<String, Tensor> tensors() {
        return java.util.Collections.unmodifiableMap(tensors);
    }

    /** The model's own parameter values and buffers, by name (not copies). */
    private static LinkedHashMap<String, Tensor> live(Layer model) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        ModelTree.namedParams(model).forEach((name, p) -> out.put(name, p.value()));
        out.putAll(ModelTree.namedBuffers(model));
        return out;
    }

    private static void copyInto(Map<String, Tensor> source, Map<String, Tensor> target, String sourceName, String targetName) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : source.entrySet()) {
            Tensor t = target.get(e.getKey());
            if (t == null) {
                problems.add("'" + e.getKey() + "' is missing from the " + targetName);
            } else if (!Arrays.equals(t.shape(), e.getValue().shape()) || t.dtype() != e.getValue().dtype()) {
                problems.add("'" + e.getKey() + "' is " + e.getValue().dtype() + Arrays.toString(e.getValue().shape())
                        + " in the " + sourceName + " but " + t.dtype() + Arrays.toString(t.shape()) + " in the " + targetName);
            }
        }
        for (String name : target.keySet()) {
            if (!source.containsKey(name)) {
                problems.add("'" + name + "' is missing from the " + sourceName);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("cannot copy parameters: the models differ (" + problems.size()
                    + " problem(s)): " + String.join("; ", problems.subList(0, Math.min(8, problems.size())))
                    + (problems.size() > 8 ? "; ..." : "") + ". Build both with the same architecture and parameterization"
                    + " (weight norm's NAME_g/NAME_v do not match a plain NAME)");
        }
        for (Map.Entry<String, Tensor> e : source.entrySet()) {
            target.get(e.getKey()).copyFrom(e.getValue());
        }
    }
}
