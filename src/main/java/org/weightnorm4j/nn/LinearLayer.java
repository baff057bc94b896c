package org.weightnorm4j.nn;

/**
 * A layer whose output is a linear map of its input ({@link Dense}, {@link Conv2d}), composed
 * with a {@link LinearWeights} that says how the weights are parameterized.
 */
public interface LinearLayer extends Layer {

    /** The parameterization this layer was built with. */
    LinearWeights weights();

    /** The same layer geometry with other weights (used to fold weight norm into plain weights and back). */
    LinearLayer withWeights(LinearWeights weights);
}
