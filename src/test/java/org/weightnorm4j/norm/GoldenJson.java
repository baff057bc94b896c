package org.weightnorm4j.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/** Reads the golden files PyTorch wrote ({@code src/test/resources/golden/make_golden*.py}) and compares with them. */
final class GoldenJson {
    private GoldenJson() {
    }

    /** The JSON document of a test resource, e.g. {@code "/golden/wn_net.json"}. */
    static JsonObject load(String resource, String script) throws IOException {
        try (InputStream in = GoldenJson.class.getResourceAsStream(resource)) {
            assertNotNull(in, "test resource " + resource + " is missing; regenerate it with " + script);
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    /** Member {@code name} of {@code parent} ({@code {"shape": [...], "value": [...]}}) as a tensor. */
    static Tensor tensor(JsonObject parent, String name, DType dtype) {
        JsonObject p = parent.getAsJsonObject(name);
        assertNotNull(p, "golden file has no tensor " + name);
        return tensor(p, dtype);
    }

    /** {@code {"shape": [...], "value": [...]}} as a tensor. */
    static Tensor tensor(JsonObject o, DType dtype) {
        int[] shape = ints(o.getAsJsonArray("shape"));
        JsonArray values = o.getAsJsonArray("value");
        Tensor t = Tensor.zeros(dtype, shape);
        assertEquals(t.size(), values.size(), "values for shape " + Arrays.toString(shape));
        for (int i = 0; i < t.size(); i++) {
            t.set(i, values.get(i).getAsDouble());
        }
        return t;
    }

    static int[] ints(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    /** Every entry within {@code tol × (1 + |expected|)}. */
    static void assertTensor(String what, JsonArray expected, Tensor actual, double tol) {
        assertEquals(expected.size(), actual.size(), what + ": size");
        for (int i = 0; i < actual.size(); i++) {
            double e = expected.get(i).getAsDouble();
            assertEquals(e, actual.get(i), tol * (1 + Math.abs(e)), what + " entry " + i);
        }
    }
}
