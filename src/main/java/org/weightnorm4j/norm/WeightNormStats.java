package org.weightnorm4j.norm;

/**
 * What the metrics log records per weight-normalized layer, averaged over its units:
 * {@code ||v||} (which grows under noisy gradients, §2.1 of the paper), {@code g} and the
 * effective scale {@code g/||v||}.
 */
public record WeightNormStats(double meanVNorm, double meanG, double meanScale) {
}
