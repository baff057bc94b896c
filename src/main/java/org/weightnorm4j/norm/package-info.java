/**
 * The heart of weightnorm4j: how a linear layer gets its weights and how its output is
 * normalised, written to be read beside the paper (Salimans &amp; Kingma 2016, "Weight
 * Normalization: A Simple Reparameterization to Accelerate Training of Deep Neural Networks").
 *
 * <ul>
 *   <li>{@link org.weightnorm4j.norm.WeightNorm}: PyTorch's two verbs, {@code apply} and
 *       {@code remove}, on a layer or a whole model, over any {@code dim}; then Eq. 2
 *       ({@code w = g v/||v||}), Eq. 3 (the gradients of {@code g} and {@code v} from {@code ∇w L})
 *       and Eq. 4 (the projection {@code M_w}), in reference form, with the near-zero-norm policy.</li>
 *   <li>{@link org.weightnorm4j.norm.WeightNormWeights} and {@link org.weightnorm4j.nn.PlainWeights}:
 *       the two {@link org.weightnorm4j.nn.LinearWeights} a {@link org.weightnorm4j.nn.Dense} or
 *       {@link org.weightnorm4j.nn.Conv2d} is composed with; weight norm is fused (the layer
 *       multiplies by {@code v}, then scales by {@code g/||v||}).</li>
 *   <li>{@link org.weightnorm4j.norm.BatchNorm} and {@link org.weightnorm4j.norm.MeanOnlyBatchNorm} (§4).</li>
 *   <li>{@link org.weightnorm4j.norm.DataDependentInit} (§3), over the whole tree of a model.</li>
 *   <li>{@link org.weightnorm4j.norm.Parameterization}: {@code normal}, {@code bn}, {@code wn},
 *       {@code wn-mobn}, {@code mobn}; {@link org.weightnorm4j.norm.LinearUnit} builds the modules of
 *       one linear layer under each, as {@code shared/bench/torch_peer.py} does.</li>
 * </ul>
 *
 * <p>Typical use:
 * <pre>{@code
 * Sequential model = Models.preset("cnn").build(Parameterization.WN_MOBN, seed, DType.FLOAT32);
 * DataDependentInit.apply(model, initBatch, DataDependentInit.Options.paper(seed));
 * Sequential forInference = WeightNorm.remove(model);     // w = g v/||v||, the same outputs
 * }</pre>
 */
package org.weightnorm4j.norm;
