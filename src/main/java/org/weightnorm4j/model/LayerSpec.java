package org.weightnorm4j.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One entry of a {@link ModelSpec}: a layer type and its settings. Fields a type does not use are
 * zero. A linear entry ({@code dense}, {@code conv2d}) becomes the modules of one linear unit under
 * the model's parameterization (see {@link org.weightnorm4j.norm.LinearUnit}).
 *
 * @param type    the layer type
 * @param out     output units ({@code dense}) or channels ({@code conv2d})
 * @param kernel  square kernel size ({@code conv2d})
 * @param stride  stride ({@code conv2d}, default 1)
 * @param padding zero padding ({@code conv2d}, default 0)
 * @param slope   negative slope ({@code leaky_relu}, default 0.01 as PyTorch; the paper uses 0.1)
 * @param alpha   {@code elu}'s alpha (default 1)
 * @param p       drop probability ({@code dropout})
 * @param sigma   standard deviation ({@code gaussian_noise})
 */
public record LayerSpec(Type type, int out, int kernel, int stride, int padding, double slope, double alpha,
                        double p, double sigma) {

    /** The layer types of the JSON format, with the fields each accepts. */
    public enum Type {
        DENSE("dense", "out"),
        CONV2D("conv2d", "out", "kernel", "stride", "padding"),
        MAXPOOL2D("maxpool2d"),
        GLOBAL_AVG_POOL("global_avg_pool"),
        FLATTEN("flatten"),
        DROPOUT("dropout", "p"),
        GAUSSIAN_NOISE("gaussian_noise", "sigma"),
        RELU("relu"),
        LEAKY_RELU("leaky_relu", "slope"),
        ELU("elu", "alpha"),
        SOFTPLUS("softplus"),
        TANH("tanh"),
        SIGMOID("sigmoid");

        private final String jsonName;
        private final List<String> fields;

        Type(String jsonName, String... fields) {
            this.jsonName = jsonName;
            this.fields = List.of(fields);
        }

        /** The {@code "type"} value in JSON, e.g. {@code "conv2d"}. */
        public String jsonName() {
            return jsonName;
        }

        /** The settings this type accepts besides {@code "type"}. */
        public List<String> fields() {
            return fields;
        }

        /** Whether this is a linear layer, parameterized by the model's {@link org.weightnorm4j.norm.Parameterization}. */
        public boolean isLinear() {
            return this == DENSE || this == CONV2D;
        }

        /** Looks up a JSON name; the error lists the valid ones. */
        public static Type parse(String name, String where) {
            for (Type t : values()) {
                if (t.jsonName.equals(name == null ? null : name.toLowerCase(Locale.ROOT))) {
                    return t;
                }
            }
            throw new IllegalArgumentException(where + ": unknown layer type '" + name + "'; valid types: " + validNames());
        }

        /** All JSON names, comma separated. */
        public static String validNames() {
            return Arrays.stream(values()).map(Type::jsonName).collect(Collectors.joining(", "));
        }
    }

    /** A dense layer with {@code out} units. */
    public static LayerSpec dense(int out) {
        return new LayerSpec(Type.DENSE, out, 0, 0, 0, 0, 0, 0, 0);
    }

    /** A square convolution. */
    public static LayerSpec conv2d(int out, int kernel, int stride, int padding) {
        return new LayerSpec(Type.CONV2D, out, kernel, stride, padding, 0, 0, 0, 0);
    }

    /** A layer type without settings (pooling, flatten, relu, softplus, tanh, sigmoid). */
    public static LayerSpec of(Type type) {
        if (!type.fields().isEmpty()) {
            throw new IllegalArgumentException("layer type '" + type.jsonName() + "' needs settings " + type.fields());
        }
        return new LayerSpec(type, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    public static LayerSpec leakyRelu(double slope) {
        return new LayerSpec(Type.LEAKY_RELU, 0, 0, 0, 0, slope, 0, 0, 0);
    }

    public static LayerSpec elu(double alpha) {
        return new LayerSpec(Type.ELU, 0, 0, 0, 0, 0, alpha, 0, 0);
    }

    public static LayerSpec dropout(double p) {
        return new LayerSpec(Type.DROPOUT, 0, 0, 0, 0, 0, 0, p, 0);
    }

    public static LayerSpec gaussianNoise(double sigma) {
        return new LayerSpec(Type.GAUSSIAN_NOISE, 0, 0, 0, 0, 0, 0, 0, sigma);
    }

    /** The value of one of {@link Type#fields()}. */
    public double field(String name) {
        return switch (name) {
            case "out" -> out;
            case "kernel" -> kernel;
            case "stride" -> stride;
            case "padding" -> padding;
            case "slope" -> slope;
            case "alpha" -> alpha;
            case "p" -> p;
            case "sigma" -> sigma;
            default -> throw new IllegalArgumentException("no layer field '" + name + "'");
        };
    }

    /** E.g. {@code conv2d(out=64, kernel=3, stride=1, padding=1)}. */
    @Override
    public String toString() {
        if (type.fields().isEmpty()) {
            return type.jsonName();
        }
        return type.jsonName() + type.fields().stream()
                .map(f -> f + "=" + (isInteger(f) ? Integer.toString((int) field(f)) : Double.toString(field(f))))
                .collect(Collectors.joining(", ", "(", ")"));
    }

    /** Whether a field holds an integer. */
    static boolean isInteger(String field) {
        return switch (field) {
            case "out", "kernel", "stride", "padding" -> true;
            default -> false;
        };
    }
}
