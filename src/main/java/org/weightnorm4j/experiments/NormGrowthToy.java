package org.weightnorm4j.experiments;

import java.util.SplittableRandom;
import org.weightnorm4j.norm.WeightNorm;
import org.weightnorm4j.tensor.Tensor;

/**
 * §2.1's self-stabilising effective learning rate on the smallest example that shows it: one
 * weight-normalized unit with two inputs, {@code w = g v/‖v‖} (Eq. 2), the loss
 * {@code L = ½‖w − w*‖²}, trained by plain SGD on {@code v} twice — with the exact gradient
 * {@code ∇w L = w − w*}, and with Gaussian noise of standard deviation {@code noise} added to it,
 * as a minibatch would. {@code g} is held at {@code ‖w*‖}: only the direction learns, so
 * {@code g/‖v‖} moves through {@code ‖v‖} alone. Every step {@code ‖v‖} can only grow (Eq. 4 and
 * Pythagoras); with noise the steps are larger, {@code ‖v‖} grows faster and the scale
 * {@code g/‖v‖} of the direction's gradient (the effective learning rate {@code η g/‖v‖²}) falls.
 *
 * @param seed  the noise
 * @param steps SGD steps
 * @param lr    {@code η}
 * @param noise standard deviation of the noise added to each coordinate of {@code ∇w L}
 */
public record NormGrowthToy(long seed, int steps, double lr, double noise) {

    /** {@code ‖w*‖}, and the fixed {@code g}. */
    static final double TARGET_NORM = 1.5;
    /** The target weight {@code w*}: at 40° from the starting direction {@code v = (1, 0)}. */
    static final double[] TARGET = {TARGET_NORM * Math.cos(Math.toRadians(40)), TARGET_NORM * Math.sin(Math.toRadians(40))};

    /** The defaults the report uses: large enough to see the effect, small enough for a few milliseconds. */
    public static NormGrowthToy standard(long seed) {
        return new NormGrowthToy(seed, 300, 0.1, 1.0);
    }

    public NormGrowthToy {
        if (steps < 1 || !(lr > 0) || !(noise > 0)) {
            throw new IllegalArgumentException("norm-growth toy: need steps >= 1, lr > 0, noise > 0");
        }
    }

    /**
     * One run, each array of {@code steps + 1} values (before the first step, then after each).
     *
     * @param name   "clean" or "noisy"
     * @param normV  {@code ‖v‖}
     * @param g      {@code g} (constant: held at {@code ‖w*‖})
     * @param loss   {@code ½‖w − w*‖²} (without the noise)
     */
    public record Run(String name, double[] normV, double[] g, double[] loss) {
        /** {@code g/‖v‖}: the factor Eq. 4 puts on the direction's gradient. */
        public double[] scale() {
            double[] s = new double[normV.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = g[i] / normV[i];
            }
            return s;
        }
    }

    /** The two runs, from the same start; the noisy one with the noise of {@code seed}. */
    public record Result(NormGrowthToy settings, Run clean, Run noisy) {
    }

    public Result run() {
        return new Result(this, train("clean", null), train("noisy", new SplittableRandom(seed)));
    }

    private Run train(String name, SplittableRandom rng) {
        double[] v = {1, 0};
        double[] g = {TARGET_NORM};
        double[] normV = new double[steps + 1];
        double[] gs = new double[steps + 1];
        double[] loss = new double[steps + 1];
        for (int t = 0; ; t++) {
            double n = Math.hypot(v[0], v[1]);
            double[] w = {g[0] * v[0] / n, g[0] * v[1] / n};                        // Eq. 2
            double[] gradW = {w[0] - TARGET[0], w[1] - TARGET[1]};                  // ∇w of ½‖w − w*‖²
            normV[t] = n;
            gs[t] = g[0];
            loss[t] = 0.5 * (gradW[0] * gradW[0] + gradW[1] * gradW[1]);
            if (t == steps) {
                break;
            }
            if (rng != null) {
                gradW[0] += noise * rng.nextGaussian();                             // a noisy estimate of ∇w L
                gradW[1] += noise * rng.nextGaussian();
            }
            WeightNorm.Gradients eq3 = WeightNorm.gradients(Tensor.wrap(gradW, 1, 2), Tensor.wrap(g.clone(), 1),
                    Tensor.wrap(v.clone(), 1, 2), WeightNorm.PER_UNIT, "toy");       // Eq. 3
            v[0] -= lr * eq3.gradV().get(0);                                        // plain SGD, no momentum, no decay

            v[1] -= lr * eq3.gradV().get(1);
        }
        return new Run(name, normV, gs, loss);
    }
}
