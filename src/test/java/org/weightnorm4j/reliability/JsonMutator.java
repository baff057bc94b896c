package org.weightnorm4j.reliability;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded mutations of a JSON document for the fuzz tests: byte-level (truncation, bit flips) and
 * structural (a field removed, a value replaced by one of another type, a size field made huge).
 * Structural mutations report which field they touched, so a test can demand that the error
 * names it.
 */
final class JsonMutator {

    /** The kinds of damage done to a document. */
    enum Kind { TRUNCATE, FLIP_BITS, MISSING_FIELD, TYPE_CONFUSION, OVERSIZED }

    /**
     * One mutated document.
     *
     * @param bytes       the file content
     * @param kind        what was done
     * @param field       the field name touched (structural kinds), else null
     * @param replacement the value put in its place (TYPE_CONFUSION, OVERSIZED), else null
     */
    record Mutant(byte[] bytes, Kind kind, String field, JsonElement replacement) {
        String describe() {
            return kind + (field == null ? "" : " of \"" + field + "\"") + (replacement == null ? "" : " -> " + replacement);
        }
    }

    /** A place in the tree: the object holding the field, or the array holding the element. */
    private record Slot(JsonElement container, String key, int index) {
        String name() {
            return key != null ? key : "[" + index + "]";
        }

        JsonElement get() {
            return key != null ? container.getAsJsonObject().get(key) : container.getAsJsonArray().get(index);
        }

        void set(JsonElement value) {
            if (key != null) {
                container.getAsJsonObject().add(key, value);
            } else {
                container.getAsJsonArray().set(index, value);
            }
        }

        void remove() {
            container.getAsJsonObject().remove(key);
        }
    }

    /** Values that claim absurd sizes: past int, near int's limit, a billion, a million. */
    private static final List<JsonElement> HUGE = List.of(new JsonPrimitive(1_000_000), new JsonPrimitive(1_000_000_000),
            new JsonPrimitive(Integer.MAX_VALUE), new JsonPrimitive(1L << 40), new JsonPrimitive(1e300),
            new JsonPrimitive(65_536));

    private final JsonObject original;
    private final byte[] originalBytes;

    JsonMutator(JsonObject original) {
        this.original = original;
        this.originalBytes = original.toString().getBytes(StandardCharsets.UTF_8);
    }

    byte[] originalBytes() {
        return originalBytes.clone();
    }

    Mutant next(SplittableRandom rng) {
        Kind kind = Kind.values()[rng.nextInt(Kind.values().length)];
        return switch (kind) {
            case TRUNCATE -> new Mutant(Arrays.copyOf(originalBytes, rng.nextInt(originalBytes.length)), kind, null, null);
            case FLIP_BITS -> {
                byte[] b = originalBytes.clone();
                int flips = 1 + rng.nextInt(3);
                for (int i = 0; i < flips; i++) {
                    b[rng.nextInt(b.length)] ^= (byte) (1 << rng.nextInt(8));
                }
                yield new Mutant(b, kind, null, null);
            }
            case MISSING_FIELD -> {
                JsonObject copy = original.deepCopy();
                Slot s = pickField(copy, rng);
                s.remove();
                yield new Mutant(bytes(copy), kind, s.name(), null);
            }
            case TYPE_CONFUSION -> {
                JsonObject copy = original.deepCopy();
                Slot s = pick(copy, rng, false);
                JsonElement value = otherType(s.get(), rng);
                s.set(value);
                yield new Mutant(bytes(copy), kind, s.name(), value);
            }
            case OVERSIZED -> {
                JsonObject copy = original.deepCopy();
                Slot s = pick(copy, rng, true);
                JsonElement value = HUGE.get(rng.nextInt(HUGE.size()));
                s.set(value);
                yield new Mutant(bytes(copy), kind, s.name(), value);
            }
        };
    }

    private static byte[] bytes(JsonElement e) {
        return e.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A random field or array element anywhere in the tree; {@code integersOnly}: one holding an integer. */
    private static Slot pick(JsonObject root, SplittableRandom rng, boolean integersOnly) {
        List<Slot> slots = new ArrayList<>();
        collect(root, slots);
        if (integersOnly) {
            slots.removeIf(s -> !(s.get().isJsonPrimitive() && s.get().getAsJsonPrimitive().isNumber()
                    && s.get().getAsDouble() == Math.rint(s.get().getAsDouble())));
        }
        return slots.get(rng.nextInt(slots.size()));
    }

    /** A random object field (not an array element) anywhere in the tree. */
    private static Slot pickField(JsonObject root, SplittableRandom rng) {
        List<Slot> slots = new ArrayList<>();
        collect(root, slots);
        slots.removeIf(s -> s.key() == null);
        return slots.get(rng.nextInt(slots.size()));
    }

    private static void collect(JsonElement e, List<Slot> out) {
        if (e.isJsonObject()) {
            for (Map.Entry<String, JsonElement> f : e.getAsJsonObject().entrySet()) {
                out.add(new Slot(e, f.getKey(), -1));
                collect(f.getValue(), out);
            }
        } else if (e.isJsonArray()) {
            JsonArray a = e.getAsJsonArray();
            for (int i = 0; i < a.size(); i++) {
                out.add(new Slot(e, null, i));
                collect(a.get(i), out);
            }
        }
    }

    /**
     * A value of a different JSON type than {@code current}; for an integer, also a fraction or a
     * negative number (integers in specs are sizes and counts).
     */
    private static JsonElement otherType(JsonElement current, SplittableRandom rng) {
        List<JsonElement> options = new ArrayList<>(List.of(new JsonPrimitive(true), JsonNull.INSTANCE, new JsonArray(),
                new JsonObject()));
        boolean isString = current.isJsonPrimitive() && current.getAsJsonPrimitive().isString();
        boolean isNumber = current.isJsonPrimitive() && current.getAsJsonPrimitive().isNumber();
        if (!isString) {
            options.add(new JsonPrimitive("x"));
        }
        if (isNumber) {
            options.add(new JsonPrimitive(current.getAsString())); // the number as a string: "10"
            if (current.getAsDouble() == Math.rint(current.getAsDouble())) {
                options.add(new JsonPrimitive(2.5));
                options.add(new JsonPrimitive(-3));
            }
        } else {
            options.add(new JsonPrimitive(2.5));
        }
        options.removeIf(o -> o.equals(current));
        return options.get(rng.nextInt(options.size()));
    }
}
