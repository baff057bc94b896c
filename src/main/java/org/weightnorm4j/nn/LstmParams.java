package org.weightnorm4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.random.RandomGenerator;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * The parameters of an LSTM, shared by {@link Lstm} ({@code weight_ih_l0}, ...) and
 * {@link LstmCell} ({@code weight_ih}, ...), which differ only in PyTorch's names: the two weights
 * ({@code [4H, in]} and {@code [4H, H]}, each a {@link LinearWeights} without a bias of its own)
 * and the two biases ({@code [4H]}); their checks, PyTorch's initialisation and state-dict order,
 * and replacing one weight (what {@code WeightNorm.apply} does).
 *
 * @param suffix "" for {@code LSTMCell}'s names, "_l0" for {@code LSTM}'s
 */
record LstmParams(String suffix, LinearWeights ih, LinearWeights hh, Param biasIh, Param biasHh) {

    LstmParams {
        int[] si = ih.shape(), sh = hh.shape();
        if (si.length != 2 || sh.length != 2 || si[0] % 4 != 0 || sh[0] != si[0] || sh[1] * 4 != sh[0]) {
            throw new IllegalArgumentException("LSTM: weights must be " + ihName(suffix) + " [4H, in] and " + hhName(suffix)
                    + " [4H, H] but are " + Arrays.toString(si) + " and " + Arrays.toString(sh));
        }
        if (ih.bias() != null || hh.bias() != null) {
            throw new IllegalArgumentException("LSTM: the biases are bias_ih" + suffix + " and bias_hh" + suffix + ", not the weights' own");
        }
        biasIh.value().requireShape("LSTM bias_ih" + suffix, sh[0]);
        biasHh.value().requireShape("LSTM bias_hh" + suffix, sh[0]);
    }

    /** Weights and biases given as tensors (used, not copied). */
    static LstmParams of(String suffix, LinearWeights ih, LinearWeights hh, Tensor biasIh, Tensor biasHh) {
        return new LstmParams(suffix, ih, hh, new Param("bias_ih" + suffix, biasIh), new Param("bias_hh" + suffix, biasHh));
    }

    /** PyTorch's initialisation: every parameter uniform in ±1/√hidden, drawn in its order (weight_ih, weight_hh, bias_ih, bias_hh). */
    static LstmParams pytorchDefault(String suffix, int in, int hidden, DType dtype, RandomGenerator rng) {
        return of(suffix, new PlainWeights(ihName(suffix), uniform(dtype, hidden, rng, 4 * hidden, in), null),
                new PlainWeights(hhName(suffix), uniform(dtype, hidden, rng, 4 * hidden, hidden), null),
                uniform(dtype, hidden, rng, 4 * hidden), uniform(dtype, hidden, rng, 4 * hidden));
    }

    private static Tensor uniform(DType dtype, int hidden, RandomGenerator rng, int... shape) {
        Tensor t = Tensor.zeros(dtype, shape);
        double k = 1 / Math.sqrt(hidden);
        Initializers.uniform(t, -k, k, rng);
        return t;
    }

    static String ihName(String suffix) {
        return "weight_ih" + suffix;
    }

    static String hhName(String suffix) {
        return "weight_hh" + suffix;
    }

    int in() {
        return ih.shape()[1];
    }

    int hidden() {
        return hh.shape()[1];
    }

    LinkedHashMap<String, LinearWeights> weightsByName() {
        LinkedHashMap<String, LinearWeights> out = new LinkedHashMap<>();
        out.put(ihName(suffix), ih);
        out.put(hhName(suffix), hh);
        return out;
    }

    /** The same parameters with the weight {@code name} replaced by {@code weights} (same shape); {@code layer} names the owner in errors. */
    LstmParams with(String name, LinearWeights weights, String layer) {
        LinearWeights current = weightsByName().get(name);
        if (current == null) {
            throw new IllegalArgumentException(layer + " has weights " + weightsByName().keySet() + ", not '" + name + "'");
        }
        if (!Arrays.equals(weights.shape(), current.shape())) {
            throw new IllegalArgumentException(layer + ": new " + name + " " + Arrays.toString(weights.shape())
                    + " does not match " + Arrays.toString(current.shape()));
        }
        return ihName(suffix).equals(name) ? new LstmParams(suffix, weights, hh, biasIh, biasHh)
                : new LstmParams(suffix, ih, weights, biasIh, biasHh);
    }

    /**
     * PyTorch's state-dict order: the plain weights, the biases, then each weight-normed weight's
     * {@code _g} and {@code _v} (as {@code weight_norm} appends them, here ih before hh).
     */
    List<Param> params() {
        List<Param> ps = new ArrayList<>();
        List<Param> normed = new ArrayList<>();
        for (LinearWeights w : List.of(ih, hh)) {
            ("normal".equals(w.kind()) ? ps : normed).addAll(w.params());
        }
        ps.add(biasIh);
        ps.add(biasHh);
        ps.addAll(normed);
        return List.copyOf(ps);
    }

    /** {@code "ih normal, hh wn"}, for descriptions. */
    String kinds() {
        return "ih " + ih.kind() + ", hh " + hh.kind();
    }
}
