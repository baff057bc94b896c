package org.weightnorm4j.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.weightnorm4j.norm.NormTestSupport.uniform;

import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.nn.GradientCheck;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/** Batch normalization: gradients, batch statistics, PyTorch's running estimates and evaluation. */
class BatchNormTest {

    @RepeatedTest(4)
    void trainingGradientsMatchFiniteDifferences(RepetitionInfo info) {
        SplittableRandom rng = new SplittableRandom(info.getCurrentRepetition());
        int c = 1 + rng.nextInt(3);
        BatchNorm bn = new BatchNorm(c, DType.FLOAT64);
        for (int i = 0; i < c; i++) {
            bn.weight().value().set(i, rng.nextDouble(0.5, 2));
            bn.bias().value().set(i, rng.nextDouble(-1, 1));
        }
        Tensor x = info.getCurrentRepetition() % 2 == 0 ? uniform(rng, 3, c, 2, 3) : uniform(rng, 5, c);
        GradientCheck.create().check(bn, x).assertPassed();
    }

    @Test
    void trainingOutputHasZeroMeanUnitVarianceAndRunningStatsFollowPyTorch() {
        SplittableRandom rng = new SplittableRandom(3);
        BatchNorm bn = new BatchNorm(2, DType.FLOAT64);
        Tensor x = uniform(rng, 4, 2, 3, 1);
        Tensor y = bn.forward(x, Mode.TRAIN);
        int m = 12;
        for (int c = 0; c < 2; c++) {
            double mean = 0, sq = 0, ymean = 0, ysq = 0;
            for (int n = 0; n < 4; n++) {
                for (int s = 0; s < 3; s++) {
                    int i = (n * 2 + c) * 3 + s;
                    mean += x.get(i);
                    sq += x.get(i) * x.get(i);
                    ymean += y.get(i);
                    ysq += y.get(i) * y.get(i);
                }
            }
            mean /= m;
            double var = sq / m - mean * mean;
            assertEquals(0, ymean / m, 1e-12);
            assertEquals(var / (var + BatchNorm.EPS), ysq / m, 1e-12);
            assertEquals(0.1 * mean, bn.buffers().get("running_mean").get(c), 1e-12);
            assertEquals(0.9 + 0.1 * var * m / (m - 1), bn.buffers().get("running_var").get(c), 1e-12,
                    "running variance uses the unbiased estimate, as PyTorch");
        }
        assertEquals(1, bn.buffers().get("num_batches_tracked").get(0), 0, "one training batch seen");
        bn.forward(x, Mode.EVAL);
        assertEquals(1, bn.buffers().get("num_batches_tracked").get(0), 0, "evaluation does not count");
    }

    @Test
    void evaluationGradientsMatchFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(8);
        BatchNorm bn = new BatchNorm(2, DType.FLOAT64);
        bn.forward(uniform(rng, 4, 2, 2, 2), Mode.TRAIN);       // non-trivial running statistics
        bn.weight().value().set(0, 1.5);
        bn.bias().value().set(1, -0.3);
        GradientCheck.create().mode(Mode.EVAL).check(bn, uniform(rng, 3, 2, 2, 2)).assertPassed();
    }

    @Test
    void evaluationUsesRunningStatistics() {
        BatchNorm bn = new BatchNorm(1, DType.FLOAT64);
        bn.buffers().get("running_mean").set(0, 2);
        bn.buffers().get("running_var").set(0, 4 - BatchNorm.EPS);
        bn.weight().value().set(0, 3);
        bn.bias().value().set(0, 1);
        Tensor y = bn.forward(Tensor.wrap(new double[] {2, 6}, 2, 1), Mode.EVAL);
        assertEquals(1, y.get(0), 1e-12);
        assertEquals(3 * 2 + 1, y.get(1), 1e-12);
        assertEquals(2, bn.buffers().get("running_mean").get(0), 0, "evaluation leaves the running mean alone");
    }

    @Test
    void trainingOnOneValuePerChannelIsRejected() {
        BatchNorm bn = new BatchNorm(3, DType.FLOAT64);
        assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(DType.FLOAT64, 1, 3), Mode.TRAIN));
    }
}
