package org.weightnorm4j.norm;

import java.util.SplittableRandom;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/** Seeded float64 tensors for the norm tests. */
final class NormTestSupport {
    private NormTestSupport() {
    }

    static Tensor uniform(SplittableRandom rng, int... shape) {
        Tensor t = Tensor.zeros(DType.FLOAT64, shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, rng.nextDouble(-1, 1));
        }
        return t;
    }

    static Tensor positive(SplittableRandom rng, int... shape) {
        Tensor t = Tensor.zeros(DType.FLOAT64, shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, rng.nextDouble(0.5, 2));
        }
        return t;
    }

    static double[] array(Tensor t) {
        double[] a = new double[t.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = t.get(i);
        }
        return a;
    }

    /** L = Σ r ⊙ y for a fixed projection r: ∂L/∂y = r. */
    static double project(Tensor y, Tensor r) {
        double s = 0;
        for (int i = 0; i < y.size(); i++) {
            s += y.get(i) * r.get(i);
        }
        return s;
    }
}
