/**
 * The paper's experiments, each a function from a {@link org.weightnorm4j.experiments.Workload}
 * (model spec and data splits) and settings to a result, a CSV/JSON record and an HTML report:
 * {@link org.weightnorm4j.experiments.CompareExperiment} (parameterizations side by side, the
 * paper's Figure 1), {@link org.weightnorm4j.experiments.LrSweep} (final loss against learning
 * rate), {@link org.weightnorm4j.experiments.NoiseExperiment} (why noisy gradients shrink the
 * effective learning rate, §2.1: {@code ||v||} per step at several batch sizes) and
 * {@link org.weightnorm4j.experiments.Explain} (the derivation of weight normalization checked on
 * one random dense layer in double precision). docs/EXPERIMENTS.md has the results.
 *
 * <p>Depends on {@code model} and {@code train} (and through it on {@code tensor} to {@code data})
 * to train, and on {@code report} for charts and pages; the {@code cli} commands are thin
 * wrappers around it.
 * Taking a workload instead of names lets tests run every experiment on a tiny synthetic task.
 */
package org.weightnorm4j.experiments;
