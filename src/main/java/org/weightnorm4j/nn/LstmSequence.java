package org.weightnorm4j.nn;

import java.util.Arrays;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Tensor;

/**
 * The forward pass and the backpropagation through time of an {@link Lstm}, with the buffers they
 * reuse across calls. Layout: a sequence {@code [T, N, ·]} is {@code T·N} rows, step {@code t}
 * the rows {@code [t·N, (t+1)·N)}, so a step is a row range ({@link RowGemm}) and all steps
 * together one matrix (the GEMMs over all steps).
 */
final class LstmSequence {
    private final Lstm layer;
    private final int in;
    private final int hidden;

    private Tensor x;
    private Tensor h0;
    private Tensor c0;
    private int steps;
    private int batch;
    /** This pass's weight-norm scales (null for plain weights) and {@code w_hh = s_hh ⊙ v_hh}. */
    private Tensor scaleIh;
    private Tensor wHh;

    private Tensor gates;
    private Tensor c;
    private Tensor tanhC;
    private Tensor y;
    private Tensor zero;
    private Tensor biasSum;
    private Tensor wHhBuffer;
    private Tensor wIhBuffer;
    private Tensor dGates;
    private Tensor dhRec;
    private Tensor dc;
    private Tensor gradWih;
    private Tensor gradWhh;
    private Tensor dx;
    /** {@code w_hh} as the steps' right operand, packed once per pass: {@code w_hhᵀ} forward, {@code w_hh} backward. */
    private final PassWeight hhForward;
    private final PassWeight hhBackward;

    LstmSequence(Lstm layer) {
        this.layer = layer;
        this.in = layer.inputSize();
        this.hidden = layer.hiddenSize();
        this.hhForward = new PassWeight(layer.describe() + " " + Lstm.WEIGHT_HH + " (forward)");
        this.hhBackward = new PassWeight(layer.describe() + " " + Lstm.WEIGHT_HH + " (backward)");
    }

    Tensor forward(Tensor input, Tensor hInit, Tensor cInit) {
        if (input.rank() != 3 || input.dim(2) != in) {
            throw new IllegalArgumentException(layer.describe() + ": expected input [T, N, " + in
                    + "] (sequence first, as nn.LSTM's default) but got " + Arrays.toString(input.shape()));
        }
        int t4 = 4 * hidden;
        steps = input.dim(0);
        batch = input.dim(1);
        requireState("h0", hInit, input);
        requireState("c0", cInit, input);
        x = input;
        h0 = hInit;
        c0 = cInit;
        String name = layer.describe();
        scaleIh = layer.ih().prepareScale(name + " " + Lstm.WEIGHT_IH);
        Tensor scaleHh = layer.hh().prepareScale(name + " " + Lstm.WEIGHT_HH);
        wHhBuffer = scaled(layer.hh(), scaleHh, wHhBuffer);
        wHh = scaleHh == null ? layer.hh().direction() : wHhBuffer;
        biasSum = Buffers.ensure(biasSum, input, t4);
        biasSum.copyFrom(layer.biasIh().value());
        Kernels.axpy(1, layer.biasHh().value(), biasSum);                         // b_ih + b_hh

        int rows = steps * batch;
        gates = Buffers.ensure(gates, input, steps, batch, t4);
        Tensor g2 = gates.reshape(rows, t4);
        Kernels.matmul(input.reshape(rows, in), false, layer.ih().direction(), true, g2, false); // x v_ihᵀ, all steps
        Kernels.channelScaleShift(g2, scaleIh, biasSum, g2);                      // s_ih ⊙ (x v_ihᵀ) + b_ih + b_hh
        c = Buffers.ensure(c, input, steps, batch, hidden);
        tanhC = Buffers.ensure(tanhC, input, steps, batch, hidden);
        y = Buffers.ensure(y, input, steps, batch, hidden);
        zero = Buffers.ensure(zero, input, batch, hidden);                          // never written: c_{−1} = 0
        int stepH = batch * hidden, stepG = batch * t4;
        hhForward.pack(wHh, true, hidden, t4, hidden);                              // w_hhᵀ, once for all steps
        try {
            for (int t = 0; t < steps; t++) {
                Tensor hPrev = t == 0 ? h0 : y;
                if (hPrev != null) {                                                // a_t += h_{t−1} w_hhᵀ, all gates
                    hhForward.multiply(batch, hPrev, t == 0 ? 0 : (t - 1) * stepH, hidden, gates, t * stepG, t4, true);
                }
                Kernels.lstmCellForward(gates, t * stepG, cPrev(t), pOff(t), c, tanhC, y, t * stepH, batch, hidden);
            }
        } finally {
            hhForward.release();
        }
        return y;
    }

    Tensor backward(Tensor dy, Tensor dhLast, Tensor dcLast, boolean forInput) {
        if (x == null) {
            throw new IllegalStateException(layer.describe() + ": backward called before forward");
        }
        dy.requireShape(layer.describe() + " output gradient", steps, batch, hidden);
        int t4 = 4 * hidden, stepH = batch * hidden, stepG = batch * t4, rows = steps * batch;
        dhRec = stateGradient(dhRec, dhLast, dy);
        dc = stateGradient(dc, dcLast, dy);
        dGates = Buffers.ensure(dGates, dy, steps, batch, t4);
        hhBackward.pack(wHh, false, t4, hidden, hidden);                           // w_hh, once for all steps
        try {
            for (int t = steps - 1; t >= 0; t--) {
                Kernels.lstmCellBackward(gates, t * stepG, cPrev(t), pOff(t), tanhC, dy, t * stepH, dhRec, dc, dGates,
                        batch, hidden);
                hhBackward.multiply(batch, dGates, t * stepG, t4, dhRec, 0, hidden, false); // ∂h_{t−1} from step t: ∂a_t w_hh
            }
        } finally {
            hhBackward.release();
        }
        gradWhh = Buffers.ensure(gradWhh, dy, t4, hidden);
        if (steps > 1) {                                                            // ∇W_hh = Σ_{t≥1} ∂a_tᵀ h_{t−1}
            RowGemm.gemm(true, false, t4, hidden, (steps - 1) * batch, dGates, stepG, t4, y, 0, hidden,
                    gradWhh, 0, hidden, false);
        } else {
            gradWhh.fill(0);
        }
        if (h0 != null) {                                                           // + ∂a_0ᵀ h_0
            RowGemm.gemm(true, false, t4, hidden, batch, dGates, 0, t4, h0, 0, hidden, gradWhh, 0, hidden, true);
        }
        layer.hh().accumulateGradients(gradWhh);                                   // Eq. 3 for weight norm
        Tensor dG2 = dGates.reshape(rows, t4);
        Tensor x2 = x.reshape(rows, in);
        gradWih = Buffers.ensure(gradWih, dy, t4, in);
        Kernels.matmul(dG2, true, x2, false, gradWih, false);                      // ∇W_ih = Σ_t ∂a_tᵀ x_t
        layer.ih().accumulateGradients(gradWih);
        Kernels.channelSums(dG2, layer.biasIh().grad(), true);                     // ∇b_ih = ∇b_hh = Σ ∂a
        Kernels.channelSums(dG2, layer.biasHh().grad(), true);
        if (!forInput) {
            return null;
        }
        wIhBuffer = scaled(layer.ih(), scaleIh, wIhBuffer);
        Tensor wIh = scaleIh == null ? layer.ih().direction() : wIhBuffer;
        dx = Buffers.ensure(dx, dy, steps, batch, in);
        Kernels.matmul(dG2, false, wIh, false, dx.reshape(rows, in), false);       // ∂x = ∂a w_ih
        return dx;
    }

    Tensor lastHidden() {
        return lastRows(y);
    }

    Tensor lastCell() {
        return lastRows(c);
    }

    Tensor initialHiddenGradient() {
        return dhRec;
    }

    Tensor initialCellGradient() {
        return dc;
    }

    /** {@code c_{t−1}}: the initial cell state (or zero) for step 0, else the previous step's rows of {@code c}. */
    private Tensor cPrev(int t) {
        return t > 0 ? c : c0 != null ? c0 : zero;
    }

    private int pOff(int t) {
        return t > 0 ? (t - 1) * batch * hidden : 0;
    }

    /** {@code s ⊙ d} row by row into {@code buffer} (when there is a scale): {@code w} of Eq. 2. */
    private static Tensor scaled(LinearWeights weights, Tensor scale, Tensor buffer) {
        if (scale == null) {
            return buffer;
        }
        Tensor d = weights.direction();
        int units = d.dim(0), fanIn = d.sizeFrom(1);
        Tensor out = Buffers.ensure(buffer, d, d.shape());
        Kernels.channelScaleShift(d.reshape(1, units, fanIn), scale, null, out.reshape(1, units, fanIn));
        return out;
    }

    /** A {@code [N, H]} gradient buffer set to {@code given} or to zero. */
    private Tensor stateGradient(Tensor buffer, Tensor given, Tensor like) {
        Tensor out = Buffers.ensure(buffer, like, batch, hidden);
        if (given == null) {
            out.fill(0);
        } else {
            given.requireShape(layer.describe() + " final-state gradient", batch, hidden);
            out.copyFrom(given);
        }
        return out;
    }

    private void requireState(String what, Tensor state, Tensor input) {
        if (state != null) {
            state.requireShape(layer.describe() + " " + what, input.dim(1), hidden);
            state.requireSameType(layer.describe() + " " + what, input);
        }
    }

    private Tensor lastRows(Tensor seq) {
        if (seq == null) {
            throw new IllegalStateException(layer.describe() + ": no forward yet");
        }
        Tensor out = seq.zerosLike(batch, hidden);
        int from = (steps - 1) * batch * hidden;
        for (int i = 0; i < out.size(); i++) {
            out.set(i, seq.get(from + i));
        }
        return out;
    }
}
