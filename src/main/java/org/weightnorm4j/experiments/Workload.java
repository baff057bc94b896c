package org.weightnorm4j.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.weightnorm4j.data.DatasetSplits;
import org.weightnorm4j.model.ModelSpec;
import org.weightnorm4j.model.Models;
import org.weightnorm4j.model.Recipe;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.train.Inputs;
import org.weightnorm4j.train.Trainer;

/**
 * What an experiment trains on: a model spec (built afresh under each parameterization), the data
 * splits and how they were named and prepared. The experiments take a workload rather than names
 * so that tests can hand them a tiny synthetic one.
 *
 * @param model         the architecture; {@link ModelSpec#build} applies the parameterization
 * @param data          training and test splits, already preprocessed
 * @param datasetName   e.g. {@code fashion-mnist}, recorded in checkpoints and reports
 * @param preprocessing {@code none}, {@code normalize} or {@code zca} (see {@link Inputs})
 */
public record Workload(ModelSpec model, DatasetSplits data, String datasetName, String preprocessing) {

    /**
     * Loads a preset model for a dataset: the preset is sized to the dataset's images, and the
     * dataset and preprocessing default to the preset's {@link Recipe}, as in {@code weightnorm train}.
     *
     * @param preprocessing null for the default
     * @param trainLimit    keep the first this many training images (0 = all)
     * @param testLimit     keep the first this many test images (0 = all)
     */
    public static Workload load(String preset, String dataset, Path dataDir, String preprocessing, int trainLimit,
                                int testLimit) throws IOException {
        if (!Models.NAMES.contains(preset)) {
            throw new IllegalArgumentException("unknown model preset '" + preset + "'; valid: " + String.join(", ", Models.NAMES));
        }
        Recipe recipe = Recipe.of(preset);
        String ds = recipe.dataset(dataset);
        String pre = Inputs.checkPreprocessing(preprocessing != null ? preprocessing : recipe.preprocessing(ds));
        if (trainLimit < 0 || testLimit < 0) {
            throw new IllegalArgumentException("--train-limit and --test-limit must be >= 0 (0 = all), got "
                    + trainLimit + " and " + testLimit);
        }
        DatasetSplits splits = Inputs.load(ds, dataDir, pre, trainLimit, testLimit);
        int[] shape = {splits.train().channels(), splits.train().height(), splits.train().width()};
        ModelSpec spec = Models.preset(preset, shape);
        if (!Arrays.equals(spec.inputShape(), shape)) {
            throw new IllegalArgumentException("model " + preset + " takes inputs " + Arrays.toString(spec.inputShape())
                    + " but " + ds + " images are " + Arrays.toString(shape));
        }
        return new Workload(spec, splits, ds, pre);
    }

    /** The model's name for titles, e.g. {@code mlp}. */
    public String modelName() {
        String n = model.name();
        return n == null || n.isBlank() ? "custom" : n;
    }

    /** What the checkpoints' {@code model.json} records for a run under {@code p}. */
    public Trainer.ModelInfo info(Parameterization p) {
        return new Trainer.ModelInfo(model.toJson(), p.cliName(), datasetName, preprocessing);
    }

    /** One line: model, dataset, sizes, preprocessing. */
    public String describe() {
        return modelName() + " on " + datasetName + " (" + data.train().size() + " training / " + data.test().size()
                + " test images, preprocessing " + preprocessing + ")";
    }
}
