package org.weightnorm4j.nn;

import java.util.LinkedHashMap;
import java.util.function.UnaryOperator;
import org.weightnorm4j.tensor.Tensor;

/**
 * A layer made of layers: {@link Sequential}, {@link Residual}, or a user's own block. A model is a
 * tree of layers, and every tool that looks for parameters, buffers, random layers or weight-normed
 * weights walks the whole tree through this interface ({@link ModelTree}).
 *
 * <p>The contract:
 * <ul>
 *   <li>{@link #children()} names the layers it holds, as PyTorch names a module's sub-modules
 *       ({@code "0"}, {@code "1"}, ... in a {@code Sequential}; {@code "body"}, {@code "shortcut"} in
 *       a residual block). State-dict names are the paths of those names: {@code "2.body.0.weight_v"}.</li>
 *   <li>A container has no parameters or buffers of its own: its {@link #params()} are all of its
 *       children's, in the order of {@link #children()}.</li>
 *   <li>{@link #forwardThrough} computes what {@link #forward} computes, but hands each child's
 *       forward pass to a hook, so that a tool can see or change every inner layer as the data flows
 *       (data-dependent initialisation, finding the first layer with a non-finite output).</li>
 *   <li>{@link #mapChildren} rebuilds the container with other children, of the same class
 *       (what {@code WeightNorm.apply} and {@code remove} do to a whole model).</li>
 * </ul>
 */
public interface Container extends Layer {

    /** The layers held, by name, in the order their parameters are listed (unmodifiable or a copy). */
    LinkedHashMap<String, Layer> children();

    /** How a container runs one of its children inside {@link #forwardThrough}. */
    @FunctionalInterface
    interface ChildForward {
        /** Runs {@code child} (named {@code name} in its container) on {@code input}; returns its output. */
        Tensor forward(String name, Layer child, Tensor input);
    }

    /**
     * The forward pass with every child's forward made through {@code hook}: the same result as
     * {@link #forward} when the hook just calls {@code child.forward(input, mode)}, except that
     * layer pairs a container may fuse for speed run one by one (the same values, bit for bit).
     */
    Tensor forwardThrough(Tensor x, Mode mode, ChildForward hook);

    /**
     * A container of the same class and structure whose child {@code c} is {@code f.apply(c)}.
     * Children that {@code f} returns unchanged are shared, not copied.
     */
    Container mapChildren(UnaryOperator<Layer> f);
}
