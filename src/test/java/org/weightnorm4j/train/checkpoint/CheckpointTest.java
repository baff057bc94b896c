package org.weightnorm4j.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.weightnorm4j.testing.Manifests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.nn.ActivationLayer;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.norm.LinearUnit;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

class CheckpointTest {
    @TempDir
    Path dir;

    private static Sequential mlp(Parameterization p, int hidden, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return Sequential.builder()
                .addAll(LinearUnit.dense(p, 6, hidden, DType.FLOAT32, r))
                .add(ActivationLayer.relu())
                .addAll(LinearUnit.dense(p, hidden, 3, DType.FLOAT32, r))
                .build();
    }

    private static Sidecar sidecar() {
        JsonObject arch = new JsonObject();
        arch.addProperty("preset", "test");
        return new Sidecar(Checkpoint.FORMAT_VERSION, arch, "wn-mobn", "synthetic", "none", 2, 40, 7, false);
    }

    /**
     * The header's metadata is written in one fixed order, so that two runs that compute the same
     * tensors write the same bytes (a {@code Map.of} here once changed its order with every JVM).
     */
    @Test
    void theMetadataIsWrittenInAFixedOrder() throws IOException {
        Checkpoint.save(dir, Checkpoint.stateDict(mlp(Parameterization.WN, 4, 3)), sidecar(), null);
        String header = new String(Files.readAllBytes(dir.resolve(Checkpoint.MODEL_FILE)), java.nio.charset.StandardCharsets.ISO_8859_1);
        int format = header.indexOf("\"format\""), version = header.indexOf("\"weightnorm4j_format_version\""),
                step = header.indexOf("\"step\"");
        assertTrue(format > 0 && format < version && version < step, header.substring(0, Math.min(400, header.length())));
    }

    @Test
    void modelRoundTripUsesPyTorchNamesAndRestoresEveryTensor() {
        Sequential a = mlp(Parameterization.WN_MOBN, 5, 1);
        Checkpoint.save(dir, Checkpoint.stateDict(a), sidecar(), null);
        Map<String, Tensor> saved = SafeTensors.read(dir.resolve(Checkpoint.MODEL_FILE)).tensors();
        assertEquals(java.util.List.of("0.weight_g", "0.weight_v", "1.bias", "1.running_mean",
                "3.weight_g", "3.weight_v", "4.bias", "4.running_mean").stream().sorted().toList(),
                saved.keySet().stream().sorted().toList());
        assertArrayEquals(new int[] {5, 1}, saved.get("0.weight_g").shape());
        Sequential b = mlp(Parameterization.WN_MOBN, 5, 2);
        Checkpoint.loadModel(dir, b);
        Map<String, Tensor> sa = Checkpoint.stateDict(a), sb = Checkpoint.stateDict(b);
        for (String name : sa.keySet()) {
            assertArrayEquals(Arrays.copyOf(sa.get(name).data(), sa.get(name).size()),
                    Arrays.copyOf(sb.get(name).data(), sb.get(name).size()), name);
        }
        Sidecar s = Checkpoint.readSidecar(dir);
        assertEquals(sidecar(), s);
    }

    @Test
    void aCheckpointOfAnotherShapeNamesTheTensorBothShapesAndTheFile() {
        Checkpoint.save(dir, Checkpoint.stateDict(mlp(Parameterization.WN, 5, 1)), sidecar(), null);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> Checkpoint.loadModel(dir, mlp(Parameterization.WN, 4, 1)));
        // The first mismatch in module order is reported: layer 0's bias, weight_g or weight_v.
        String m = e.getMessage();
        boolean named = m.contains("'0.bias' in") && m.contains("shape [5] but the model expects [4]")
                || m.contains("'0.weight_g' in") && m.contains("shape [5, 1] but the model expects [4, 1]")
                || m.contains("'0.weight_v' in") && m.contains("shape [5, 6] but the model expects [4, 6]");
        assertTrue(named && m.contains(dir.resolve(Checkpoint.MODEL_FILE).toString()), m);
    }

    @Test
    void aCheckpointOfAnotherParameterizationListsMissingAndUnexpectedTensors() {
        Checkpoint.save(dir, Checkpoint.stateDict(mlp(Parameterization.NORMAL, 5, 1)), sidecar(), null);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> Checkpoint.loadModel(dir, mlp(Parameterization.WN, 5, 1)));
        assertTrue(e.getMessage().contains("missing [0.weight_g, 0.weight_v") && e.getMessage().contains("unexpected [0.weight, 2.weight]"),
                e.getMessage());
    }

    @Test
    void anUnknownFormatVersionIsRefused() throws IOException {
        Checkpoint.save(dir, Checkpoint.stateDict(mlp(Parameterization.WN, 5, 1)), sidecar(), null);
        Path json = dir.resolve(Checkpoint.SIDECAR_FILE);
        Files.writeString(json, Files.readString(json).replace("\"format_version\": 1", "\"format_version\": 99"));
        Manifests.rewrite(dir); // as a future writer would: the version check, not the checksum, must refuse it
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.readSidecar(dir));
        assertTrue(e.getMessage().contains("format version 99") && e.getMessage().contains(json.toString()), e.getMessage());
    }

    @Test
    void trainingStateIsSavedBesideTheModel() {
        JsonObject state = new JsonObject();
        state.addProperty("step", 40);
        Checkpoint.save(dir, Checkpoint.stateDict(mlp(Parameterization.WN, 5, 1)), sidecar(),
                new Checkpoint.TrainingState(Map.of("0.weight_v.exp_avg", Tensor.zeros(5, 6)), state));
        Checkpoint.TrainingState back = Checkpoint.readTrainingState(dir);
        assertEquals(40, back.json().get("step").getAsInt());
        assertArrayEquals(new int[] {5, 6}, back.tensors().get("0.weight_v.exp_avg").shape());
    }

    @Test
    void aModelOnlyCheckpointCannotBeResumed() {
        Checkpoint.save(dir, Checkpoint.stateDict(mlp(Parameterization.WN, 5, 1)), sidecar(), null);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.readTrainingState(dir));
        assertTrue(e.getMessage().contains("cannot be resumed"), e.getMessage());
        CheckpointException none = assertThrows(CheckpointException.class, () -> Checkpoint.readSidecar(dir.resolve("absent")));
        assertTrue(none.getMessage().contains("does not exist"), none.getMessage());
    }
}
