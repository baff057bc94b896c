package org.weightnorm4j.testing;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.weightnorm4j.data.Dataset;
import org.weightnorm4j.data.DatasetSplits;
import org.weightnorm4j.experiments.Workload;
import org.weightnorm4j.model.ModelSpec;
import org.weightnorm4j.nn.ActivationLayer;
import org.weightnorm4j.nn.Dropout;
import org.weightnorm4j.nn.Flatten;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.norm.LinearUnit;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.train.TrainConfig;
import org.weightnorm4j.train.Trainer;

/**
 * The tiny synthetic 3-class image task the training, experiment and reliability tests share:
 * class k brightens every third pixel starting at k, plus Gaussian noise (σ 0.6), so a few epochs
 * of a small model learn it. With it, the small models those tests train, each kept as the tests
 * were written against it (their expectations depend on the exact architecture and initial weights).
 */
public final class TinyTask {
    private static final List<String> CLASSES = List.of("a", "b", "c");

    private TinyTask() {
    }

    /** {@code n} images of shape {@code [1, 4, 4]}. */
    public static Dataset data(String name, int n, long seed) {
        return data(name, n, 1, 4, seed);
    }

    /** {@code n} images of shape {@code [channels, size, size]}. */
    public static Dataset data(String name, int n, int channels, int size, long seed) {
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
        return new Dataset(name, Tensor.wrap(x, n, channels, size, size), y, CLASSES);
    }

    /**
     * Flatten, dense 16 → 12, ReLU, dropout 0.2, dense 12 → 3, built layer by layer (the train
     * package's tests exercise the trainer without going through {@link ModelSpec}).
     */
    public static Sequential model(Parameterization p, long seed) {
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

    /** Checkpoint metadata for {@link #model}, which has no {@link ModelSpec}. */
    public static Trainer.ModelInfo info(Parameterization p) {
        JsonObject arch = new JsonObject();
        arch.addProperty("name", "synthetic-mlp");
        return new Trainer.ModelInfo(arch, p.cliName(), "synthetic", "none");
    }

    /**
     * The same layers as {@link #model} as a spec, on 1x4x4 images: flatten (module 0),
     * dense 16 → 12 (1), relu (2), dropout (3), dense 12 → 3 (4); its checkpoints carry a real architecture.
     */
    public static ModelSpec mlp() {
        return ModelSpec.builder(1, 4, 4).name("tiny-mlp").flatten().dense(12).relu().dropout(0.2).dense(3).build();
    }

    /** With convolutions, on 2x8x8 images. */
    public static ModelSpec cnn() {
        return ModelSpec.builder(2, 8, 8).name("tiny-cnn").conv(6, 3, 1, 1).leakyRelu(0.1).maxPool().conv(8, 3)
                .leakyRelu(0.1).globalAvgPool().dense(3).build();
    }

    /** A trainer for {@code spec} whose checkpoints record the spec. */
    public static Trainer trainer(ModelSpec spec, Parameterization p, Dataset train, Dataset test, TrainConfig config,
                                  Path out) {
        return new Trainer(spec.build(p, config.seed(), DType.FLOAT32), train, test, config,
                new Trainer.ModelInfo(spec.toJson(), p.cliName(), "tiny", "none"), out);
    }

    /**
     * An experiment workload on 1x4x4 images: flatten, dense 12, ReLU, dense 8, ReLU, dense 3 (three
     * linear layers, so three weight-normalized ones under wn), {@code train} and {@code test} images.
     */
    public static Workload workload(int train, int test) {
        ModelSpec spec = ModelSpec.builder(1, 4, 4).name("tiny").flatten().dense(12).relu().dense(8).relu().dense(3).build();
        return new Workload(spec, new DatasetSplits(data("tiny/train", train, 11), data("tiny/test", test, 12), null),
                "tiny", "none");
    }
}
