/**
 * Layers with an explicit forward and backward pass, and the containers and loss around them.
 *
 * <p><b>Lifecycle of a layer</b> ({@link org.weightnorm4j.nn.Layer}): {@code forward(x, mode)}
 * computes the output and caches what backward needs; {@code backward(dy)} returns {@code dx} and
 * <em>accumulates</em> into every {@link org.weightnorm4j.nn.Param#grad()}; zeroing gradients is an
 * explicit step ({@link org.weightnorm4j.nn.Sequential#zeroGrad()}). Returned tensors belong to the
 * layer and are reused by the next call with the same shape. No autograd: every derivative sits
 * next to its forward, as in the paper.
 *
 * <p><b>Precision.</b> All math goes through {@link org.weightnorm4j.tensor.Kernels}, and every
 * buffer takes its input's element type, so the same network runs in float32 for training and,
 * built with float64 parameters and given a float64 input, entirely on the double-precision
 * reference kernels for finite-difference gradient checks.
 *
 * <p><b>What is here.</b> Linear layers {@link org.weightnorm4j.nn.Dense},
 * {@link org.weightnorm4j.nn.Conv2d} and {@link org.weightnorm4j.nn.ConvTranspose2d} (PyTorch's
 * layout, weight norm over dim 1), whose weights (plain or weight-normalized) come from the
 * {@code norm} package; {@link org.weightnorm4j.nn.MaxPool2d}, {@link org.weightnorm4j.nn.GlobalAvgPool},
 * {@link org.weightnorm4j.nn.Flatten}, {@link org.weightnorm4j.nn.Unflatten}, {@link org.weightnorm4j.nn.Dropout},
 * {@link org.weightnorm4j.nn.GaussianNoise} (the paper's input noise),
 * {@link org.weightnorm4j.nn.GaussianLatent} (a VAE's reparameterized latent, {@code z = μ + σ ⊙ ε}),
 * {@link org.weightnorm4j.nn.ActivationLayer} (ReLU, LeakyReLU, ELU, softplus, tanh, sigmoid);
 * {@link org.weightnorm4j.nn.PlainWeights}, the standard parameterization; and
 * {@link org.weightnorm4j.nn.SoftmaxCrossEntropy}.
 *
 * <p><b>A model is a tree.</b> A {@link org.weightnorm4j.nn.Container} holds layers:
 * {@link org.weightnorm4j.nn.Sequential}, whose state-dict names follow PyTorch's
 * {@code nn.Sequential}, and {@link org.weightnorm4j.nn.Residual} ({@code y = x + f(x)}), or your
 * own. {@link org.weightnorm4j.nn.ModelTree} walks any tree: parameter and buffer names
 * ({@code "3.body.0.weight_v"}), random layers, a forward pass with a hook on every leaf.
 * {@link org.weightnorm4j.nn.WeightedLayer} is a layer whose named weights can be re-parameterized
 * (what {@code WeightNorm.apply} changes). {@link org.weightnorm4j.nn.ModelState} copies or
 * snapshots every parameter and buffer of a model in memory (a target network, a rollback).
 *
 * <p>{@link org.weightnorm4j.nn.Buffers} is internal: not part of the public API.
 *
 * <p><b>Randomness</b> (dropout masks, noise, latent samples) is reproducible and resumable: a layer's training
 * call {@code k} draws from a stream fixed by its seed and {@code k}
 * ({@link org.weightnorm4j.nn.RandomStreams}); the counter {@code k} is the only state a checkpoint
 * saves ({@link org.weightnorm4j.nn.RandomState}, {@link org.weightnorm4j.nn.Sequential#namedRandomStates()}).
 */
package org.weightnorm4j.nn;
