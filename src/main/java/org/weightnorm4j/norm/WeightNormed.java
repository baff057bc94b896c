package org.weightnorm4j.norm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.nn.LinearWeights;
import org.weightnorm4j.nn.ModelTree;
import org.weightnorm4j.nn.WeightedLayer;

/** Something parameterized by weight normalization that can report its {@link WeightNormStats}. */
public interface WeightNormed {

    /** Mean {@code ||v||}, mean {@code g}, mean {@code g/||v||} over the units, at the current parameters. */
    WeightNormStats weightNormStats();

    /**
     * A weight-normalized weight found in a model: the path of its layer ({@code "3"},
     * {@code "2.body.0"}), the layer, the weight's name ({@code "weight"}) and its parameterization.
     */
    record Found(String path, WeightedLayer layer, String name, WeightNormWeights weights) {
        /**
         * The key of this weight in the metrics log: the layer's path for a layer's one
         * {@code "weight"} (the PyTorch module index of the presets), else {@code path.name}.
         */
        public String key() {
            return WeightNorm.DEFAULT_NAME.equals(name) ? path : ModelTree.join(path, name);
        }

        /** The state-dict name of {@code v}, e.g. {@code "3.weight_v"}. */
        public String vName() {
            return ModelTree.join(path, name + "_v");
        }
    }

    /** Every weight-normalized weight in the whole tree of {@code model}, in tree order. */
    static List<Found> find(Layer model) {
        List<Found> out = new ArrayList<>();
        for (Map.Entry<String, Layer> e : ModelTree.leaves(model).entrySet()) {
            if (e.getValue() instanceof WeightedLayer weighted) {
                for (Map.Entry<String, LinearWeights> w : weighted.weightsByName().entrySet()) {
                    if (w.getValue() instanceof WeightNormWeights wn) {
                        out.add(new Found(e.getKey(), weighted, w.getKey(), wn));
                    }
                }
            }
        }
        return out;
    }

    /**
     * For the metrics log: the {@link WeightNormStats} of every weight-normalized weight of a model,
     * keyed by {@link Found#key()} (for the presets, the PyTorch module index {@code i} of
     * {@code "{i}.weight_v"}), in tree order.
     */
    static LinkedHashMap<String, WeightNormStats> statsByModule(Layer model) {
        LinkedHashMap<String, WeightNormStats> out = new LinkedHashMap<>();
        for (Found f : find(model)) {
            out.put(f.key(), f.weights().weightNormStats());
        }
        return out;
    }
}
