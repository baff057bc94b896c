package org.weightnorm4j.experiments;

import java.util.List;
import java.util.SplittableRandom;
import org.weightnorm4j.data.Dataset;
import org.weightnorm4j.data.DatasetSplits;
import org.weightnorm4j.model.ModelSpec;
import org.weightnorm4j.tensor.Tensor;

/** A tiny synthetic 3-class task (1x4x4 images: a class pattern plus noise) and a small MLP spec for it. */
final class TinyWorkload {
    private TinyWorkload() {
    }

    static Dataset data(String name, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 16];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(3);
            y[i] = c;
            for (int j = 0; j < 16; j++) {
                x[i * 16 + j] = (float) ((j % 3 == c ? 1.0 : 0.0) + 0.6 * r.nextGaussian());
            }
        }
        return new Dataset(name, Tensor.wrap(x, n, 1, 4, 4), y, List.of("a", "b", "c"));
    }

    /** Flatten, dense 12, ReLU, dense 8, ReLU, dense 3: three linear layers, so three weight-normalized ones under wn. */
    static Workload workload(int train, int test) {
        ModelSpec spec = ModelSpec.builder(1, 4, 4).name("tiny").flatten().dense(12).relu().dense(8).relu().dense(3).build();
        return new Workload(spec, new DatasetSplits(data("tiny/train", train, 11), data("tiny/test", test, 12), null),
                "tiny", "none");
    }
}
