package org.weightnorm4j.train;

import java.util.Map;
import org.weightnorm4j.norm.WeightNormStats;

/**
 * What one optimizer step measured.
 *
 * @param step          steps completed so far, this one included (1 for the first step)
 * @param epoch         the epoch this step belongs to, counted from 1
 * @param stepInEpoch   this step's position in its epoch, counted from 1
 * @param stepsPerEpoch steps in every epoch
 * @param batchSize     examples in this step's minibatch
 * @param loss          mean cross-entropy of the minibatch, in training mode (dropout, noise on)
 * @param accuracy      fraction of the minibatch classified correctly
 * @param lr            the learning rate this step used
 * @param logged        whether this step is a logged one ({@link TrainConfig#logEverySteps()})
 * @param weightNorm    per weight-normalized layer (keyed by PyTorch module index), only on logged steps, else empty
 */
public record StepRecord(long step, int epoch, int stepInEpoch, int stepsPerEpoch, int batchSize, double loss,
                         double accuracy, double lr, boolean logged, Map<String, WeightNormStats> weightNorm) {
}
