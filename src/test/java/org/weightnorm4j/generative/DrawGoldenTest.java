package org.weightnorm4j.generative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.weightnorm4j.nn.ModelTree;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * DRAW against PyTorch: the peer's model ({@code torch_lstm_peer.py}, class {@code Draw}) on a tiny
 * configuration in float64, with the same parameters, images and noise
 * ({@code src/test/resources/golden/make_golden_draw.py} wrote {@code draw.json}): the state-dict
 * names in PyTorch's order, the bound, and every parameter's gradient.
 */
class DrawGoldenTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"normal", "wn"})
    void boundAndGradientsMatchPyTorch(String param) throws IOException {
        JsonObject root = load();
        JsonObject cfg = root.getAsJsonObject("config");
        int side = cfg.get("side").getAsInt();
        DrawConfig config = new DrawConfig(side, side, cfg.get("glimpses").getAsInt(), cfg.get("hidden").getAsInt(),
                cfg.get("latent").getAsInt(), cfg.get("read").getAsInt(), cfg.get("write").getAsInt());
        JsonObject c = null;
        for (JsonElement e : root.getAsJsonArray("cases")) {
            if (e.getAsJsonObject().get("param").getAsString().equals(param)) {
                c = e.getAsJsonObject();
            }
        }
        assertNotNull(c, "no case " + param);
        Draw model = Draw.create(config, "wn".equals(param), 0.01, DType.FLOAT64, new SplittableRandom(1));
        LinkedHashMap<String, Param> params = ModelTree.namedParams(model);
        List<String> torchNames = new ArrayList<>();
        for (JsonElement e : c.getAsJsonArray("state")) {
            JsonObject s = e.getAsJsonObject();
            String name = s.get("name").getAsString();
            torchNames.add(name);
            Param p = params.get(name);
            assertNotNull(p, "no parameter " + name + " in " + params.keySet());
            Tensor t = tensor(s);
            assertEquals(Arrays.toString(t.shape()), Arrays.toString(p.value().shape()), name);
            p.value().copyFrom(t);
        }
        assertEquals(torchNames, new ArrayList<>(params.keySet()), "state-dict names in PyTorch's order");

        Tensor x = tensor(c.getAsJsonObject("x"));
        Tensor eps = tensor(c.getAsJsonObject("eps"));
        Draw.Bound bound = model.bound(x, eps);
        double expected = c.get("loss").getAsDouble();
        assertEquals(expected, bound.mean(), 1e-12 * (1 + Math.abs(expected)), "mean bound");
        int n = x.dim(0);
        double[] w = new double[n];
        Arrays.fill(w, 1.0 / n);
        model.backward(w);
        JsonObject grads = c.getAsJsonObject("grads");
        for (String name : params.keySet()) {
            JsonArray g = grads.getAsJsonObject(name).getAsJsonArray("value");
            Tensor actual = params.get(name).grad();
            assertEquals(g.size(), actual.size(), name);
            for (int i = 0; i < actual.size(); i++) {
                double e = g.get(i).getAsDouble();
                assertEquals(e, actual.get(i), 1e-10 * (1 + Math.abs(e)), "gradient of " + name + " [" + i + "]");
            }
        }
    }

    static JsonObject load() throws IOException {
        try (InputStream in = DrawGoldenTest.class.getResourceAsStream("/golden/draw.json")) {
            assertNotNull(in, "golden/draw.json is missing; regenerate it with src/test/resources/golden/make_golden_draw.py");
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    static Tensor tensor(JsonObject o) {
        JsonArray shape = o.getAsJsonArray("shape");
        int[] dims = new int[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.get(i).getAsInt();
        }
        JsonArray values = o.getAsJsonArray("value");
        Tensor t = Tensor.zeros(DType.FLOAT64, dims);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, values.get(i).getAsDouble());
        }
        return t;
    }
}
