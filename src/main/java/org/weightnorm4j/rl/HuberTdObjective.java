package org.weightnorm4j.rl;

import java.util.List;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.train.Objective;

/**
 * DQN's loss as an {@link Objective}: the Huber loss (PyTorch's {@code smooth_l1_loss}, δ = 1,
 * mean over the minibatch) between the online network's {@code Q(s, a)} for each replayed action
 * and its bootstrapped target {@code y}:
 * <pre>
 *   d = Q(s, a) − y,   loss = (1/B) Σ h(d),   h(d) = d²/2 if |d| &lt; 1, else |d| − 1/2
 *   ∂loss/∂Q(s, a) = clamp(d, −1, 1) / B,    and 0 for every action not taken
 * </pre>
 * The targets are given ({@link TdTargets}); the network they came from (the target network) gets
 * no gradient. Reports the metric {@code "q_taken"}: the sum over the batch of {@code Q(s, a)}.
 */
public final class HuberTdObjective implements Objective<HuberTdObjective.TdTargets> {
    /** The metric: Σ Q(s, a) over the minibatch (per example: the mean Q of the actions taken). */
    public static final String Q_TAKEN = "q_taken";

    /** A minibatch's actions and bootstrapped returns {@code y = r + γ (1 − done) max Q_target(s', ·)}. */
    public record TdTargets(int[] actions, float[] y) {
    }

    private Tensor gradient;
    private double qSum;

    @Override
    public double loss(Tensor output, TdTargets targets) {
        if (output.rank() != 2 || output.dim(0) != targets.actions().length || targets.y().length < output.dim(0)) {
            throw new IllegalArgumentException("Huber TD loss: output " + java.util.Arrays.toString(output.shape())
                    + " does not fit " + targets.actions().length + " actions");
        }
        int b = output.dim(0);
        int n = output.dim(1);
        if (gradient == null || !gradient.hasShape(b, n)) {
            gradient = Tensor.zeros(b, n);
        }
        float[] q = output.data();
        float[] g = gradient.data();
        java.util.Arrays.fill(g, 0f);
        double sum = 0;
        double qs = 0;
        for (int i = 0; i < b; i++) {
            int a = targets.actions()[i];
            if (a < 0 || a >= n) {
                throw new IllegalArgumentException("action " + a + " out of range for " + n + " outputs");
            }
            double qa = q[i * n + a];
            double d = qa - targets.y()[i];
            double ad = Math.abs(d);
            sum += ad < 1 ? 0.5 * d * d : ad - 0.5;
            g[i * n + a] = (float) (Math.max(-1, Math.min(1, d)) / b);
            qs += qa;
        }
        qSum = qs;
        return sum / b;
    }

    @Override
    public Tensor gradient() {
        if (gradient == null) {
            throw new IllegalStateException("gradient() before loss()");
        }
        return gradient;
    }

    @Override
    public List<String> metricNames() {
        return List.of(Q_TAKEN);
    }

    @Override
    public void metricTotals(double[] into) {
        into[0] = qSum;
    }
}
