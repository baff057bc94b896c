/**
 * Model descriptions: {@link org.weightnorm4j.model.ModelSpec} (an immutable, validated list of
 * layer specs with an input shape, readable and writable as the JSON of {@code docs/MODEL_SPEC.md})
 * and the presets of {@link org.weightnorm4j.model.Models}. Building a spec under a
 * {@link org.weightnorm4j.norm.Parameterization} gives a {@link org.weightnorm4j.nn.Sequential}
 * whose state-dict names match the equivalent PyTorch model.
 *
 * <p>This package sits after {@code nn} and {@code norm} (it uses both), and before
 * {@code optim}/{@code train}.
 */
package org.weightnorm4j.model;
