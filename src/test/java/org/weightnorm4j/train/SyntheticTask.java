package org.weightnorm4j.train;

import java.util.List;
import java.util.SplittableRandom;
import org.weightnorm4j.data.Dataset;
import org.weightnorm4j.nn.ActivationLayer;
import org.weightnorm4j.nn.Dropout;
import org.weightnorm4j.nn.Flatten;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.norm.LinearUnit;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/** A tiny 3-class image task (1x4x4 images: a class-specific pattern plus noise) and a small MLP for it. */
final class SyntheticTask {
    private SyntheticTask() {
    }

    static Dataset data(String name, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 16];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(3);
            y[i] = c;
            for (int j = 0; j < 16; j++) {
                double pattern = (j % 3 == c) ? 1.0 : 0.0;
                x[i * 16 + j] = (float) (pattern + 0.6 * r.nextGaussian());
            }
        }
        return new Dataset(name, Tensor.wrap(x, n, 1, 4, 4), y, List.of("a", "b", "c"));
    }

    static Sequential model(Parameterization p, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return Sequential.builder()
                .add(new Flatten())
                .addAll(LinearUnit.dense(p, 16, 12, DType.FLOAT32, r))
                .add(ActivationLayer.relu())
                .add(new Dropout(0.2))
                .addAll(LinearUnit.dense(p, 12, 3, DType.FLOAT32, r))
                .seed(seed)
                .build();
    }

    static Trainer.ModelInfo info(Parameterization p) {
        com.google.gson.JsonObject arch = new com.google.gson.JsonObject();
        arch.addProperty("name", "synthetic-mlp");
        return new Trainer.ModelInfo(arch, p.cliName(), "synthetic", "none");
    }
}
