package org.weightnorm4j.model;

import java.util.Arrays;
import java.util.List;

/**
 * The built-in model presets of {@code shared/DESIGN.md}, layer for layer the models of
 * {@code shared/bench/torch_peer.py}'s {@code build(workload, kind)} (so checkpoint names match):
 * <ul>
 *   <li>{@code mlp}: 784-512-512-10 with ReLU, for Fashion-MNIST;</li>
 *   <li>{@code cnn}: the paper's CIFAR-10 model scaled down (64/128 channels, leaky ReLU 0.1,
 *       no activation after the last 1x1 convolution, global average pooling), for 28x28x1;</li>
 *   <li>{@code paper-cifar}: the paper's CIFAR-10 model (appendix A): Gaussian input noise 0.15,
 *       3x conv 96, pool, dropout 0.5, 3x conv 192, pool, dropout 0.5, conv 3x3 valid 192,
 *       two 1x1 conv 192, global average pooling, dense 10; leaky ReLU 0.1 throughout.</li>
 * </ul>
 * Each can be built under any of the five parameterizations with {@link ModelSpec#build}.
 */
public final class Models {

    /** The preset names. */
    public static final List<String> NAMES = List.of("mlp", "cnn", "paper-cifar");

    private Models() {
    }

    /** A preset with its default input shape; the error lists the valid names. */
    public static ModelSpec preset(String name) {
        return switch (name == null ? "" : name) {
            case "mlp" -> mlp(1, 28, 28);
            case "cnn" -> cnn(1, 28, 28);
            case "paper-cifar" -> paperCifar(3, 32, 32);
            default -> throw unknown(name);
        };
    }

    /** A preset for another input shape (e.g. {@code cnn} on CIFAR-10's {@code [3, 32, 32]}). */
    public static ModelSpec preset(String name, int... inputShape) {
        if (inputShape.length != 3) {
            throw new IllegalArgumentException("preset '" + name + "' takes images [C, H, W], got " + Arrays.toString(inputShape));
        }
        int c = inputShape[0], h = inputShape[1], w = inputShape[2];
        return switch (name == null ? "" : name) {
            case "mlp" -> mlp(c, h, w);
            case "cnn" -> cnn(c, h, w);
            case "paper-cifar" -> paperCifar(c, h, w);
            default -> throw unknown(name);
        };
    }

    /** Flatten, dense 512, ReLU, dense 512, ReLU, dense 10. */
    public static ModelSpec mlp(int c, int h, int w) {
        return ModelSpec.builder(c, h, w).name("mlp")
                .flatten()
                .dense(512).relu()
                .dense(512).relu()
                .dense(10)
                .build();
    }

    /** The reference {@code cnn} workload. */
    public static ModelSpec cnn(int c, int h, int w) {
        return ModelSpec.builder(c, h, w).name("cnn")
                .conv(64, 3, 1, 1).leakyRelu(0.1)
                .conv(64, 3, 1, 1).leakyRelu(0.1)
                .maxPool().dropout(0.5)
                .conv(128, 3, 1, 1).leakyRelu(0.1)
                .conv(128, 3, 1, 1).leakyRelu(0.1)
                .maxPool().dropout(0.5)
                .conv(128, 3, 1, 0).leakyRelu(0.1)
                .conv(128, 1, 1, 0).leakyRelu(0.1)
                .conv(10, 1, 1, 0)
                .globalAvgPool()
                .build();
    }

    /** The paper's CIFAR-10 model (Salimans &amp; Kingma 2016, appendix A). */
    public static ModelSpec paperCifar(int c, int h, int w) {
        ModelSpec.Builder b = ModelSpec.builder(c, h, w).name("paper-cifar").gaussianNoise(0.15);
        for (int i = 0; i < 3; i++) {
            b.conv(96, 3, 1, 1).leakyRelu(0.1);
        }
        b.maxPool().dropout(0.5);
        for (int i = 0; i < 3; i++) {
            b.conv(192, 3, 1, 1).leakyRelu(0.1);
        }
        b.maxPool().dropout(0.5);
        b.conv(192, 3, 1, 0).leakyRelu(0.1)
                .conv(192, 1, 1, 0).leakyRelu(0.1)
                .conv(192, 1, 1, 0).leakyRelu(0.1)
                .globalAvgPool()
                .dense(10);
        return b.build();
    }

    private static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("unknown model preset '" + name + "'; valid presets: " + String.join(", ", NAMES)
                + " (or a JSON model spec file, see docs/MODEL_SPEC.md)");
    }
}
