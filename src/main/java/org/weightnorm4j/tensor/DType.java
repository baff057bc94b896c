package org.weightnorm4j.tensor;

/**
 * Element type of a {@link Tensor}.
 *
 * <p>{@link #FLOAT32} is what training uses. {@link #FLOAT64} exists for one job: running the very
 * same layers through the double-precision reference kernels, so that gradient checks against
 * finite differences are not drowned in float32 rounding.
 */
public enum DType {
    FLOAT32,
    FLOAT64
}
