package org.weightnorm4j.experiments;

import java.util.ArrayList;
import java.util.List;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.norm.WeightNormWeights;
import org.weightnorm4j.norm.WeightNormed;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.train.StepRecord;
import org.weightnorm4j.train.Trainer;
import org.weightnorm4j.train.TrainingListener;

/**
 * Watches the {@code v} of every weight-normalized layer across optimizer steps and measures, per
 * step, what §2.1 of the paper argues about: the norm growth
 * {@code ||v_{t+1}||² = ||v_t||² + ||Δv_t||²}, the scale {@code g/||v||}, and the angle between
 * successive updates {@code Δv_t} and {@code Δv_{t−1}}.
 *
 * <p>Only the optimizer changes {@code v} (data-dependent initialisation happens before
 * {@link #onStart}), so {@code v} seen after step {@code t−1} is exactly {@code v} before step
 * {@code t}: the probe copies {@code v} at the start and after each step and takes
 * {@code Δv_t = v_{t+1} − v_t} from the stored float values, in double. The identity is checked per
 * unit (each row of {@code v}, one filter of a convolution), where Eq. 4 makes {@code ∇v L}
 * orthogonal to {@code v}; its relative deviation is
 * {@code |‖v_{t+1}‖² − ‖v_t‖² − ‖Δv_t‖²| / ‖v_{t+1}‖²}, maximised over the units.
 *
 * <p>After {@code maxSteps} steps it asks the trainer to stop.
 */
public final class NormGrowthProbe implements TrainingListener {

    /**
     * One layer at one step.
     *
     * @param step          the step, from 1
     * @param meanVNorm     mean over units of {@code ||v_{t+1}||}
     * @param meanScale     mean over units of {@code g/||v_{t+1}||}
     * @param updateAngle   angle in degrees between this step's {@code Δv} and the previous one's, over the
     *                      whole layer (NaN at the first step or when an update is zero)
     * @param maxDeviation  max over units of the identity's relative deviation (see the class doc)
     * @param meanGrowth    mean over units of {@code ||Δv_t||² / ||v_t||²}, the relative growth the
     *                      identity predicts, to set the deviation against
     */
    public record Sample(long step, double meanVNorm, double meanScale, double updateAngle, double maxDeviation,
                         double meanGrowth) {
    }

    /** One watched layer: its name and samples. */
    public static final class Layer {
        private final String name;
        private final WeightNormWeights weights;
        private final int units;
        private final int fanIn;
        private double[] before;
        private double[] after;
        private double[] previousDelta;
        private final double[] delta;
        private final List<Sample> samples = new ArrayList<>();
        private double initialMeanVNorm;
        private double initialMeanScale;

        Layer(String name, WeightNormWeights weights) {
            this.name = name;
            this.weights = weights;
            Tensor v = weights.v().value();
            this.units = v.dim(0);
            this.fanIn = v.sizeFrom(1);
            this.before = new double[v.size()];
            this.after = new double[v.size()];
            copy(v, before);
            this.delta = new double[before.length];
            for (int u = 0; u < units; u++) {
                double sq = 0;
                for (int k = u * fanIn, end = k + fanIn; k < end; k++) {
                    sq += before[k] * before[k];
                }
                initialMeanVNorm += Math.sqrt(sq) / units;
                initialMeanScale += weights.g().value().get(u) / Math.sqrt(sq) / units;
            }
        }

        /** e.g. {@code "layer 1 (module 1, dense 784→512)"}. */
        public String name() {
            return name;
        }

        /** Mean over units of {@code ||v||} before the first step (after data-dependent init). */
        public double initialMeanVNorm() {
            return initialMeanVNorm;
        }

        /** Mean over units of {@code g/||v||} before the first step. */
        public double initialMeanScale() {
            return initialMeanScale;
        }

        /** Mean {@code ||v||} after the last step over mean {@code ||v||} before the first (1 if no step). */
        public double growthFactor() {
            return samples.isEmpty() ? 1 : samples.get(samples.size() - 1).meanVNorm() / initialMeanVNorm;
        }

        /**
         * Mean {@code ||v||} after the last step over mean {@code ||v||} after step {@code from} (1 if
         * the run did not go beyond it): the growth once the first steps' large gradients are past.
         */
        public double growthFactorAfter(int from) {
            return samples.size() <= from ? 1
                    : samples.get(samples.size() - 1).meanVNorm() / samples.get(from - 1).meanVNorm();
        }

        /** The largest relative deviation from the norm-growth identity over all steps (0 if no step). */
        public double maxDeviation() {
            double m = 0;
            for (Sample s : samples) {
                m = Math.max(m, s.maxDeviation());
            }
            return m;
        }

        /** Mean over steps of the per-step relative growth {@code ||Δv||²/||v||²} (0 if no step). */
        public double meanGrowthPerStep() {
            return samples.stream().mapToDouble(Sample::meanGrowth).average().orElse(0);
        }

        /** Mean over steps of the angle between successive updates, in degrees (NaN if fewer than two steps). */
        public double meanUpdateAngle() {
            return samples.stream().mapToDouble(Sample::updateAngle).filter(Double::isFinite).average().orElse(Double.NaN);
        }

        public List<Sample> samples() {
            return List.copyOf(samples);
        }

        void measure(long step) {
            copy(weights.v().value(), after);
            Tensor g = weights.g().value();
            double sumNorm = 0;
            double sumScale = 0;
            double sumGrowth = 0;
            double maxDev = 0;
            double dot = 0;
            double deltaSq = 0;
            double prevSq = 0;
            for (int u = 0; u < units; u++) {
                double oldSq = 0;
                double newSq = 0;
                double dSq = 0;
                for (int k = u * fanIn, end = k + fanIn; k < end; k++) {
                    double d = after[k] - before[k];
                    delta[k] = d;
                    oldSq += before[k] * before[k];
                    newSq += after[k] * after[k];
                    dSq += d * d;
                    if (previousDelta != null) {
                        dot += d * previousDelta[k];
                        prevSq += previousDelta[k] * previousDelta[k];
                    }
                }
                deltaSq += dSq;
                double norm = Math.sqrt(newSq);
                sumNorm += norm;
                sumScale += g.get(u) / norm;                                   // s = g/||v|| (Eq. 2)
                sumGrowth += oldSq > 0 ? dSq / oldSq : 0;
                double dev = newSq > 0 ? Math.abs(newSq - oldSq - dSq) / newSq : 0; // ||v'||² = ||v||² + ||Δv||² (§2.1)
                maxDev = Math.max(maxDev, dev);
            }
            double angle = previousDelta != null && deltaSq > 0 && prevSq > 0
                    ? Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, dot / Math.sqrt(deltaSq * prevSq)))))
                    : Double.NaN;
            samples.add(new Sample(step, sumNorm / units, sumScale / units, angle, maxDev, sumGrowth / units));
            previousDelta = previousDelta == null ? new double[delta.length] : previousDelta;
            System.arraycopy(delta, 0, previousDelta, 0, delta.length);
            double[] swap = before;
            before = after;
            after = swap;
        }

        /** The stored values of {@code t}, widened to double exactly. */
        private static void copy(Tensor t, double[] into) {
            if (t.isFloat32()) {
                float[] f = t.data();
                for (int i = 0; i < f.length; i++) {
                    into[i] = f[i];
                }
            } else {
                System.arraycopy(t.data64(), 0, into, 0, into.length);
            }
        }
    }

    private final long maxSteps;
    private final List<Layer> layers = new ArrayList<>();
    private Trainer trainer;

    /** @param maxSteps steps after which to ask the trainer to stop (≤ 0: never) */
    public NormGrowthProbe(long maxSteps) {
        this.maxSteps = maxSteps;
    }

    @Override
    public void onStart(Trainer t) {
        if (t.step() != 0) {
            throw new IllegalStateException("the norm-growth probe must watch a run from its first step, not from step "
                    + t.step());
        }
        trainer = t;
        layers.clear();
        org.weightnorm4j.nn.Layer model = t.model();
        int k = 0;
        for (WeightNormed.Found f : WeightNormed.find(model)) {
            k++;
            layers.add(new Layer("layer " + k + " (module " + f.key() + ", " + f.layer().describe() + ")", f.weights()));
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("the model has no weight-normalized layer to watch; build it with"
                    + " parameterization wn");
        }
    }

    @Override
    public void onStep(StepRecord r) {
        for (Layer l : layers) {
            l.measure(r.step());
        }
        if (maxSteps > 0 && r.step() >= maxSteps) {
            trainer.requestStop();
        }
    }

    /** The watched layers, in model order. */
    public List<Layer> layers() {
        return List.copyOf(layers);
    }
}
