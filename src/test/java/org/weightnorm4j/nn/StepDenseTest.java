package org.weightnorm4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.weightnorm4j.norm.WeightNorm;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/** {@link StepDense} over several steps, its output fed back into its next input, against float64 finite differences. */
class StepDenseTest {

    /** Input at step t: {@code x_t + 0.3 tanh(y_{t−1})} (in = out), output every {@code y_t}. */
    private static final class Unrolled implements Layer {
        final StepDense layer;
        int steps;
        int batch;
        int n;
        Tensor[] pre;

        Unrolled(StepDense layer) {
            this.layer = layer;
        }

        @Override
        public Tensor forward(Tensor x, Mode mode) {
            steps = x.dim(0);
            batch = x.dim(1);
            n = x.dim(2);
            Tensor out = x.zerosLike(steps, batch, n);
            pre = new Tensor[steps];
            layer.begin(steps, batch, x);
            Tensor prev = null;
            for (int t = 0; t < steps; t++) {
                Tensor xt = x.zerosLike(batch, n);
                for (int i = 0; i < batch * n; i++) {
                    xt.set(i, x.get(t * batch * n + i) + (prev == null ? 0 : 0.3 * Math.tanh(prev.get(i))));
                }
                prev = layer.step(t, xt);
                pre[t] = prev.copy();
                for (int i = 0; i < batch * n; i++) {
                    out.set(t * batch * n + i, prev.get(i));
                }
            }
            return out;
        }

        @Override
        public Tensor backward(Tensor dy) {
            Tensor dx = dy.zerosLike(steps, batch, n);
            Tensor dNext = null;
            for (int t = steps - 1; t >= 0; t--) {
                Tensor d = dy.zerosLike(batch, n);
                for (int i = 0; i < batch * n; i++) {
                    double th = Math.tanh(pre[t].get(i));
                    d.set(i, dy.get(t * batch * n + i) + (dNext == null ? 0 : 0.3 * (1 - th * th) * dNext.get(i)));
                }
                Tensor dxt = layer.backwardStep(t, d);
                for (int i = 0; i < batch * n; i++) {
                    dx.set(t * batch * n + i, dxt.get(i));
                }
                dNext = dxt.copy();
            }
            layer.finishBackward();
            return dx;
        }

        @Override
        public List<Param> params() {
            return layer.params();
        }

        @Override
        public String describe() {
            return "unrolled " + layer.describe();
        }
    }

    @ParameterizedTest(name = "wn={0}")
    @ValueSource(booleans = {false, true})
    void stepsWithFeedbackMatchFiniteDifferences(boolean wn) {
        SplittableRandom rnd = new SplittableRandom(wn ? 2 : 1);
        StepDense layer = new StepDense(PlainWeights.pytorchDefault(new int[] {4, 4}, true, DType.FLOAT64, rnd));
        if (wn) {
            layer = WeightNorm.apply(layer);
        }
        Tensor x = Tensor.zeros(DType.FLOAT64, 3, 2, 4);
        Initializers.uniform(x, -1, 1, rnd);
        GradientCheck.Report report = GradientCheck.assertLayer(new Unrolled(layer), x, Mode.TRAIN);
        assertEquals(wn ? 4 : 3, report.tensors().size(), report.toString());
        assertTrue(report.maxRelError() <= GradientCheck.DEFAULT_TOLERANCE, report.toString());
    }
}
