package org.weightnorm4j.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.weightnorm4j.nn.ActivationLayer;
import org.weightnorm4j.nn.Conv2d;
import org.weightnorm4j.nn.Dense;
import org.weightnorm4j.nn.Flatten;
import org.weightnorm4j.nn.MaxPool2d;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.nn.SoftmaxCrossEntropy;
import org.weightnorm4j.tensor.ConvSpec;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * Golden test against an independent reference: PyTorch.
 *
 * <p>The values in {@code src/test/resources/golden/wn_net.json} were produced by
 * {@code src/test/resources/golden/make_golden.py} (run with Debian's python3-torch, in float64):
 * a {@code torch.nn.Sequential} of {@code weight_norm(Conv2d(2, 3, 3, padding=1), dim=0)},
 * {@code LeakyReLU(0.1)}, {@code MaxPool2d(2)}, {@code Flatten()}, {@code weight_norm(Linear(27, 4), dim=0)},
 * under {@code cross_entropy}, with every input given by a deterministic formula. The file holds
 * the input, parameters (by PyTorch state-dict name), logits, loss and the gradient of the loss
 * with respect to the input and every parameter, all computed by PyTorch's autograd. Python is
 * not needed to run this test.
 *
 * <p>The same network is built here from our layers, loaded with those values, and run in both
 * element types: float64 (reference kernels) must agree to 1e-10, float32 (the fast kernels) to
 * float rounding.
 */
class WeightNormGoldenTest {

    @ParameterizedTest
    @EnumSource(DType.class)
    void forwardLossAndEveryGradientMatchPyTorch(DType dtype) throws IOException {
        JsonObject golden = load();
        double tol = dtype == DType.FLOAT64 ? 1e-10 : 2e-5;
        JsonObject params = golden.getAsJsonObject("params");

        Conv2d conv = new Conv2d(new WeightNormWeights(tensor(params, "0.weight_g", dtype), tensor(params, "0.weight_v", dtype),
                tensor(params, "0.bias", dtype), WeightNorm.PER_UNIT), new ConvSpec(1, 1));
        Dense dense = new Dense(new WeightNormWeights(tensor(params, "4.weight_g", dtype), tensor(params, "4.weight_v", dtype),
                tensor(params, "4.bias", dtype), WeightNorm.PER_UNIT));
        Sequential model = Sequential.builder()
                .add(conv).add(ActivationLayer.leakyRelu(0.1)).add(new MaxPool2d()).add(new Flatten()).add(dense)
                .build();
        assertEquals(params.keySet(), model.namedParams().keySet(), "state-dict names");

        JsonObject input = golden.getAsJsonObject("input");
        Tensor x = tensor(input, dtype);
        int[] labels = ints(golden.getAsJsonArray("labels"));

        Tensor logits = model.forward(x, Mode.TRAIN);
        assertTensor("logits", golden.getAsJsonObject("logits").getAsJsonArray("value"), logits, tol);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        double l = loss.forward(logits, labels);
        assertEquals(golden.get("loss").getAsDouble(), l, tol, "loss");

        model.zeroGrad();
        Tensor dx = model.backward(loss.backward());
        assertTensor("∇x", input.getAsJsonArray("grad"), dx, tol);
        for (Map.Entry<String, Param> e : model.namedParams().entrySet()) {
            JsonObject p = params.getAsJsonObject(e.getKey());
            assertTensor("∇" + e.getKey(), p.getAsJsonArray("grad"), e.getValue().grad(), tol);
        }
    }

    private static JsonObject load() throws IOException {
        return GoldenJson.load("/golden/wn_net.json", "make_golden.py");
    }

    private static Tensor tensor(JsonObject params, String name, DType dtype) {
        return GoldenJson.tensor(params, name, dtype);
    }

    private static Tensor tensor(JsonObject o, DType dtype) {
        return GoldenJson.tensor(o, dtype);
    }

    private static int[] ints(JsonArray a) {
        return GoldenJson.ints(a);
    }

    private static void assertTensor(String what, JsonArray expected, Tensor actual, double tol) {
        GoldenJson.assertTensor(what, expected, actual, tol);
    }
}
