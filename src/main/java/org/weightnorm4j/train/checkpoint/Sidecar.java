package org.weightnorm4j.train.checkpoint;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.weightnorm4j.norm.Parameterization;

/**
 * The {@code model.json} beside {@code model.safetensors}: enough to rebuild the model that the
 * tensors belong to, and where in training they were taken.
 *
 * @param formatVersion     {@link Checkpoint#FORMAT_VERSION} when written; readers refuse others
 * @param architecture      the model spec (the JSON model-spec format of {@code docs/CHECKPOINTS.md})
 * @param parameterization  e.g. {@code "wn"}
 * @param dataset           the dataset trained on, e.g. {@code "fashion-mnist"}
 * @param preprocessing     how inputs were transformed before the model: {@code "none"},
 *                          {@code "normalize"} (per-channel mean/std of the training split) or
 *                          {@code "zca"} (ZCA whitening fitted on the training split)
 * @param epoch             completed epochs
 * @param step              completed optimizer steps
 * @param seed              the run's seed
 * @param averaged          whether the tensors are moving averages of the parameters
 */
public record Sidecar(int formatVersion, JsonObject architecture, String parameterization, String dataset,
                      String preprocessing, long epoch, long step, long seed, boolean averaged) {

    /** The JSON text written to {@code model.json}. */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("format", "weightnorm4j-checkpoint");
        o.addProperty("format_version", formatVersion);
        o.add("architecture", architecture);
        o.addProperty("parameterization", parameterization);
        o.addProperty("dataset", dataset);
        o.addProperty("preprocessing", preprocessing);
        o.addProperty("epoch", epoch);
        o.addProperty("step", step);
        o.addProperty("seed", seed);
        o.addProperty("averaged_parameters", averaged);
        return o;
    }

    /**
     * Reads and checks a sidecar; errors name the file and the field. Every field must have its
     * JSON type (a number where a string belongs, or a fraction where an integer belongs, is an
     * error, not a silent conversion), so a damaged file cannot describe a different model unnoticed.
     */
    public static Sidecar read(Path file) {
        JsonObject o = readJsonObject(file, "model description");
        if (o.has("format") && !"weightnorm4j-checkpoint".equals(string(o, "format", file))) {
            throw new CheckpointException(file + ": \"format\" is '" + string(o, "format", file)
                    + "', expected 'weightnorm4j-checkpoint'; it is not a weightnorm4j checkpoint sidecar");
        }
        long version = integer(o, "format_version", file);
        if (version != Checkpoint.FORMAT_VERSION) {
            throw new CheckpointException(file + " has checkpoint format version " + version
                    + "; this weightnorm4j reads version " + Checkpoint.FORMAT_VERSION
                    + " (use the weightnorm4j release that wrote it)");
        }
        JsonElement arch = o.get("architecture");
        if (arch == null || !arch.isJsonObject()) {
            throw new CheckpointException(file + " has no 'architecture' object; it is not a weightnorm4j checkpoint");
        }
        String parameterization = string(o, "parameterization", file);
        try {
            Parameterization.parse(parameterization);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file + ": \"parameterization\": " + e.getMessage(), e);
        }
        long epoch = integer(o, "epoch", file);
        long step = integer(o, "step", file);
        if (epoch < 0 || step < 0) {
            throw new CheckpointException(file + ": \"epoch\" and \"step\" must be >= 0, got " + epoch + " and " + step);
        }
        boolean averaged = false;
        if (o.has("averaged_parameters")) {
            JsonElement a = o.get("averaged_parameters");
            if (!a.isJsonPrimitive() || !a.getAsJsonPrimitive().isBoolean()) {
                throw wrongType(file, "averaged_parameters", "true or false", a);
            }
            averaged = a.getAsBoolean();
        }
        return new Sidecar((int) version, arch.getAsJsonObject(), parameterization, string(o, "dataset", file),
                string(o, "preprocessing", file), epoch, step, integer(o, "seed", file), averaged);
    }

    private static String string(JsonObject o, String field, Path file) {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw wrongType(file, field, "a string", e);
        }
        return e.getAsString();
    }

    private static long integer(JsonObject o, String field, Path file) {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw wrongType(file, field, "an integer", e);
        }
        try {
            return e.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
        } catch (ArithmeticException | NumberFormatException ex) {
            throw wrongType(file, field, "an integer", e);
        }
    }

    private static CheckpointException wrongType(Path file, String field, String expected, JsonElement got) {
        return new CheckpointException(file + ": \"" + field + "\" must be " + expected + ", "
                + (got == null ? "but it is missing" : "got " + got) + "; it is not a weightnorm4j checkpoint sidecar");
    }

    /** Reads a JSON object from a file; errors name the file. */
    static JsonObject readJsonObject(Path file, String what) {
        try {
            JsonElement e = JsonParser.parseString(java.nio.file.Files.readString(file, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new CheckpointException(what + " " + file + " is not a JSON object");
            }
            return e.getAsJsonObject();
        } catch (NoSuchFileException e) {
            throw new CheckpointException(what + " " + file + " does not exist; is this a checkpoint directory written by 'weightnorm train'?", e);
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        } catch (JsonParseException e) {
            // Gson appends a troubleshooting link on a second line; the first says what and where.
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("").replace(
                    "com.google.gson.stream.MalformedJsonException: ", "");
            throw new CheckpointException(what + " " + file + " is not valid JSON (" + why + ")", e);
        }
    }
}
