package org.weightnorm4j.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.nn.ModelTree;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.norm.WeightNormStats;
import org.weightnorm4j.norm.WeightNormed;
import org.weightnorm4j.tensor.Tensor;

/**
 * Applies a {@link DivergenceRule} step by step. Its state (starting loss, the layers' scales at
 * the start, the current streak) is saved in {@code trainer.json}, so a resumed run stops at the
 * same step as one that never stopped.
 *
 * <p>To say where the run went wrong it records each layer's scale when the starting loss is
 * fixed and names the layer whose scale grew most: {@code g/||v||} (mean over units) for a
 * weight-normalized layer, the RMS of the weight for any other.
 */
final class RunawayDetector {
    private final DivergenceRule rule;
    private final Layer model;
    /** Chance level's double, 2 ln K, or 0 when the objective is not a classification. */
    private final double chanceFloor;
    private double startSum;
    private int startCount;
    private int streak;
    private Map<String, Double> startScales = new LinkedHashMap<>();

    RunawayDetector(DivergenceRule rule, Layer model, int classes) {
        this.rule = rule;
        this.model = model;
        this.chanceFloor = classes > 1 ? 2 * Math.log(classes) : 0;
    }

    DivergenceRule rule() {
        return rule;
    }

    /** Records the loss of {@code step}; throws {@link TrainingDivergedException} when the rule fires. */
    void observe(long step, int epoch, double loss, Path lastCheckpoint) {
        if (!rule.enabled()) {
            return;
        }
        if (startCount < rule.startSteps()) {
            startSum += loss;
            if (++startCount == rule.startSteps()) {
                startScales = scales();
            }
            return;
        }
        double start = startSum / startCount;
        double threshold = Math.max(rule.factor() * start, chanceFloor);
        streak = loss > threshold ? streak + 1 : 0;
        if (streak >= rule.patience()) {
            throw new TrainingDivergedException(String.format(Locale.ROOT, "training stopped: at step %d (epoch %d) the"
                    + " loss is %.4g and has been above %.4g (max(%s x the starting loss %.4g, 2 ln K %.4g)) for %d"
                    + " consecutive steps: the run is diverging (rule: --divergence-factor, --divergence-patience;"
                    + " --no-divergence-check turns it off)%s%s", step, epoch, loss, threshold, number(rule.factor()),
                    start, chanceFloor, streak, grewMost(), advice(lastCheckpoint)), step);
        }
    }

    private String advice(Path lastCheckpoint) {
        boolean wn = !WeightNormed.find(model).isEmpty();
        return lastCheckpoint == null ? "; no checkpoint was written yet. " + NonFiniteGuard.fix(wn, false)
                : "; the last good checkpoint is " + lastCheckpoint + ". " + NonFiniteGuard.fix(wn, true);
    }

    /** "; the layer whose scale grew most: ..." from the scales recorded at the start. */
    private String grewMost() {
        Map<String, Double> now = scales();
        String best = null;
        double bestRatio = 0;
        for (Map.Entry<String, Double> e : now.entrySet()) {
            Double was = startScales.get(e.getKey());
            if (was != null && was > 0) {
                double ratio = e.getValue() / was;
                if (best == null || ratio > bestRatio || Double.isNaN(ratio)) {
                    best = e.getKey();
                    bestRatio = ratio;
                }
            }
        }
        if (best == null) {
            return "";
        }
        return String.format(Locale.ROOT, "; the layer whose %s grew most since step %d: %s, from %.4g to %.4g (x%.3g)",
                best.startsWith("g/||v||") ? "g/||v||" : "weight RMS", rule.startSteps(), best.substring(best.indexOf(' ') + 1),
                startScales.get(best), now.get(best), bestRatio);
    }

    /** Each layer's scale, keyed "g/||v|| module 3" or "rms 3.weight". */
    private Map<String, Double> scales() {
        Map<String, Double> out = new LinkedHashMap<>();
        Map<String, WeightNormStats> wn = WeightNormed.statsByModule(model);
        wn.forEach((module, s) -> out.put("g/||v|| module " + module, s.meanScale()));
        for (Map.Entry<String, Param> e : ModelTree.namedParams(model).entrySet()) {
            Tensor t = e.getValue().value();
            if (e.getKey().endsWith(".weight") && t.shape().length >= 2) {
                double sum = 0;
                for (int i = 0; i < t.size(); i++) {
                    sum += t.get(i) * t.get(i);
                }
                out.put("rms " + e.getKey(), Math.sqrt(sum / t.size()));
            }
        }
        return out;
    }

    JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("start_loss_sum", startSum);
        o.addProperty("start_steps", startCount);
        o.addProperty("streak", streak);
        JsonObject sc = new JsonObject();
        startScales.forEach(sc::addProperty);
        o.add("start_scales", sc);
        return o;
    }

    /** Restores {@link #toJson}'s state; a checkpoint from before the rule existed starts it afresh. */
    void load(JsonObject o) {
        if (o == null) {
            return;
        }
        startSum = o.get("start_loss_sum").getAsDouble();
        startCount = o.get("start_steps").getAsInt();
        streak = o.get("streak").getAsInt();
        startScales = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("start_scales").entrySet()) {
            startScales.put(e.getKey(), e.getValue().getAsDouble());
        }
    }

    private static String number(double x) {
        return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
    }
}
