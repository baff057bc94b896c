package org.weightnorm4j.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.weightnorm4j.norm.GoldenJson.assertTensor;
import static org.weightnorm4j.norm.GoldenJson.tensor;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.weightnorm4j.nn.Conv2d;
import org.weightnorm4j.nn.Dense;
import org.weightnorm4j.nn.LinearLayer;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.PlainWeights;
import org.weightnorm4j.tensor.ConvSpec;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * Golden test of {@link WeightNorm#apply(org.weightnorm4j.nn.Layer, int)} over dim 0, dim 1 and the
 * whole tensor against {@code torch.nn.utils.weight_norm(module, dim=...)}. The values in
 * {@code src/test/resources/golden/wn_dims.json} were written by {@code make_golden_dims.py} beside
 * it (Debian's python3-torch, float64): for each case the plain weight before weight norm, the
 * {@code weight_g} PyTorch's apply computed, and then, after {@code g} was moved away from
 * {@code ||v||}, the layer's output on a fixed input and every gradient of {@code L = Σ r ⊙ y}.
 * The transposed convolution's weight ({@code [in, out, kh, kw]}, dim 1) is compared as a tensor:
 * Eq. 2 and Eq. 3 over dim 1 against autograd.
 */
class WeightNormDimsGoldenTest {

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"linear_dim0, FLOAT64", "linear_dim1, FLOAT64", "conv_dim1, FLOAT64", "linear_whole, FLOAT64",
            "linear_dim0, FLOAT32", "linear_dim1, FLOAT32", "conv_dim1, FLOAT32", "linear_whole, FLOAT32"})
    void aLayerUnderWeightNormMatchesPyTorch(String name, DType dtype) throws IOException {
        JsonObject c = load().getAsJsonObject(name);
        double tol = dtype == DType.FLOAT64 ? 1e-10 : 2e-5;
        int dim = c.get("dim").getAsInt();
        Tensor plainWeight = tensor(c, "plain_weight", dtype);
        Tensor bias = tensor(c, "bias", dtype);
        LinearLayer plain = plainWeight.rank() == 2
                ? new Dense(new PlainWeights(plainWeight, bias))
                : new Conv2d(new PlainWeights(plainWeight, bias), new ConvSpec(1, 1));

        LinearLayer layer = WeightNorm.apply(plain, dim);
        WeightNormWeights wn = (WeightNormWeights) layer.weights();
        assertEquals(Arrays.toString(GoldenJson.ints(c.getAsJsonObject("weight_g").getAsJsonArray("shape"))),
                Arrays.toString(wn.g().value().shape()), "weight_g's shape");
        assertTensor("weight_g after apply", c.getAsJsonObject("g_after_apply").getAsJsonArray("value"), wn.g().value(), tol);
        for (int i = 0; i < plainWeight.size(); i++) {
            assertEquals(plainWeight.get(i), wn.v().value().get(i), 0, "weight_v after apply = the plain weight, entry " + i);
        }

        wn.g().value().copyFrom(tensor(c, "weight_g", dtype));
        Tensor x = tensor(c.getAsJsonObject("input"), dtype);
        Tensor y = layer.forward(x, Mode.TRAIN);
        assertTensor("output", c.getAsJsonObject("output").getAsJsonArray("value"), y, tol);
        for (var p : layer.params()) {
            p.zeroGrad();
        }
        Tensor dx = layer.backward(tensor(c, "r", dtype));
        assertTensor("∇x", c.getAsJsonObject("input").getAsJsonArray("grad"), dx, tol);
        assertTensor("∇weight_g", c.getAsJsonObject("weight_g").getAsJsonArray("grad"), wn.g().grad(), tol);
        assertTensor("∇weight_v", c.getAsJsonObject("weight_v").getAsJsonArray("grad"), wn.v().grad(), tol);
        assertTensor("∇bias", c.getAsJsonObject("bias").getAsJsonArray("grad"), wn.bias().grad(), tol);
        assertTensor("w", c.getAsJsonObject("w").getAsJsonArray("value"), WeightNorm.remove(layer).weights().direction(), tol);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"convT_dim1", "linear_dim1", "linear_dim0", "linear_whole"})
    void equationsTwoAndThreeOverDimMatchAutograd(String name) throws IOException {
        JsonObject c = load().getAsJsonObject(name);
        int dim = c.get("dim").getAsInt();
        Tensor g = tensor(c, "weight_g", DType.FLOAT64);
        Tensor v = tensor(c, "weight_v", DType.FLOAT64);
        assertTensor("w (Eq. 2)", c.getAsJsonObject("w").getAsJsonArray("value"), WeightNorm.weight(g, v, dim, name), 1e-12);
        if (name.equals("convT_dim1")) {                                  // there L = Σ r ⊙ w, so ∇w L = r
            WeightNorm.Gradients eq3 = WeightNorm.gradients(tensor(c, "r", DType.FLOAT64), g, v, dim, name);
            assertTensor("∇g (Eq. 3)", c.getAsJsonObject("weight_g").getAsJsonArray("grad"), eq3.gradG(), 1e-12);
            assertTensor("∇v (Eq. 3)", c.getAsJsonObject("weight_v").getAsJsonArray("grad"), eq3.gradV(), 1e-12);
            assertTensor("∇v (Eq. 4)", c.getAsJsonObject("weight_v").getAsJsonArray("grad"),
                    WeightNorm.projectedGradient(tensor(c, "r", DType.FLOAT64), g, v, dim, name), 1e-12);
        }
    }

    private static JsonObject load() throws IOException {
        return GoldenJson.load("/golden/wn_dims.json", "make_golden_dims.py").getAsJsonObject("cases");
    }
}
