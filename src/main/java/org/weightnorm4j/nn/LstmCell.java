package org.weightnorm4j.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.random.RandomGenerator;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Tensor;

/**
 * One LSTM cell, PyTorch's {@code nn.LSTMCell(in, hidden)}, run one step at a time by a loop
 * outside it, with backpropagation through time driven from outside as well: what a model needs
 * whose input at step {@code t} depends on its own output at {@code t − 1} (DRAW's encoder reads
 * through the decoder's previous state), so that the whole sequence cannot be handed to
 * {@link Lstm} at once.
 *
 * <p>The equations are {@link Lstm}'s (gate order i, f, g, o) and so is the element-wise gate math:
 * both run {@link Kernels#lstmCellForward} and {@link Kernels#lstmCellBackward}, one fused pass per
 * step each way.
 *
 * <p><b>Names.</b> PyTorch's {@code LSTMCell} names its parameters {@code weight_ih [4H, in]},
 * {@code weight_hh [4H, H]}, {@code bias_ih [4H]}, {@code bias_hh [4H]} — without the {@code _l0}
 * of {@code nn.LSTM} — and this cell follows it, so {@code WeightNorm.apply(cell, "weight_hh", 0)}
 * gives {@code weight_hh_g [4H, 1]} and {@code weight_hh_v [4H, H]} (one norm per gate row), the
 * names {@code torch.nn.utils.weight_norm(cell, 'weight_hh')} gives, and a state dict loads into
 * PyTorch.
 *
 * <p><b>Call order</b> for a sequence of at most {@code T} steps:
 * <pre>{@code
 * cell.begin(T, batch, like);                 // state (h, c) = 0; weights (w = g v/||v||) fixed for the pass
 * for t = 0..T-1:  h_t = cell.step(t, x_t);   // returns the cell's [N, H] tensor for step t
 * for t = T-1..0:  dx_t = cell.backwardStep(t, dh_t);  // dh_t: ∂L/∂h_t from outside the recurrence
 * cell.finishBackward();                       // accumulates ∇W_ih, ∇W_hh, ∇b (Eq. 3 for weight norm)
 * }</pre>
 * The recurrent gradient ({@code ∂h_{t−1}} and {@code ∂c_{t−1}} through the cell itself) stays
 * inside; the caller adds only what reaches {@code h_t} from elsewhere.
 *
 * <p><b>One GEMM per step.</b> Each step's input and previous state sit side by side in one row,
 * {@code [x_t, h_{t−1}]}, and the two weights side by side in {@code W = [w_ih | w_hh]}
 * ({@code [4H, in + H]}, built once per pass, with {@code w = s ⊙ v} for weight norm), so all four
 * gates of a step are one GEMM {@code [N, in+H] · Wᵀ}, and backward one GEMM {@code ∂a_t W} for both
 * {@code ∂x_t} and {@code ∂h_{t−1}}. The weight gradients wait for {@link #finishBackward}: one GEMM
 * over all steps, {@code Σ_t ∂a_tᵀ [x_t, h_{t−1}]}, split into the two weights' columns.
 */
public final class LstmCell implements WeightedLayer, StepLayer {
    /** PyTorch's {@code LSTMCell} names (no {@code _l0}). */
    public static final String WEIGHT_IH = "weight_ih";
    public static final String WEIGHT_HH = "weight_hh";
    public static final List<String> WEIGHT_NAMES = List.of(WEIGHT_IH, WEIGHT_HH);

    private final LstmParams p;
    private final int in;
    private final int hidden;
    private final LinearWeights ih;
    private final LinearWeights hh;
    private final ScaleShift ihScale;
    private final ScaleShift hhScale;

    private int capacity;
    private int batch;
    private int forwardSteps;
    private int nextBackward;
    private boolean inBackward;
    private Tensor w;           // [4H, in+H] = [w_ih | w_hh] for this pass
    private Tensor biasSum;     // b_ih + b_hh
    private Tensor xh;          // [T, N, in+H]: [x_t, h_{t−1}]
    private Tensor gates;       // [T, N, 4H] activated gates
    private Tensor c;           // [T, N, H]
    private Tensor tanhC;       // [T, N, H]
    private Tensor h;           // [T, N, H]
    private Tensor[] hOut;      // per step [N, H] copies handed out
    private Tensor zero;        // [N, H], never written: c_{−1} = 0
    private Tensor dGates;      // [T, N, 4H]
    private Tensor dExternal;   // [T, N, H]: the kernel reads ∂h_t at the offset of tanh(c_t)
    private Tensor dhRec;       // [N, H]
    private Tensor dc;          // [N, H]
    private Tensor dxh;         // [N, in+H]
    private Tensor dx;          // [N, in]
    private Tensor gradW;       // [4H, in+H]
    private Tensor gradIh;      // [4H, in]
    private Tensor gradHh;      // [4H, H]
    private final PassWeight wForward;   // Wᵀ as every step's right operand, packed once per pass (begin)
    private final PassWeight wBackward;  // W likewise, packed at the first backward step

    /** {@code nn.LSTMCell(in, hidden)}, PyTorch's initialisation: every parameter uniform in ±1/√hidden. */
    public LstmCell(int in, int hidden, DType dtype, RandomGenerator rng) {
        this(LstmParams.pytorchDefault("", in, hidden, dtype, rng));
    }

    /** A cell with these weights ({@code [4H, in]}, {@code [4H, H]}, no biases of their own) and biases ({@code [4H]}; used, not copied). */
    public LstmCell(LinearWeights ih, LinearWeights hh, Tensor biasIh, Tensor biasHh) {
        this(LstmParams.of("", ih, hh, biasIh, biasHh));
    }

    private LstmCell(LstmParams p) {
        this.p = p;
        this.in = p.in();
        this.hidden = p.hidden();
        this.ih = p.ih();
        this.hh = p.hh();
        this.ihScale = new ScaleShift(ih);
        this.hhScale = new ScaleShift(hh);
        this.wForward = new PassWeight(describe() + " [w_ih | w_hh] (forward)");
        this.wBackward = new PassWeight(describe() + " [w_ih | w_hh] (backward)");
    }

    public int inputSize() {
        return in;
    }

    public int hiddenSize() {
        return hidden;
    }

    public Param biasIh() {
        return p.biasIh();
    }

    public Param biasHh() {
        return p.biasHh();
    }

    /**
     * Starts a pass of at most {@code steps} steps over {@code batch} rows, in {@code like}'s dtype:
     * the state is zero, and the weights are taken as they are now for every step of the pass
     * (as they would be within one PyTorch forward, where no parameter changes).
     */
    @Override
    public void begin(int steps, int batch, Tensor like) {
        if (steps < 1 || batch < 1) {
            throw new IllegalArgumentException(describe() + ": a pass needs at least one step and one row, got "
                    + steps + " steps of " + batch);
        }
        ih.direction().requireSameType(describe() + " (weights vs input)", like);
        this.capacity = steps;
        this.batch = batch;
        this.forwardSteps = 0;
        this.inBackward = false;
        int k = in + hidden, g4 = 4 * hidden;
        w = Buffers.ensure(w, like, g4, k);
        ihScale.prepare(describe() + " " + WEIGHT_IH);                          // w = g v/||v|| (Eq. 2), once per pass
        hhScale.prepare(describe() + " " + WEIGHT_HH);
        RowCopy.copy(ihScale.scaledDirection(ih.direction()), 0, in, w, 0, k, g4, in);
        RowCopy.copy(hhScale.scaledDirection(hh.direction()), 0, hidden, w, in, k, g4, hidden);
        wForward.pack(w, true, k, g4, k);                                        // Wᵀ for every step of the pass
        wBackward.release();
        biasSum = Buffers.ensure(biasSum, like, g4);
        biasSum.copyFrom(p.biasIh().value());
        Kernels.axpy(1, p.biasHh().value(), biasSum);
        xh = Buffers.ensure(xh, like, steps, batch, k);
        gates = Buffers.ensure(gates, like, steps, batch, g4);
        c = Buffers.ensure(c, like, steps, batch, hidden);
        tanhC = Buffers.ensure(tanhC, like, steps, batch, hidden);
        h = Buffers.ensure(h, like, steps, batch, hidden);
        zero = Buffers.ensure(zero, like, batch, hidden);
        hOut = Buffers.ensurePerStep(hOut, like, steps, batch, hidden);
    }

    /**
     * Step {@code t} (the next one: steps run in order from 0) on {@code x_t [N, in]}; returns
     * {@code h_t [N, H]}, the cell's tensor for that step, valid until the next {@link #begin}.
     */
    @Override
    public Tensor step(int t, Tensor x) {
        if (t != forwardSteps || t >= capacity) {
            throw new IllegalStateException(describe() + ": step " + t + " out of order (next is " + forwardSteps
                    + " of " + capacity + "; call begin first)");
        }
        x.requireShape(describe() + " input at step " + t, batch, in);
        x.requireSameType(describe() + " input", w);
        int k = in + hidden, g4 = 4 * hidden, rowOff = t * batch * k;
        RowCopy.copy(x, 0, in, xh, rowOff, k, batch, in);
        RowCopy.copy(t > 0 ? h : zero, t > 0 ? (t - 1) * batch * hidden : 0, hidden, xh, rowOff + in, k, batch, hidden);
        int gOff = t * batch * g4;
        RowCopy.copy(biasSum, 0, 0, gates, gOff, g4, batch, g4);                // a_t = b_ih + b_hh ...
        wForward.multiply(batch, xh, rowOff, k, gates, gOff, g4, true);         // ... + [x, h] Wᵀ
        int off = t * batch * hidden;
        Tensor cPrev = t > 0 ? c : zero;
        int pOff = t > 0 ? (t - 1) * batch * hidden : 0;
        Kernels.lstmCellForward(gates, gOff, cPrev, pOff, c, tanhC, h, off, batch, hidden);
        RowCopy.copy(h, off, hidden, hOut[t], 0, hidden, batch, hidden);
        forwardSteps = t + 1;
        return hOut[t];
    }

    /**
     * Backward through step {@code t} (steps go back in order from the last one run), given
     * {@code dh [N, H]}, the gradient reaching {@code h_t} from outside the cell (null for none);
     * returns {@code ∂L/∂x_t [N, in]} (the cell's buffer, overwritten by the next call).
     */
    @Override
    public Tensor backwardStep(int t, Tensor dh) {
        if (!inBackward) {
            if (forwardSteps == 0) {
                throw new IllegalStateException(describe() + ": backward called before forward");
            }
            nextBackward = forwardSteps - 1;
            dGates = Buffers.ensure(dGates, w, capacity, batch, 4 * hidden);
            dhRec = Buffers.ensure(dhRec, w, batch, hidden);
            dc = Buffers.ensure(dc, w, batch, hidden);
            dExternal = Buffers.ensure(dExternal, w, capacity, batch, hidden);
            dxh = Buffers.ensure(dxh, w, batch, in + hidden);
            dx = Buffers.ensure(dx, w, batch, in);
            dhRec.fill(0);
            dc.fill(0);
            wBackward.pack(w, false, 4 * hidden, in + hidden, in + hidden);      // W for every backward step
            inBackward = true;
        }
        if (t != nextBackward) {
            throw new IllegalStateException(describe() + ": backward step " + t + " out of order (expected " + nextBackward + ")");
        }
        int k = in + hidden, g4 = 4 * hidden, gOff = t * batch * g4, off = t * batch * hidden;
        if (dh == null) {
            RowCopy.copy(zero, 0, hidden, dExternal, off, hidden, batch, hidden);
        } else {
            dh.requireShape(describe() + " hidden gradient at step " + t, batch, hidden);
            dh.requireSameType(describe() + " hidden gradient", w);
            RowCopy.copy(dh, 0, hidden, dExternal, off, hidden, batch, hidden);
        }
        Tensor cPrev = t > 0 ? c : zero;
        int pOff = t > 0 ? (t - 1) * batch * hidden : 0;
        Kernels.lstmCellBackward(gates, gOff, cPrev, pOff, tanhC, dExternal, off,
                dhRec, dc, dGates, batch, hidden);
        wBackward.multiply(batch, dGates, gOff, g4, dxh, 0, k, false);          // ∂[x, h_{t−1}] = ∂a_t W
        RowCopy.copy(dxh, 0, k, dx, 0, in, batch, in);
        RowCopy.copy(dxh, in, k, dhRec, 0, hidden, batch, hidden);              // ∂h_{t−1} through the cell
        nextBackward = t - 1;
        return dx;
    }

    /**
     * Accumulates the parameter gradients of the steps gone back through since {@link #begin}:
     * {@code ∇W = Σ_t ∂a_tᵀ [x_t, h_{t−1}]} in one GEMM, each weight's columns handed to its
     * parameterization (Eq. 3 for weight norm), and {@code ∇b_ih = ∇b_hh = Σ_t ∂a_t}.
     */
    @Override
    public void finishBackward() {
        if (!inBackward) {
            throw new IllegalStateException(describe() + ": finishBackward before any backwardStep");
        }
        int first = nextBackward + 1, steps = forwardSteps - first;
        int k = in + hidden, g4 = 4 * hidden, rows = steps * batch;
        if (steps > 0) {
            gradW = Buffers.ensure(gradW, w, g4, k);
            RowGemm.gemm(true, false, g4, k, rows, dGates, first * batch * g4, g4, xh, first * batch * k, k,
                    gradW, 0, k, false);
            gradIh = Buffers.ensure(gradIh, w, g4, in);
            RowCopy.copy(gradW, 0, k, gradIh, 0, in, g4, in);
            ih.accumulateGradients(gradIh);                                       // Eq. 3 for weight norm
            gradHh = Buffers.ensure(gradHh, w, g4, hidden);
            RowCopy.copy(gradW, in, k, gradHh, 0, hidden, g4, hidden);
            hh.accumulateGradients(gradHh);
            Tensor sums = gradW.zerosLike(g4);
            if (first == 0 && steps == capacity) {
                Kernels.channelSums(dGates.reshape(rows, g4), sums, false);
            } else {
                int base = first * batch * g4;
                for (int j = 0; j < g4; j++) {
                    double s = 0;
                    for (int r = 0; r < rows; r++) {
                        s += dGates.get(base + r * g4 + j);
                    }
                    sums.set(j, s);
                }
            }
            Kernels.axpy(1, sums, p.biasIh().grad());
            Kernels.axpy(1, sums, p.biasHh().grad());
        }
        wBackward.release();
        inBackward = false;
        forwardSteps = 0;
    }

    @Override
    public int stepInputSize() {
        return in;
    }

    @Override
    public LinkedHashMap<String, LinearWeights> weightsByName() {
        return p.weightsByName();
    }

    @Override
    public LstmCell withWeights(String name, LinearWeights weights) {
        return new LstmCell(p.with(name, weights, describe()));
    }

    /** PyTorch's state-dict order, as {@link Lstm#params()}: plain weights, biases, then each normed weight's {@code _g}, {@code _v}. */
    @Override
    public List<Param> params() {
        return p.params();
    }

    @Override
    public String describe() {
        return "LSTMCell(" + in + "->" + hidden + ", " + p.kinds() + ")";
    }
}
