package org.weightnorm4j.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.weightnorm4j.tensor.Tensor;

/**
 * An ordered list of layers that is itself a {@link Layer}: forward runs them first to last,
 * backward last to first.
 *
 * <p><b>Names.</b> {@link #namedParams()} and {@link #namedBuffers()} use PyTorch's state-dict
 * names {@code "{i}.{local}"}, where {@code i} counts <em>every</em> module of the equivalent
 * {@code torch.nn.Sequential}, activations and dropout included. For the MLP
 * {@code [Flatten, Linear, ReLU, Linear, ReLU, Linear]} the first dense weight is {@code "1.weight"}.
 * A layer that replaces several PyTorch modules (see {@link PyTorchModules}) advances the index by
 * that many; a nested container contributes names {@code "{i}.{path}.{local}"} ({@link ModelTree}).
 *
 * <p>Build one with the fluent builder:
 * <pre>{@code
 * Sequential mlp = Sequential.builder()
 *         .add(new Flatten())
 *         .add(dense1).add(ActivationLayer.relu())
 *         .add(dense2)
 *         .seed(42)          // seeds dropout and noise layers, one stream per module index (default 0)
 *         .build();
 * }</pre>
 */
public final class Sequential implements Container {
    private final List<Layer> layers;
    /** PyTorch module index of each layer (the first module it stands for). */
    private final int[] indices;
    /** Every parameter in the order of {@link #namedParams()}, collected once (see {@link #params()}). */
    private final List<Param> params;
    /** Index of the first layer with parameters ({@code layers.size()} if none), where training backward stops. */
    private final int firstTrainable;
    /**
     * {@code fusedSlope[k]}: the slope of the ReLU (0) or leaky ReLU that layer {@code k + 1} applies
     * when layer {@code k} runs the two as one ({@link LeakyReluFusable}); NaN where it does not.
     */
    private final double[] fusedSlope;

    /**
     * A sequential of the given layers, in order. Random layers keep the seeds they were built
     * with (the {@link #builder()} instead derives them from one model seed).
     */
    public Sequential(List<? extends Layer> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a Sequential needs at least one layer");
        }
        this.layers = List.copyOf(layers);
        this.indices = new int[this.layers.size()];
        int next = 0;
        for (int k = 0; k < indices.length; k++) {
            indices[k] = next;
            next += moduleCount(this.layers.get(k));
        }
        checkUniqueNames();
        this.params = List.copyOf(namedParams().values());
        int first = 0;
        while (first < this.layers.size() && this.layers.get(first).params().isEmpty()) {
            first++;
        }
        this.firstTrainable = first;
        this.fusedSlope = fusedPairs(this.layers);
    }

    /**
     * Where a {@link LeakyReluFusable} layer is followed by a ReLU or a leaky ReLU with a slope ≥ 0,
     * the slope of that activation at the first layer's index; NaN elsewhere. The pair then runs as
     * one step (mean-only batch norm and its activation: two passes over memory instead of three
     * forward and backward, with the same bits).
     */
    private static double[] fusedPairs(List<Layer> layers) {
        double[] slopes = new double[layers.size()];
        java.util.Arrays.fill(slopes, Double.NaN);
        for (int k = 0; k + 1 < layers.size(); k++) {
            if (layers.get(k) instanceof LeakyReluFusable && layers.get(k + 1) instanceof ActivationLayer activation
                    && activation.leakyReluSlope().isPresent()) {
                slopes[k] = activation.leakyReluSlope().getAsDouble();
                k++;
            }
        }
        return slopes;
    }

    /** Whether layer {@code k} runs together with the activation after it. */
    private boolean fusedWithNext(int k) {
        return k >= 0 && !Double.isNaN(fusedSlope[k]);
    }

    /** Starts a fluent builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The layers, in order (unmodifiable). */
    public List<Layer> layers() {
        return layers;
    }

    /** The PyTorch module index of layer number {@code k} of {@link #layers()}. */
    public int moduleIndex(int k) {
        return indices[k];
    }

    /** Runs the layers first to last; a fused pair (see {@link LeakyReluFusable}) as one step. */
    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor h = x;
        for (int k = 0; k < layers.size(); k++) {
            if (fusedWithNext(k)) {
                h = ((LeakyReluFusable) layers.get(k)).forwardLeakyRelu(h, mode, fusedSlope[k]);
                k++;
            } else {
                h = layers.get(k).forward(h, mode);
            }
        }
        return h;
    }

    @Override
    public Tensor backward(Tensor dy) {
        return backwardDownTo(-1, dy);
    }

    /** Runs the backward of the layers after layer {@code stop}, last to first, a fused pair as one step. */
    private Tensor backwardDownTo(int stop, Tensor dy) {
        Tensor g = dy;
        int k = layers.size() - 1;
        while (k > stop) {
            if (fusedWithNext(k - 1)) {
                g = ((LeakyReluFusable) layers.get(k - 1)).backwardLeakyRelu(g);
                k -= 2;
            } else {
                g = layers.get(k).backward(g);
                k--;
            }
        }
        return g;
    }

    /**
     * The gradient at the output of layer 0: the backward of every layer after it, last to first,
     * without layer 0's own (for a {@link Residual} that runs its body's first layer's backward
     * fused with the shortcut's sum). Refused when layer 0 runs fused with the next one.
     */
    Tensor backwardAfterFirst(Tensor dy) {
        if (fusedWithNext(0)) {
            throw new IllegalStateException("layer 0 of " + describe() + " runs fused with layer 1: its output has no gradient of its own");
        }
        return backwardDownTo(0, dy);
    }

    /** Whether {@link #backwardAfterFirst} is allowed: layer 0 does not run fused with layer 1. */
    boolean firstRunsAlone() {
        return !fusedWithNext(0);
    }

    /**
     * Backward for training: like {@link #backward}, but the first layer with parameters only
     * accumulates its parameter gradients ({@link Layer#backwardParamsOnly}) and the layers before
     * it are skipped, since the gradient with respect to the data is never used (PyTorch does not
     * compute it either). Parameter gradients are the same, bit for bit, as after {@link #backward}.
     */
    @Override
    public void backwardParamsOnly(Tensor dy) {
        int first = firstTrainable;
        if (fusedWithNext(first)) {
            backwardDownTo(first - 1, dy);     // a fused pair runs whole, and also computes the unused ∂L/∂x
            return;
        }
        Tensor g = backwardDownTo(first, dy);
        if (first < layers.size()) {
            layers.get(first).backwardParamsOnly(g);
        }
    }

    /**
     * Every trainable parameter, layer by layer, in the order of {@link #namedParams()}
     * (unmodifiable). The list is collected once, when this Sequential is built, so that the
     * per-step {@link #zeroGrad()} allocates nothing: a layer must keep the same {@link Param}
     * objects for its lifetime (every layer of this library holds them in final fields; training
     * changes their values, never the objects).
     */
    @Override
    public List<Param> params() {
        return params;
    }

    /** Same as {@link #namedBuffers()}. */
    @Override
    public Map<String, Tensor> buffers() {
        return namedBuffers();
    }

    /** Parameters under their PyTorch state-dict names, e.g. {@code "1.weight_v"}, in layer order ({@link ModelTree#namedParams}). */
    public LinkedHashMap<String, Param> namedParams() {
        return ModelTree.namedParams(this);
    }

    /** Non-trainable state under PyTorch state-dict names, e.g. {@code "2.running_mean"}, in layer order. */
    public LinkedHashMap<String, Tensor> namedBuffers() {
        return ModelTree.namedBuffers(this);
    }

    /**
     * The layers that draw random numbers, keyed by module index path (e.g. {@code "5"}, or
     * {@code "2.1"} inside a nested container): what a checkpoint saves to resume their streams.
     */
    public LinkedHashMap<String, RandomState> namedRandomStates() {
        return ModelTree.namedRandomStates(this);
    }

    /**
     * Gives every random layer its own seed derived from {@code seed} and its module index path,
     * so that two dropout layers never draw the same masks.
     */
    public void seedRandomLayers(long seed) {
        ModelTree.seedRandomLayers(this, seed);
    }

    /** The layers by PyTorch module index ({@code "0"}, {@code "1"}, ...; a multi-module layer under its first). */
    @Override
    public LinkedHashMap<String, Layer> children() {
        LinkedHashMap<String, Layer> out = new LinkedHashMap<>();
        for (int k = 0; k < layers.size(); k++) {
            out.put(Integer.toString(indices[k]), layers.get(k));
        }
        return out;
    }

    /** The layers one by one through {@code hook} (a fused pair as its two layers: the same bits). */
    @Override
    public Tensor forwardThrough(Tensor x, Mode mode, ChildForward hook) {
        Tensor h = x;
        for (int k = 0; k < layers.size(); k++) {
            h = hook.forward(Integer.toString(indices[k]), layers.get(k), h);
        }
        return h;
    }

    /** A Sequential of {@code f} applied to each layer; random layers keep their seeds (they are shared when unchanged). */
    @Override
    public Sequential mapChildren(java.util.function.UnaryOperator<Layer> f) {
        List<Layer> mapped = new ArrayList<>(layers.size());
        for (Layer layer : layers) {
            mapped.add(f.apply(layer));
        }
        return new Sequential(mapped);
    }

    /** Sets every parameter gradient to zero (the explicit step before each backward of a new minibatch). */
    public void zeroGrad() {
        for (int i = 0; i < params.size(); i++) {
            params.get(i).zeroGrad();
        }
    }

    /** Total number of trainable scalars. */
    public long parameterCount() {
        long n = 0;
        for (Param p : params) {
            n += p.value().size();
        }
        return n;
    }

    /**
     * A multi-line summary, one line per layer with its PyTorch index and parameter count, then the
     * total. (Unlike leaf layers, whose description is one line.)
     */
    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Sequential (%d layers, %,d parameters)", layers.size(), parameterCount()));
        for (int k = 0; k < layers.size(); k++) {
            Layer layer = layers.get(k);
            long count = 0;
            for (Param p : layer.params()) {
                count += p.value().size();
            }
            String text = layer.describe().replace("\n", "\n      ");
            sb.append(String.format(Locale.ROOT, "%n  (%d) %-44s %,12d", indices[k], text, count));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return describe();
    }

    private static int moduleCount(Layer layer) {
        if (layer instanceof PyTorchModules m) {
            if (m.pyTorchModuleCount() < 1) {
                throw new IllegalArgumentException(layer.describe() + " claims " + m.pyTorchModuleCount()
                        + " PyTorch modules; a layer stands for at least one");
            }
            return m.pyTorchModuleCount();
        }
        return 1;
    }

    private void checkUniqueNames() {
        for (Layer layer : layers) {
            if (layer instanceof Container) {
                continue; // checked when it was built
            }
            Set<String> seen = new HashSet<>();
            for (Param p : layer.params()) {
                if (!seen.add(p.name())) {
                    throw new IllegalArgumentException(layer.describe() + " has two parameters named '" + p.name()
                            + "'; local parameter names must be unique within a layer");
                }
            }
        }
    }

    /** Fluent construction: {@code Sequential.builder().add(a).add(b).seed(7).build()}. */
    public static final class Builder {
        private final List<Layer> layers = new ArrayList<>();
        private long seed;

        private Builder() {
        }

        /** Appends a layer. */
        public Builder add(Layer layer) {
            if (layer == null) {
                throw new IllegalArgumentException("cannot add a null layer (position " + layers.size() + ")");
            }
            layers.add(layer);
            return this;
        }

        /** Appends several layers, in order. */
        public Builder addAll(Layer... more) {
            for (Layer layer : more) {
                add(layer);
            }
            return this;
        }

        /** Appends several layers, in order. */
        public Builder addAll(List<? extends Layer> more) {
            for (Layer layer : more) {
                add(layer);
            }
            return this;
        }

        /**
         * The model seed (default 0). When the model is built, every random layer (dropout, noise)
         * gets a seed derived from this one and its module index, replacing the seed it was
         * constructed with, so that no two layers of a model share a random stream.
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The layers added so far (unmodifiable view). */
        public List<Layer> layers() {
            return Collections.unmodifiableList(layers);
        }

        public Sequential build() {
            Sequential model = new Sequential(layers);
            model.seedRandomLayers(seed);
            return model;
        }
    }
}
