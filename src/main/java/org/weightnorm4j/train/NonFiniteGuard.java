package org.weightnorm4j.train;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.norm.WeightNorm;
import org.weightnorm4j.norm.WeightNormWeights;
import org.weightnorm4j.norm.WeightNormed;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * Stops training at the first non-finite loss or gradient, before the optimizer can spread it
 * into the parameters, so the last checkpoint on disk stays the last good state. Checking every
 * gradient element costs one pass over the parameters per step, small beside the forward and
 * backward passes.
 *
 * <p>It also stops at a weight-normalized unit whose {@code v} became exactly zero
 * ({@link #checkDirections}): {@code w = g v/||v||} (Eq. 2) then has no direction, and going on
 * would make one up or produce NaN.
 */
public final class NonFiniteGuard {
    private final Sequential model;
    private final Map<String, String> layerByIndex = new HashMap<>();
    private final List<WeightNormed.Found> weightNormed;

    public NonFiniteGuard(Sequential model) {
        this.model = model;
        for (int k = 0; k < model.layers().size(); k++) {
            layerByIndex.put(Integer.toString(model.moduleIndex(k)), model.layers().get(k).describe());
        }
        this.weightNormed = WeightNormed.find(model.layers());
    }

    /**
     * Throws, naming the step, the layer (its position in the model, its PyTorch module index and
     * description) and the unit, if a weight-normalized unit's {@code v} is exactly zero. Cheap:
     * the scan of a unit stops at its first non-zero element, so a healthy model costs one read per unit.
     *
     * @param when what had just happened, e.g. "after the update of step 12"
     */
    public void checkDirections(long step, int epoch, String when, Path lastCheckpoint) {
        for (WeightNormed.Found f : weightNormed) {
            if (!(f.weights() instanceof WeightNormWeights w)) {
                continue;
            }
            Tensor v = w.v().value();
            boolean perUnit = w.scope() == WeightNorm.Scope.PER_UNIT;
            int units = perUnit ? v.dim(0) : 1;
            int length = perUnit ? v.sizeFrom(1) : v.size();
            for (int u = 0; u < units; u++) {
                if (isZero(v, u * length, length)) {
                    int k = f.index();
                    throw new TrainingDivergedException("training stopped: at step " + step + " (epoch " + epoch + "), "
                            + when + ", unit " + u + " of layer " + k + " of the model (module " + model.moduleIndex(k)
                            + ", " + model.layers().get(k).describe() + ") has v exactly zero ('" + model.moduleIndex(k)
                            + ".weight_v' row " + u + "), so w = g v/||v|| has no direction" + advice(lastCheckpoint), step);
                }
            }
        }
    }

    private static boolean isZero(Tensor t, int from, int length) {
        if (t.dtype() == DType.FLOAT32) {
            float[] d = t.data();
            for (int i = from; i < from + length; i++) {
                if (d[i] != 0) {
                    return false;
                }
            }
        } else {
            for (int i = from; i < from + length; i++) {
                if (t.get(i) != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Throws if the loss of step {@code step} is NaN or infinite. */
    public void checkLoss(double loss, long step, int epoch, Path lastCheckpoint) {
        checkLoss(loss, step, epoch, lastCheckpoint, null);
    }

    /**
     * Throws if the loss of step {@code step} is NaN or infinite, naming where the non-finite values
     * start: the first parameter holding one, else the first layer whose output on {@code input}
     * holds one (found by running the layers one by one again, only after the failure).
     *
     * @param input the step's minibatch, or null to skip the search
     */
    public void checkLoss(double loss, long step, int epoch, Path lastCheckpoint, Tensor input) {
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException("training diverged: the loss of step " + step + " (epoch " + epoch
                    + ") is " + loss + ", before any non-finite gradient" + locate(input) + advice(lastCheckpoint), step);
        }
    }

    /** Where the first non-finite value is: in a parameter, or in a layer's output; "" if not found. */
    private String locate(Tensor input) {
        for (Map.Entry<String, Param> e : model.namedParams().entrySet()) {
            int at = firstNonFinite(e.getValue().value());
            if (at >= 0) {
                String name = e.getKey();
                String index = name.substring(0, name.indexOf('.'));
                return "; parameter '" + name + "' of layer " + index + " " + layerByIndex.getOrDefault(index, "?") + " is "
                        + e.getValue().value().get(at) + " at element " + at + " (an earlier update overflowed it)";
            }
        }
        if (input == null) {
            return "";
        }
        Tensor h = input;
        for (int k = 0; k < model.layers().size(); k++) {
            h = model.layers().get(k).forward(h, Mode.TRAIN);
            int at = firstNonFinite(h);
            if (at >= 0) {
                return "; the first non-finite value appears in the output of layer " + model.moduleIndex(k) + " "
                        + model.layers().get(k).describe() + " (element " + at + " is " + h.get(at) + ")";
            }
        }
        return "; every layer's output is finite, so the loss itself overflowed (logits too large)";
    }

    private static int firstNonFinite(Tensor t) {
        int n = t.size();
        if (t.dtype() == DType.FLOAT32) {
            float[] d = t.data();
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(d[i])) {
                    return i;
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                if (!Double.isFinite(t.get(i))) {
                    return i;
                }
            }
        }
        return -1;
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
