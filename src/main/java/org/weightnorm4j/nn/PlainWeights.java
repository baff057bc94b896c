package org.weightnorm4j.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Tensor;

/** The standard parameterization ({@code normal}): the layer stores {@code w} (and optionally {@code b}) directly. */
public final class PlainWeights implements LinearWeights {
    private final Param weight;
    private final Param bias;

    /** Wraps existing tensors of the weight {@code "weight"}; {@code bias} may be null. */
    public PlainWeights(Tensor weight, Tensor bias) {
        this("weight", weight, bias);
    }

    /** Wraps existing tensors of a weight called {@code name} (e.g. {@code "weight_hh_l0"}); {@code bias} may be null. */
    public PlainWeights(String name, Tensor weight, Tensor bias) {
        if (weight.rank() < 2) {
            throw new IllegalArgumentException("plain weights: expected a weight [out, in, ...] but got " + weight);
        }
        if (bias != null) {
            bias.requireShape("plain weights: bias for weight " + weight, weight.dim(0));
            weight.requireSameType("plain weights (weight vs bias)", bias);
        }
        this.weight = new Param(name, weight);
        this.bias = bias == null ? null : new Param("bias", bias);
    }

    /** PyTorch's default initialisation: kaiming-uniform weight, uniform bias ({@link Initializers}). */
    public static PlainWeights pytorchDefault(int[] shape, boolean withBias, DType dtype, RandomGenerator rng) {
        Tensor w = Tensor.zeros(dtype, shape);
        Initializers.kaimingUniform(w, rng);
        Tensor b = null;
        if (withBias) {
            b = Tensor.zeros(dtype, shape[0]);
            Initializers.biasUniform(b, Initializers.fanIn(shape), rng);
        }
        return new PlainWeights(w, b);
    }

    /** {@link #pytorchDefault(int[], boolean, DType, RandomGenerator)} in float32. */
    public static PlainWeights pytorchDefault(int[] shape, boolean withBias, RandomGenerator rng) {
        return pytorchDefault(shape, withBias, DType.FLOAT32, rng);
    }

    /** The weight parameter {@code w}. */
    public Param weight() {
        return weight;
    }

    @Override
    public int[] shape() {
        return weight.value().shape();
    }

    @Override
    public Tensor direction() {
        return weight.value();
    }

    @Override
    public Tensor prepareScale(String layer) {
        return null;
    }

    @Override
    public Param bias() {
        return bias;
    }

    @Override
    public void accumulateGradients(Tensor gradW) {
        Kernels.axpy(1, gradW, weight.grad());
    }

    /** The weight's own gradient: plain weights take {@code ∇w L} as it is. */
    @Override
    public Tensor gradientTarget() {
        return weight.grad();
    }

    @Override
    public List<Param> params() {
        List<Param> ps = new ArrayList<>(List.of(weight));
        if (bias != null) {
            ps.add(bias);
        }
        return List.copyOf(ps);
    }

    @Override
    public String kind() {
        return "normal";
    }
}
