package org.weightnorm4j.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.weightnorm4j.norm.GoldenJson.assertTensor;
import static org.weightnorm4j.norm.GoldenJson.tensor;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.weightnorm4j.nn.Lstm;
import org.weightnorm4j.nn.ModelTree;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.nn.PlainWeights;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * Golden test of {@link Lstm} against PyTorch's {@code nn.LSTM(5, 3)}, plain and with
 * {@code torch.nn.utils.weight_norm} on {@code weight_ih_l0} and {@code weight_hh_l0}: the values
 * in {@code src/test/resources/golden/lstm.json} were written by {@code make_golden_lstm.py} beside
 * it (Debian's python3-torch, float64). Checked: the {@code g} weight norm's apply computes, the
 * state-dict names and shapes (so a checkpoint loads into PyTorch's module), the output, the final
 * state {@code h_n}, {@code c_n}, and every gradient of
 * {@code L = Σ r ⊙ out + Σ rh ⊙ h_n + Σ rc ⊙ c_n}: the input, the initial state, both biases, and
 * {@code g} and {@code v} of both weights (or the plain weights).
 */
class LstmGoldenTest {

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"plain, FLOAT64", "wn, FLOAT64", "plain, FLOAT32", "wn, FLOAT32"})
    void lstmMatchesPyTorch(String name, DType dtype) throws IOException {
        JsonObject c = GoldenJson.load("/golden/lstm.json", "make_golden_lstm.py").getAsJsonObject(name);
        double tol = dtype == DType.FLOAT64 ? 1e-10 : 2e-5;
        JsonObject params = c.getAsJsonObject("params");
        Lstm lstm = new Lstm(new PlainWeights(Lstm.WEIGHT_IH, tensor(c, "plain_weight_ih_l0", dtype), null),
                new PlainWeights(Lstm.WEIGHT_HH, tensor(c, "plain_weight_hh_l0", dtype), null),
                tensor(params, "bias_ih_l0", dtype), tensor(params, "bias_hh_l0", dtype));
        if (name.equals("wn")) {
            lstm = WeightNorm.apply(lstm, Lstm.WEIGHT_IH, 0);
            lstm = WeightNorm.apply(lstm, Lstm.WEIGHT_HH, 0);
            Map<String, Param> mine = ModelTree.namedParams(lstm);
            assertTensor("weight_ih_l0_g after apply", c.getAsJsonObject("g_after_apply_ih").getAsJsonArray("value"),
                    mine.get("weight_ih_l0_g").value(), tol);
            assertTensor("weight_hh_l0_g after apply", c.getAsJsonObject("g_after_apply_hh").getAsJsonArray("value"),
                    mine.get("weight_hh_l0_g").value(), tol);
        }
        Map<String, Param> mine = ModelTree.namedParams(lstm);
        List<String> torchNames = new ArrayList<>();
        for (JsonElement e : c.getAsJsonArray("state_dict_names")) {
            torchNames.add(e.getAsString());
        }
        assertEquals(torchNames, new ArrayList<>(mine.keySet()), "state-dict names in PyTorch's order");
        for (String p : torchNames) {
            Tensor expected = tensor(params, p, dtype);
            assertEquals(Arrays.toString(expected.shape()), Arrays.toString(mine.get(p).value().shape()), p + "'s shape");
            mine.get(p).value().copyFrom(expected);                  // g moved away from ||v|| as in the script
        }

        Tensor h0 = tensor(c, "h0", dtype).reshape(2, 3);
        Tensor c0 = tensor(c, "c0", dtype).reshape(2, 3);
        Tensor y = lstm.forward(tensor(c, "x", dtype), h0, c0);
        assertTensor("output", c.getAsJsonObject("output").getAsJsonArray("value"), y, tol);
        assertTensor("h_n", c.getAsJsonObject("h_n").getAsJsonArray("value"), lstm.lastHidden(), tol);
        assertTensor("c_n", c.getAsJsonObject("c_n").getAsJsonArray("value"), lstm.lastCell(), tol);

        Tensor dx = lstm.backward(tensor(c, "r", dtype), tensor(c, "rh", dtype).reshape(2, 3),
                tensor(c, "rc", dtype).reshape(2, 3));
        assertTensor("∂L/∂x", c.getAsJsonObject("grad_x").getAsJsonArray("value"), dx, tol);
        assertTensor("∂L/∂h0", c.getAsJsonObject("grad_h0").getAsJsonArray("value"), lstm.initialHiddenGradient(), tol);
        assertTensor("∂L/∂c0", c.getAsJsonObject("grad_c0").getAsJsonArray("value"), lstm.initialCellGradient(), tol);
        JsonObject grads = c.getAsJsonObject("grads");
        for (String p : torchNames) {
            assertTensor("∂L/∂" + p, grads.getAsJsonObject(p).getAsJsonArray("value"), mine.get(p).grad(), tol);
        }
    }
}
