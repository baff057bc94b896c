package org.weightnorm4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.norm.WeightNormed;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/** The JSON model-spec format: parsing, defaults, and errors that name the field. */
class ModelSpecTest {

    private static final String SMALL = """
            {"format": "weightnorm4j-model", "version": 1, "name": "small", "input": [1, 8, 8], "param": "wn",
             "layers": [
               {"type": "conv2d", "out": 4, "kernel": 3, "padding": 1},
               {"type": "leaky_relu", "slope": 0.1},
               {"type": "maxpool2d"},
               {"type": "flatten"},
               {"type": "dense", "out": 3}
             ]}
            """;

    @Test
    void parsesBuildsAndRunsAJsonSpec() {
        ModelSpec spec = ModelSpec.fromJson(SMALL, "small.json");
        assertEquals(Parameterization.WN, spec.param());
        assertEquals(LayerSpec.conv2d(4, 3, 1, 1), spec.layers().get(0), "stride defaults to 1");
        assertArrayEquals(new int[] {3}, spec.outputShape());
        Sequential model = spec.build(null, 1, DType.FLOAT64);
        assertEquals(List.of("0.bias", "0.weight_g", "0.weight_v", "4.bias", "4.weight_g", "4.weight_v"),
                List.copyOf(model.namedParams().keySet()));
        assertArrayEquals(new int[] {2, 3}, model.forward(Tensor.zeros(DType.FLOAT64, 2, 1, 8, 8), Mode.EVAL).shape());
        assertEquals("Dense(64->3, wn)", model.layers().get(4).describe());
        assertEquals(List.of("0", "4"), List.copyOf(WeightNormed.statsByModule(model).keySet()));
    }

    @Test
    void builderAndJsonAgree() {
        ModelSpec built = ModelSpec.builder(1, 8, 8).name("small").param(Parameterization.WN)
                .conv(4, 3, 1, 1).leakyRelu(0.1).maxPool().flatten().dense(3).build();
        assertEquals(ModelSpec.fromJson(SMALL, "small.json"), built);
    }

    @Test
    void missingParameterizationIsAClearError() {
        ModelSpec spec = ModelSpec.builder(4).dense(2).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spec.build(null, 1, DType.FLOAT32));
        assertTrue(e.getMessage().contains("normal, bn, wn, wn-mobn, mobn"), e.getMessage());
    }

    @Test
    void unknownLayerTypeNamesTheFieldAndTheValidTypes() {
        String json = SMALL.replace("\"maxpool2d\"", "\"maxpool\"");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromJson(json, "small.json"));
        assertTrue(e.getMessage().contains("small.json: layers[2].type: unknown layer type 'maxpool'")
                && e.getMessage().contains("maxpool2d, global_avg_pool"), e.getMessage());
    }

    @Test
    void unknownFieldIsNamedWithTheAllowedOnes() {
        String json = SMALL.replace("\"kernel\": 3,", "\"kernel\": 3, \"dilation\": 2,");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromJson(json, "small.json"));
        assertTrue(e.getMessage().contains("layers[0] (conv2d): unknown field \"dilation\"") && e.getMessage().contains("padding"),
                e.getMessage());
    }

    @Test
    void denseOnAnImageSuggestsFlatten() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelSpec.builder(1, 8, 8).name("bad").dense(3).build());
        assertTrue(e.getMessage().contains("'bad': layers[0] (dense) needs a flat input") && e.getMessage().contains("flatten"),
                e.getMessage());
    }

    @Test
    void kernelThatDoesNotFitNamesTheLayer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelSpec.builder(1, 4, 4).conv(2, 3).conv(2, 3).build());
        assertTrue(e.getMessage().contains("layers[1] (conv2d) on input [2, 2, 2]"), e.getMessage());
    }

    @Test
    void badValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromJson(SMALL.replace("\"out\": 4", "\"out\": 4.5"), "s"));
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromJson(SMALL.replace("\"version\": 1", "\"version\": 2"), "s"));
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromJson(SMALL.replace("\"wn\"", "\"weightnorm\""), "s"));
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromJson("[1, 2]", "s"));
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromJson("{", "s"));
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.builder(4).dropout(1.0).build());
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.builder(4).build());
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.builder(1, 2).dense(2).build());
    }
}
