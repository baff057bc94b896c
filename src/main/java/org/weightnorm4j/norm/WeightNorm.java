package org.weightnorm4j.norm;

import java.util.Arrays;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Tensor;

/**
 * The mathematics of weight normalization (Salimans &amp; Kingma 2016), one method per equation,
 * in plain loops that read like the paper. These are the reference forms, used for folding,
 * explanations and tests; the training hot path ({@link WeightNormWeights}) computes the same
 * quantities fused into the layer's GEMM or convolution.
 *
 * <p>Tensors: {@code v} has shape {@code [out, fanIn...]}; {@code g} has one value per unit
 * ({@link Scope#PER_UNIT}, PyTorch's {@code dim=0}) or a single value ({@link Scope#WHOLE_TENSOR},
 * PyTorch's {@code dim=None}), in any shape with that many elements.
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

    /** Over which elements one norm is taken. */
    public enum Scope {
        /** One norm per output unit: a dense row, a conv filter (the paper; PyTorch {@code dim=0}). */
        PER_UNIT,
        /** One norm for the whole tensor (PyTorch {@code dim=None}). */
        WHOLE_TENSOR
    }

    /** The gradients of Eq. 3. */
    public record Gradients(Tensor gradG, Tensor gradV) {
    }

    private WeightNorm() {
    }

    /** Number of normalized units: {@code out} for {@link Scope#PER_UNIT}, 1 for {@link Scope#WHOLE_TENSOR}. */
    public static int units(Tensor v, Scope scope) {
        return scope == Scope.PER_UNIT ? v.dim(0) : 1;
    }

    /**
     * {@code ||v||} per unit, guarded by {@link #EPSILON}; throws if a unit's {@code v} is exactly zero.
     *
     * @param layer names the layer in the error message
     */
    public static double[] norms(Tensor v, Scope scope, String layer) {
        Tensor rows = asUnits(v, scope);
        Tensor n = v.zerosLike(rows.dim(0));
        Kernels.rowL2Norms(rows, n);
        double[] out = new double[rows.dim(0)];
        for (int u = 0; u < out.length; u++) {
            out[u] = guardedNorm(n.get(u), layer, u);
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

    /** Eq. 2: {@code w = (g/||v||) v}, built explicitly (for folding and checks, never in the training hot path). */
    public static Tensor weight(Tensor g, Tensor v, Scope scope, String layer) {
        double[] n = norms(v, scope, layer);
        requireG(g, n.length, v);
        Tensor w = v.zerosLike();
        int len = v.size() / n.length;
        for (int u = 0; u < n.length; u++) {
            double s = g.get(u) / n[u];
            for (int j = u * len; j < (u + 1) * len; j++) {
                w.set(j, s * v.get(j));                       // Eq. 2
            }
        }
        return w;
    }

    /**
     * Eq. 3: the gradients of {@code g} and {@code v} from {@code ∇w L}:
     * {@code ∇g L = (∇w L · v)/||v||}, {@code ∇v L = (g/||v||) ∇w L − (g ∇g L/||v||²) v}.
     * The returned {@code gradG} has {@code g}'s shape, {@code gradV} has {@code v}'s.
     */
    public static Gradients gradients(Tensor gradW, Tensor g, Tensor v, Scope scope, String layer) {
        v.requireSameShape("weight norm gradients of " + layer + " (v vs ∇w L)", gradW);
        double[] n = norms(v, scope, layer);
        requireG(g, n.length, v);
        Tensor gradG = g.zerosLike();
        Tensor gradV = v.zerosLike();
        int len = v.size() / n.length;
        for (int u = 0; u < n.length; u++) {
            double dot = 0;
            for (int j = u * len; j < (u + 1) * len; j++) {
                dot += gradW.get(j) * v.get(j);
            }
            double dg = dot / n[u];                                       // Eq. 3, ∇g L = ∇w L · v / ||v||
            gradG.set(u, dg);
            double s = g.get(u) / n[u];
            for (int j = u * len; j < (u + 1) * len; j++) {
                double dv = s * gradW.get(j) - (g.get(u) * dg / (n[u] * n[u])) * v.get(j); // Eq. 3, ∇v L
                gradV.set(j, dv);
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
    public static Tensor projectedGradient(Tensor gradW, Tensor g, Tensor v, Scope scope, String layer) {
        v.requireSameShape("weight norm projection of " + layer + " (v vs ∇w L)", gradW);
        double[] n = norms(v, scope, layer);
        requireG(g, n.length, v);
        Tensor w = weight(g, v, scope, layer);
        Tensor gradV = v.zerosLike();
        int len = v.size() / n.length;
        for (int u = 0; u < n.length; u++) {
            double[] wu = slice(w, u * len, len);
            double[] mg = project(wu, slice(gradW, u * len, len));  // M_w ∇w L
            double s = g.get(u) / n[u];
            for (int j = 0; j < len; j++) {
                gradV.set(u * len + j, s * mg[j]);                  // Eq. 4
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

    /** The elements of unit {@code u} of a tensor shaped like {@code v}. */
    public static double[] unit(Tensor t, Scope scope, int u) {
        int units = units(t, scope);
        int len = t.size() / units;
        return slice(t, u * len, len);
    }

    /** {@code v} viewed as {@code [units, elementsPerUnit]}. */
    static Tensor asUnits(Tensor v, Scope scope) {
        int units = units(v, scope);
        return v.reshape(units, v.size() / units);
    }

    private static double[] slice(Tensor t, int from, int len) {
        double[] out = new double[len];
        for (int j = 0; j < len; j++) {
            out[j] = t.get(from + j);
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
