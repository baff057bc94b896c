package org.weightnorm4j.train.checkpoint;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

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

    /** Reads and checks a sidecar; errors name the file. */
    public static Sidecar read(Path file) {
        JsonObject o = readJsonObject(file, "model description");
        try {
            int version = o.get("format_version").getAsInt();
            if (version != Checkpoint.FORMAT_VERSION) {
                throw new CheckpointException(file + " has checkpoint format version " + version
                        + "; this weightnorm4j reads version " + Checkpoint.FORMAT_VERSION
                        + " (use the weightnorm4j release that wrote it)");
            }
            JsonElement arch = o.get("architecture");
            if (arch == null || !arch.isJsonObject()) {
                throw new CheckpointException(file + " has no 'architecture' object; it is not a weightnorm4j checkpoint");
            }
            return new Sidecar(version, arch.getAsJsonObject(), o.get("parameterization").getAsString(),
                    o.get("dataset").getAsString(), o.get("preprocessing").getAsString(), o.get("epoch").getAsLong(), o.get("step").getAsLong(),
                    o.get("seed").getAsLong(), o.has("averaged_parameters") && o.get("averaged_parameters").getAsBoolean());
        } catch (NullPointerException | IllegalStateException | ClassCastException | UnsupportedOperationException
                 | NumberFormatException e) {
            throw new CheckpointException(file + " is missing a field or has one of the wrong type (" + e.getMessage()
                    + "); it is not a weightnorm4j checkpoint sidecar", e);
        }
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
            throw new CheckpointException(what + " " + file + " is not valid JSON (" + e.getMessage() + ")", e);
        }
    }
}
