package org.weightnorm4j.model;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.weightnorm4j.nn.ActivationLayer;
import org.weightnorm4j.nn.Dropout;
import org.weightnorm4j.nn.Flatten;
import org.weightnorm4j.nn.GaussianNoise;
import org.weightnorm4j.nn.GlobalAvgPool;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.nn.MaxPool2d;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.norm.LinearUnit;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.tensor.ConvSpec;
import org.weightnorm4j.tensor.DType;

/**
 * An immutable description of a model: the input shape (per example, {@code [C, H, W]} or
 * {@code [features]}), the layers in order, and optionally a default {@link Parameterization}.
 * It is what a checkpoint's sidecar stores and what {@code --model FILE.json} reads; the JSON
 * fields are documented in {@code docs/MODEL_SPEC.md}.
 *
 * <p>Construction validates the whole chain of shapes (a dense layer needs a flat input, a
 * convolution an image, a kernel must fit), so a spec that exists can be built. Building turns
 * each {@code dense}/{@code conv2d} entry into the modules of {@code shared/bench/torch_peer.py}'s
 * {@code linear_unit} ({@link LinearUnit}), so parameter names match PyTorch's state dict.
 *
 * <pre>{@code
 * ModelSpec spec = ModelSpec.builder(1, 28, 28)
 *         .conv(32, 3, 1, 1).leakyRelu(0.1).maxPool().dropout(0.5)
 *         .flatten().dense(10)
 *         .build();
 * Sequential model = spec.build(Parameterization.WN, 42, DType.FLOAT32);
 * }</pre>
 */
public record ModelSpec(String name, int[] inputShape, Parameterization param, List<LayerSpec> layers) {

    /** The value of {@code "format"} in JSON. */
    public static final String FORMAT = "weightnorm4j-model";
    /** The version of the JSON format this code reads and writes. */
    public static final int VERSION = 1;
    /**
     * At most this many weights and biases in the linear layers (2^27, 512 MiB as float32; training
     * with Adam holds four such arrays). A spec claiming more, e.g. a 10^6 x 10^6 dense layer, is
     * rejected before anything is allocated, instead of failing with an OutOfMemoryError later.
     */
    public static final long MAX_PARAMETERS = 1L << 27;
    /**
     * At most this many values per example at any point of the network (2^22, 16 MiB as float32):
     * a minibatch of a few hundred such examples must still fit one Java array.
     */
    public static final long MAX_VALUES_PER_EXAMPLE = 1L << 22;
    /** A model-spec file larger than this (1 MiB) is refused unread; real specs are a few KiB. */
    public static final long MAX_FILE_BYTES = 1L << 20;

    /**
     * @param name       a label (e.g. the preset name), may be null
     * @param inputShape per-example shape, {@code [C, H, W]} or {@code [features]}
     * @param param      default parameterization, or null (then {@link #build} needs one)
     * @param layers     at least one layer
     */
    public ModelSpec {
        inputShape = inputShape.clone();
        layers = List.copyOf(layers);
        validate(name, inputShape, layers);
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** The per-example output shape (e.g. {@code [10]} for ten logits). */
    public int[] outputShape() {
        int[] shape = inputShape;
        for (int i = 0; i < layers.size(); i++) {
            shape = outputShape(where(name, i, layers.get(i)), shape, layers.get(i));
        }
        return shape.clone();
    }

    /** The same spec with another default parameterization. */
    public ModelSpec withParam(Parameterization p) {
        return new ModelSpec(name, inputShape, p, layers);
    }

    /**
     * Builds the model.
     *
     * @param override the parameterization, or null to use the spec's own {@link #param()}
     * @param seed     seeds the weight initialisation and the random layers (dropout, noise)
     * @param dtype    FLOAT32 to train, FLOAT64 for gradient checks
     */
    public Sequential build(Parameterization override, long seed, DType dtype) {
        Parameterization p = override != null ? override : param;
        if (p == null) {
            throw new IllegalArgumentException("model spec " + label(name) + " has no parameterization: pass one (one of "
                    + Parameterization.validNames() + ") or set \"param\" in the spec");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        Sequential.Builder b = Sequential.builder().seed(seed);
        int[] shape = inputShape;
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec l = layers.get(i);
            switch (l.type()) {
                case DENSE -> b.addAll(LinearUnit.dense(p, shape[0], l.out(), dtype, rng));
                case CONV2D -> b.addAll(LinearUnit.conv(p, shape[0], l.out(), l.kernel(),
                        new ConvSpec(l.stride(), l.padding()), dtype, rng));
                default -> b.add(simpleLayer(l));
            }
            shape = outputShape(where(name, i, l), shape, l);
        }
        return b.build();
    }

    private static Layer simpleLayer(LayerSpec l) {
        return switch (l.type()) {
            case MAXPOOL2D -> new MaxPool2d();
            case GLOBAL_AVG_POOL -> new GlobalAvgPool();
            case FLATTEN -> new Flatten();
            case DROPOUT -> new Dropout(l.p());
            case GAUSSIAN_NOISE -> new GaussianNoise(l.sigma());
            case RELU -> ActivationLayer.relu();
            case LEAKY_RELU -> ActivationLayer.leakyRelu(l.slope());
            case ELU -> ActivationLayer.elu(l.alpha());
            case SOFTPLUS -> ActivationLayer.softplus();
            case TANH -> ActivationLayer.tanh();
            case SIGMOID -> ActivationLayer.sigmoid();
            case DENSE, CONV2D -> throw new IllegalStateException("linear layers are built as units");
        };
    }

    // ---------------------------------------------------------------- validation and shapes

    private static void validate(String name, int[] input, List<LayerSpec> layers) {
        if (input.length != 1 && input.length != 3) {
            throw new IllegalArgumentException("model spec " + label(name) + ": \"input\" must be [C, H, W] or [features], got "
                    + Arrays.toString(input));
        }
        for (int d : input) {
            if (d < 1) {
                throw new IllegalArgumentException("model spec " + label(name) + ": \"input\" dimensions must be >= 1, got "
                        + Arrays.toString(input));
            }
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("model spec " + label(name) + ": \"layers\" is empty; a model needs at least one layer");
        }
        checkValues("model spec " + label(name) + ": \"input\"", input);
        int[] shape = input;
        long parameters = 0;
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec l = layers.get(i);
            if (l == null || l.type() == null) {
                throw new IllegalArgumentException("model spec " + label(name) + ": layers[" + i + "] has no type");
            }
            String where = where(name, i, l);
            checkSettings(where, l);
            int[] next = outputShape(where, shape, l);
            checkValues(where + " output", next);
            parameters = saturatingAdd(parameters, parameterCount(l, shape));
            if (parameters > MAX_PARAMETERS) {
                throw new IllegalArgumentException(where + " on input " + Arrays.toString(shape) + " brings the weights to "
                        + (parameters == Long.MAX_VALUE ? "more than 2^63" : Long.toString(parameters))
                        + ", above the limit of " + MAX_PARAMETERS + " (ModelSpec.MAX_PARAMETERS); use fewer units or"
                        + " channels, or pool before it");
            }
            shape = next;
        }
    }

    /** Weights and biases of a linear layer on a per-example input {@code in} (saturating at Long.MAX_VALUE). */
    private static long parameterCount(LayerSpec l, int[] in) {
        return switch (l.type()) {
            case DENSE -> saturatingAdd(saturatingMultiply(in[0], l.out()), l.out());
            case CONV2D -> saturatingAdd(saturatingMultiply(saturatingMultiply(l.out(), in[0]),
                    saturatingMultiply(l.kernel(), l.kernel())), l.out());
            default -> 0;
        };
    }

    /** Refuses a per-example shape with more than {@link #MAX_VALUES_PER_EXAMPLE} values. */
    private static void checkValues(String where, int[] shape) {
        long n = 1;
        for (int d : shape) {
            n = saturatingMultiply(n, d);
        }
        if (n > MAX_VALUES_PER_EXAMPLE) {
            throw new IllegalArgumentException(where + " " + Arrays.toString(shape) + " has "
                    + (n == Long.MAX_VALUE ? "more than 2^63" : Long.toString(n)) + " values per example, above the limit of "
                    + MAX_VALUES_PER_EXAMPLE + " (ModelSpec.MAX_VALUES_PER_EXAMPLE)");
        }
    }

    private static long saturatingMultiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return (hi == 0 && lo >= 0) ? lo : Long.MAX_VALUE; // operands are >= 0 here
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }

    private static void checkSettings(String where, LayerSpec l) {
        switch (l.type()) {
            case DENSE -> positive(where, "out", l.out());
            case CONV2D -> {
                positive(where, "out", l.out());
                positive(where, "kernel", l.kernel());
                positive(where, "stride", l.stride());
                if (l.padding() < 0) {
                    throw new IllegalArgumentException(where + ": \"padding\" must be >= 0, got " + l.padding());
                }
            }
            case DROPOUT -> {
                if (!(l.p() >= 0 && l.p() < 1)) {
                    throw new IllegalArgumentException(where + ": \"p\" must be in [0, 1), got " + l.p());
                }
            }
            case GAUSSIAN_NOISE -> {
                if (!(l.sigma() >= 0) || Double.isInfinite(l.sigma())) {
                    throw new IllegalArgumentException(where + ": \"sigma\" must be a finite number >= 0, got " + l.sigma());
                }
            }
            case LEAKY_RELU -> finite(where, "slope", l.slope());
            case ELU -> finite(where, "alpha", l.alpha());
            default -> {
            }
        }
    }

    /** The per-example shape after one layer; throws naming the layer if it does not fit. */
    private static int[] outputShape(String where, int[] in, LayerSpec l) {
        return switch (l.type()) {
            case DENSE -> {
                if (in.length != 1) {
                    throw new IllegalArgumentException(where + " needs a flat input but the shape there is "
                            + Arrays.toString(in) + "; add {\"type\": \"flatten\"} (or global_avg_pool) before it");
                }
                yield new int[] {l.out()};
            }
            case CONV2D -> {
                requireImage(where, in);
                if (Math.max(in[1], in[2]) + 2L * l.padding() > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(where + ": \"padding\" " + l.padding() + " is far larger than the input "
                            + Arrays.toString(in));
                }
                ConvSpec spec = new ConvSpec(l.stride(), l.padding());
                try {
                    yield new int[] {l.out(), spec.outSize(in[1], l.kernel()), spec.outSize(in[2], l.kernel())};
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + " on input " + Arrays.toString(in) + ": " + e.getMessage(), e);
                }
            }
            case MAXPOOL2D -> {
                requireImage(where, in);
                if (in[1] < 2 || in[2] < 2) {
                    throw new IllegalArgumentException(where + ": 2x2 pooling needs at least 2x2 pixels, input is " + Arrays.toString(in));
                }
                yield new int[] {in[0], in[1] / 2, in[2] / 2};
            }
            case GLOBAL_AVG_POOL -> {
                requireImage(where, in);
                yield new int[] {in[0]};
            }
            case FLATTEN -> new int[] {Arrays.stream(in).reduce(1, (a, b) -> a * b)};
            default -> in;
        };
    }

    private static void requireImage(String where, int[] in) {
        if (in.length != 3) {
            throw new IllegalArgumentException(where + " needs an image input [C, H, W] but the shape there is " + Arrays.toString(in));
        }
    }

    private static void positive(String where, String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" must be >= 1, got " + value);
        }
    }

    private static void finite(String where, String field, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" must be a finite number, got " + value);
        }
    }

    private static String where(String name, int i, LayerSpec l) {
        return "model spec " + label(name) + ": layers[" + i + "] (" + l.type().jsonName() + ")";
    }

    private static String label(String name) {
        return name == null ? "(unnamed)" : "'" + name + "'";
    }

    // ---------------------------------------------------------------- JSON

    /** The JSON object of {@code docs/MODEL_SPEC.md} (what the checkpoint sidecar stores as "architecture"). */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("version", VERSION);
        if (name != null) {
            o.addProperty("name", name);
        }
        JsonArray in = new JsonArray();
        for (int d : inputShape) {
            in.add(d);
        }
        o.add("input", in);
        if (param != null) {
            o.addProperty("param", param.cliName());
        }
        JsonArray ls = new JsonArray();
        for (LayerSpec l : layers) {
            JsonObject lo = new JsonObject();
            lo.addProperty("type", l.type().jsonName());
            for (String f : l.type().fields()) {
                if (LayerSpec.isInteger(f)) {
                    lo.addProperty(f, (int) l.field(f));
                } else {
                    lo.addProperty(f, l.field(f));
                }
            }
            ls.add(lo);
        }
        o.add("layers", ls);
        return o;
    }

    /** Pretty-printed JSON. */
    public String toJsonString() {
        return new GsonBuilder().setPrettyPrinting().create().toJson(toJson());
    }

    /**
     * Reads a model-spec file ({@code --model FILE.json}). Errors name the file and say what is wrong:
     * missing, a directory, larger than {@link #MAX_FILE_BYTES}, not UTF-8, or any problem of
     * {@link #fromJson(String, String)}.
     */
    public static ModelSpec read(Path file) {
        String source = file.toString();
        try {
            if (Files.isDirectory(file)) {
                throw new IllegalArgumentException("model spec " + source + " is a directory, not a JSON file");
            }
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new IllegalArgumentException("model spec " + source + " has " + size + " bytes, more than the "
                        + MAX_FILE_BYTES + " a model spec may have; is it the right file?");
            }
            byte[] bytes = Files.readAllBytes(file);
            String text = StandardCharsets.UTF_8.newDecoder()
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return fromJson(text, source);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("model spec " + source + " does not exist; pass a preset name ("
                    + String.join(", ", Models.NAMES) + ") or the path of a JSON file (docs/MODEL_SPEC.md)", e);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("model spec " + source + " is not UTF-8 text (" + e + ")", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read model spec " + source + ": " + e, e);
        }
    }

    /**
     * Parses the JSON format.
     *
     * @param json   the text
     * @param source names the text in errors (e.g. the file path)
     */
    public static ModelSpec fromJson(String json, String source) {
        JsonElement e;
        try {
            e = JsonParser.parseString(json);
        } catch (JsonParseException ex) {
            // Gson appends a troubleshooting link on a second line; the first says what and where.
            String why = String.valueOf(ex.getMessage()).lines().findFirst().orElse("").replace(
                    "com.google.gson.stream.MalformedJsonException: ", "");
            throw new IllegalArgumentException(source + ": not valid JSON: " + why, ex);
        }
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException(source + ": a model spec must be a JSON object");
        }
        return fromJson(e.getAsJsonObject(), source);
    }

    /** Parses a JSON object (e.g. a checkpoint sidecar's "architecture"); errors name {@code source} and the field. */
    public static ModelSpec fromJson(JsonObject o, String source) {
        allowOnly(o, source, List.of("format", "version", "name", "input", "param", "layers"));
        if (o.has("format") && !FORMAT.equals(string(o, "format", source))) {
            throw new IllegalArgumentException(source + ": \"format\" is '" + string(o, "format", source) + "', expected '" + FORMAT + "'");
        }
        if (o.has("version")) {
            int v = integer(o, "version", source);
            if (v != VERSION) {
                throw new IllegalArgumentException(source + ": model spec version " + v + " is not supported; this build reads version "
                        + VERSION);
            }
        }
        String name = o.has("name") ? string(o, "name", source) : null;
        JsonArray in = array(o, "input", source);
        int[] input = new int[in.size()];
        for (int i = 0; i < input.length; i++) {
            input[i] = intValue(in.get(i), source + ": input[" + i + "]");
        }
        Parameterization param = null;
        if (o.has("param") && !o.get("param").isJsonNull()) {
            try {
                param = Parameterization.parse(string(o, "param", source));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(source + ": \"param\": " + ex.getMessage(), ex);
            }
        }
        JsonArray ls = array(o, "layers", source);
        List<LayerSpec> layers = new ArrayList<>();
        for (int i = 0; i < ls.size(); i++) {
            String where = source + ": layers[" + i + "]";
            if (!ls.get(i).isJsonObject()) {
                throw new IllegalArgumentException(where + " must be an object like {\"type\": \"relu\"}");
            }
            layers.add(layer(ls.get(i).getAsJsonObject(), where));
        }
        try {
            return new ModelSpec(name, input, param, layers);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(source + ": " + ex.getMessage(), ex);
        }
    }

    private static LayerSpec layer(JsonObject o, String where) {
        if (!o.has("type")) {
            throw new IllegalArgumentException(where + ": missing \"type\"; valid types: " + LayerSpec.Type.validNames());
        }
        LayerSpec.Type type = LayerSpec.Type.parse(string(o, "type", where), where + ".type");
        List<String> allowed = new ArrayList<>(type.fields());
        allowed.add("type");
        allowOnly(o, where + " (" + type.jsonName() + ")", allowed);
        return switch (type) {
            case DENSE -> LayerSpec.dense(integer(o, "out", where));
            case CONV2D -> LayerSpec.conv2d(integer(o, "out", where), integer(o, "kernel", where),
                    o.has("stride") ? integer(o, "stride", where) : 1, o.has("padding") ? integer(o, "padding", where) : 0);
            case DROPOUT -> LayerSpec.dropout(number(o, "p", where));
            case GAUSSIAN_NOISE -> LayerSpec.gaussianNoise(number(o, "sigma", where));
            case LEAKY_RELU -> LayerSpec.leakyRelu(o.has("slope") ? number(o, "slope", where) : 0.01);
            case ELU -> LayerSpec.elu(o.has("alpha") ? number(o, "alpha", where) : 1.0);
            default -> LayerSpec.of(type);
        };
    }

    private static void allowOnly(JsonObject o, String where, List<String> allowed) {
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw new IllegalArgumentException(where + ": unknown field \"" + e.getKey() + "\"; allowed fields: " + allowed);
            }
        }
    }

    private static String string(JsonObject o, String field, String where) {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" must be a string");
        }
        return e.getAsString();
    }

    private static JsonArray array(JsonObject o, String field, String where) {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonArray()) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" must be an array" + (e == null ? " (it is missing)" : ""));
        }
        return e.getAsJsonArray();
    }

    private static double number(JsonObject o, String field, String where) {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" must be a number" + (e == null ? " (it is missing)" : ""));
        }
        return e.getAsDouble();
    }

    private static int integer(JsonObject o, String field, String where) {
        JsonElement e = o.get(field);
        if (e == null) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" is missing");
        }
        return intValue(e, where + ": \"" + field + "\"");
    }

    private static int intValue(JsonElement e, String what) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException(what + " must be an integer, got " + e);
        }
        double d = e.getAsDouble();
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " must be an integer, got " + e);
        }
        return (int) d;
    }

    // ---------------------------------------------------------------- value semantics for the array field

    @Override
    public boolean equals(Object other) {
        return other instanceof ModelSpec m && java.util.Objects.equals(name, m.name) && Arrays.equals(inputShape, m.inputShape)
                && param == m.param && layers.equals(m.layers);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, Arrays.hashCode(inputShape), param, layers);
    }

    @Override
    public String toString() {
        return "ModelSpec[" + (name == null ? "" : name + ", ") + "input " + Arrays.toString(inputShape)
                + (param == null ? "" : ", " + param) + ", " + layers + "]";
    }

    // ---------------------------------------------------------------- builder

    /** Starts a fluent builder for inputs of this per-example shape ({@code C, H, W} or {@code features}). */
    public static Builder builder(int... inputShape) {
        return new Builder(inputShape);
    }

    /** Fluent construction; {@link #build()} validates. */
    public static final class Builder {
        private final int[] inputShape;
        private final List<LayerSpec> layers = new ArrayList<>();
        private String name;
        private Parameterization param;

        private Builder(int[] inputShape) {
            this.inputShape = inputShape.clone();
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** The default parameterization (optional). */
        public Builder param(Parameterization param) {
            this.param = param;
            return this;
        }

        public Builder add(LayerSpec layer) {
            layers.add(layer);
            return this;
        }

        public Builder dense(int out) {
            return add(LayerSpec.dense(out));
        }

        /** A square convolution with stride 1 and no padding. */
        public Builder conv(int out, int kernel) {
            return add(LayerSpec.conv2d(out, kernel, 1, 0));
        }

        public Builder conv(int out, int kernel, int stride, int padding) {
            return add(LayerSpec.conv2d(out, kernel, stride, padding));
        }

        public Builder maxPool() {
            return add(LayerSpec.of(LayerSpec.Type.MAXPOOL2D));
        }

        public Builder globalAvgPool() {
            return add(LayerSpec.of(LayerSpec.Type.GLOBAL_AVG_POOL));
        }

        public Builder flatten() {
            return add(LayerSpec.of(LayerSpec.Type.FLATTEN));
        }

        public Builder dropout(double p) {
            return add(LayerSpec.dropout(p));
        }

        public Builder gaussianNoise(double sigma) {
            return add(LayerSpec.gaussianNoise(sigma));
        }

        public Builder relu() {
            return add(LayerSpec.of(LayerSpec.Type.RELU));
        }

        public Builder leakyRelu(double slope) {
            return add(LayerSpec.leakyRelu(slope));
        }

        public Builder elu(double alpha) {
            return add(LayerSpec.elu(alpha));
        }

        public Builder softplus() {
            return add(LayerSpec.of(LayerSpec.Type.SOFTPLUS));
        }

        public Builder tanh() {
            return add(LayerSpec.of(LayerSpec.Type.TANH));
        }

        public Builder sigmoid() {
            return add(LayerSpec.of(LayerSpec.Type.SIGMOID));
        }

        public ModelSpec build() {
            return new ModelSpec(name, inputShape, param, layers);
        }
    }
}
