package org.weightnorm4j.train;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.nn.Sequential;

/**
 * Stops training at the first non-finite loss or gradient, before the optimizer can spread it
 * into the parameters, so the last checkpoint on disk stays the last good state. Checking every
 * gradient element costs one pass over the parameters per step, small beside the forward and
 * backward passes.
 */
public final class NonFiniteGuard {
    private final Sequential model;
    private final Map<String, String> layerByIndex = new HashMap<>();

    public NonFiniteGuard(Sequential model) {
        this.model = model;
        for (int k = 0; k < model.layers().size(); k++) {
            layerByIndex.put(Integer.toString(model.moduleIndex(k)), model.layers().get(k).describe());
        }
    }

    /** Throws if the loss of step {@code step} is NaN or infinite. */
    public void checkLoss(double loss, long step, int epoch, Path lastCheckpoint) {
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException("training diverged: the loss of step " + step + " (epoch " + epoch
                    + ") is " + loss + ", before any non-finite gradient" + advice(lastCheckpoint), step);
        }
    }

    /** Throws, naming the first parameter and its layer, if any gradient element is NaN or infinite. */
    public void checkGradients(long step, int epoch, Path lastCheckpoint) {
        for (Map.Entry<String, Param> e : model.namedParams().entrySet()) {
            Param p = e.getValue();
            float[] g = p.grad().data();
            int n = p.grad().size();
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(g[i])) {
                    String name = e.getKey();
                    String index = name.substring(0, name.indexOf('.'));
                    throw new TrainingDivergedException("training diverged: at step " + step + " (epoch " + epoch
                            + ") the gradient of parameter '" + name + "' of layer " + index + " "
                            + layerByIndex.getOrDefault(index, "?") + " is " + g[i] + " at element " + i
                            + advice(lastCheckpoint), step);
                }
            }
        }
    }

    private static String advice(Path lastCheckpoint) {
        return lastCheckpoint == null
                ? "; no checkpoint was written yet. Lower the learning rate (--lr) or use weight norm (--param wn)."
                : "; the last good checkpoint is " + lastCheckpoint + ". Lower the learning rate (--lr) and resume,"
                        + " or use weight norm (--param wn).";
    }
}
