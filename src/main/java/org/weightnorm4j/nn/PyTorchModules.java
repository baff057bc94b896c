package org.weightnorm4j.nn;

/**
 * Implemented by a layer that stands for more than one module of the equivalent PyTorch
 * {@code nn.Sequential}, so that {@link Sequential} numbers the following layers as PyTorch does.
 *
 * <p>Example: {@link GlobalAvgPool} is PyTorch's {@code AdaptiveAvgPool2d(1)} followed by
 * {@code Flatten()}, two modules; a dense layer after it has state-dict index {@code i + 2}.
 * A layer without this interface counts as one module.
 */
public interface PyTorchModules {

    /** How many consecutive modules of the PyTorch {@code nn.Sequential} this layer replaces (at least 1). */
    int pyTorchModuleCount();
}
