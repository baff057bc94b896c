package org.weightnorm4j.nn;

import java.util.LinkedHashMap;

/**
 * A layer that multiplies by one or more named weights, each produced by a {@link LinearWeights}
 * (plain, or weight-normalized): {@link Dense} and {@link Conv2d} have one, {@code "weight"}; a
 * recurrent layer has {@code "weight_ih_l0"} and {@code "weight_hh_l0"}. This is what
 * {@code WeightNorm.apply} and {@code WeightNorm.remove} change, and what the tools that look for
 * weight-normed weights find.
 */
public interface WeightedLayer extends Layer {

    /** Each weight under its PyTorch name (before any {@code _g}/{@code _v}), with its parameterization. */
    LinkedHashMap<String, LinearWeights> weightsByName();

    /**
     * The same layer with the weight called {@code name} produced by {@code weights} (of the same
     * shape); the other weights are shared.
     *
     * @throws IllegalArgumentException if the layer has no weight of that name, or the shapes differ
     */
    WeightedLayer withWeights(String name, LinearWeights weights);
}
