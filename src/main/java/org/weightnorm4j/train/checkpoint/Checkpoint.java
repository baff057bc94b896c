package org.weightnorm4j.train.checkpoint;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.weightnorm4j.io.AtomicFiles;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.nn.ModelTree;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.tensor.Tensor;

/**
 * A checkpoint directory (format: {@code docs/CHECKPOINTS.md}):
 * <pre>
 *   model.safetensors      parameters and buffers under PyTorch state-dict names ("1.weight_v", ...)
 *   model.json             {@link Sidecar}: format version, architecture, parameterization, epoch, step, seed
 *   optimizer.safetensors  optimizer buffers (and parameter averages), for resuming
 *   trainer.json           trainer state: step, epoch, optimizer scalars, random counters, data position
 *   checksums.sha256       {@link Checksums}: the SHA-256 of each file above
 * </pre>
 * The files are replaced together ({@link FileSet}): after a crash the directory holds the
 * last complete checkpoint. Every reader verifies the file it reads against the manifest (and each
 * tensor against its CRC32C) first, so a damaged file is an error naming it, never other numbers.
 */
public final class Checkpoint {
    /** The version this code writes and reads; bump it when the meaning of a file changes. */
    public static final int FORMAT_VERSION = 1;
    public static final String MODEL_FILE = "model.safetensors";
    public static final String SIDECAR_FILE = "model.json";
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";
    public static final String STATE_FILE = "trainer.json";
    /** Every file a checkpoint writes together (their stray temporaries are its own to clean). */
    static final Set<String> FILES = Set.of(MODEL_FILE, SIDECAR_FILE, OPTIMIZER_FILE, STATE_FILE, Checksums.MANIFEST);

    /** What a run needs beyond the model to continue exactly: tensors and a JSON document. */
    public record TrainingState(Map<String, Tensor> tensors, JsonObject json) {
    }

    private Checkpoint() {
    }

    /** The model's parameters and buffers under their PyTorch names, in module order. */
    public static Map<String, Tensor> stateDict(Layer model) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Param> e : ModelTree.namedParams(model).entrySet()) {
            out.put(e.getKey(), e.getValue().value());
        }
        out.putAll(ModelTree.namedBuffers(model));
        return out;
    }

    /**
     * Saves a checkpoint into {@code dir}, replacing any previous one there as a unit.
     *
     * @param weights the tensors for {@code model.safetensors} (usually {@link #stateDict})
     * @param state   training state, or null to write a model-only checkpoint
     */
    public static void save(Path dir, Map<String, Tensor> weights, Sidecar sidecar, TrainingState state) {
        save(dir, weights, sidecar, state, 1);
    }

    /**
     * As {@link #save(Path, Map, Sidecar, TrainingState)}, keeping the checkpoint it replaces and
     * others before it: {@code keep} good checkpoints in all, the older ones in
     * {@code dir/checkpoints/step-…} ({@link KeptCheckpoints}).
     */
    public static void save(Path dir, Map<String, Tensor> weights, Sidecar sidecar, TrainingState state, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1 (the checkpoint being written), got " + keep);
        }
        Map<String, AtomicFiles.Body> files = new LinkedHashMap<>();
        // In a fixed order: Map.of iterates in an order that changes from one JVM run to the next,
        // which made two runs' checkpoints differ in their header bytes (the tensors did not).
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("weightnorm4j_format_version", Integer.toString(FORMAT_VERSION));
        meta.put("step", Long.toString(sidecar.step()));
        if (state != null) {
            files.put(OPTIMIZER_FILE, out -> SafeTensors.writeTo(out, state.tensors(), meta, true));
            files.put(STATE_FILE, out -> out.write(pretty(state.json())));
        }
        files.put(MODEL_FILE, out -> SafeTensors.writeTo(out, weights, meta, true));
        files.put(SIDECAR_FILE, out -> out.write(pretty(sidecar.toJson())));
        if (Files.isDirectory(dir)) {
            KeptCheckpoints.keepCurrent(dir, sidecar.step(), keep);
        }
        FileSet.writeTogether(dir, Checksums.withManifest(files));
        KeptCheckpoints.prune(dir, keep);
    }

    /** Reads {@code model.json}, completing an interrupted write first. */
    public static Sidecar readSidecar(Path dir) {
        requireDirectory(dir);
        FileSet.recover(dir, FILES);
        Checksums.verify(dir, SIDECAR_FILE);
        return Sidecar.read(dir.resolve(SIDECAR_FILE));
    }

    /**
     * Loads {@code model.safetensors} into a model built from the sidecar. Every parameter and buffer
     * must be present with the model's shape, and the file must hold nothing else.
     */
    public static void loadModel(Path dir, Layer model) {
        requireDirectory(dir);
        FileSet.recover(dir, FILES);
        Path file = dir.resolve(MODEL_FILE);
        Checksums.verify(dir, MODEL_FILE);
        loadInto(file, SafeTensors.read(file).tensors(), stateDict(model));
    }

    /** Copies {@code source} into {@code target} after checking names and shapes; errors name the tensor, both shapes and the file. */
    public static void loadInto(Path file, Map<String, Tensor> source, Map<String, Tensor> target) {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : target.entrySet()) {
            Tensor t = source.get(e.getKey());
            if (t == null) {
                missing.add(e.getKey());
            } else if (!Arrays.equals(t.shape(), e.getValue().shape())) {
                throw new CheckpointException("tensor '" + e.getKey() + "' in " + file + " has shape "
                        + Arrays.toString(t.shape()) + " but the model expects " + Arrays.toString(e.getValue().shape())
                        + "; the checkpoint was saved for a different model (compare its model.json)");
            }
        }
        Set<String> unexpected = new TreeSet<>(source.keySet());
        unexpected.removeAll(target.keySet());
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new CheckpointException(file + " does not match the model: "
                    + (missing.isEmpty() ? "" : "missing " + missing + (unexpected.isEmpty() ? "" : "; "))
                    + (unexpected.isEmpty() ? "" : "unexpected " + unexpected)
                    + "; the checkpoint was saved for a different model (compare its model.json)");
        }
        for (Map.Entry<String, Tensor> e : target.entrySet()) {
            e.getValue().copyFrom(source.get(e.getKey()));
        }
    }

    /** Reads the optimizer tensors and trainer JSON; errors if the checkpoint was saved without them. */
    public static TrainingState readTrainingState(Path dir) {
        requireDirectory(dir);
        FileSet.recover(dir, FILES);
        Path stateFile = dir.resolve(STATE_FILE);
        if (!Files.exists(stateFile)) {
            throw new CheckpointException(dir + " holds no trainer state (" + STATE_FILE
                    + "); it cannot be resumed, only evaluated");
        }
        Checksums.verify(dir, STATE_FILE);
        Checksums.verify(dir, OPTIMIZER_FILE);
        JsonObject json = Sidecar.readJsonObject(stateFile, "trainer state");
        return new TrainingState(SafeTensors.read(dir.resolve(OPTIMIZER_FILE)).tensors(), json);
    }

    private static void requireDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException("checkpoint directory " + dir + " does not exist"
                    + (Files.exists(dir) ? " (it is a file; pass the directory that holds model.safetensors)" : ""));
        }
    }

    private static byte[] pretty(JsonObject o) {
        return (new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o) + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }
}
