package org.weightnorm4j.generative;

import java.util.List;
import org.weightnorm4j.nn.Buffers;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.train.Objective;

/**
 * DRAW's objective for {@code train.TrainStep}: the model's output is one row per image,
 * {@code [reconstruction, KL]} (nats, {@link Draw#forward}); the loss is the bound averaged over
 * the minibatch, {@code (1/N) Σ_n (reconstruction_n + KL_n)}, so its gradient is {@code 1/N} on
 * both columns. Metrics: the two terms' totals.
 */
public final class DrawBoundObjective implements Objective<Void> {
    public static final String RECONSTRUCTION = "reconstruction";
    public static final String KL = "kl";

    private Tensor output;
    private Tensor gradient;

    @Override
    public double loss(Tensor out, Void targets) {
        if (out.rank() != 2 || out.dim(1) != 2) {
            throw new IllegalArgumentException("DRAW bound: expected the model's output [N, 2] (reconstruction, KL) but got "
                    + java.util.Arrays.toString(out.shape()));
        }
        output = out;
        int n = out.dim(0);
        double s = 0;
        for (int i = 0; i < 2 * n; i++) {
            s += out.get(i);
        }
        gradient = Buffers.ensure(gradient, out, n, 2);
        gradient.fill(1.0 / n);
        return s / n;
    }

    @Override
    public Tensor gradient() {
        if (gradient == null) {
            throw new IllegalStateException("DRAW bound: gradient before loss");
        }
        return gradient;
    }

    @Override
    public List<String> metricNames() {
        return List.of(RECONSTRUCTION, KL);
    }

    @Override
    public void metricTotals(double[] into) {
        double r = 0, k = 0;
        for (int i = 0; i < output.dim(0); i++) {
            r += output.get(2 * i);
            k += output.get(2 * i + 1);
        }
        into[0] = r;
        into[1] = k;
    }
}
