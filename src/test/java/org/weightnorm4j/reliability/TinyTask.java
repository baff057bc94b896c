package org.weightnorm4j.reliability;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.weightnorm4j.data.Dataset;
import org.weightnorm4j.model.ModelSpec;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.train.TrainConfig;
import org.weightnorm4j.train.Trainer;

/**
 * A small 3-class image task for the reliability tests: class k brightens every third pixel
 * starting at k, plus Gaussian noise; and two models for it, built from {@link ModelSpec}s so the
 * checkpoints carry a real architecture.
 */
final class TinyTask {
    private TinyTask() {
    }

    /** {@code n} images of shape {@code [channels, size, size]}. */
    static Dataset data(String name, int n, int channels, int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int per = channels * size * size;
        float[] x = new float[n * per];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(3);
            y[i] = c;
            for (int j = 0; j < per; j++) {
                x[i * per + j] = (float) ((j % 3 == c ? 1.0 : 0.0) + 0.6 * r.nextGaussian());
            }
        }
        return new Dataset(name, Tensor.wrap(x, n, channels, size, size), y, List.of("a", "b", "c"));
    }

    /** Dense only: flatten (module 0), dense 16 -> 12 (1), relu (2), dropout (3), dense 12 -> 3 (4), on 1x4x4 images. */
    static ModelSpec mlp() {
        return ModelSpec.builder(1, 4, 4).name("tiny-mlp").flatten().dense(12).relu().dropout(0.2).dense(3).build();
    }

    /** With convolutions, on 2x8x8 images. */
    static ModelSpec cnn() {
        return ModelSpec.builder(2, 8, 8).name("tiny-cnn").conv(6, 3, 1, 1).leakyRelu(0.1).maxPool().conv(8, 3)
                .leakyRelu(0.1).globalAvgPool().dense(3).build();
    }

    static Trainer trainer(ModelSpec spec, Parameterization p, Dataset train, Dataset test, TrainConfig config, Path out) {
        return new Trainer(spec.build(p, config.seed(), DType.FLOAT32), train, test, config,
                new Trainer.ModelInfo(spec.toJson(), p.cliName(), "tiny", "none"), out);
    }
}
