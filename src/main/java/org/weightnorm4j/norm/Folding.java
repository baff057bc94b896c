package org.weightnorm4j.norm;

import org.weightnorm4j.nn.LinearLayer;
import org.weightnorm4j.nn.LinearWeights;
import org.weightnorm4j.tensor.Tensor;

/**
 * Turns a weight-normalized layer into a plain one for inference and back, leaving its output
 * unchanged (PyTorch's {@code remove_weight_norm} / {@code weight_norm}).
 * <ul>
 *   <li>fold: {@code w = g v/||v||} (Eq. 2), bias kept;</li>
 *   <li>unfold: {@code g = ||w||}, {@code v = w} per unit, bias kept.</li>
 * </ul>
 * New tensors are allocated; the original layer is not modified.
 */
public final class Folding {
    private Folding() {
    }

    /** A plain copy of a weight-normalized layer. */
    public static LinearLayer fold(LinearLayer layer) {
        if (!(layer.weights() instanceof WeightNormWeights wn)) {
            throw new IllegalArgumentException("fold: " + layer.describe() + " is not weight-normalized");
        }
        Tensor w = WeightNorm.weight(wn.g().value(), wn.v().value(), wn.scope(), layer.describe()); // Eq. 2
        return layer.withWeights(new PlainWeights(w, copyBias(wn)));
    }

    /** A weight-normalized copy ({@code g = ||w||}, {@code v = w}) of a plain layer. */
    public static LinearLayer unfold(LinearLayer layer, WeightNorm.Scope scope) {
        if (!(layer.weights() instanceof PlainWeights plain)) {
            throw new IllegalArgumentException("unfold: " + layer.describe() + " does not have plain weights");
        }
        Tensor v = plain.weight().value().copy();
        double[] n = WeightNorm.norms(v, scope, layer.describe());
        Tensor g = v.zerosLike(WeightNormWeights.gShape(v.shape(), scope));
        for (int u = 0; u < n.length; u++) {
            g.set(u, n[u]);                                                 // g = ||w||
        }
        return layer.withWeights(new WeightNormWeights(g, v, copyBias(plain), scope));
    }

    private static Tensor copyBias(LinearWeights weights) {
        return weights.bias() == null ? null : weights.bias().value().copy();
    }
}
