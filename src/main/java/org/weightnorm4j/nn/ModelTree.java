package org.weightnorm4j.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.weightnorm4j.tensor.Tensor;

/**
 * Walks a model's tree of layers ({@link Container}s down to leaf layers): the one place that
 * knows how names nest, so that everything that looks for parameters, buffers, random layers or
 * weight-normed weights reaches a layer however deep it sits.
 *
 * <p>Paths are the names of {@link Container#children()} joined by dots, as PyTorch's
 * {@code named_modules()} writes them: {@code "3"}, {@code "2.body.0"}; the root's path is
 * {@code ""}. A parameter's or buffer's name is its layer's path, a dot, and its local name
 * ({@code "2.body.0.weight_v"}), which is the PyTorch state-dict name.
 */
public final class ModelTree {
    private ModelTree() {
    }

    /** {@code prefix.name}, or {@code name} at the root. */
    public static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    /** Every layer that is not a {@link Container}, by path, in the order of the tree (the root itself if it is a leaf). */
    public static LinkedHashMap<String, Layer> leaves(Layer root) {
        LinkedHashMap<String, Layer> out = new LinkedHashMap<>();
        collectLeaves("", root, out);
        return out;
    }

    private static void collectLeaves(String path, Layer layer, Map<String, Layer> out) {
        if (layer instanceof Container c) {
            for (Map.Entry<String, Layer> e : c.children().entrySet()) {
                collectLeaves(join(path, e.getKey()), e.getValue(), out);
            }
        } else {
            out.put(path, layer);
        }
    }

    /** Every trainable parameter under its state-dict name ({@code "2.body.0.weight_v"}), in tree order. */
    public static LinkedHashMap<String, Param> namedParams(Layer root) {
        LinkedHashMap<String, Param> out = new LinkedHashMap<>();
        for (Map.Entry<String, Layer> e : leaves(root).entrySet()) {
            for (Param p : e.getValue().params()) {
                if (out.put(join(e.getKey(), p.name()), p) != null) {
                    throw new IllegalArgumentException(e.getValue().describe() + " at '" + e.getKey()
                            + "' has two parameters named '" + p.name() + "'; local names must be unique within a layer");
                }
            }
        }
        return out;
    }

    /** The number of trainable scalars in the whole tree. */
    public static long parameterCount(Layer root) {
        long n = 0;
        for (Param p : root.params()) {
            n += p.value().size();
        }
        return n;
    }

    /** Every non-trainable tensor saved in checkpoints ({@code "3.running_mean"}), in tree order. */
    public static LinkedHashMap<String, Tensor> namedBuffers(Layer root) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Layer> e : leaves(root).entrySet()) {
            for (Map.Entry<String, Tensor> b : e.getValue().buffers().entrySet()) {
                out.put(join(e.getKey(), b.getKey()), b.getValue());
            }
        }
        return out;
    }

    /** The layers that draw random numbers, by path: what a checkpoint saves to resume their streams. */
    public static LinkedHashMap<String, RandomState> namedRandomStates(Layer root) {
        LinkedHashMap<String, RandomState> out = new LinkedHashMap<>();
        for (Map.Entry<String, Layer> e : leaves(root).entrySet()) {
            if (e.getValue() instanceof RandomState random) {
                out.put(e.getKey(), random);
            }
        }
        return out;
    }

    /**
     * Gives every random layer of the tree its own seed, derived from {@code seed} and its path
     * (one {@link RandomStreams#derive} per level, from the child's module index, or from its name
     * where the name is not a number), so that no two layers draw the same stream.
     */
    public static void seedRandomLayers(Layer root, long seed) {
        if (root instanceof Container c) {
            for (Map.Entry<String, Layer> e : c.children().entrySet()) {
                seedRandomLayers(e.getValue(), RandomStreams.derive(seed, childIndex(e.getKey())));
            }
        } else if (root instanceof RandomState random) {
            random.setRandomSeed(seed);
        }
    }

    private static long childIndex(String name) {
        try {
            return Long.parseLong(name);
        } catch (NumberFormatException e) {
            return name.hashCode();                          // String.hashCode is specified, so stable across runs
        }
    }

    /** The tree rebuilt with every leaf {@code l} replaced by {@code f.apply(l)} (containers rebuilt around them). */
    public static Layer mapLeaves(Layer root, UnaryOperator<Layer> f) {
        if (root instanceof Container c) {
            return c.mapChildren(child -> mapLeaves(child, f));
        }
        return f.apply(root);
    }

    /** Runs one leaf inside {@link #forwardLeaves}. */
    @FunctionalInterface
    public interface LeafForward {
        /** Runs {@code leaf} (at {@code path}) on {@code input}; returns its output. */
        Tensor forward(String path, Layer leaf, Tensor input);
    }

    /**
     * The model's forward pass with every leaf's forward made by {@code hook} (see
     * {@link Container#forwardThrough}): how data-dependent initialisation sees each layer's input.
     */
    public static Tensor forwardLeaves(Layer root, Tensor x, Mode mode, LeafForward hook) {
        return forwardLeaves("", root, x, mode, hook);
    }

    private static Tensor forwardLeaves(String path, Layer layer, Tensor x, Mode mode, LeafForward hook) {
        if (layer instanceof Container c) {
            return c.forwardThrough(x, mode, (name, child, input) -> forwardLeaves(join(path, name), child, input, mode, hook));
        }
        return hook.forward(path, layer, x);
    }
}
