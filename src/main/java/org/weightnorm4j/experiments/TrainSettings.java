package org.weightnorm4j.experiments;

import java.util.Locale;
import org.weightnorm4j.train.TrainConfig;

/**
 * The training recipe an experiment holds fixed across its runs, so that only the
 * parameterization (or the learning rate) differs between them.
 *
 * @param epochs     epochs per run
 * @param batchSize  minibatch size
 * @param optimizer  {@code adam} or {@code sgd}
 * @param lr         learning rate (constant schedule)
 * @param momentum   SGD momentum (0 = plain SGD); ignored by Adam
 * @param weightDecay L2 weight decay added to the gradient (0 = none)
 * @param initBatch  images for the data-dependent initialisation of weight-normalized layers (§3)
 * @param seed       seeds initialisation, data order and dropout
 */
public record TrainSettings(int epochs, int batchSize, String optimizer, double lr, double momentum, double weightDecay,
                            int initBatch, long seed) {

    public TrainSettings {
        optimizer = optimizer.toLowerCase(Locale.ROOT);
        if (!optimizer.equals("adam") && !optimizer.equals("sgd")) {
            throw new IllegalArgumentException("--optimizer must be adam or sgd, got '" + optimizer + "'");
        }
        if (epochs < 1 || batchSize < 1 || initBatch < 0) {
            throw new IllegalArgumentException("epochs and batch size must be >= 1 and the init batch >= 0, got epochs "
                    + epochs + ", batch " + batchSize + ", init batch " + initBatch);
        }
        if (!(momentum >= 0 && momentum < 1) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("momentum must be in [0, 1) and weight decay >= 0, got " + momentum
                    + " and " + weightDecay);
        }
    }

    /** The same recipe with another learning rate. */
    public TrainSettings withLr(double newLr) {
        return new TrainSettings(epochs, batchSize, optimizer, newLr, momentum, weightDecay, initBatch, seed);
    }

    /**
     * The trainer's config: constant learning rate, Adam's β1 fixed at 0.9, a checkpoint after every
     * epoch when {@code checkpoints}, a metrics row every {@code logEvery} steps.
     */
    public TrainConfig config(boolean checkpoints, int logEvery) {
        TrainConfig.Builder b = TrainConfig.builder().epochs(epochs).batchSize(batchSize).optimizer(optimizer, lr)
                .schedule("constant").weightDecay(weightDecay).initBatch(initBatch).logEverySteps(Math.max(1, logEvery))
                .checkpointEvery(checkpoints ? 1 : 0, 0).seed(seed);
        if (optimizer.equals("sgd")) {
            b.sgd(lr, momentum, false);
        }
        return b.build();
    }

    /** One line for reports. */
    public String describe() {
        String opt = optimizer.equals("sgd")
                ? String.format(Locale.ROOT, "SGD (momentum %s)", momentum)
                : "Adam (beta1 0.9, beta2 0.999)";
        return String.format(Locale.ROOT, "%d epoch(s), batch %d, %s, constant learning rate %s, weight decay %s,"
                        + " data-dependent init on %d images (weight-normalized runs), seed %d",
                epochs, batchSize, opt, lr, weightDecay, initBatch, seed);
    }
}
