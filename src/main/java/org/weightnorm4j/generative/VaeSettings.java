package org.weightnorm4j.generative;

import com.google.gson.JsonObject;
import java.util.Locale;

/**
 * The settings of one VAE training run ({@code weightnorm vae}, one cell of {@code vae compare}):
 * everything that decides its numbers, so that a checkpoint can be checked against the run that
 * resumes it and {@code summary.json} can say what was run.
 *
 * @param weightNorm whether every linear layer is weight-normalized (conv and dense over dim 0, the
 *                   transposed convolutions over dim 1) and data-dependently initialised (§3)
 * @param epochs     epochs to train (may be raised on {@code --resume})
 * @param seed       seed of the weights, ε, the data order and the binarizations
 * @param sizes      the model ({@link ReferenceVae.Sizes#reference()} is the paper's MNIST model)
 * @param batch      minibatch size (the paper's 100)
 * @param lr         Adamax's α (the paper's 0.002)
 * @param emaDecay   the Polyak average's decay δ ({@link #defaultEmaDecay})
 * @param initBatch  examples of the data-dependent init batch (wn only)
 * @param trainLimit training images used (0 = all)
 * @param testLimit  test images used (0 = all)
 * @param isSamples  K of the importance-sampled log-likelihood at the end (0 = skip it)
 * @param isLimit    test images the importance-sampled estimate uses (0 = all the test images used)
 */
public record VaeSettings(boolean weightNorm, int epochs, long seed, ReferenceVae.Sizes sizes, int batch, double lr,
                          double emaDecay, int initBatch, int trainLimit, int testLimit, int isSamples, int isLimit)
        implements java.io.Serializable {
    /** The paper's Adamax step size for the VAE. */
    public static final double PAPER_LR = 0.002;
    /** The paper's minibatch size. */
    public static final int PAPER_BATCH = 100;
    /** Epochs of memory of the Polyak average (the "about ten epochs"). */
    public static final int EMA_EPOCHS = 10;
    /** Evaluation minibatch size (does not change the numbers: every example is scored on its own). */
    public static final int EVAL_BATCH = 500;

    public VaeSettings {
        if (epochs < 0 || batch < 1 || !(lr > 0) || !(emaDecay > 0 && emaDecay < 1) || initBatch < 2 || trainLimit < 0
                || testLimit < 0 || isSamples < 0 || isLimit < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "VAE settings out of range: epochs %d (>= 0), batch %d"
                    + " (>= 1), lr %s (> 0), ema decay %s (in (0, 1)), init batch %d (>= 2), limits %d, %d, %d (>= 0),"
                    + " IS samples %d (>= 0)", epochs, batch, lr, emaDecay, initBatch, trainLimit, testLimit, isLimit, isSamples));
        }
    }

    /**
     * The paper's run: the reference model, batch 100, α 0.002, an average of about ten epochs'
     * memory on {@code trainImages} training images, K = 128.
     */
    public static VaeSettings paper(boolean weightNorm, int epochs, long seed, int trainImages) {
        return new VaeSettings(weightNorm, epochs, seed, ReferenceVae.Sizes.reference(), PAPER_BATCH, PAPER_LR,
                defaultEmaDecay(trainImages, PAPER_BATCH), 500, 0, 0, ImportanceSampling.DEFAULT_SAMPLES, 0);
    }

    /**
     * {@code δ = 1 − 1/(10 S)} with {@code S} steps per epoch: an exponential average's memory (the
     * time constant {@code 1/(1 − δ)}, where a step's weight has fallen to 1/e) of
     * {@value #EMA_EPOCHS} epochs. On all of MNIST at batch 100, {@code S = 600} and
     * {@code δ = 1 − 1/6000 ≈ 0.999833}.
     */
    public static double defaultEmaDecay(int trainImages, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
        int steps = Math.max(1, trainImages / batch);
        return 1 - 1.0 / (EMA_EPOCHS * (double) steps);
    }

    public String param() {
        return weightNorm ? "wn" : "normal";
    }

    public VaeSettings withEpochs(int newEpochs) {
        return new VaeSettings(weightNorm, newEpochs, seed, sizes, batch, lr, emaDecay, initBatch, trainLimit, testLimit,
                isSamples, isLimit);
    }

    public VaeSettings withIs(int samples, int limit) {
        return new VaeSettings(weightNorm, epochs, seed, sizes, batch, lr, emaDecay, initBatch, trainLimit, testLimit, samples,
                limit);
    }

    /** The model's architecture, as {@code model.json} records it. */
    public JsonObject architecture() {
        JsonObject a = new JsonObject();
        a.addProperty("model", "vae");
        a.addProperty("channels_1", sizes.c1());
        a.addProperty("channels_2", sizes.c2());
        a.addProperty("hidden", sizes.hidden());
        a.addProperty("latent", sizes.latent());
        a.addProperty("image", sizes.image());
        return a;
    }

    /** The sizes recorded by {@link #architecture()}. */
    public static ReferenceVae.Sizes sizesOf(JsonObject architecture) {
        if (architecture == null || !architecture.has("model") || !"vae".equals(architecture.get("model").getAsString())) {
            throw new IllegalArgumentException("not a VAE checkpoint: its architecture is " + architecture);
        }
        return new ReferenceVae.Sizes(architecture.get("channels_1").getAsInt(), architecture.get("channels_2").getAsInt(),
                architecture.get("hidden").getAsInt(), architecture.get("latent").getAsInt(), architecture.get("image").getAsInt());
    }

    /** Every setting, for {@code trainer.json} and {@code summary.json}. */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("param", param());
        o.addProperty("epochs", epochs);
        o.addProperty("seed", seed);
        o.add("architecture", architecture());
        o.addProperty("batch", batch);
        o.addProperty("optimizer", "adamax");
        o.addProperty("lr", lr);
        o.addProperty("ema_decay", emaDecay);
        o.addProperty("init_batch", initBatch);
        o.addProperty("train_limit", trainLimit);
        o.addProperty("test_limit", testLimit);
        o.addProperty("is_samples", isSamples);
        o.addProperty("is_limit", isLimit);
        return o;
    }

    /** The settings saved by {@link #toJson()}. */
    public static VaeSettings fromJson(JsonObject o) {
        return new VaeSettings("wn".equals(o.get("param").getAsString()), o.get("epochs").getAsInt(), o.get("seed").getAsLong(),
                sizesOf(o.getAsJsonObject("architecture")), o.get("batch").getAsInt(), o.get("lr").getAsDouble(),
                o.get("ema_decay").getAsDouble(), o.get("init_batch").getAsInt(), o.get("train_limit").getAsInt(),
                o.get("test_limit").getAsInt(), o.get("is_samples").getAsInt(), o.get("is_limit").getAsInt());
    }

    /** Whether a run with these settings continues one with {@code saved}: all equal but the epochs and the IS budget. */
    public boolean continues(VaeSettings saved) {
        return withEpochs(0).withIs(0, 0).equals(saved.withEpochs(0).withIs(0, 0));
    }
}
