package org.weightnorm4j.norm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.weightnorm4j.nn.Initializers;
import org.weightnorm4j.nn.LinearWeights;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Tensor;

/**
 * Weight normalization (Eq. 2) of one weight: {@code w = g v/||v||} per unit of {@code dim},
 * computed fused where the layer allows it.
 *
 * <p>For {@code dim = 0} (one norm per output unit, the paper) and for the whole tensor, the layer
 * multiplies by {@code v} and scales the result by {@code s = g/||v||} ({@link #prepareScale});
 * {@code w} is never built. Given {@code G = ∇w L} from the layer's usual weight-gradient GEMM,
 * {@link #accumulateGradients} applies Eq. 3 per unit: {@code ∇g = (G·v)/||v||},
 * {@code ∇v = s G − (s ∇g/||v||) v} (which is {@code s M_w G}, Eq. 4). The extra cost is
 * O(out × fanIn) per step, independent of the batch size.
 *
 * <p>For any other {@code dim} (a transposed convolution's output channels are dim 1) the scale is
 * not per output unit, so {@link #prepareScale} builds {@code w} (Eq. 2) once per forward pass and
 * the layer multiplies by it; the gradients are Eq. 3 over the units of {@code dim}
 * ({@link WeightNorm#gradients}).
 *
 * <p>Parameters and shapes follow {@code torch.nn.utils.weight_norm(layer, name, dim)}: for a
 * weight called {@code NAME}, {@code NAME_g} has {@code v}'s rank with every size 1 but
 * {@code dim}'s ({@code [out, 1]} for dense, {@code [out, 1, 1, 1]} for conv; a scalar, shape
 * {@code []}, for the whole tensor), {@code NAME_v} the weight's shape, and {@code bias}
 * {@code [out]}.
 */
public final class WeightNormWeights implements LinearWeights, WeightNormed {
    private final String name;
    private final Param g;
    private final Param v;
    private final Param bias;
    private final int dim;
    private final int out;
    private final int fanIn;
    /** Whether the scale is per output unit (dim 0 or the whole tensor), so the layer can apply it after its product. */
    private final boolean fused;

    /** Per-unit {@code ||v||} and {@code s = g/||v||} of the last {@link #prepareScale}, each {@code [out]}. */
    private Tensor norm;
    private Tensor scale;
    private Tensor dots;
    private Tensor coef;
    /** {@code w} of the last forward, when not {@link #fused}, and the buffers of Eq. 3 then (reused: nothing allocated per step). */
    private Tensor built;
    private Tensor builtGradG;
    private Tensor builtGradV;

    /**
     * Wraps existing tensors (not copied) of the weight {@code "weight"}.
     *
     * @param g {@code v}'s rank, 1 but along {@code dim} ({@link WeightNorm#gShape}), or shape {@code []} (whole tensor)
     * @param v {@code [out, in, ...]}
     * @param bias {@code [out]} or null
     * @param dim the dimension with one norm per index, or {@link WeightNorm#WHOLE_TENSOR}
     */
    public WeightNormWeights(Tensor g, Tensor v, Tensor bias, int dim) {
        this(WeightNorm.DEFAULT_NAME, g, v, bias, dim);
    }

    /**
     * Wraps existing tensors (not copied) of a weight called {@code name}: the parameters are
     * {@code name_g}, {@code name_v} and {@code bias}.
     */
    public WeightNormWeights(String name, Tensor g, Tensor v, Tensor bias, int dim) {
        if (v.rank() < 2) {
            throw new IllegalArgumentException("weight norm: expected " + name + "_v [out, in, ...] but got " + v);
        }
        this.name = name;
        this.dim = dim;
        this.out = v.dim(0);
        this.fanIn = v.sizeFrom(1);
        this.fused = dim == WeightNorm.PER_UNIT || dim == WeightNorm.WHOLE_TENSOR;
        g.requireShape("weight norm: " + name + "_g for " + name + "_v " + Arrays.toString(v.shape()) + " over dim " + dim,
                WeightNorm.gShape(v.shape(), dim));
        g.requireSameType("weight norm (g vs v)", v);
        if (bias != null) {
            bias.requireShape("weight norm: bias for " + name + "_v " + Arrays.toString(v.shape()), out);
            bias.requireSameType("weight norm (bias vs v)", v);
        }
        this.g = new Param(name + "_g", g);
        this.v = new Param(name + "_v", v);
        this.bias = bias == null ? null : new Param("bias", bias);
    }

    /** The shape of {@code g} for a {@code v} of this shape ({@link WeightNorm#gShape}). */
    public static int[] gShape(int[] vShape, int dim) {
        return WeightNorm.gShape(vShape, dim);
    }

    /**
     * The paper's initialisation: {@code v ~ N(0, vStd²)} (the paper uses 0.05), {@code g = ||v||}
     * (so that initially {@code w = v}, as PyTorch's {@code weight_norm} leaves the function
     * unchanged), bias zero (the authors' code). Data-dependent init (§3) then sets {@code g} and
     * {@code b} from data: see {@link DataDependentInit}.
     */
    public static WeightNormWeights paperInit(int[] shape, boolean withBias, int dim, double vStd,
                                              DType dtype, RandomGenerator rng) {
        Tensor v = Tensor.zeros(dtype, shape);
        Initializers.normal(v, vStd, rng);
        Tensor g = Tensor.zeros(dtype, gShape(shape, dim));
        double[] n = WeightNorm.norms(v, dim, "new weight-norm layer " + Arrays.toString(shape));
        for (int u = 0; u < n.length; u++) {
            g.set(u, n[u]);
        }
        return new WeightNormWeights(g, v, withBias ? Tensor.zeros(dtype, shape[0]) : null, dim);
    }

    /** {@link #paperInit} in float32, per unit, with the paper's {@code vStd = 0.05}. */
    public static WeightNormWeights paperInit(int[] shape, boolean withBias, RandomGenerator rng) {
        return paperInit(shape, withBias, WeightNorm.PER_UNIT, Initializers.PAPER_V_STD, DType.FLOAT32, rng);
    }

    /** The name of the weight this parameterizes ({@code "weight"}, {@code "weight_hh_l0"}, ...). */
    public String name() {
        return name;
    }

    /** {@code g}, named {@code NAME_g}. */
    public Param g() {
        return g;
    }

    /** {@code v}, named {@code NAME_v}. */
    public Param v() {
        return v;
    }

    /** The dimension with one norm per index, or {@link WeightNorm#WHOLE_TENSOR}. */
    public int dim() {
        return dim;
    }

    @Override
    public int[] shape() {
        return v.value().shape();
    }

    /** {@code v}, or, when the scale is not per output unit, {@code w} as built by the last {@link #prepareScale}. */
    @Override
    public Tensor direction() {
        return fused ? v.value() : built;
    }

    /** Computes {@code ||v||} and {@code s = g/||v||} for every unit (Eq. 2), guarded as {@link WeightNorm} documents. */
    @Override
    public Tensor prepareScale(String layer) {
        Tensor vv = v.value();
        if (!fused) {
            built = ensure(built, vv, vv.shape());
            WeightNorm.weightInto(g.value(), vv, dim, layer, built);       // Eq. 2, w built: no per-unit scale
            return null;
        }
        norm = ensure(norm, vv, out);
        scale = ensure(scale, vv, out);
        Kernels.rowL2Norms(vv, norm);
        if (dim == WeightNorm.PER_UNIT) {
            for (int u = 0; u < out; u++) {
                double n = WeightNorm.guardedNorm(norm.get(u), layer, u);
                norm.set(u, n);
                scale.set(u, g.value().get(u) / n);                 // s = g/||v||, Eq. 2
            }
        } else {
            double sq = 0;
            for (int u = 0; u < out; u++) {
                sq += norm.get(u) * norm.get(u);
            }
            double n = WeightNorm.guardedNorm(Math.sqrt(sq), layer, 0);
            norm.fill(n);
            scale.fill(g.value().get(0) / n);                       // s = g/||v||, Eq. 2
        }
        return scale;
    }

    @Override
    public Param bias() {
        return bias;
    }

    /** Eq. 3 per unit from {@code G = ∇w L}, using the norms of the last {@link #prepareScale}. */
    @Override
    public void accumulateGradients(Tensor gradW) {
        if (!fused) {
            accumulateBuiltGradients(gradW);
            return;
        }
        if (scale == null) {
            throw new IllegalStateException("weight norm: backward before forward (no scale computed)");
        }
        Tensor vv = v.value();
        vv.requireSameShape("weight norm: ∇w L vs v", gradW);
        Tensor gradG = g.grad();
        if (dim == WeightNorm.PER_UNIT) {
            // Eq. 3 unit by unit: ∇g = ∇w L · v/||v||, ∇v += (g/||v||) ∇w L − (g ∇g/||v||²) v.
            Kernels.weightNormRowGradients(gradW.reshape(out, fanIn), vv.reshape(out, fanIn), norm, scale, gradG,
                    v.grad().reshape(out, fanIn));
            return;
        }
        dots = ensure(dots, vv, out);
        coef = ensure(coef, vv, out);
        Kernels.channelDots(gradW.reshape(1, out, fanIn), vv.reshape(1, out, fanIn), dots, false);   // G · v per unit
        double sum = 0;
        for (int u = 0; u < out; u++) {
            sum += dots.get(u);
        }
        double dg = sum / norm.get(0);                              // Eq. 3 over the whole tensor
        gradG.set(0, gradG.get(0) + dg);
        coef.fill(-scale.get(0) * dg / norm.get(0));
        // Eq. 3: ∇v += (g/||v||) ∇w L − (g ∇g/||v||²) v, one pass over the rows.
        Kernels.addRowScaled(gradW.reshape(out, fanIn), scale, vv.reshape(out, fanIn), coef, v.grad().reshape(out, fanIn));
    }

    /** Eq. 3 over the units of {@code dim}, for a {@code w} that was built rather than fused. */
    private void accumulateBuiltGradients(Tensor gradW) {
        if (built == null) {
            throw new IllegalStateException("weight norm: backward before forward (w not built)");
        }
        builtGradG = ensure(builtGradG, g.value(), g.value().shape());
        builtGradV = ensure(builtGradV, v.value(), v.value().shape());
        WeightNorm.gradientsInto(gradW, g.value(), v.value(), dim, name, builtGradG, builtGradV);   // Eq. 3 over dim
        Kernels.axpy(1, builtGradG, g.grad());
        Kernels.axpy(1, builtGradV, v.grad());
    }

    @Override
    public List<Param> params() {
        // PyTorch's order: the wrapped module's own bias first, then weight_g and weight_v (registered by weight_norm).
        List<Param> ps = new ArrayList<>();
        if (bias != null) {
            ps.add(bias);
        }
        ps.add(g);
        ps.add(v);
        return List.copyOf(ps);
    }

    @Override
    public String kind() {
        return dim == WeightNorm.PER_UNIT ? "wn" : dim == WeightNorm.WHOLE_TENSOR ? "wn(whole tensor)" : "wn(dim " + dim + ")";
    }

    @Override
    public WeightNormStats weightNormStats() {
        double[] n = WeightNorm.norms(v.value(), dim, "weight-norm statistics of " + kind() + " " + Arrays.toString(shape()));
        double sumN = 0, sumG = 0, sumS = 0;
        for (int u = 0; u < n.length; u++) {
            double gu = g.value().get(u);
            sumN += n[u];
            sumG += gu;
            sumS += gu / n[u];                                        // s = g/||v||
        }
        return new WeightNormStats(sumN / n.length, sumG / n.length, sumS / n.length);
    }

    private static Tensor ensure(Tensor current, Tensor like, int... shape) {
        return org.weightnorm4j.nn.Buffers.ensure(current, like, shape);
    }
}
