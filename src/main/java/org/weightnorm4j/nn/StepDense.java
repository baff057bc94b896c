package org.weightnorm4j.nn;

import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Tensor;

/**
 * A {@link Dense} layer ({@code nn.Linear}) applied once per step of a recurrent loop run from
 * outside, as {@link LstmCell} is: DRAW's heads ({@code q}, the attention parameters, the write
 * patch) read a state that exists only once the previous step has run, so they cannot take the
 * whole sequence at once, but their weight gradient can wait for the end and be one GEMM over all
 * steps.
 *
 * <p>Call order: {@link #begin} (the weights, {@code w = g v/||v||} for weight norm, are fixed for
 * the pass), {@link #step} for {@code t = 0, 1, ...}, {@link #backwardStep} for every step run (in
 * any order), {@link #finishBackward}: {@code ∇w = Σ_t ∇y_tᵀ x_t} (Eq. 3 for weight norm) and
 * {@code ∇b = Σ_t Σ_n ∇y_t}.
 *
 * <p>Per step it multiplies by {@code w} itself rather than scaling the output by {@code s} as
 * {@link Dense} does: {@code w} is built once per pass and the per-step products stay plain GEMMs.
 */
public final class StepDense extends AbstractDense implements StepLayer {
    private int capacity;
    private int batch;
    private int forwardSteps;
    private boolean inBackward;
    private Tensor w;
    private Tensor xs;        // [T, N, in]
    private Tensor dys;       // [T, N, out]
    private Tensor[] ys;      // per step [N, out]
    private Tensor dx;        // [N, in]
    private Tensor gradW;     // [out, in]

    public StepDense(LinearWeights weights) {
        super("StepDense", weights);
    }

    @Override
    public StepDense withWeights(LinearWeights other) {
        return new StepDense(sameShape(other));
    }

    /** Starts a pass of at most {@code steps} steps over {@code batch} rows in {@code like}'s dtype. */
    @Override
    public void begin(int steps, int batch, Tensor like) {
        if (steps < 1 || batch < 1) {
            throw new IllegalArgumentException(describe() + ": a pass needs at least one step and one row, got "
                    + steps + " steps of " + batch);
        }
        weights.direction().requireSameType(describe() + " (weights vs input)", like);
        capacity = steps;
        this.batch = batch;
        forwardSteps = 0;
        inBackward = false;
        scaleShift.prepare(describe());
        w = scaleShift.scaledDirection(weights.direction());                   // w = s ⊙ d (Eq. 2), once per pass
        xs = Buffers.ensure(xs, like, steps, batch, in);
        ys = Buffers.ensurePerStep(ys, like, steps, batch, out);
    }

    /** {@code y_t = x_t wᵀ + b} for the next step {@code t}; returns the layer's {@code [N, out]} tensor for that step. */
    @Override
    public Tensor step(int t, Tensor x) {
        if (t != forwardSteps || t >= capacity) {
            throw new IllegalStateException(describe() + ": step " + t + " out of order (next is " + forwardSteps
                    + " of " + capacity + "; call begin first)");
        }
        x.requireShape(describe() + " input at step " + t, batch, in);
        RowCopy.copy(x, 0, in, xs, t * batch * in, in, batch, in);
        Tensor y = ys[t];
        Param b = weights.bias();
        if (b != null) {
            RowCopy.copy(b.value(), 0, 0, y, 0, out, batch, out);
        }
        RowGemm.gemm(false, true, batch, out, in, xs, t * batch * in, in, w, 0, in, y, 0, out, b != null);
        forwardSteps = t + 1;
        return y;
    }

    /** Given {@code ∇y_t} of a step that ran, returns {@code ∇x_t = ∇y_t w} (the layer's buffer, overwritten by the next call). */
    @Override
    public Tensor backwardStep(int t, Tensor dy) {
        if (t < 0 || t >= forwardSteps) {
            throw new IllegalStateException(describe() + ": backward step " + t + " but steps 0.." + (forwardSteps - 1) + " ran");
        }
        dy.requireShape(describe() + " output gradient at step " + t, batch, out);
        if (!inBackward) {
            dys = Buffers.ensure(dys, w, capacity, batch, out);
            dys.fill(0);
            dx = Buffers.ensure(dx, w, batch, in);
            inBackward = true;
        }
        RowCopy.add(dy, 0, out, dys, t * batch * out, out, batch, out);
        RowGemm.gemm(false, false, batch, in, out, dy, 0, out, w, 0, in, dx, 0, in, false);
        return dx;
    }

    /** Accumulates {@code ∇w} (handed to the weights: Eq. 3 for weight norm) and {@code ∇b} over every step of the pass. */
    @Override
    public void finishBackward() {
        if (!inBackward) {
            throw new IllegalStateException(describe() + ": finishBackward before any backwardStep");
        }
        int rows = forwardSteps * batch;
        gradW = Buffers.ensure(gradW, w, out, in);
        RowGemm.gemm(true, false, out, in, rows, dys, 0, out, xs, 0, in, gradW, 0, in, false);
        weights.accumulateGradients(gradW);
        Param b = weights.bias();
        if (b != null) {
            Kernels.channelSums(forwardSteps == capacity ? dys.reshape(rows, out) : prefix(rows), b.grad(), true);
        }
        inBackward = false;
        forwardSteps = 0;
    }

    private Tensor prefix(int rows) {
        Tensor p = dys.zerosLike(rows, out);
        RowCopy.copy(dys, 0, out, p, 0, out, rows, out);
        return p;
    }

    @Override
    public int stepInputSize() {
        return in;
    }
}
