package org.weightnorm4j.nn;

import java.util.Arrays;
import java.util.LinkedHashMap;

/**
 * A layer whose output is a linear map of its input ({@link Dense}, {@link Conv2d}), composed
 * with a {@link LinearWeights} that says how its one weight, {@code "weight"}, is parameterized.
 */
public interface LinearLayer extends WeightedLayer {

    /** The parameterization this layer was built with. */
    LinearWeights weights();

    /** The same layer geometry with other weights (what weight norm's two verbs use). */
    LinearLayer withWeights(LinearWeights weights);

    @Override
    default LinkedHashMap<String, LinearWeights> weightsByName() {
        LinkedHashMap<String, LinearWeights> out = new LinkedHashMap<>();
        out.put("weight", weights());
        return out;
    }

    @Override
    default LinearLayer withWeights(String name, LinearWeights weights) {
        if (!"weight".equals(name)) {
            throw new IllegalArgumentException(describe() + " has one weight, 'weight', not '" + name + "'");
        }
        if (!Arrays.equals(weights.shape(), weights().shape())) {
            throw new IllegalArgumentException(describe() + ": new weights " + Arrays.toString(weights.shape())
                    + " do not match " + Arrays.toString(weights().shape()));
        }
        return withWeights(weights);
    }
}
