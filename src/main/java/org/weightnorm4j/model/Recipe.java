package org.weightnorm4j.model;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.weightnorm4j.norm.Parameterization;

/**
 * How a model is trained by default: the one place that says so. {@code train}, {@code compare},
 * {@code bench train}, the experiments' {@code Workload}, the commands' help and the table in
 * docs/TRAINING.md all read these records (a test checks the table), so a default changes here or
 * nowhere. The {@code mlp} and {@code cnn} batch sizes and Adam learning rates are those of
 * {@code shared/bench/torch_peer.py}; {@code paper-cifar}'s are the paper's CIFAR-10 recipe (§5.1
 * and the authors' script).
 *
 * @param model         the preset's name, or {@link #CUSTOM} for a model-spec file
 * @param dataset       the dataset trained on when none is given
 * @param batchSize     minibatch size
 * @param epochs        epochs of a {@code train} run
 * @param adamLr        Adam's learning rate
 * @param adamLrNormal  Adam's learning rate under the standard parameterization ({@code normal})
 * @param beta1Late     Adam's β1 from half the run on (β1 is 0.9 before)
 * @param initImages    images for the data-dependent initialisation; 0 = one minibatch
 * @param preprocessing the preprocessing whatever the dataset, or null for {@link #BY_DATASET}'s rule
 */
public record Recipe(String model, String dataset, int batchSize, int epochs, double adamLr, double adamLrNormal,
                     double beta1Late, int initImages, String preprocessing) {

    /** The name the recipe of a model-spec file goes by (in output directory names too). */
    public static final String CUSTOM = "custom";

    /** SGD's learning rate, for every model (no preset has an SGD recipe of its own). */
    public static final double SGD_LR = 0.01;

    /** Adam's β1 until the switch: the paper's and PyTorch's default. */
    public static final double BETA1 = 0.9;

    /** How the default preprocessing follows the dataset when the recipe fixes none. */
    public static final String BY_DATASET = "normalize on cifar10, else none";

    /** The presets' recipes, in {@link Models#NAMES}'s order, then a model file's. */
    public static final List<Recipe> ALL = List.of(
            new Recipe("mlp", "fashion-mnist", 128, 10, 1e-3, 1e-3, BETA1, 0, null),
            new Recipe("cnn", "fashion-mnist", 100, 10, 3e-3, 3e-3, BETA1, 0, null),
            new Recipe("paper-cifar", "cifar10", 100, 200, 3e-3, 3e-4, 0.5, 500, "zca"),
            new Recipe(CUSTOM, "fashion-mnist", 128, 10, 1e-3, 1e-3, BETA1, 0, null));

    /** The recipe of a preset, or of a model-spec file for {@link #CUSTOM}; the error lists the valid names. */
    public static Recipe of(String model) {
        for (Recipe r : ALL) {
            if (r.model.equals(model)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no recipe for model '" + model + "'; valid: " + String.join(", ", Models.NAMES));
    }

    /** The dataset: {@code given} (in lower case) if not null, else the recipe's. */
    public String dataset(String given) {
        return given != null ? given.toLowerCase(Locale.ROOT) : dataset;
    }

    /** The preprocessing on {@code dataset}: the recipe's, else per-channel normalisation on CIFAR-10 and raw pixels otherwise. */
    public String preprocessing(String dataset) {
        return preprocessing != null ? preprocessing : dataset.equals("cifar10") ? "normalize" : "none";
    }

    /** The learning rate for an optimizer named {@code adam} or {@code sgd} and a parameterization (null: any). */
    public double lr(boolean sgd, Parameterization p) {
        return sgd ? SGD_LR : p == Parameterization.NORMAL ? adamLrNormal : adamLr;
    }

    /** Images for the data-dependent initialisation at minibatch size {@code batch}. */
    public int initBatch(int batch) {
        return initImages > 0 ? initImages : batch;
    }

    /** When the schedule starts its decay, and β1 switches to {@link #beta1Late}: half the run. */
    public static double halfway(int epochs) {
        return epochs / 2.0;
    }

    /**
     * One line per recipe value, for help texts: e.g. {@code mlp 128, cnn 100, paper-cifar 100,
     * FILE.json 128}; recipes that agree are still listed, so a reader finds every model.
     */
    public static String describe(Function<Recipe, Object> value) {
        StringBuilder s = new StringBuilder();
        for (Recipe r : ALL) {
            s.append(s.length() == 0 ? "" : ", ").append(r.model.equals(CUSTOM) ? "FILE.json" : r.model).append(' ')
                    .append(value.apply(r));
        }
        return s.toString();
    }

    /** A number as the docs and help write it: {@code 1e-3}, {@code 0.5}, {@code 500}. */
    public static String number(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e6) {
            return Long.toString((long) x);
        }
        if (Math.abs(x) < 0.01) {
            String e = String.format(Locale.ROOT, "%.0e", x);  // 1e-03
            return e.replaceAll("e-0*", "e-");
        }
        return Double.toString(x);
    }

    /** The recipes' Adam learning rates as written in docs and help, e.g. {@code 3e-3 (3e-4 for normal)}. */
    public String adamLrText() {
        return number(adamLr) + (adamLrNormal != adamLr ? " (" + number(adamLrNormal) + " for normal)" : "");
    }

    /** The rows of docs/TRAINING.md's "Defaults per model" table: row label to one cell per recipe. */
    public static Map<String, Function<Recipe, String>> tableRows() {
        Map<String, Function<Recipe, String>> rows = new java.util.LinkedHashMap<>();
        rows.put("dataset", r -> r.dataset);
        rows.put("batch", r -> Integer.toString(r.batchSize));
        rows.put("Adam learning rate", Recipe::adamLrText);
        rows.put("SGD learning rate", r -> number(SGD_LR));
        rows.put("epochs", r -> Integer.toString(r.epochs));
        rows.put("schedule", r -> "linear decay from half the epochs (" + number(halfway(r.epochs)) + " of " + r.epochs + ")");
        rows.put("β1", r -> r.beta1Late == BETA1 ? number(BETA1)
                : number(BETA1) + ", then " + number(r.beta1Late) + " from epoch " + number(halfway(r.epochs)));
        rows.put("preprocessing", r -> r.preprocessing != null ? r.preprocessing : BY_DATASET);
        rows.put("data-dependent init", r -> r.initImages > 0 ? "on " + r.initImages + " images" : "on one batch");
        return rows;
    }

    /** docs/TRAINING.md's "Defaults per model" table, in Markdown. */
    public static String markdownTable() {
        StringBuilder s = new StringBuilder("|");
        for (Recipe r : ALL) {
            s.append(" | `").append(r.model.equals(CUSTOM) ? "FILE.json" : r.model).append('`');
        }
        s.append(" |\n|---");
        s.append("|---".repeat(ALL.size())).append("|\n");
        tableRows().forEach((label, cell) -> {
            s.append("| ").append(label);
            for (Recipe r : ALL) {
                s.append(" | ").append(cell.apply(r));
            }
            s.append(" |\n");
        });
        return s.toString();
    }
}
