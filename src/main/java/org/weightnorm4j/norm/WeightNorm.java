package org.weightnorm4j.norm;

import java.util.Arrays;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Tensor;

/**
 * Weight normalization (Salimans &amp; Kingma 2016): PyTorch's two verbs, then the mathematics,
 * one method per equation, in plain loops that read like the paper.
 *
 * <h2>The two verbs</h2>
 * <pre>{@code
 * Dense layer = WeightNorm.apply(new Dense(20, 40, rng));   // weight → weight_g [40, 1], weight_v [40, 20]
 * Sequential model = WeightNorm.apply(myModel);            // every plain "weight" in the tree
 * Sequential plain = WeightNorm.remove(model);             // back to "weight", for inference
 * }</pre>
 * {@link #apply(Layer, String, int) apply} writes a weight {@code w} as {@code w = g v/||v||}
 * (Eq. 2) with {@code v = w} and {@code g = ||w||}, so the layer computes exactly what it did
 * before (to rounding); {@link #remove(Layer, String) remove} folds {@code g} and {@code v} back into
 * {@code w}. As in {@code torch.nn.utils.weight_norm(module, name, dim)}, a weight called
 * {@code NAME} becomes {@code NAME_g} and {@code NAME_v}; {@code dim} is the dimension that keeps
 * one norm per index: 0 (the default: one norm per output unit, a dense row or a conv filter),
 * 1 (a transposed convolution's output channels), any other, or {@link #WHOLE_TENSOR} (-1, one
 * norm for the whole tensor, PyTorch's {@code dim=None}). {@code g} has {@code v}'s rank with every
 * size 1 but {@code dim}'s ({@code [out, 1]} for a dense layer, {@code [out, 1, 1, 1]} for a conv),
 * or is a scalar (shape {@code []}) for the whole tensor.
 *
 * <p>Both verbs return a new layer and leave their argument unchanged: new tensors are made for the
 * re-parameterized weight (the bias is copied too), and the layers of a model that have no such
 * weight are shared with the result, which replaces the argument from then on. Over a model (any
 * {@link org.weightnorm4j.nn.Container}) they change every weight of that name in the whole tree
 * and leave the ones already in the requested form alone; on a single layer, a weight already in
 * that form is an error, as in PyTorch.
 *
 * <h2>The equations</h2>
 * Tensors: {@code v} has any shape; {@code g} one value per index of {@code dim}. Eq. 2 builds
 * {@code w}, Eq. 3 gives the gradients of {@code g} and {@code v} from {@code ∇w L}, Eq. 4 the
 * projection form. These are the reference forms used by the verbs, the explanations and the
 * tests; the training hot path ({@link WeightNormWeights}) computes the same quantities fused into
 * the layer's GEMM or convolution.
 *
 * <h2>Near-zero norms</h2>
 * The norm is computed as {@code ||v|| = √max(Σ v², ε)} with {@link #EPSILON} {@code ε = 1e-12},
 * as TensorFlow's {@code l2_normalize} and Flax's {@code WeightNorm} do; PyTorch uses no epsilon
 * and returns NaN for a zero row (pytorch/pytorch issue "weight_norm NaN for zero weights").
 * Above {@code √ε = 1e-6} the epsilon changes nothing, so Eq. 2–4 hold exactly. A unit whose
 * {@code v} is <em>exactly</em> zero has no direction at all; that is reported as an
 * {@link IllegalArgumentException} naming the layer and the unit rather than silently
 * producing a made-up direction.
 */
public final class WeightNorm {

    /** Lower bound on {@code ||v||²}, as in TensorFlow and Flax. */
    public static final double EPSILON = 1e-12;

    /** {@code dim = 0}: one norm per output unit, a dense row or a conv filter (the paper; PyTorch's default). */
    public static final int PER_UNIT = 0;

    /** {@code dim = -1}: one norm for the whole tensor (PyTorch's {@code dim=None}, which it passes on as -1). */
    public static final int WHOLE_TENSOR = -1;

    /** The name PyTorch's {@code weight_norm} re-parameterizes by default. */
    public static final String DEFAULT_NAME = "weight";

    /** The gradients of Eq. 3. */
    public record Gradients(Tensor gradG, Tensor gradV) {
    }

    private WeightNorm() {
    }

    // ---------------------------------------------------------------- the two verbs

    /** {@code torch.nn.utils.weight_norm(layer)}: weight norm on {@code "weight"} over {@code dim = 0}. */
    public static <L extends Layer> L apply(L layer) {
        return apply(layer, DEFAULT_NAME, PER_UNIT);
    }

    /** {@code torch.nn.utils.weight_norm(layer, dim=dim)} on {@code "weight"}. */
    public static <L extends Layer> L apply(L layer, int dim) {
        return apply(layer, DEFAULT_NAME, dim);
    }

    /**
     * {@code torch.nn.utils.weight_norm(layer, name, dim)}: the weight called {@code name}
     * becomes {@code name_g} and {@code name_v}, with {@code v = w}, {@code g = ||w||} over
     * {@code dim}; the output is unchanged. See the class comment for models and errors.
     */
    public static <L extends Layer> L apply(L layer, String name, int dim) {
        return Reparameterize.applyWeightNorm(layer, name, dim);
    }

    /** {@code torch.nn.utils.remove_weight_norm(layer)} on {@code "weight"}. */
    public static <L extends Layer> L remove(L layer) {
        return remove(layer, DEFAULT_NAME);
    }

    /**
     * {@code torch.nn.utils.remove_weight_norm(layer, name)}: {@code name_g} and {@code name_v}
     * become the plain weight {@code name = g v/||v||} (Eq. 2); the output is unchanged.
     */
    public static <L extends Layer> L remove(L layer, String name) {
        return Reparameterize.removeWeightNorm(layer, name);
    }

    // ---------------------------------------------------------------- units

    /**
     * How the elements of a tensor group into the units that share one norm: viewed as
     * {@code [outer, units, inner]}, unit {@code u} is every element {@code (o, u, i)}.
     */
    record Units(int outer, int count, int inner) {
        static Units of(int[] shape, int dim) {
            if (dim == WHOLE_TENSOR) {
                return new Units(1, 1, Tensor.sizeOf(shape));
            }
            if (dim < 0 || dim >= shape.length) {
                throw new IllegalArgumentException("weight norm: dim " + dim + " is out of range for a weight of shape "
                        + Arrays.toString(shape) + "; use 0.." + (shape.length - 1) + ", or " + WHOLE_TENSOR
                        + " (WeightNorm.WHOLE_TENSOR) for one norm over the whole tensor");
            }
            int outer = 1;
            for (int k = 0; k < dim; k++) {
                outer *= shape[k];
            }
            int inner = 1;
            for (int k = dim + 1; k < shape.length; k++) {
                inner *= shape[k];
            }
            return new Units(outer, shape[dim], inner);
        }

        /** Elements per unit. */
        int length() {
            return outer * inner;
        }

        /** The flat index of element {@code j} (0 ≤ j &lt; {@link #length()}) of unit {@code u}. */
        int index(int u, int j) {
            int o = j / inner;
            return (o * count + u) * inner + (j - o * inner);
        }

        /** Whether the units are contiguous rows, so the fast row kernels apply. */
        boolean rows() {
            return outer == 1;
        }
    }

    /** Number of normalized units of a {@code v} normalized over {@code dim}. */
    public static int units(Tensor v, int dim) {
        return Units.of(v.shape(), dim).count();
    }

    /** The shape of {@code g} for a {@code v} of this shape: {@code v}'s rank, all 1 but {@code dim}; {@code []} for the whole tensor. */
    public static int[] gShape(int[] vShape, int dim) {
        Units.of(vShape, dim);                                   // checks dim
        if (dim == WHOLE_TENSOR) {
            return new int[0];
        }
        int[] s = new int[vShape.length];
        Arrays.fill(s, 1);
        s[dim] = vShape[dim];
        return s;
    }

    // ---------------------------------------------------------------- Eq. 2–4

    /**
     * {@code ||v||} per unit, guarded by {@link #EPSILON}; throws if a unit's {@code v} is exactly zero.
     *
     * @param layer names the layer in the error message
     */
    public static double[] norms(Tensor v, int dim, String layer) {
        Units units = Units.of(v.shape(), dim);
        double[] out = new double[units.count()];
        if (units.rows()) {
            Tensor rows = v.reshape(units.count(), units.length());
            Tensor n = v.zerosLike(units.count());
            Kernels.rowL2Norms(rows, n);
            for (int u = 0; u < out.length; u++) {
                out[u] = guardedNorm(n.get(u), layer, u);
            }
            return out;
        }
        for (int u = 0; u < out.length; u++) {
            double sq = 0;
            for (int j = 0; j < units.length(); j++) {
                double x = v.get(units.index(u, j));
                sq += x * x;
            }
            out[u] = guardedNorm(Math.sqrt(sq), layer, u);
        }
        return out;
    }

    /**
     * {@code max(||v||, √ε)}, or an error if {@code ||v|| = 0} exactly.
     *
     * @param norm the raw Euclidean norm of one unit's {@code v}
     */
    public static double guardedNorm(double norm, String layer, int unit) {
        if (norm == 0) {
            throw new IllegalArgumentException("weight norm: " + layer + ", unit " + unit
                    + ": v is exactly zero, so w = g v/||v|| has no direction. Re-initialise v (e.g. N(0, 0.05²)),"
                    + " or check the optimizer (a zero learning-rate schedule or weight decay of 1 can do this)");
        }
        return Math.max(norm, Math.sqrt(EPSILON));
    }

    /** Eq. 2: {@code w = (g/||v||) v}, built explicitly (for the verbs and checks, never in the fused hot path). */
    public static Tensor weight(Tensor g, Tensor v, int dim, String layer) {
        return weightInto(g, v, dim, layer, v.zerosLike());
    }

    /** {@link #weight}, written into {@code w} (shaped like {@code v}), which is returned: for a caller that reuses its buffer. */
    public static Tensor weightInto(Tensor g, Tensor v, int dim, String layer, Tensor w) {
        v.requireSameShape("weight norm: w vs v of " + layer, w);
        Units units = Units.of(v.shape(), dim);
        double[] n = norms(v, dim, layer);
        requireG(g, n.length, v);
        for (int u = 0; u < n.length; u++) {
            double s = g.get(u) / n[u];
            for (int j = 0; j < units.length(); j++) {
                int at = units.index(u, j);
                w.set(at, s * v.get(at));                          // Eq. 2
            }
        }
        return w;
    }

    /**
     * Eq. 3: the gradients of {@code g} and {@code v} from {@code ∇w L}:
     * {@code ∇g L = (∇w L · v)/||v||}, {@code ∇v L = (g/||v||) ∇w L − (g ∇g L/||v||²) v}.
     * The returned {@code gradG} has {@code g}'s shape, {@code gradV} has {@code v}'s.
     */
    public static Gradients gradients(Tensor gradW, Tensor g, Tensor v, int dim, String layer) {
        return gradientsInto(gradW, g, v, dim, layer, g.zerosLike(), v.zerosLike());
    }

    /** {@link #gradients}, written into {@code gradG} and {@code gradV} (shaped like g and v): for a caller that reuses its buffers. */
    public static Gradients gradientsInto(Tensor gradW, Tensor g, Tensor v, int dim, String layer, Tensor gradG, Tensor gradV) {
        v.requireSameShape("weight norm gradients of " + layer + " (v vs ∇w L)", gradW);
        g.requireSameShape("weight norm gradients of " + layer + " (g vs ∇g L)", gradG);
        v.requireSameShape("weight norm gradients of " + layer + " (v vs ∇v L)", gradV);
        Units units = Units.of(v.shape(), dim);
        double[] n = norms(v, dim, layer);
        requireG(g, n.length, v);
        for (int u = 0; u < n.length; u++) {
            double dot = 0;
            for (int j = 0; j < units.length(); j++) {
                int at = units.index(u, j);
                dot += gradW.get(at) * v.get(at);
            }
            double dg = dot / n[u];                                       // Eq. 3, ∇g L = ∇w L · v / ||v||
            gradG.set(u, dg);
            double s = g.get(u) / n[u];
            for (int j = 0; j < units.length(); j++) {
                int at = units.index(u, j);
                double dv = s * gradW.get(at) - (g.get(u) * dg / (n[u] * n[u])) * v.get(at); // Eq. 3, ∇v L
                gradV.set(at, dv);
            }
        }
        return new Gradients(gradG, gradV);
    }

    /**
     * Eq. 4, the projection form of {@code ∇v L}: {@code ∇v L = (g/||v||) M_w ∇w L} with
     * {@code M_w = I − w wᵀ/||w||²}. {@code M_w} projects onto the complement of {@code w}, so the
     * result is orthogonal to {@code w} (and to {@code v}, which is parallel to it): use
     * {@link #dot} per unit to check {@code ∇v L · w = 0}. Equal to {@link #gradients}' {@code gradV}.
     */
    public static Tensor projectedGradient(Tensor gradW, Tensor g, Tensor v, int dim, String layer) {
        v.requireSameShape("weight norm projection of " + layer + " (v vs ∇w L)", gradW);
        Units units = Units.of(v.shape(), dim);
        double[] n = norms(v, dim, layer);
        requireG(g, n.length, v);
        Tensor w = weight(g, v, dim, layer);
        Tensor gradV = v.zerosLike();
        for (int u = 0; u < n.length; u++) {
            double[] mg = project(unit(w, dim, u), unit(gradW, dim, u));  // M_w ∇w L
            double s = g.get(u) / n[u];
            for (int j = 0; j < units.length(); j++) {
                gradV.set(units.index(u, j), s * mg[j]);               // Eq. 4
            }
        }
        return gradV;
    }

    /** {@code M_w x = x − (w·x/||w||²) w}: the component of {@code x} orthogonal to {@code w}. */
    public static double[] project(double[] w, double[] x) {
        if (w.length != x.length) {
            throw new IllegalArgumentException("project: w has " + w.length + " elements, x has " + x.length);
        }
        double ww = dot(w, w);
        if (ww == 0) {
            throw new IllegalArgumentException("project: M_w is undefined for w = 0");
        }
        double c = dot(w, x) / ww;
        double[] out = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            out[j] = x[j] - c * w[j];
        }
        return out;
    }

    /** The matrix {@code M_w = I − w wᵀ/||w||²} of Eq. 4 (symmetric, idempotent, {@code M_w w = 0}). */
    public static double[][] projectionMatrix(double[] w) {
        double ww = dot(w, w);
        if (ww == 0) {
            throw new IllegalArgumentException("projectionMatrix: M_w is undefined for w = 0");
        }
        double[][] m = new double[w.length][w.length];
        for (int i = 0; i < w.length; i++) {
            for (int j = 0; j < w.length; j++) {
                m[i][j] = (i == j ? 1 : 0) - w[i] * w[j] / ww;
            }
        }
        return m;
    }

    /** {@code a · b}. */
    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** The elements of unit {@code u} of a tensor shaped like {@code v} normalized over {@code dim}. */
    public static double[] unit(Tensor t, int dim, int u) {
        Units units = Units.of(t.shape(), dim);
        double[] out = new double[units.length()];
        for (int j = 0; j < out.length; j++) {
            out[j] = t.get(units.index(u, j));
        }
        return out;
    }

    private static void requireG(Tensor g, int units, Tensor v) {
        if (g.size() != units) {
            throw new IllegalArgumentException("weight norm: g " + Arrays.toString(g.shape()) + " must have " + units
                    + " element(s), one per normalized unit of v " + Arrays.toString(v.shape()));
        }
    }
}
