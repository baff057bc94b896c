package org.weightnorm4j.nn;

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

    private final LstmParams p;
    private final LstmSequence run;

    /** {@code nn.LSTM(in, hidden)} in float32, PyTorch's initialisation: every parameter uniform in ±1/√hidden. */
    public Lstm(int in, int hidden, RandomGenerator rng) {
        this(in, hidden, DType.FLOAT32, rng);
    }

    /** As {@link #Lstm(int, int, RandomGenerator)}, in {@code dtype}; parameters drawn in PyTorch's order. */
    public Lstm(int in, int hidden, DType dtype, RandomGenerator rng) {
        this(LstmParams.pytorchDefault(SUFFIX, in, hidden, dtype, rng));
    }

    /**
     * An LSTM with these weights ({@code [4H, in]} and {@code [4H, H]}, neither with a bias of its
     * own) and biases ({@code [4H]} each; the tensors are used, not copied).
     */
    public Lstm(LinearWeights ih, LinearWeights hh, Tensor biasIh, Tensor biasHh) {
        this(LstmParams.of(SUFFIX, ih, hh, biasIh, biasHh));
    }

    private Lstm(LstmParams p) {
        this.p = p;
        this.run = new LstmSequence(this);
    }

    /** PyTorch's {@code nn.LSTM} names its layer-0 parameters with this suffix. */
    private static final String SUFFIX = "_l0";

    public int inputSize() {
        return p.in();
    }

    public int hiddenSize() {
        return p.hidden();
    }

    LinearWeights ih() {
        return p.ih();
    }

    LinearWeights hh() {
        return p.hh();
    }

    public Param biasIh() {
        return p.biasIh();
    }

    public Param biasHh() {
        return p.biasHh();
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
        return p.weightsByName();
    }

    /** The same LSTM with one weight re-parameterized; the other weight and both biases are shared. */
    @Override
    public Lstm withWeights(String name, LinearWeights weights) {
        return new Lstm(p.with(name, weights, describe()));
    }

    /**
     * PyTorch's state-dict order: the plain weights, the biases, then each weight-normed weight's
     * {@code _g} and {@code _v} (as {@code weight_norm} appends them, here ih before hh). Loading is
     * by name, so the order matters only for listing.
     */
    @Override
    public List<Param> params() {
        return p.params();
    }

    @Override
    public String describe() {
        return "LSTM(" + p.in() + "->" + p.hidden() + ", " + p.kinds() + ")";
    }
}
