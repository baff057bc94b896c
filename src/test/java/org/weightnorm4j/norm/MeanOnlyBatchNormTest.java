package org.weightnorm4j.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.weightnorm4j.norm.NormTestSupport.uniform;

import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.nn.GradientCheck;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/** Mean-only batch normalization (§4): gradients, train vs eval, convergence of the running mean. */
class MeanOnlyBatchNormTest {

    @RepeatedTest(4)
    void trainingGradientsMatchFiniteDifferences(RepetitionInfo info) {
        SplittableRandom rng = new SplittableRandom(info.getCurrentRepetition());
        int c = 1 + rng.nextInt(3);
        MeanOnlyBatchNorm mobn = new MeanOnlyBatchNorm(c, DType.FLOAT64);
        for (int i = 0; i < c; i++) {
            mobn.bias().value().set(i, rng.nextDouble(-1, 1));
        }
        Tensor x = info.getCurrentRepetition() % 2 == 0 ? uniform(rng, 3, c, 2, 2) : uniform(rng, 4, c);
        GradientCheck.create().check(mobn, x).assertPassed();
    }

    @Test
    void evaluationGradientsMatchFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(9);
        MeanOnlyBatchNorm mobn = new MeanOnlyBatchNorm(2, DType.FLOAT64);
        mobn.runningMean().set(0, 0.3);
        mobn.bias().value().set(1, -0.4);
        GradientCheck.create().mode(Mode.EVAL).check(mobn, uniform(rng, 3, 2, 2, 2)).assertPassed();
    }

    @Test
    void trainingSubtractsTheBatchMeanAndEvaluationTheRunningMean() {
        MeanOnlyBatchNorm mobn = new MeanOnlyBatchNorm(2, DType.FLOAT64);
        mobn.bias().value().set(0, 0.5);
        // batch of 2, channels 2: channel 0 = {1, 3} (mean 2), channel 1 = {10, 20} (mean 15)
        Tensor x = Tensor.wrap(new double[] {1, 10, 3, 20}, 2, 2);
        Tensor y = mobn.forward(x, Mode.TRAIN);
        assertEquals(-1 + 0.5, y.get(0), 1e-15);
        assertEquals(-5, y.get(1), 1e-15);
        assertEquals(1 + 0.5, y.get(2), 1e-15);
        assertEquals(5, y.get(3), 1e-15);
        assertEquals(0.2, mobn.runningMean().get(0), 1e-15, "0.9·0 + 0.1·2");
        assertEquals(1.5, mobn.runningMean().get(1), 1e-15, "0.9·0 + 0.1·15");
        Tensor e = mobn.forward(x, Mode.EVAL);
        assertEquals(1 - 0.2 + 0.5, e.get(0), 1e-15);
        assertEquals(20 - 1.5, e.get(3), 1e-15);
        assertEquals(0.2, mobn.runningMean().get(0), 0, "evaluation leaves the running mean alone");
    }

    @Test
    void runningMeanConvergesToTheDataMean() {
        SplittableRandom rng = new SplittableRandom(4);
        double[] trueMean = {3.0, -1.5};
        MeanOnlyBatchNorm mobn = new MeanOnlyBatchNorm(2, DType.FLOAT64);
        for (int step = 0; step < 400; step++) {
            Tensor x = Tensor.zeros(DType.FLOAT64, 32, 2, 2, 2);
            for (int i = 0; i < x.size(); i++) {
                int c = (i / 4) % 2;
                x.set(i, trueMean[c] + rng.nextGaussian());
            }
            mobn.forward(x, Mode.TRAIN);
        }
        // The running mean is an exponential average of batch means, each with std 1/√128.
        assertEquals(trueMean[0], mobn.runningMean().get(0), 0.05);
        assertEquals(trueMean[1], mobn.runningMean().get(1), 0.05);
    }
}
