package org.weightnorm4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.random.RandomGenerator;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Tensor;

/**
 * A one-layer LSTM over a whole sequence, with backpropagation through time: PyTorch's
 * {@code nn.LSTM(in, hidden)} with its default sequence-first layout, input {@code [T, N, in]},
 * output every hidden state {@code [T, N, hidden]}; the initial state is zero unless given.
 *
 * <p>The equations (PyTorch's, gate order i, f, g, o, each gate a block of {@code hidden} rows of
 * the weights): {@code a_t = W_ih x_t + b_ih + W_hh h_{t−1} + b_hh}, {@code i = σ(a_i)},
 * {@code f = σ(a_f)}, {@code g = tanh(a_g)}, {@code o = σ(a_o)}, {@code c_t = f c_{t−1} + i g},
 * {@code h_t = o tanh(c_t)}.
 *
 * <p>Parameters, named as PyTorch names them: {@code weight_ih_l0 [4H, in]},
 * {@code weight_hh_l0 [4H, H]}, {@code bias_ih_l0 [4H]}, {@code bias_hh_l0 [4H]}. Each weight is a
 * {@link LinearWeights} without bias (the biases are the layer's own), so
 * {@code WeightNorm.apply(lstm, "weight_hh_l0", 0)} gives one norm per gate row, as
 * {@code torch.nn.utils.weight_norm(lstm, 'weight_hh_l0')} does ({@code weight_hh_l0_g [4H, 1]},
 * {@code weight_hh_l0_v [4H, H]}). {@code WeightNorm.apply(model)} looks for {@code "weight"} and
 * leaves an LSTM alone; {@link #WEIGHT_NAMES} lists what to apply to weight-normalize all of it.
 *
 * <p>How it runs ({@link LstmSequence} does the work):
 * <ul>
 *   <li>the input projection for all steps in one GEMM, {@code [T·N, in] · v_ihᵀ}, scaled per gate
 *       row by {@code s_ih = g/‖v‖} (weight norm's fused dim-0 path) in the same pass that adds
 *       both biases;</li>
 *   <li>per step, one GEMM for all four gates, {@code h_{t−1} · w_hhᵀ} added onto the projection,
 *       with {@code w_hh = s_hh ⊙ v_hh} built once per pass ({@code 4H × H} products, against
 *       {@code T·N·4H} for scaling each step's product);</li>
 *   <li>per step, the gate math as one fused pass forward and one backward
 *       ({@link Kernels#lstmCellForward}, {@link Kernels#lstmCellBackward});</li>
 *   <li>the weight gradients as GEMMs over all steps at once: {@code ∇W_ih = Σ_t ∂a_tᵀ x_t},
 *       {@code ∇W_hh = Σ_t ∂a_tᵀ h_{t−1}}, handed to the weights (Eq. 3 for weight norm).</li>
 * </ul>
 */
public final class Lstm implements WeightedLayer {
    /** PyTorch's names of the two weights (layer 0), the names to give {@code WeightNorm.apply} for each. */
    public static final String WEIGHT_IH = "weight_ih_l0";
    public static final String WEIGHT_HH = "weight_hh_l0";
    public static final List<String> WEIGHT_NAMES = List.of(WEIGHT_IH, WEIGHT_HH);

    private final int in;
    private final int hidden;
    private final LinearWeights ih;
    private final LinearWeights hh;
    private final Param biasIh;
    private final Param biasHh;
    private final LstmSequence run;

    /** {@code nn.LSTM(in, hidden)} in float32, PyTorch's initialisation: every parameter uniform in ±1/√hidden. */
    public Lstm(int in, int hidden, RandomGenerator rng) {
        this(in, hidden, DType.FLOAT32, rng);
    }

    /** As {@link #Lstm(int, int, RandomGenerator)}, in {@code dtype}; parameters drawn in PyTorch's order. */
    public Lstm(int in, int hidden, DType dtype, RandomGenerator rng) {
        this(new PlainWeights(WEIGHT_IH, uniform(dtype, hidden, rng, 4 * hidden, in), null),
                new PlainWeights(WEIGHT_HH, uniform(dtype, hidden, rng, 4 * hidden, hidden), null),
                uniform(dtype, hidden, rng, 4 * hidden), uniform(dtype, hidden, rng, 4 * hidden));
    }

    /**
     * An LSTM with these weights ({@code [4H, in]} and {@code [4H, H]}, neither with a bias of its
     * own) and biases ({@code [4H]} each; the tensors are used, not copied).
     */
    public Lstm(LinearWeights ih, LinearWeights hh, Tensor biasIh, Tensor biasHh) {
        this(ih, hh, new Param("bias_ih_l0", biasIh), new Param("bias_hh_l0", biasHh));
    }

    private Lstm(LinearWeights ih, LinearWeights hh, Param biasIh, Param biasHh) {
        int[] si = ih.shape(), sh = hh.shape();
        if (si.length != 2 || sh.length != 2 || si[0] % 4 != 0 || sh[0] != si[0] || sh[1] * 4 != sh[0]) {
            throw new IllegalArgumentException("LSTM: weights must be weight_ih_l0 [4H, in] and weight_hh_l0 [4H, H] but are "
                    + Arrays.toString(si) + " and " + Arrays.toString(sh));
        }
        if (ih.bias() != null || hh.bias() != null) {
            throw new IllegalArgumentException("LSTM: the biases are bias_ih_l0 and bias_hh_l0, not the weights' own");
        }
        this.hidden = sh[1];
        this.in = si[1];
        biasIh.value().requireShape("LSTM bias_ih_l0", 4 * hidden);
        biasHh.value().requireShape("LSTM bias_hh_l0", 4 * hidden);
        this.ih = ih;
        this.hh = hh;
        this.biasIh = biasIh;
        this.biasHh = biasHh;
        this.run = new LstmSequence(this);
    }

    private static Tensor uniform(DType dtype, int hidden, RandomGenerator rng, int... shape) {
        Tensor t = Tensor.zeros(dtype, shape);
        double k = 1 / Math.sqrt(hidden);
        Initializers.uniform(t, -k, k, rng);
        return t;
    }

    public int inputSize() {
        return in;
    }

    public int hiddenSize() {
        return hidden;
    }

    LinearWeights ih() {
        return ih;
    }

    LinearWeights hh() {
        return hh;
    }

    public Param biasIh() {
        return biasIh;
    }

    public Param biasHh() {
        return biasHh;
    }

    /** All hidden states {@code [T, N, H]} for an input {@code [T, N, in]}, from a zero state. */
    @Override
    public Tensor forward(Tensor x, Mode mode) {
        return run.forward(x, null, null);
    }

    /**
     * All hidden states {@code [T, N, H]} for an input {@code [T, N, in]} from the state
     * {@code (h0, c0)} ({@code [N, H]} each; either may be null for zero). The final state is
     * {@link #lastHidden()} and {@link #lastCell()}.
     */
    public Tensor forward(Tensor x, Tensor h0, Tensor c0) {
        return run.forward(x, h0, c0);
    }

    /** {@code h_T} of the last forward ({@code [N, H]}, a copy): PyTorch's {@code h_n}. */
    public Tensor lastHidden() {
        return run.lastHidden();
    }

    /** {@code c_T} of the last forward ({@code [N, H]}, a copy): PyTorch's {@code c_n}. */
    public Tensor lastCell() {
        return run.lastCell();
    }

    @Override
    public Tensor backward(Tensor dy) {
        return run.backward(dy, null, null, true);
    }

    /**
     * Backpropagation through time from {@code dy [T, N, H]} and, when not null, the gradients of
     * the final state {@code dhLast}, {@code dcLast} ({@code [N, H]}); returns {@code ∂L/∂x} and
     * accumulates every parameter's gradient. The initial state's gradients are then
     * {@link #initialHiddenGradient()} and {@link #initialCellGradient()}.
     */
    public Tensor backward(Tensor dy, Tensor dhLast, Tensor dcLast) {
        return run.backward(dy, dhLast, dcLast, true);
    }

    /** Skips {@code ∂L/∂x}, one GEMM of {@code [T·N, 4H] · [4H, in]}. */
    @Override
    public void backwardParamsOnly(Tensor dy) {
        run.backward(dy, null, null, false);
    }

    /** {@code ∂L/∂h_0} of the last backward ({@code [N, H]}; the layer's buffer). */
    public Tensor initialHiddenGradient() {
        return run.initialHiddenGradient();
    }

    /** {@code ∂L/∂c_0} of the last backward ({@code [N, H]}; the layer's buffer). */
    public Tensor initialCellGradient() {
        return run.initialCellGradient();
    }

    @Override
    public LinkedHashMap<String, LinearWeights> weightsByName() {
        LinkedHashMap<String, LinearWeights> out = new LinkedHashMap<>();
        out.put(WEIGHT_IH, ih);
        out.put(WEIGHT_HH, hh);
        return out;
    }

    /** The same LSTM with one weight re-parameterized; the other weight and both biases are shared. */
    @Override
    public Lstm withWeights(String name, LinearWeights weights) {
        LinearWeights current = weightsByName().get(name);
        if (current == null) {
            throw new IllegalArgumentException(describe() + " has weights " + WEIGHT_NAMES + ", not '" + name + "'");
        }
        if (!Arrays.equals(weights.shape(), current.shape())) {
            throw new IllegalArgumentException(describe() + ": new " + name + " " + Arrays.toString(weights.shape())
                    + " does not match " + Arrays.toString(current.shape()));
        }
        return WEIGHT_IH.equals(name) ? new Lstm(weights, hh, biasIh, biasHh) : new Lstm(ih, weights, biasIh, biasHh);
    }

    /**
     * PyTorch's state-dict order: the plain weights, the biases, then each weight-normed weight's
     * {@code _g} and {@code _v} (as {@code weight_norm} appends them, here ih before hh). Loading is
     * by name, so the order matters only for listing.
     */
    @Override
    public List<Param> params() {
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

    @Override
    public String describe() {
        return "LSTM(" + in + "->" + hidden + ", ih " + ih.kind() + ", hh " + hh.kind() + ")";
    }
}
