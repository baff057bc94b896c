package org.weightnorm4j.experiments;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.weightnorm4j.io.AtomicFiles;

/**
 * Small JSON files the experiments keep beside their runs. Writes are atomic (a file that exists is
 * complete); non-finite numbers (a diverged run's loss) are written as {@code NaN} /
 * {@code Infinity} and read back by {@link #number}.
 */
final class JsonFiles {
    private JsonFiles() {
    }

    static void write(Path file, JsonElement json) {
        byte[] bytes = (new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(json)
                + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            AtomicFiles.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static JsonElement read(Path file) {
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (JsonParseException e) {
            throw new IllegalStateException(file + " is not valid JSON (" + e.getMessage() + "); delete it (or its run"
                    + " directory) to redo that run", e);
        }
    }

    static JsonObject readObject(Path file) {
        JsonElement e = read(file);
        if (!e.isJsonObject()) {
            throw new IllegalStateException(file + " does not hold a JSON object; delete it (or its run directory) to redo that run");
        }
        return e.getAsJsonObject();
    }

    /** A number field, accepting the {@code NaN} and {@code Infinity} this class writes. */
    static double number(JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            throw new IllegalStateException("missing field '" + field + "' in " + o);
        }
        return Double.parseDouble(e.getAsString());
    }
}
