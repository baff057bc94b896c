/**
 * The pieces of the paper's §5.2 variational auto-encoder that are not ordinary layers: the
 * Bernoulli likelihood of binarized pixels on logits ({@link org.weightnorm4j.generative.BernoulliLogits}),
 * the analytic KL of a diagonal Gaussian to {@code N(0, I)} ({@link org.weightnorm4j.generative.GaussianKl}),
 * the encoder–latent–decoder container ({@link org.weightnorm4j.generative.Vae}) and the ELBO as a
 * training objective ({@link org.weightnorm4j.generative.ElboObjective}). The reparameterized
 * latent itself is a layer, {@link org.weightnorm4j.nn.GaussianLatent}; the transposed convolution
 * of the decoder is {@link org.weightnorm4j.nn.ConvTranspose2d}.
 *
 * <p>Everything is in nats per image: sums over the pixels and latent dimensions of one example,
 * never means.
 */
package org.weightnorm4j.generative;
