package org.weightnorm4j.spark;

import java.util.List;
import java.util.SplittableRandom;
import org.weightnorm4j.data.Dataset;
import org.weightnorm4j.data.DatasetSplits;
import org.weightnorm4j.experiments.Workload;
import org.weightnorm4j.experiments.WorkloadSource;
import org.weightnorm4j.model.ModelSpec;
import org.weightnorm4j.tensor.Tensor;

/**
 * A tiny synthetic workload that travels to Spark tasks as a value: 3 classes of 1x4x4 images
 * (class k brightens every third pixel from k, plus Gaussian noise σ 0.6) and a three-layer MLP,
 * so that the module's tests need no dataset on disk.
 */
record TinySource(int train, int test) implements WorkloadSource {
    @Override
    public Workload load() {
        ModelSpec spec = ModelSpec.builder(1, 4, 4).name("tiny").flatten().dense(12).relu().dense(8).relu().dense(3).build();
        return new Workload(spec, new DatasetSplits(data("tiny/train", train, 11), data("tiny/test", test, 12), null),
                "tiny", "none");
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
}
