package org.weightnorm4j.experiments;

import java.util.Locale;
import org.weightnorm4j.optim.OptimizerSpec;
import org.weightnorm4j.train.TrainConfig;

/**
 * The training recipe an experiment holds fixed across its runs, so that only the
 * parameterization (or the learning rate) differs between them.
 *
 * @param epochs     epochs per run
 * @param batchSize  minibatch size
 * @param optimizer  the optimizer, its learning rate (constant schedule) and weight decay
 * @param initBatch  images for the data-dependent initialisation of weight-normalized layers (§3)
 * @param seed       seeds initialisation, data order and dropout
 */
public record TrainSettings(int epochs, int batchSize, OptimizerSpec optimizer, int initBatch, long seed)
        implements java.io.Serializable {

    public TrainSettings {
        if (epochs < 1 || batchSize < 1 || initBatch < 0) {
            throw new IllegalArgumentException("epochs and batch size must be >= 1 and the init batch >= 0, got epochs "
                    + epochs + ", batch " + batchSize + ", init batch " + initBatch);
        }
        if (optimizer == null) {
            throw new IllegalArgumentException("an experiment's recipe needs an optimizer");
        }
    }

    /** The learning rate (constant). */
    public double lr() {
        return optimizer.lr();
    }

    /** SGD's momentum; 0 for Adam. */
    public double momentum() {
        return optimizer instanceof OptimizerSpec.Sgd s ? s.momentum() : 0;
    }

    /** L2 weight decay added to the gradient (0 = none). */
    public double weightDecay() {
        return optimizer.weightDecay();
    }

    /** The same recipe with another learning rate. */
    public TrainSettings withLr(double newLr) {
        return new TrainSettings(epochs, batchSize, optimizer.withLr(newLr), initBatch, seed);
    }

    /** The same recipe with another seed. */
    public TrainSettings withSeed(long newSeed) {
        return new TrainSettings(epochs, batchSize, optimizer, initBatch, newSeed);
    }

    /** The same recipe for another run length, batch size and init batch. */
    public TrainSettings with(int newEpochs, int newBatch, int newInitBatch) {
        return new TrainSettings(newEpochs, newBatch, optimizer, newInitBatch, seed);
    }

    /**
     * The trainer's config: constant learning rate, Adam's β1 fixed at 0.9, a checkpoint after every
     * epoch when {@code checkpoints}, a metrics row every {@code logEvery} steps.
     */
    public TrainConfig config(boolean checkpoints, int logEvery) {
        return TrainConfig.builder().epochs(epochs).batchSize(batchSize).optimizer(optimizer).schedule("constant")
                .initBatch(initBatch).logEverySteps(Math.max(1, logEvery)).checkpointEvery(checkpoints ? 1 : 0, 0).seed(seed)
                .build();
    }

    /** One line for reports. */
    public String describe() {
        String opt = optimizer instanceof OptimizerSpec.Sgd s
                ? String.format(Locale.ROOT, "SGD (momentum %s)", s.momentum())
                : "Adam (beta1 0.9, beta2 0.999)";
        return String.format(Locale.ROOT, "%d epoch(s), batch %d, %s, constant learning rate %s, weight decay %s,"
                        + " data-dependent init on %d images (weight-normalized runs), seed %d",
                epochs, batchSize, opt, lr(), weightDecay(), initBatch, seed);
    }
}
