package org.weightnorm4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.norm.DataDependentInit;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.norm.WeightNormed;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * The presets build, run, and have exactly the state dict of {@code shared/bench/torch_peer.py}'s
 * models. The expected names and shapes in {@code golden/torch_peer_names.json} were written by
 * {@code src/test/resources/golden/make_torch_peer_names.py}, which calls
 * {@code torch_peer.build(workload, kind)} with PyTorch and lists {@code model.state_dict()}.
 */
class ModelsTest {

    static Stream<Arguments> presetsAndParams() {
        List<Arguments> out = new ArrayList<>();
        for (String name : Models.NAMES) {
            for (Parameterization p : Parameterization.values()) {
                out.add(Arguments.of(name, p));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("presetsAndParams")
    void stateDictMatchesTorchPeer(String preset, Parameterization p) throws IOException {
        JsonObject expected = load().getAsJsonObject(preset + "/" + p.cliName());
        assertNotNull(expected, "no torch_peer entry for " + preset + "/" + p.cliName());
        ModelSpec spec = Models.preset(preset);
        assertArrayEquals(ints(expected.getAsJsonArray("input")), spec.inputShape(), "input shape");
        Sequential model = spec.build(p, 1, DType.FLOAT32);
        List<String> actual = stateDict(model);
        List<String> wanted = new ArrayList<>();
        for (JsonElement e : expected.getAsJsonArray("state_dict")) {
            JsonArray entry = e.getAsJsonArray();
            wanted.add(entry.get(0).getAsString() + " " + Arrays.toString(ints(entry.get(1).getAsJsonArray())));
        }
        assertEquals(wanted, actual);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("presetsAndParams")
    void presetsRunForwardAndBackwardOnATinyBatch(String preset, Parameterization p) {
        int[] image = preset.equals("mlp") ? new int[] {1, 28, 28} : new int[] {preset.equals("cnn") ? 1 : 3, 12, 12};
        ModelSpec spec = Models.preset(preset, image);
        Sequential model = spec.build(p, 3, DType.FLOAT32);
        SplittableRandom rng = new SplittableRandom(4);
        Tensor x = Tensor.zeros(2, image[0], image[1], image[2]);
        for (int i = 0; i < x.size(); i++) {
            x.set(i, rng.nextGaussian());
        }
        if (p.usesWeightNorm()) {
            assertTrue(DataDependentInit.apply(model.layers(), x, DataDependentInit.Options.paper(5)) > 0);
        }
        Tensor y = model.forward(x, Mode.TRAIN);
        assertArrayEquals(new int[] {2, 10}, y.shape());
        for (int i = 0; i < y.size(); i++) {
            assertTrue(Double.isFinite(y.get(i)), "finite logits");
        }
        model.zeroGrad();
        Tensor dx = model.backward(y.copy());
        assertArrayEquals(x.shape(), dx.shape());
        assertArrayEquals(new int[] {2, 10}, model.forward(x, Mode.EVAL).shape());
        assertEquals(p.usesWeightNorm(), !WeightNormed.find(model).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presetNames")
    void presetsSurviveAJsonRoundTrip(String preset) {
        ModelSpec spec = Models.preset(preset).withParam(Parameterization.WN_MOBN);
        ModelSpec back = ModelSpec.fromJson(spec.toJsonString(), "round trip");
        assertEquals(spec, back);
        assertEquals(spec.toJson(), back.toJson());
    }

    static Stream<String> presetNames() {
        return Models.NAMES.stream();
    }

    @Test
    void outputShapeFollowsTheLayers() {
        assertArrayEquals(new int[] {10}, Models.preset("paper-cifar").outputShape());
        assertArrayEquals(new int[] {10}, Models.preset("cnn", 3, 32, 32).outputShape());
        assertArrayEquals(new int[] {10}, Models.preset("mlp").outputShape());
    }

    @Test
    void unknownPresetListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.preset("resnet"));
        assertTrue(e.getMessage().contains("mlp, cnn, paper-cifar"), e.getMessage());
    }

    /** PyTorch's state_dict order: module by module, parameters then buffers. */
    static List<String> stateDict(Sequential model) {
        List<String> out = new ArrayList<>();
        List<Layer> layers = model.layers();
        for (int k = 0; k < layers.size(); k++) {
            int i = model.moduleIndex(k);
            for (Param p : layers.get(k).params()) {
                out.add(i + "." + p.name() + " " + Arrays.toString(p.value().shape()));
            }
            for (Map.Entry<String, Tensor> b : layers.get(k).buffers().entrySet()) {
                out.add(i + "." + b.getKey() + " " + Arrays.toString(b.getValue().shape()));
            }
        }
        return out;
    }

    private static JsonObject load() throws IOException {
        try (InputStream in = ModelsTest.class.getResourceAsStream("/golden/torch_peer_names.json")) {
            assertNotNull(in, "test resource /golden/torch_peer_names.json is missing; regenerate it with make_torch_peer_names.py");
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    private static int[] ints(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }
}
