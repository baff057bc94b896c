package org.weightnorm4j.train;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.nn.ModelTree;
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
    /** Every parameter by state-dict name, collected once: the per-step checks allocate nothing. */
    private final Map<String, Param> params;
    private final Layer root;
    private final Map<String, String> layerByPath = new HashMap<>();
    private final Map<String, Integer> positionByPath = new HashMap<>();
    private final List<WeightNormed.Found> weightNormed;

    /** A guard for {@code model} and every layer in its tree. */
    public NonFiniteGuard(Layer model) {
        this.root = model;
        this.params = ModelTree.namedParams(model);
        List<Map.Entry<String, Layer>> leaves = List.copyOf(ModelTree.leaves(model).entrySet());
        for (int k = 0; k < leaves.size(); k++) {
            layerByPath.put(leaves.get(k).getKey(), leaves.get(k).getValue().describe());
            positionByPath.put(leaves.get(k).getKey(), k);
        }
        this.weightNormed = WeightNormed.find(model);
    }

    /**
     * Throws, naming the step, the layer (its position among the model's layers, its path, which is
     * the PyTorch module index in a flat model, and its description) and the unit, if a
     * weight-normalized unit's {@code v} is exactly zero. Cheap: the scan of a unit stops at its
     * first non-zero element, so a healthy model costs one read per unit.
     *
     * @param when what had just happened, e.g. "after the update of step 12"
     */
    public void checkDirections(long step, int epoch, String when, Path lastCheckpoint) {
        for (WeightNormed.Found f : weightNormed) {
            WeightNormWeights w = f.weights();
            Tensor v = w.v().value();
            int unit = firstZeroUnit(v, w.dim());
            if (unit >= 0) {
                throw new TrainingDivergedException("training stopped: at step " + step + " (epoch " + epoch + "), "
                        + when + ", unit " + unit + " of layer " + positionByPath.get(f.path()) + " of the model (module "
                        + f.path() + ", " + f.layer().describe() + ") has v exactly zero ('" + f.vName() + "' "
                        + (w.dim() == WeightNorm.PER_UNIT ? "row " : "unit ") + unit
                        + "), so w = g v/||v|| has no direction" + advice(lastCheckpoint), step);
            }
        }
    }

    /** The first unit of {@code v} (over {@code dim}) whose elements are all exactly zero, or -1. */
    private static int firstZeroUnit(Tensor v, int dim) {
        if (dim == WeightNorm.PER_UNIT || dim == WeightNorm.WHOLE_TENSOR) {
            boolean perUnit = dim == WeightNorm.PER_UNIT;
            int units = perUnit ? v.dim(0) : 1;
            int length = perUnit ? v.sizeFrom(1) : v.size();
            for (int u = 0; u < units; u++) {
                if (isZero(v, u * length, length)) {
                    return u;
                }
            }
            return -1;
        }
        for (int u = 0; u < WeightNorm.units(v, dim); u++) {
            boolean zero = true;
            for (double x : WeightNorm.unit(v, dim, u)) {
                if (x != 0) {
                    zero = false;
                    break;
                }
            }
            if (zero) {
                return u;
            }
        }
        return -1;
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
        for (Map.Entry<String, Param> e : params.entrySet()) {
            int at = firstNonFinite(e.getValue().value());
            if (at >= 0) {
                String name = e.getKey();
                String path = layerPath(name);
                return "; parameter '" + name + "' of layer " + path + " " + layerByPath.getOrDefault(path, "?") + " is "
                        + e.getValue().value().get(at) + " at element " + at + " (an earlier update overflowed it)";
            }
        }
        if (input == null) {
            return "";
        }
        String[] found = {null};
        ModelTree.forwardLeaves(root, input, Mode.TRAIN, (path, leaf, x) -> {
            Tensor h = leaf.forward(x, Mode.TRAIN);
            int at = firstNonFinite(h);
            if (at >= 0 && found[0] == null) {
                found[0] = "; the first non-finite value appears in the output of layer " + path + " "
                        + leaf.describe() + " (element " + at + " is " + h.get(at) + ")";
            }
            return h;
        });
        return found[0] != null ? found[0] : "; every layer's output is finite, so the loss itself overflowed (logits too large)";
    }

    /** The path of the layer that holds a parameter: its state-dict name without the local name. */
    private static String layerPath(String paramName) {
        int dot = paramName.lastIndexOf('.');
        return dot < 0 ? "" : paramName.substring(0, dot);
    }

    /** The index of the first NaN or infinite element of {@code t}, or -1. */
    static int firstNonFinite(Tensor t) {
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
        for (Map.Entry<String, Param> e : params.entrySet()) {
            Param p = e.getValue();
            float[] g = p.grad().data();
            int n = p.grad().size();
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(g[i])) {
                    String name = e.getKey();
                    String path = layerPath(name);
                    throw new TrainingDivergedException("training diverged: at step " + step + " (epoch " + epoch
                            + ") the gradient of parameter '" + name + "' of layer " + path + " "
                            + layerByPath.getOrDefault(path, "?") + " is " + g[i] + " at element " + i
                            + advice(lastCheckpoint), step);
                }
            }
        }
    }

    private String advice(Path lastCheckpoint) {
        return lastCheckpoint == null
                ? "; no checkpoint was written yet. " + fix(!weightNormed.isEmpty(), false)
                : "; the last good checkpoint is " + lastCheckpoint + ". " + fix(!weightNormed.isEmpty(), true);
    }

    /**
     * Advice that fits the run: a run without weight norm may try it; a weight-normalized run is
     * told that its scales g, not its directions, blow up at large rates (docs/EXPERIMENTS.md), so
     * the learning rate is the lever.
     */
    static String fix(boolean usesWeightNorm, boolean resumable) {
        String lower = "Lower the learning rate (--lr)" + (resumable ? " and resume" : "");
        return usesWeightNorm
                ? lower + "; with weight norm it is the scales g, not the directions v/||v||, that grow without bound at"
                        + " too large a rate (docs/EXPERIMENTS.md)."
                : lower + ", or use weight norm (--param wn).";
    }
}
