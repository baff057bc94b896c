package org.weightnorm4j.nn;

import java.util.random.RandomGenerator;
import org.weightnorm4j.tensor.Tensor;

/**
 * Seeded initial values, as PyTorch and the paper use them.
 *
 * <p>PyTorch's {@code nn.Linear} and {@code nn.Conv2d} draw weights with
 * {@code kaiming_uniform_(a=√5)}, i.e. {@code U(−b, b)} with {@code b = gain·√(3/fanIn)} and
 * {@code gain = √(2/(1+a²))}, which simplifies to {@code b = 1/√fanIn}; the bias is
 * {@code U(−1/√fanIn, 1/√fanIn)}. The paper (and the authors' code) draws the weight-norm
 * direction {@code v ~ N(0, 0.05²)}.
 */
public final class Initializers {

    /** The standard deviation of {@code v} in the paper's code. */
    public static final double PAPER_V_STD = 0.05;

    private Initializers() {
    }

    /** Fan-in of a weight {@code [out, in, kh, kw...]}: everything but the first dimension. */
    public static int fanIn(int[] weightShape) {
        int n = 1;
        for (int i = 1; i < weightShape.length; i++) {
            n *= weightShape[i];
        }
        return n;
    }

    /** PyTorch's default weight init: {@code kaiming_uniform_(w, a=√5)} = {@code U(±1/√fanIn)}. */
    public static void kaimingUniform(Tensor w, RandomGenerator rng) {
        double a = Math.sqrt(5);
        double gain = Math.sqrt(2 / (1 + a * a));
        double bound = gain * Math.sqrt(3.0 / fanIn(w.shape()));
        uniform(w, -bound, bound, rng);
    }

    /** PyTorch's default bias init: {@code U(±1/√fanIn)}. */
    public static void biasUniform(Tensor b, int fanIn, RandomGenerator rng) {
        double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
        uniform(b, -bound, bound, rng);
    }

    /** {@code U(lo, hi)} element-wise. */
    public static void uniform(Tensor t, double lo, double hi, RandomGenerator rng) {
        for (int i = 0; i < t.size(); i++) {
            t.set(i, lo + (hi - lo) * rng.nextDouble());
        }
    }

    /** {@code N(0, std²)} element-wise (the paper's {@code v ~ N(0, 0.05²)}). */
    public static void normal(Tensor t, double std, RandomGenerator rng) {
        for (int i = 0; i < t.size(); i++) {
            t.set(i, std * rng.nextGaussian());
        }
    }
}
