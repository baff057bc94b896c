package org.weightnorm4j.norm;

import java.util.List;
import java.util.SplittableRandom;
import org.weightnorm4j.nn.ConvTranspose2d;
import org.weightnorm4j.nn.Initializers;
import org.weightnorm4j.nn.Container;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.nn.LinearLayer;
import org.weightnorm4j.nn.ModelTree;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Tensor;

/**
 * Data-dependent initialisation of weight-normalized layers (§3 of the paper).
 *
 * <p>For each weight-normalized layer, in order: draw {@code v ~ N(0, vStd²)} (the paper: 0.05),
 * run the init batch through the network up to that layer, compute per unit
 * {@code t = v·x/||v||}, and set
 * <pre>
 *   g ← s/σ[t],   b ← −μ[t]·s/σ[t]
 * </pre>
 * where {@code μ[t]}, {@code σ[t]} are the mean and standard deviation of {@code t} over the
 * batch (and space, for a convolution or a transposed convolution: the positions of its output) and
 * {@code s} is the {@code init_scale} of the authors'
 * code (default 1). The layer's pre-activations {@code y = g t + b} then have mean 0 and standard
 * deviation {@code s} on the init batch. A layer without bias (before a mean-only batch norm)
 * gets only {@code g}. A transposed convolution ({@code weight [in, out, kh, kw]}) is weight-normed
 * over dim 1, its output channels, and is initialised per output channel the same way: the unit is
 * what the layer's output has one of per channel, whatever dim of the weight it is.
 *
 * <p>Statistics follow the authors' code: population variance, {@code σ = √(Var + 1e-10)}
 * ({@code shared/bench/torch_peer.py} uses PyTorch's unbiased {@code std() + 1e-8}, a relative
 * difference of {@code 1/(2m)}). The other layers run in {@link Mode#TRAIN}, as the peer does
 * (a dropout before a layer therefore shapes its statistics; mean-only batch norms update
 * their running means).
 */
public final class DataDependentInit {

    /** Options; the paper's values are {@link #paper(long)}. */
    public record Options(double vStd, double initScale, long seed) {
        public Options {
            if (!(vStd > 0) || !(initScale > 0)) {
                throw new IllegalArgumentException("data-dependent init: vStd and initScale must be > 0, got vStd="
                        + vStd + ", initScale=" + initScale);
            }
        }

        /** {@code v ~ N(0, 0.05²)}, {@code init_scale = 1}. */
        public static Options paper(long seed) {
            return new Options(Initializers.PAPER_V_STD, 1.0, seed);
        }
    }

    /** The init batch size the paper used on CIFAR-10. */
    public static final int PAPER_BATCH_SIZE = 500;

    private static final double VARIANCE_EPS = 1e-10;

    private DataDependentInit() {
    }

    /**
     * Initialises every weight-normalized layer of {@code layers}, run one after the other, from
     * {@code batch} (the caller chooses its size; the paper used 500 images) and returns how many
     * were initialised. Layers inside containers (a residual block, a nested Sequential) are reached
     * too, in the order the data flows through them.
     */
    public static int apply(List<? extends Layer> layers, Tensor batch, Options options) {
        return apply(new Chain(layers), batch, options);
    }

    /**
     * Initialises every weight-normalized layer in the whole tree of {@code model}, in the order the
     * data flows through them, from {@code batch}; returns how many were initialised.
     */
    public static int apply(Layer model, Tensor batch, Options options) {
        SplittableRandom rng = new SplittableRandom(options.seed());
        int[] count = {0};
        ModelTree.forwardLeaves(model, batch, Mode.TRAIN, (path, leaf, x) -> {
            if (leaf instanceof LinearLayer linear && linear.weights() instanceof WeightNormWeights wn) {
                count[0]++;
                return initLayer(path, linear, wn, x, options, rng);
            }
            return leaf.forward(x, Mode.TRAIN);
        });
        return count[0];
    }

    /** A list of layers run in turn, named by position: how {@link #apply(List, Tensor, Options)} walks it. */
    private record Chain(List<? extends Layer> layers) implements Container {
        @Override
        public java.util.LinkedHashMap<String, Layer> children() {
            java.util.LinkedHashMap<String, Layer> out = new java.util.LinkedHashMap<>();
            for (int k = 0; k < layers.size(); k++) {
                out.put(Integer.toString(k), layers.get(k));
            }
            return out;
        }

        @Override
        public Tensor forwardThrough(Tensor x, Mode mode, ChildForward hook) {
            Tensor h = x;
            for (int k = 0; k < layers.size(); k++) {
                h = hook.forward(Integer.toString(k), layers.get(k), h);
            }
            return h;
        }

        @Override
        public Tensor forward(Tensor x, Mode mode) {
            throw new UnsupportedOperationException("only walked");
        }

        @Override
        public Tensor backward(Tensor dy) {
            throw new UnsupportedOperationException("only walked");
        }

        @Override
        public Container mapChildren(java.util.function.UnaryOperator<Layer> f) {
            throw new UnsupportedOperationException("only walked");
        }

        @Override
        public String describe() {
            return "layers " + layers.size();
        }
    }

    /**
     * Initialises from the first {@code batchSize} examples of {@code data} (all of them if it has
     * fewer; the paper: {@link #PAPER_BATCH_SIZE}). Returns how many layers were initialised.
     */
    public static int apply(List<? extends Layer> layers, Tensor data, int batchSize, Options options) {
        if (batchSize < 2) {
            throw new IllegalArgumentException("data-dependent init needs a batch of at least 2 examples to estimate σ[t], got "
                    + batchSize);
        }
        int n = Math.min(batchSize, data.dim(0));
        int[] shape = data.shape();
        shape[0] = n;
        Tensor batch = data.zerosLike(shape);
        int len = batch.size();
        for (int i = 0; i < len; i++) {
            batch.set(i, data.get(i));                                    // the first n examples (row-major)
        }
        return apply(layers, batch, options);
    }

    /** One layer: returns its output after initialisation ({@code y = g t + b}). */
    private static Tensor initLayer(String path, LinearLayer layer, WeightNormWeights wn, Tensor x, Options options,
                                    SplittableRandom rng) {
        // A transposed convolution's weight is [in, out, kh, kw]: its output units are dim 1, so it is
        // normalized over dim 1 and holds its bias itself (per output channel); §3 then works per output
        // channel exactly as for a convolution, its statistics over the batch and the output's positions.
        boolean transposed = layer instanceof ConvTranspose2d;
        int unitDim = transposed ? 1 : WeightNorm.PER_UNIT;
        if (wn.dim() != unitDim) {
            throw new IllegalArgumentException("data-dependent init: " + layer.describe() + " at '" + path
                    + "' normalizes over dim " + wn.dim() + "; §3 sets one g per output unit, so use per-unit weight norm (dim "
                    + unitDim + (transposed ? ", a transposed convolution's output channels" : "")
                    + ") (or leave this layer out of data-dependent init)");
        }
        Initializers.normal(wn.v().value(), options.vStd(), rng);         // v ~ N(0, 0.05²)
        wn.g().value().fill(1);
        Param bias = transposed ? ((ConvTranspose2d) layer).bias() : wn.bias();
        if (bias != null) {
            bias.value().fill(0);
        }
        Tensor t = layer.forward(x, Mode.TRAIN).copy();                   // t = v·x/||v|| (g = 1, b = 0)
        int units = t.dim(1);
        int m = t.size() / units;
        Tensor sums = t.zerosLike(units);
        Kernels.channelSums(t, sums, false);
        Tensor negMean = t.zerosLike(units);
        for (int u = 0; u < units; u++) {
            negMean.set(u, -sums.get(u) / m);
        }
        Tensor centred = t.zerosLike();
        Kernels.channelScaleShift(t, null, negMean, centred);             // t − μ[t]
        Tensor sq = t.zerosLike(units);
        Kernels.channelDots(centred, centred, sq, false);
        Tensor scale = t.zerosLike(units);
        Tensor shift = t.zerosLike(units);
        for (int u = 0; u < units; u++) {
            double mean = -negMean.get(u);
            double sigma = Math.sqrt(sq.get(u) / m + VARIANCE_EPS);
            double gu = options.initScale() / sigma;                       // g ← s/σ[t]
            wn.g().value().set(u, gu);
            scale.set(u, gu);
            if (bias != null) {
                bias.value().set(u, -mean * gu);                           // b ← −μ[t] s/σ[t]
                shift.set(u, -mean * gu);
            }
        }
        Tensor y = t.zerosLike();
        Kernels.channelScaleShift(t, scale, bias == null ? null : shift, y); // y = g t + b, what the layer now computes
        return y;
    }
}
