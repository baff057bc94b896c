package org.weightnorm4j.train;

import java.util.Map;
import org.weightnorm4j.norm.WeightNormStats;

/**
 * What one epoch measured.
 *
 * @param epoch           the epoch, counted from 1
 * @param step            steps completed at its end
 * @param trainLoss       mean minibatch loss over the epoch, in training mode
 * @param trainAccuracy   fraction of the epoch's training examples classified correctly, in training mode
 * @param testLoss        mean loss on the test split, evaluation mode (NaN without a test split)
 * @param testAccuracy    accuracy on the test split, evaluation mode (NaN without a test split)
 * @param lr              the learning rate of the epoch's last step
 * @param weightNorm      per weight-normalized layer (keyed by PyTorch module index)
 * @param trainSeconds    wall time of the epoch's training steps (not in metrics.csv: it varies between runs)
 * @param imagesPerSecond training throughput over the epoch
 */
public record EpochRecord(int epoch, long step, double trainLoss, double trainAccuracy, double testLoss,
                          double testAccuracy, double lr, Map<String, WeightNormStats> weightNorm,
                          double trainSeconds, double imagesPerSecond) {
}
