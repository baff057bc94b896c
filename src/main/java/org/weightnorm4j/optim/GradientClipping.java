package org.weightnorm4j.optim;

import java.util.List;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Tensor;

/**
 * Clipping by the global gradient norm, as {@code torch.nn.utils.clip_grad_norm_(params, maxNorm)}
 * does it (and as the DRAW implementation that Salimans &amp; Kingma modified, with 10):
 * {@code n = √(Σ_p ‖∇p‖²)} over every parameter; if {@code maxNorm / (n + 1e-6) < 1}, every
 * gradient is multiplied by that factor. The norm is summed in double precision.
 */
public final class GradientClipping {
    /** PyTorch's guard against dividing by a zero norm. */
    public static final double EPSILON = 1e-6;

    private GradientClipping() {
    }

    /**
     * {@code inner} with the gradients clipped to a global norm of {@code maxNorm} before each of its
     * steps (what {@code clip_grad_norm_} before {@code optimizer.step()} does), so that the one
     * training step of the library ({@code train.TrainStep}) runs clipped training unchanged. Its
     * state is {@code inner}'s.
     */
    public static Clipped clipped(Optimizer inner, double maxNorm) {
        return new Clipped(inner, maxNorm);
    }

    /** An optimizer whose every step first clips the global gradient norm ({@link #clipped}). */
    public static final class Clipped implements Optimizer {
        private final Optimizer inner;
        private final double maxNorm;
        private double lastNorm = Double.NaN;

        private Clipped(Optimizer inner, double maxNorm) {
            if (!(maxNorm > 0)) {
                throw new IllegalArgumentException("gradient clipping: the maximum norm must be > 0, got " + maxNorm);
            }
            this.inner = inner;
            this.maxNorm = maxNorm;
        }

        /** The global gradient norm before clipping at the last step (NaN before the first). */
        public double lastNorm() {
            return lastNorm;
        }

        @Override
        public List<Param> params() {
            return inner.params();
        }

        @Override
        public void step() {
            lastNorm = clipGlobalNorm(inner.params(), maxNorm);
            inner.step();
        }

        @Override
        public long stepCount() {
            return inner.stepCount();
        }

        @Override
        public double learningRate() {
            return inner.learningRate();
        }

        @Override
        public void setLearningRate(double lr) {
            inner.setLearningRate(lr);
        }

        @Override
        public OptimizerState state() {
            return inner.state();
        }

        @Override
        public void loadState(OptimizerState state) {
            inner.loadState(state);
        }

        @Override
        public String toString() {
            return inner + ", gradient norm clipped at " + maxNorm;
        }
    }

    /** Clips in place; returns the norm before clipping (NaN or infinite gradients leave everything unscaled and return that). */
    public static double clipGlobalNorm(List<Param> params, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("gradient clipping: the maximum norm must be > 0, got " + maxNorm);
        }
        double sq = 0;
        for (Param p : params) {
            Tensor g = p.grad();
            if (g.isFloat32()) {
                for (float v : g.data()) {
                    sq += (double) v * v;
                }
            } else {
                for (double v : g.data64()) {
                    sq += v * v;
                }
            }
        }
        double norm = Math.sqrt(sq);
        double coef = maxNorm / (norm + EPSILON);
        if (Double.isFinite(norm) && coef < 1) {
            for (Param p : params) {
                Kernels.scale(coef, p.grad());
            }
        }
        return norm;
    }
}
