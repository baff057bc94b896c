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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.weightnorm4j.nn.ConvTranspose2d;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.nn.PlainWeights;
import org.weightnorm4j.tensor.ConvSpec;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * Golden test of {@link ConvTranspose2d}, plain and under {@code WeightNorm.apply(layer, dim)} over
 * dim 1 (its output channels) and dim 0 (its input channels), against {@code torch.nn.ConvTranspose2d}
 * and {@code torch.nn.utils.weight_norm}. The values in {@code src/test/resources/golden/convtranspose.json}
 * were written by {@code make_golden_convtranspose.py} beside it (Debian's python3-torch, float64):
 * the output on a fixed input and every gradient of {@code L = Σ r ⊙ y} (∇x, ∇g, ∇v, ∇b), and the
 * state-dict names and shapes PyTorch gives the parameters.
 */
class ConvTranspose2dGoldenTest {

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"plain_s2, FLOAT64", "wn_dim1_s2, FLOAT64", "wn_dim1_s1, FLOAT64", "wn_dim0_s2, FLOAT64",
            "plain_s2, FLOAT32", "wn_dim1_s2, FLOAT32", "wn_dim1_s1, FLOAT32", "wn_dim0_s2, FLOAT32"})
    void matchesPyTorch(String name, DType dtype) throws IOException {
        JsonObject c = GoldenJson.load("/golden/convtranspose.json", "make_golden_convtranspose.py")
                .getAsJsonObject("cases").getAsJsonObject(name);
        double tol = dtype == DType.FLOAT64 ? 1e-10 : 2e-5;
        ConvSpec spec = new ConvSpec(c.get("stride").getAsInt(), c.get("padding").getAsInt());
        Tensor bias = tensor(c.getAsJsonObject("bias"), dtype);
        ConvTranspose2d layer = new ConvTranspose2d(new PlainWeights(tensor(c, "plain_weight", dtype), null), bias, spec,
                c.get("output_padding").getAsInt());
        if (!c.get("dim").isJsonNull()) {
            layer = WeightNorm.apply(layer, c.get("dim").getAsInt());
            ((WeightNormWeights) layer.weights()).g().value().copyFrom(tensor(c.getAsJsonObject("weight_g"), dtype));
        }

        List<String> names = new ArrayList<>();
        for (JsonElement e : c.getAsJsonArray("state_dict_names")) {
            names.add(e.getAsString());
        }
        List<Param> params = layer.params();
        assertEquals(names, params.stream().map(Param::name).toList(), "parameter names in PyTorch's state-dict order");
        for (Param p : params) {
            assertEquals(Arrays.toString(GoldenJson.ints(c.getAsJsonObject(p.name()).getAsJsonArray("shape"))),
                    Arrays.toString(p.value().shape()), p.name() + "'s shape");
            assertTensor(p.name() + " value", c.getAsJsonObject(p.name()).getAsJsonArray("value"), p.value(), tol);
            p.zeroGrad();
        }

        Tensor y = layer.forward(tensor(c.getAsJsonObject("input"), dtype), Mode.TRAIN);
        assertEquals(Arrays.toString(GoldenJson.ints(c.getAsJsonObject("output").getAsJsonArray("shape"))),
                Arrays.toString(y.shape()), "output shape");
        assertTensor("output", c.getAsJsonObject("output").getAsJsonArray("value"), y, tol);
        Tensor dx = layer.backward(tensor(c, "r", dtype));
        assertTensor("∇x", c.getAsJsonObject("input").getAsJsonArray("grad"), dx, tol);
        for (Param p : params) {
            assertTensor("∇" + p.name(), c.getAsJsonObject(p.name()).getAsJsonArray("grad"), p.grad(), tol);
        }
    }
}
