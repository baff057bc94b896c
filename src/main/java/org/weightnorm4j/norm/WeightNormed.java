package org.weightnorm4j.norm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.nn.LinearLayer;
import org.weightnorm4j.nn.Sequential;

/** Something parameterized by weight normalization that can report its {@link WeightNormStats}. */
public interface WeightNormed {

    /** Mean {@code ||v||}, mean {@code g}, mean {@code g/||v||} over the units, at the current parameters. */
    WeightNormStats weightNormStats();

    /** A weight-normalized layer found in a list of layers, with its position. */
    record Found(int index, LinearLayer layer, WeightNormed weights) {
    }

    /** The weight-normalized linear layers among {@code layers}, in order, with their indices. */
    static List<Found> find(List<? extends Layer> layers) {
        List<Found> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof LinearLayer l && l.weights() instanceof WeightNormed wn) {
                out.add(new Found(i, l, wn));
            }
        }
        return out;
    }

    /**
     * For the metrics log: the {@link WeightNormStats} of every weight-normalized layer of a model,
     * keyed by its PyTorch module index (the {@code i} of {@code "{i}.weight_v"}), in order.
     */
    static LinkedHashMap<String, WeightNormStats> statsByModule(Sequential model) {
        LinkedHashMap<String, WeightNormStats> out = new LinkedHashMap<>();
        for (Found f : find(model.layers())) {
            out.put(Integer.toString(model.moduleIndex(f.index())), f.weights().weightNormStats());
        }
        return out;
    }
}
