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
 * Weight normalization (Eq. 2): {@code w = g v/||v||} per output unit, computed fused.
 *
 * <p>The layer multiplies by {@code v} and scales the result by {@code s = g/||v||}
 * ({@link #prepareScale}); {@code w} is never built. Given {@code G = ∇w L} from the layer's
 * usual weight-gradient GEMM, {@link #accumulateGradients} applies Eq. 3 per unit:
 * {@code ∇g = (G·v)/||v||}, {@code ∇v = s G − (s ∇g/||v||) v} (which is {@code s M_w G}, Eq. 4).
 * The extra cost is O(out × fanIn) per step, independent of the batch size.
 *
 * <p>Parameters and shapes follow {@code torch.nn.utils.weight_norm(layer, dim=0)}:
 * {@code weight_g} {@code [out, 1]} (dense) or {@code [out, 1, 1, 1]} (conv), {@code weight_v}
 * the weight's shape, {@code bias} {@code [out]}. With {@link WeightNorm.Scope#WHOLE_TENSOR}
 * ({@code dim=None}) {@code weight_g} is a scalar (shape {@code []}).
 */
public final class WeightNormWeights implements LinearWeights, WeightNormed {
    private final Param g;
    private final Param v;
    private final Param bias;
    private final WeightNorm.Scope scope;
    private final int out;
    private final int fanIn;

    /** Per-unit {@code ||v||} and {@code s = g/||v||} of the last {@link #prepareScale}, each {@code [out]}. */
    private Tensor norm;
    private Tensor scale;
    private Tensor dots;
    private Tensor coef;
    private Tensor tmp;

    /**
     * Wraps existing tensors (not copied).
     *
     * @param g {@code [out, 1, ...]} (per unit) or shape {@code []} (whole tensor)
     * @param v {@code [out, in, ...]}
     * @param bias {@code [out]} or null
     */
    public WeightNormWeights(Tensor g, Tensor v, Tensor bias, WeightNorm.Scope scope) {
        if (v.rank() < 2) {
            throw new IllegalArgumentException("weight norm: expected v [out, in, ...] but got " + v);
        }
        this.scope = scope;
        this.out = v.dim(0);
        this.fanIn = v.sizeFrom(1);
        g.requireShape("weight norm: weight_g for weight_v " + Arrays.toString(v.shape()), gShape(v.shape(), scope));
        g.requireSameType("weight norm (g vs v)", v);
        if (bias != null) {
            bias.requireShape("weight norm: bias for weight_v " + Arrays.toString(v.shape()), out);
            bias.requireSameType("weight norm (bias vs v)", v);
        }
        this.g = new Param("weight_g", g);
        this.v = new Param("weight_v", v);
        this.bias = bias == null ? null : new Param("bias", bias);
    }

    /** The shape of {@code weight_g} for a {@code v} of this shape: {@code [out, 1, ...]}, or {@code []} for the whole tensor. */
    public static int[] gShape(int[] vShape, WeightNorm.Scope scope) {
        if (scope == WeightNorm.Scope.WHOLE_TENSOR) {
            return new int[0];
        }
        int[] s = new int[vShape.length];
        Arrays.fill(s, 1);
        s[0] = vShape[0];
        return s;
    }

    /**
     * The paper's initialisation: {@code v ~ N(0, vStd²)} (the paper uses 0.05), {@code g = ||v||}
     * (so that initially {@code w = v}, as PyTorch's {@code weight_norm} leaves the function
     * unchanged), bias zero (the authors' code). Data-dependent init (§3) then sets {@code g} and
     * {@code b} from data: see {@link DataDependentInit}.
     */
    public static WeightNormWeights paperInit(int[] shape, boolean withBias, WeightNorm.Scope scope, double vStd,
                                              DType dtype, RandomGenerator rng) {
        Tensor v = Tensor.zeros(dtype, shape);
        Initializers.normal(v, vStd, rng);
        Tensor g = Tensor.zeros(dtype, gShape(shape, scope));
        double[] n = WeightNorm.norms(v, scope, "new weight-norm layer " + Arrays.toString(shape));
        for (int u = 0; u < n.length; u++) {
            g.set(u, n[u]);
        }
        return new WeightNormWeights(g, v, withBias ? Tensor.zeros(dtype, shape[0]) : null, scope);
    }

    /** {@link #paperInit} in float32, per unit, with the paper's {@code vStd = 0.05}. */
    public static WeightNormWeights paperInit(int[] shape, boolean withBias, RandomGenerator rng) {
        return paperInit(shape, withBias, WeightNorm.Scope.PER_UNIT, Initializers.PAPER_V_STD, DType.FLOAT32, rng);
    }

    /** {@code g}, named {@code weight_g}. */
    public Param g() {
        return g;
    }

    /** {@code v}, named {@code weight_v}. */
    public Param v() {
        return v;
    }

    public WeightNorm.Scope scope() {
        return scope;
    }

    @Override
    public int[] shape() {
        return v.value().shape();
    }

    @Override
    public Tensor direction() {
        return v.value();
    }

    /** Computes {@code ||v||} and {@code s = g/||v||} for every unit (Eq. 2), guarded as {@link WeightNorm} documents. */
    @Override
    public Tensor prepareScale(String layer) {
        Tensor vv = v.value();
        norm = ensure(norm, vv, out);
        scale = ensure(scale, vv, out);
        Kernels.rowL2Norms(vv, norm);
        if (scope == WeightNorm.Scope.PER_UNIT) {
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
        if (scale == null) {
            throw new IllegalStateException("weight norm: backward before forward (no scale computed)");
        }
        Tensor vv = v.value();
        vv.requireSameShape("weight norm: ∇w L vs v", gradW);
        Tensor gUnits = gradW.reshape(1, out, fanIn);
        Tensor vUnits = vv.reshape(1, out, fanIn);
        dots = ensure(dots, vv, out);
        coef = ensure(coef, vv, out);
        Kernels.channelDots(gUnits, vUnits, dots, false);          // G · v per unit
        Tensor gradG = g.grad();
        if (scope == WeightNorm.Scope.PER_UNIT) {
            for (int u = 0; u < out; u++) {
                double dg = dots.get(u) / norm.get(u);              // Eq. 3: ∇g = ∇w L · v/||v||
                gradG.set(u, gradG.get(u) + dg);
                coef.set(u, -scale.get(u) * dg / norm.get(u));      // Eq. 3: −(g ∇g/||v||²)
            }
        } else {
            double sum = 0;
            for (int u = 0; u < out; u++) {
                sum += dots.get(u);
            }
            double dg = sum / norm.get(0);                          // Eq. 3 over the whole tensor
            gradG.set(0, gradG.get(0) + dg);
            coef.fill(-scale.get(0) * dg / norm.get(0));
        }
        Tensor gradV = v.grad().reshape(1, out, fanIn);
        tmp = ensure(tmp, vv, 1, out, fanIn);
        Kernels.channelScaleShift(gUnits, scale, null, tmp);        // Eq. 3: (g/||v||) ∇w L
        Kernels.axpy(1, tmp, gradV);
        Kernels.channelScaleShift(vUnits, coef, null, tmp);         // Eq. 3: − (g ∇g/||v||²) v
        Kernels.axpy(1, tmp, gradV);
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
        return scope == WeightNorm.Scope.PER_UNIT ? "wn" : "wn(whole tensor)";
    }

    @Override
    public WeightNormStats weightNormStats() {
        double[] n = WeightNorm.norms(v.value(), scope, "weight-norm statistics of " + kind() + " " + Arrays.toString(shape()));
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
