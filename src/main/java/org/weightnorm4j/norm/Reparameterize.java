package org.weightnorm4j.norm;

import java.util.LinkedHashMap;
import java.util.Map;
import org.weightnorm4j.nn.PlainWeights;
import org.weightnorm4j.nn.Container;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.nn.LinearWeights;
import org.weightnorm4j.nn.ModelTree;
import org.weightnorm4j.nn.WeightedLayer;
import org.weightnorm4j.tensor.Tensor;

/**
 * The work behind {@link WeightNorm#apply} and {@link WeightNorm#remove}: one weight of one layer
 * re-parameterized, then the same over a whole tree of layers.
 * <ul>
 *   <li>apply: {@code v = w}, {@code g = ||w||} per unit of {@code dim}, so {@code g v/||v|| = w} (Eq. 2);</li>
 *   <li>remove: {@code w = g v/||v||} (Eq. 2).</li>
 * </ul>
 * The bias is copied with the weight; nothing of the original layer is modified.
 */
final class Reparameterize {
    private Reparameterize() {
    }

    static <L extends Layer> L applyWeightNorm(L layer, String name, int dim) {
        return rewrite(layer, name, "apply weight norm to", true, w -> {
            if (w instanceof WeightNormWeights) {
                return null;                                          // already in that form
            }
            if (!(w instanceof PlainWeights plain)) {
                throw new IllegalArgumentException("weight '" + name + "' is parameterized as " + w.kind()
                        + "; weight norm applies to plain weights");
            }
            Tensor v = plain.weight().value().copy();                 // v = w
            Tensor g = v.zerosLike(WeightNorm.gShape(v.shape(), dim));
            double[] n = WeightNorm.norms(v, dim, "weight '" + name + "'");
            for (int u = 0; u < n.length; u++) {
                g.set(u, n[u]);                                       // g = ||w||, so g v/||v|| = w
            }
            return new WeightNormWeights(name, g, v, copyBias(plain), dim);
        });
    }

    static <L extends Layer> L removeWeightNorm(L layer, String name) {
        return rewrite(layer, name, "remove weight norm from", false, w -> {
            if (!(w instanceof WeightNormWeights wn)) {
                return null;                                          // already plain
            }
            Tensor weight = WeightNorm.weight(wn.g().value(), wn.v().value(), wn.dim(), "weight '" + name + "'"); // Eq. 2
            return new PlainWeights(name, weight, copyBias(wn));
        });
    }

    /** New weights for one weight, or null when it is already in the requested form. */
    private interface Rewrite {
        LinearWeights apply(LinearWeights current);
    }

    /**
     * On a leaf: rewrites its weight {@code name} (an error if it has none, or if it is already in
     * the requested form). On a container: rewrites every leaf with a weight of that name not yet in
     * that form (an error if the tree has none at all).
     */
    @SuppressWarnings("unchecked")
    private static <L extends Layer> L rewrite(L layer, String name, String verb, boolean toWeightNorm, Rewrite rewrite) {
        if (!(layer instanceof Container)) {
            LinearWeights current = weightOf(layer, name, verb);
            LinearWeights replaced = rewrite.apply(current);
            if (replaced == null) {
                throw new IllegalArgumentException("cannot " + verb + " " + layer.describe() + ": its weight '" + name
                        + "' is " + (toWeightNorm ? "already weight-normalized (" + name + "_g, " + name + "_v)" : "not weight-normalized"));
            }
            return (L) ((WeightedLayer) layer).withWeights(name, replaced);
        }
        int[] changed = {0};
        int[] found = {0};
        Layer result = ModelTree.mapLeaves(layer, leaf -> {
            if (!(leaf instanceof WeightedLayer weighted) || !weighted.weightsByName().containsKey(name)) {
                return leaf;
            }
            found[0]++;
            LinearWeights replaced = rewrite.apply(weighted.weightsByName().get(name));
            if (replaced == null) {
                return leaf;
            }
            changed[0]++;
            return weighted.withWeights(name, replaced);
        });
        if (found[0] == 0) {
            throw new IllegalArgumentException("cannot " + verb + " the model: none of its layers has a weight called '"
                    + name + "'" + namesHint(layer));
        }
        return (L) result;
    }

    private static LinearWeights weightOf(Layer layer, String name, String verb) {
        if (!(layer instanceof WeightedLayer weighted)) {
            throw new IllegalArgumentException("cannot " + verb + " " + layer.describe() + ": it has no weights");
        }
        LinearWeights w = weighted.weightsByName().get(name);
        if (w == null) {
            throw new IllegalArgumentException("cannot " + verb + " " + layer.describe() + ": it has no weight called '"
                    + name + "'; its weights are " + weighted.weightsByName().keySet());
        }
        return w;
    }

    private static String namesHint(Layer model) {
        Map<String, Boolean> names = new LinkedHashMap<>();
        for (Layer leaf : ModelTree.leaves(model).values()) {
            if (leaf instanceof WeightedLayer weighted) {
                weighted.weightsByName().keySet().forEach(n -> names.put(n, true));
            }
        }
        return names.isEmpty() ? "" : "; its weights are called " + names.keySet();
    }

    private static Tensor copyBias(LinearWeights weights) {
        return weights.bias() == null ? null : weights.bias().value().copy();
    }
}
