package org.weightnorm4j.nn;

import java.util.SplittableRandom;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/** Seeded random tensors for the nn tests. */
final class TestTensors {

    private TestTensors() {
    }

    /** Uniform in [-1, 1). */
    static Tensor uniform(SplittableRandom rng, DType dtype, int... shape) {
        Tensor t = Tensor.zeros(dtype, shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, rng.nextDouble(-1, 1));
        }
        return t;
    }

    /**
     * Uniform magnitude in [0.05, 1.05) with a random sign: at least 0.05 away from the kink at 0 of
     * ReLU-like functions, far more than a finite-difference step.
     */
    static Tensor awayFromZero(SplittableRandom rng, int... shape) {
        Tensor t = Tensor.zeros(DType.FLOAT64, shape);
        for (int i = 0; i < t.size(); i++) {
            double m = 0.05 + rng.nextDouble();
            t.set(i, rng.nextBoolean() ? m : -m);
        }
        return t;
    }

    /**
     * A random permutation of evenly spaced values 0.01 apart (scaled to about [-1, 1]): no ties, so
     * max pooling is differentiable at this input with a margin far above a finite-difference step.
     */
    static Tensor distinct(SplittableRandom rng, int... shape) {
        Tensor t = Tensor.zeros(DType.FLOAT64, shape);
        int n = t.size();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        for (int i = 0; i < n; i++) {
            t.set(i, (perm[i] - n / 2.0) * 0.01);
        }
        return t;
    }

    /** Random dimension in [lo, hi]. */
    static int dim(SplittableRandom rng, int lo, int hi) {
        return lo + rng.nextInt(hi - lo + 1);
    }

    /** Random labels in [0, classes). */
    static int[] labels(SplittableRandom rng, int n, int classes) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = rng.nextInt(classes);
        }
        return out;
    }
}
