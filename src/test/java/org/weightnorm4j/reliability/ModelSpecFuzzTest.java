package org.weightnorm4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.model.LayerSpec;
import org.weightnorm4j.model.ModelSpec;
import org.weightnorm4j.model.Models;
import org.weightnorm4j.norm.Parameterization;

/**
 * Seeded fuzzing of the model-spec reader that {@code train --model FILE.json} uses
 * ({@link ModelSpec#read}), issue 7 item 1: truncations, bit flips, missing fields, values of the
 * wrong type and sizes claiming billions of units. Every case must end in an
 * {@link IllegalArgumentException} naming the file (and the field, for structural damage) or in
 * a valid spec: never another exception, an allocation of the claimed size, or a hang. An accepted
 * spec must be the original one, except where the damage left a different but legal JSON value
 * (a flipped digit, a removed optional field): JSON carries no checksum, so those are counted.
 */
class ModelSpecFuzzTest {
    /** Cases per base spec; with the four bases, 4 x 250 = 1000 mutated files. */
    static final int CASES_PER_SPEC = 250;

    /** Fields a spec may omit (docs/MODEL_SPEC.md); removing any other must be an error naming it. */
    private static final Set<String> OPTIONAL = Set.of("format", "version", "name", "param", "stride", "padding", "slope",
            "alpha");

    /** Real-valued settings: another number there (e.g. slope -3) is a legal, different model. */
    private static final Set<String> REAL_VALUED = Set.of("slope", "alpha", "p", "sigma");

    @TempDir
    Path tmp;

    private static List<ModelSpec> bases() {
        ModelSpec everyType = ModelSpec.builder(3, 12, 12).name("every-type").param(Parameterization.WN_MOBN)
                .gaussianNoise(0.15).conv(8, 3, 1, 1).leakyRelu(0.1).conv(8, 3, 2, 0).elu(1.0).maxPool()
                .dropout(0.5).conv(6, 1).softplus().globalAvgPool().dense(5).tanh().dense(4).sigmoid().relu().dense(3)
                .build();
        return List.of(Models.preset("mlp").withParam(Parameterization.WN), Models.preset("cnn"),
                Models.preset("paper-cifar").withParam(Parameterization.NORMAL), everyType);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyMutatedSpecFileIsRejectedClearlyOrReadAsALegalSpec() throws IOException {
        SplittableRandom rng = new SplittableRandom(7_2016);
        int cases = 0, rejected = 0, acceptedSame = 0, acceptedDifferent = 0;
        for (ModelSpec base : bases()) {
            JsonMutator mutator = new JsonMutator(base.toJson());
            for (int c = 0; c < CASES_PER_SPEC; c++, cases++) {
                JsonMutator.Mutant m = mutator.next(rng);
                Path file = tmp.resolve("case-" + cases + ".json");
                Files.write(file, m.bytes());
                String what = "case " + cases + " (" + base.name() + ", " + m.describe() + ")";
                ModelSpec got;
                try {
                    got = ModelSpec.read(file);
                } catch (IllegalArgumentException e) {
                    rejected++;
                    checkMessage(e, file, m, what);
                    continue;
                } catch (RuntimeException | Error e) {
                    throw new AssertionError(what + ": expected IllegalArgumentException, got " + e, e);
                }
                // Accepted: it must be a legal spec (round trip) within the size limits.
                assertEquals(got, ModelSpec.fromJson(got.toJsonString(), "round trip"), what);
                assertTrue(weights(got) <= ModelSpec.MAX_PARAMETERS, what + ": " + weights(got) + " weights accepted");
                if (got.equals(base)) {
                    acceptedSame++;
                    continue;
                }
                acceptedDifferent++;
                switch (m.kind()) {
                    case TRUNCATE -> fail(what + ": a truncated file was read as a different model " + got);
                    case MISSING_FIELD -> assertTrue(OPTIONAL.contains(m.field()),
                            what + ": required field removed, yet read as " + got);
                    case TYPE_CONFUSION -> assertTrue(m.field().equals("param") && m.replacement().isJsonNull()
                                    || REAL_VALUED.contains(m.field()) && m.replacement().isJsonPrimitive()
                                    && m.replacement().getAsJsonPrimitive().isNumber(),
                            what + ": a value of the wrong type was read as " + got);
                    default -> {
                        // FLIP_BITS, OVERSIZED: another legal value (e.g. stride 10^9 on a small image); limits checked above.
                    }
                }
            }
        }
        System.out.printf("model-spec fuzz: %d files, %d rejected, %d read unchanged, %d read as another legal spec%n",
                cases, rejected, acceptedSame, acceptedDifferent);
        assertEquals(bases().size() * CASES_PER_SPEC, cases);
        assertTrue(rejected > cases / 2, "most mutations must be rejected: " + rejected + " of " + cases);
    }

    /** The error names the file and says what is wrong; for structural damage it names the field. */
    static void checkMessage(Exception e, Path file, JsonMutator.Mutant m, String what) {
        String msg = e.getMessage();
        assertTrue(msg != null && msg.contains(file.toString()), what + ": the message must name the file: " + msg);
        assertTrue(msg.length() > file.toString().length() + 15, what + ": the message must say what is wrong: " + msg);
        if ((m.kind() == JsonMutator.Kind.MISSING_FIELD || m.kind() == JsonMutator.Kind.TYPE_CONFUSION)
                && !m.field().startsWith("[")) {
            assertTrue(msg.contains(m.field()) || msg.contains("layers[") || msg.contains("input"),
                    what + ": the message must name the field: " + msg);
        }
    }

    /** Weights and biases of the linear layers, counted in long arithmetic independently of ModelSpec. */
    static long weights(ModelSpec spec) {
        long total = 0;
        List<LayerSpec> layers = spec.layers();
        int[] shape = spec.inputShape();
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec l = layers.get(i);
            if (l.type() == LayerSpec.Type.DENSE) {
                total += (long) shape[0] * l.out() + l.out();
            } else if (l.type() == LayerSpec.Type.CONV2D) {
                total += (long) l.out() * shape[0] * l.kernel() * l.kernel() + l.out();
            }
            shape = new ModelSpec(null, spec.inputShape(), null, layers.subList(0, i + 1)).outputShape();
        }
        return total;
    }

    // ------------------------------------------------------------------ hand-picked hostile files

    private Path write(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    private static void assertRejected(Path file, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void hugeClaimsFailBeforeAllocating() throws IOException {
        // A billion channels, a 10^6 x 10^6 dense layer, a billion-value input, a flatten past int, a huge padding.
        assertRejected(write("channels.json", "{\"input\": [1, 28, 28], \"layers\": [{\"type\": \"conv2d\", \"out\": 1000000000,"
                + " \"kernel\": 3}]}"), "layers[0] (conv2d)", "values per example");
        assertRejected(write("dense.json", "{\"input\": [1000000], \"layers\": [{\"type\": \"dense\", \"out\": 1000000}]}"),
                "layers[0] (dense)", "1000001000000", "MAX_PARAMETERS");
        assertRejected(write("input.json", "{\"input\": [1000000000], \"layers\": [{\"type\": \"relu\"}]}"),
                "\"input\"", "1000000000 values per example");
        assertRejected(write("flatten.json", "{\"input\": [3, 100000, 100000], \"layers\": [{\"type\": \"flatten\"},"
                + " {\"type\": \"dense\", \"out\": 10}]}"), "\"input\"", "30000000000 values");
        assertRejected(write("padding.json", "{\"input\": [1, 28, 28], \"layers\": [{\"type\": \"conv2d\", \"out\": 4,"
                + " \"kernel\": 3, \"padding\": 2000000000}]}"), "layers[0] (conv2d)", "padding");
        assertRejected(write("kernel.json", "{\"input\": [512, 64, 64], \"layers\": [{\"type\": \"conv2d\", \"out\": 4096,"
                + " \"kernel\": 64}]}"), "layers[0] (conv2d)", "MAX_PARAMETERS");
        assertRejected(write("int.json", "{\"input\": [1, 28, 28], \"layers\": [{\"type\": \"flatten\"},"
                + " {\"type\": \"dense\", \"out\": 1e12}]}"), "\"out\"", "integer");
        // Just under the limits still reads: the caps do not bite real models.
        ModelSpec big = ModelSpec.read(write("ok.json", "{\"input\": [3, 224, 224], \"layers\": [{\"type\": \"conv2d\","
                + " \"out\": 64, \"kernel\": 7, \"stride\": 2, \"padding\": 3}, {\"type\": \"global_avg_pool\"},"
                + " {\"type\": \"dense\", \"out\": 1000}]}"));
        assertEquals(1000, big.outputShape()[0]);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void hostileFilesAreClearErrors() throws IOException {
        assertRejected(tmp.resolve("absent.json"), "does not exist", "mlp");
        assertRejected(Files.createDirectory(tmp.resolve("dir.json")), "is a directory");
        assertRejected(write("empty.json", ""), "must be a JSON object");
        assertRejected(write("array.json", "[1, 2]"), "must be a JSON object");
        assertRejected(write("nested.json", "{\"input\": " + "[".repeat(100_000)), "not valid JSON");
        assertRejected(write("trailing.json", Models.preset("mlp").toJsonString() + " {}"), "not valid JSON");
        assertRejected(write("nan.json", "{\"input\": [NaN], \"layers\": [{\"type\": \"relu\"}]}"), "input[0]", "integer");
        Path latin1 = tmp.resolve("latin1.json");
        Files.write(latin1, "{\"name\": \"caf\u00e9\", \"input\": [4], \"layers\": [{\"type\": \"relu\"}]}"
                .getBytes(StandardCharsets.ISO_8859_1));
        assertRejected(latin1, "not UTF-8");
        Path big = tmp.resolve("big.json");
        Files.write(big, new byte[(int) ModelSpec.MAX_FILE_BYTES + 1]);
        assertRejected(big, "bytes", "right file");
    }

    @Test
    void theBaseSpecsThemselvesReadBack() throws IOException {
        for (ModelSpec base : bases()) {
            Path file = write(base.name() + ".json", base.toJsonString());
            assertEquals(base, ModelSpec.read(file));
        }
        JsonObject o = bases().get(0).toJson();
        assertEquals(bases().get(0), ModelSpec.fromJson(o, "object"));
    }
}
