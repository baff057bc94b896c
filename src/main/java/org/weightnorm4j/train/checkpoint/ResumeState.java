package org.weightnorm4j.train.checkpoint;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.nn.ModelTree;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.nn.RandomState;
import org.weightnorm4j.optim.ParameterAverage;
import org.weightnorm4j.tensor.Tensor;

/**
 * The parts of a resumable checkpoint that every training loop with a parameter average writes
 * and reads the same way ({@code train.Trainer}, {@code generative.VaeRun}): {@code model.safetensors}
 * holds the <b>averaged</b> parameters (what evaluation and PyTorch should load), so the raw ones go
 * into {@code optimizer.safetensors} as {@code "raw.<name>"}; the random counters of dropout, noise
 * and latent layers, and the optimizer's and the average's scalars, go into {@code trainer.json}.
 */
public final class ResumeState {
    private static final String RAW = "raw.";

    private ResumeState() {
    }

    /** Copies of {@code model}'s raw parameters under {@code "raw.<name>"}, into {@code into}. */
    public static void putRawParams(Layer model, Map<String, Tensor> into) {
        for (Map.Entry<String, Param> e : ModelTree.namedParams(model).entrySet()) {
            into.put(RAW + e.getKey(), e.getValue().value().copy());
        }
    }

    /** A copy of {@code model}'s state dict with the averages in place of the parameters (the model is left as it was). */
    public static Map<String, Tensor> averagedWeights(Layer model, ParameterAverage average) {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        average.swapIn();
        try {
            Checkpoint.stateDict(model).forEach((k, v) -> weights.put(k, v.copy()));
        } finally {
            average.swapOut();
        }
        return weights;
    }

    /**
     * Loads {@code dir}'s {@code model.safetensors} into {@code model} (checking every name and
     * shape; buffers included), then overwrites the parameters with the raw ones of
     * {@code optimizerTensors}.
     */
    public static void loadRawModel(Path dir, Layer model, Map<String, Tensor> optimizerTensors) {
        Path optimizerFile = dir.resolve(Checkpoint.OPTIMIZER_FILE);
        Map<String, Tensor> raw = new LinkedHashMap<>();
        Map<String, Tensor> target = new LinkedHashMap<>();
        for (Map.Entry<String, Param> e : ModelTree.namedParams(model).entrySet()) {
            Tensor t = optimizerTensors.get(RAW + e.getKey());
            if (t == null) {
                throw new CheckpointException(optimizerFile + " lacks the raw parameter '" + RAW + e.getKey() + "'");
            }
            raw.put(e.getKey(), t);
            target.put(e.getKey(), e.getValue().value());
        }
        Checkpoint.loadModel(dir, model);                                  // buffers, and the averages (overwritten next)
        Checkpoint.loadInto(optimizerFile, raw, target);
    }

    /** The counter of every random layer of {@code model}, by name. */
    public static JsonObject randomCounters(Layer model) {
        JsonObject counters = new JsonObject();
        ModelTree.namedRandomStates(model).forEach((k, v) -> counters.addProperty(k, v.randomCounter()));
        return counters;
    }

    /** Sets every random layer's counter from {@code counters} ({@link #randomCounters}); {@code dir} names the checkpoint in errors. */
    public static void restoreRandomCounters(Path dir, Layer model, JsonObject counters) {
        for (Map.Entry<String, RandomState> e : ModelTree.namedRandomStates(model).entrySet()) {
            JsonElement c = counters.get(e.getKey());
            if (c == null) {
                throw new CheckpointException(dir.resolve(Checkpoint.STATE_FILE) + " has no random counter for layer "
                        + e.getKey() + "; the checkpoint was saved for a different model");
            }
            e.getValue().setRandomCounter(c.getAsLong());
        }
    }

    /** Scalars as a JSON object, in their map's order. */
    public static JsonObject scalars(Map<String, Double> m) {
        JsonObject o = new JsonObject();
        m.forEach(o::addProperty);
        return o;
    }

    /** The scalars of {@link #scalars}, back. */
    public static Map<String, Double> doubles(JsonObject o) {
        Map<String, Double> m = new LinkedHashMap<>();
        o.entrySet().forEach(e -> m.put(e.getKey(), e.getValue().getAsDouble()));
        return m;
    }
}
