package org.weightnorm4j.model;

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
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.nn.SoftmaxCrossEntropy;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * Golden test of all five parameterizations against PyTorch, through the model-spec path.
 *
 * <p>{@code src/test/resources/golden/params_net.json} was produced by
 * {@code src/test/resources/golden/make_golden_params.py} (Debian's python3-torch, float64): a small
 * conv/conv/global-pool/dense model (its spec is in the file) built from
 * {@code shared/bench/torch_peer.py}'s {@code linear_unit} for each of {@code normal}, {@code bn},
 * {@code wn}, {@code wn-mobn}, {@code mobn}, with every state-dict entry set by a formula. For
 * each, the file holds the training-mode logits, cross-entropy loss and gradients (autograd), the
 * running statistics after that training step, and the evaluation-mode logits afterwards. Here
 * the same spec is built by {@link ModelSpec#build}, loaded by state-dict name, and must agree.
 */
class ParameterizationGoldenTest {

    @ParameterizedTest
    @EnumSource(Parameterization.class)
    void trainAndEvalPassesMatchPyTorch(Parameterization p) throws IOException {
        JsonObject golden = load();
        JsonObject g = golden.getAsJsonObject(p.cliName());
        ModelSpec spec = ModelSpec.fromJson(golden.getAsJsonObject("spec"), "params_net.json spec");
        Sequential model = spec.build(p, 1, DType.FLOAT64);

        Map<String, Tensor> state = new LinkedHashMap<>();
        model.namedParams().forEach((name, param) -> state.put(name, param.value()));
        state.putAll(model.namedBuffers());
        JsonObject expectedState = g.getAsJsonObject("state_dict");
        assertEquals(expectedState.keySet(), state.keySet(), "state-dict names");
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            JsonObject entry = expectedState.getAsJsonObject(e.getKey());
            assertEquals(entry.getAsJsonArray("shape").toString(), java.util.Arrays.toString(e.getValue().shape()).replace(" ", ""),
                    "shape of " + e.getKey());
            fill(e.getValue(), entry.getAsJsonArray("value"));
        }

        Tensor x = Tensor.zeros(DType.FLOAT64, 4, 2, 6, 6);
        fill(x, golden.getAsJsonObject("input").getAsJsonArray("value"));
        int[] labels = new int[4];
        JsonArray l = golden.getAsJsonArray("labels");
        for (int i = 0; i < 4; i++) {
            labels[i] = l.get(i).getAsInt();
        }

        double tol = 1e-10;
        Tensor logits = model.forward(x, Mode.TRAIN);
        assertTensor(p + " train logits", g.getAsJsonArray("train_logits"), logits, tol);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        assertEquals(g.get("loss").getAsDouble(), loss.forward(logits, labels), tol, p + " loss");
        model.zeroGrad();
        Tensor dx = model.backward(loss.backward());
        assertTensor(p + " ∇x", g.getAsJsonArray("input_grad"), dx, tol);
        JsonObject grads = g.getAsJsonObject("grads");
        for (Map.Entry<String, Param> e : model.namedParams().entrySet()) {
            assertTensor(p + " ∇" + e.getKey(), grads.getAsJsonArray(e.getKey()), e.getValue().grad(), tol);
        }
        JsonObject after = g.getAsJsonObject("buffers_after_train");
        for (Map.Entry<String, JsonElement> e : after.entrySet()) {
            Tensor buffer = model.namedBuffers().get(e.getKey());
            assertNotNull(buffer, "buffer " + e.getKey());
            assertTensor(p + " " + e.getKey() + " after one training batch", e.getValue().getAsJsonArray(), buffer, tol);
        }
        assertTensor(p + " eval logits", g.getAsJsonArray("eval_logits"), model.forward(x, Mode.EVAL), tol);
    }

    private static JsonObject load() throws IOException {
        try (InputStream in = ParameterizationGoldenTest.class.getResourceAsStream("/golden/params_net.json")) {
            assertNotNull(in, "test resource /golden/params_net.json is missing; regenerate it with make_golden_params.py");
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    private static void fill(Tensor t, JsonArray values) {
        assertEquals(t.size(), values.size(), "values for " + t);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, values.get(i).getAsDouble());
        }
    }

    private static void assertTensor(String what, JsonArray expected, Tensor actual, double tol) {
        assertNotNull(expected, what + " missing in the golden file");
        assertEquals(expected.size(), actual.size(), what + ": size");
        for (int i = 0; i < actual.size(); i++) {
            double e = expected.get(i).getAsDouble();
            assertEquals(e, actual.get(i), tol * (1 + Math.abs(e)), what + " entry " + i);
        }
    }
}
