package org.weightnorm4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * Central finite-difference gradient check, in double precision, of a layer's analytic backward
 * pass with respect to its input and every one of its parameters.
 *
 * <p><b>The loss.</b> For a single layer the checker uses a fixed random projection of the output,
 * {@code L = Σ r ⊙ forward(x)}, with {@code r} drawn uniformly in [-1, 1] from a seeded generator;
 * then {@code ∂L/∂y = r}, so {@code backward(r)} must return {@code ∂L/∂x} and accumulate
 * {@code ∂L/∂θ} into every {@link Param#grad()}. For a whole model the loss is
 * {@link SoftmaxCrossEntropy} on given labels ({@link #checkWithLoss}).
 *
 * <p><b>The numbers.</b> Each checked entry {@code θ_i} gets {@code n_i = (L(θ_i+ε) − L(θ_i−ε)) / 2ε}
 * (error O(ε²)), compared with the analytic {@code a_i} by
 * {@code err_i = |a_i − n_i| / max(|a_i|, |n_i|, atol / tolerance)}, where
 * {@code atol = 1e-8 (1 + |L|)} sits above the rounding noise of a difference of two losses divided
 * by 2ε. So large gradients are compared relatively and gradients near zero absolutely; an entry
 * passes when {@code err_i ≤ tolerance}. Everything must be FLOAT64: the layer must be built
 * with FLOAT64 parameters and given a FLOAT64 input, so the whole computation runs on the
 * double-precision reference kernels.
 *
 * <p><b>Randomness.</b> Layers implementing {@link RandomState} (dropout, noise) have their call
 * counters reset before every forward pass, so each perturbed forward replays exactly the random
 * draw of the analytic one; the counters are restored at the end. In {@link Mode#TRAIN} the
 * checker also verifies that the forward pass is repeatable under that replay and that backward
 * accumulates into (rather than overwrites) parameter gradients.
 *
 * <p>Inputs should avoid kinks (ReLU at 0, ties in max pooling) by more than ε; tests choose them so.
 */
public final class GradientCheck {
    /** Default pass threshold on the relative error. */
    public static final double DEFAULT_TOLERANCE = 1e-6;
    /** Default finite-difference step; balances O(ε²) truncation against rounding of L / ε. */
    public static final double DEFAULT_EPSILON = 1e-5;
    /** By default at most this many entries of each tensor are checked (a seeded random sample beyond). */
    public static final int DEFAULT_MAX_ENTRIES = 500;

    private Mode mode = Mode.TRAIN;
    private long seed = 0x5EEDL;
    private double epsilon = DEFAULT_EPSILON;
    private double tolerance = DEFAULT_TOLERANCE;
    private int maxEntries = DEFAULT_MAX_ENTRIES;

    private GradientCheck() {
    }

    /** A checker with the defaults: TRAIN mode, ε = 1e-5, tolerance 1e-6, at most 500 entries per tensor. */
    public static GradientCheck create() {
        return new GradientCheck();
    }

    public GradientCheck mode(Mode mode) {
        this.mode = mode;
        return this;
    }

    /** Seed of the projection {@code r} and of the entry sample. */
    public GradientCheck seed(long seed) {
        this.seed = seed;
        return this;
    }

    public GradientCheck epsilon(double epsilon) {
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon must be positive, got " + epsilon);
        }
        this.epsilon = epsilon;
        return this;
    }

    public GradientCheck tolerance(double tolerance) {
        if (!(tolerance > 0)) {
            throw new IllegalArgumentException("tolerance must be positive, got " + tolerance);
        }
        this.tolerance = tolerance;
        return this;
    }

    /** Check at most this many entries per tensor (all of them when the tensor is smaller). */
    public GradientCheck maxEntriesPerTensor(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntriesPerTensor must be at least 1, got " + maxEntries);
        }
        this.maxEntries = maxEntries;
        return this;
    }

    /** Shorthand: checks a layer with the defaults in the given mode and fails on any error. */
    public static Report assertLayer(Layer layer, Tensor x, Mode mode) {
        return create().mode(mode).check(layer, x).assertPassed();
    }

    /** Shorthand: checks a model under softmax cross-entropy with the defaults and fails on any error. */
    public static Report assertModel(Layer model, Tensor x, int[] labels, Mode mode) {
        return create().mode(mode).checkWithLoss(model, x, labels).assertPassed();
    }

    /** Checks {@code layer} at input {@code x} under the loss {@code L = Σ r ⊙ forward(x)}. */
    public Report check(Layer layer, Tensor x) {
        requireFloat64(layer, x);
        Tensor[] r = new Tensor[1];
        Objective objective = new Objective() {
            @Override
            public double loss() {
                Tensor y = layer.forward(x, mode);
                if (r[0] == null) {
                    r[0] = y.zerosLike(y.shape());
                    SplittableRandom rng = new SplittableRandom(seed);
                    for (int i = 0; i < r[0].size(); i++) {
                        r[0].set(i, rng.nextDouble(-1, 1));
                    }
                }
                y.requireSameShape(layer.describe() + " output (changed between calls)", r[0]);
                double sum = 0;
                for (int i = 0; i < y.size(); i++) {
                    sum += r[0].get(i) * y.get(i);
                }
                return sum;
            }

            @Override
            public Tensor gradient() {
                return layer.backward(r[0].copy());
            }
        };
        return run(layer, x, objective);
    }

    /** Checks a model (typically a {@link Sequential}) under {@link SoftmaxCrossEntropy} with the given labels. */
    public Report checkWithLoss(Layer model, Tensor x, int[] labels) {
        requireFloat64(model, x);
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        Objective objective = new Objective() {
            @Override
            public double loss() {
                return ce.forward(model.forward(x, mode), labels);
            }

            @Override
            public Tensor gradient() {
                return model.backward(ce.backward());
            }
        };
        return run(model, x, objective);
    }

    /** A scalar loss of a model's output, for {@link #checkWithLoss(Layer, Tensor, Loss)}. */
    public interface Loss {
        /** The loss of {@code output} (caching what {@link #gradient()} needs). */
        double loss(Tensor output);

        /** The gradient of the last {@link #loss} with respect to the output. */
        Tensor gradient();
    }

    /** Checks a model under any scalar loss of its output (an ELBO, a regression loss). */
    public Report checkWithLoss(Layer model, Tensor x, Loss loss) {
        requireFloat64(model, x);
        Objective objective = new Objective() {
            @Override
            public double loss() {
                return loss.loss(model.forward(x, mode));
            }

            @Override
            public Tensor gradient() {
                return model.backward(loss.gradient().copy());
            }
        };
        return run(model, x, objective);
    }

    private interface Objective {
        /** Runs a forward pass and returns the scalar loss. */
        double loss();

        /** After {@link #loss()}, runs backward and returns the gradient with respect to the input. */
        Tensor gradient();
    }

    private Report run(Layer layer, Tensor x, Objective objective) {
        String what = layer.describe() + " in " + mode;
        Map<String, Param> params = namedParams(layer);
        Map<RandomState, Long> counters = randomCounters(layer);
        List<String> problems = new ArrayList<>();

        // Analytic gradients from one forward + backward.
        for (Param p : params.values()) {
            p.zeroGrad();
        }
        restore(counters);
        double loss = objective.loss();
        Tensor dx = objective.gradient();
        if (!Arrays.equals(dx.shape(), x.shape())) {
            throw new AssertionError(what + ": backward returned a gradient of shape " + Arrays.toString(dx.shape())
                    + " for an input of shape " + Arrays.toString(x.shape()));
        }
        dx = dx.copy();
        Map<String, Tensor> grads = new LinkedHashMap<>();
        for (Map.Entry<String, Param> e : params.entrySet()) {
            grads.put(e.getKey(), e.getValue().grad().copy());
        }

        // Second pass with the same random draw: the loss must repeat and parameter gradients must double.
        restore(counters);
        double again = objective.loss();
        if (Math.abs(again - loss) > 1e-12 * (1 + Math.abs(loss))) {
            problems.add(String.format(Locale.ROOT, "forward is not repeatable with the same random counters: "
                    + "L = %.17g then %.17g", loss, again));
        }
        objective.gradient();
        for (Map.Entry<String, Param> e : params.entrySet()) {
            Tensor once = grads.get(e.getKey());
            Tensor twice = e.getValue().grad();
            for (int i = 0; i < once.size(); i++) {
                double expected = 2 * once.get(i);
                if (Math.abs(twice.get(i) - expected) > 1e-9 * (1 + Math.abs(expected))) {
                    problems.add("param '" + e.getKey() + "': a second backward gave grad " + twice.get(i) + " at index "
                            + i + " instead of " + expected + "; backward must accumulate into Param.grad(), not overwrite it");
                    break;
                }
            }
        }

        double atol = 1e-8 * (1 + Math.abs(loss));
        List<TensorError> errors = new ArrayList<>();
        errors.add(compare("input", x, dx, objective, counters, atol));
        for (Map.Entry<String, Param> e : params.entrySet()) {
            errors.add(compare("param '" + e.getKey() + "'", e.getValue().value(), grads.get(e.getKey()), objective,
                    counters, atol));
        }

        // Leave the layer as one analytic pass left it: counters as before, gradients from one backward.
        restore(counters);
        for (Map.Entry<String, Param> e : params.entrySet()) {
            e.getValue().grad().copyFrom(grads.get(e.getKey()));
        }
        return new Report(what, loss, tolerance, errors, problems);
    }

    /** Finite differences for the chosen entries of one tensor, compared with its analytic gradient. */
    private TensorError compare(String name, Tensor value, Tensor analytic, Objective objective,
                                Map<RandomState, Long> counters, double atol) {
        if (!Arrays.equals(value.shape(), analytic.shape())) {
            throw new AssertionError(name + ": gradient shape " + Arrays.toString(analytic.shape())
                    + " differs from value shape " + Arrays.toString(value.shape()));
        }
        int[] entries = sample(value.size(), name);
        double floor = atol / tolerance;
        TensorError worst = new TensorError(name, value.shape(), -1, 0, 0, 0, entries.length);
        for (int i : entries) {
            double original = value.get(i);
            value.set(i, original + epsilon);
            restore(counters);
            double plus = objective.loss();
            value.set(i, original - epsilon);
            restore(counters);
            double minus = objective.loss();
            value.set(i, original);
            double numeric = (plus - minus) / (2 * epsilon);
            double a = analytic.get(i);
            double err = Math.abs(a - numeric) / Math.max(Math.max(Math.abs(a), Math.abs(numeric)), floor);
            if (Double.isNaN(err)) {
                err = Double.POSITIVE_INFINITY;
            }
            if (worst.index() < 0 || err > worst.relError()) {
                worst = new TensorError(name, value.shape(), i, a, numeric, err, entries.length);
            }
        }
        return worst;
    }

    private int[] sample(int size, String name) {
        if (size <= maxEntries) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            return all;
        }
        // Partial Fisher-Yates shuffle with a seed per tensor name: the same entries every run.
        int[] perm = new int[size];
        for (int i = 0; i < size; i++) {
            perm[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed ^ name.hashCode());
        for (int i = 0; i < maxEntries; i++) {
            int j = i + rng.nextInt(size - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return Arrays.copyOf(perm, maxEntries);
    }

    private static Map<String, Param> namedParams(Layer layer) {
        return ModelTree.namedParams(layer);
    }

    private static Map<RandomState, Long> randomCounters(Layer layer) {
        Map<RandomState, Long> out = new IdentityHashMap<>();
        for (RandomState r : ModelTree.namedRandomStates(layer).values()) {
            out.put(r, r.randomCounter());
        }
        return out;
    }

    private static void restore(Map<RandomState, Long> counters) {
        for (Map.Entry<RandomState, Long> e : counters.entrySet()) {
            e.getKey().setRandomCounter(e.getValue());
        }
    }

    private static void requireFloat64(Layer layer, Tensor x) {
        if (x.dtype() != DType.FLOAT64) {
            throw new IllegalArgumentException("GradientCheck of " + layer.describe() + ": the input is " + x.dtype()
                    + "; pass a FLOAT64 input (x.to(DType.FLOAT64))");
        }
        for (Map.Entry<String, Param> e : namedParams(layer).entrySet()) {
            if (e.getValue().value().dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("GradientCheck of " + layer.describe() + ": param '" + e.getKey()
                        + "' is " + e.getValue().value().dtype() + "; build the layer with FLOAT64 parameters");
            }
        }
    }

    /** The worst entry of one checked tensor. */
    public record TensorError(String name, int[] shape, int index, double analytic, double numeric,
                              double relError, int checked) {

        /** The worst entry as a multi-index, e.g. {@code (1, 0, 2, 3)}. */
        public String position() {
            if (index < 0) {
                return "(none)";
            }
            int[] at = new int[shape.length];
            int rest = index;
            for (int d = shape.length - 1; d >= 0; d--) {
                at[d] = shape[d] == 0 ? 0 : rest % shape[d];
                rest = shape[d] == 0 ? 0 : rest / shape[d];
            }
            StringBuilder sb = new StringBuilder("(");
            for (int d = 0; d < at.length; d++) {
                sb.append(d == 0 ? "" : ", ").append(at[d]);
            }
            return sb.append(')').toString();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s %s: max relative error %.3g at index %d %s (analytic %.10g, numeric %.10g; %d entries checked)",
                    name, Arrays.toString(shape), relError, index, position(), analytic, numeric, checked);
        }
    }

    /** The outcome: the worst entry of the input and of every parameter, plus structural problems. */
    public record Report(String layer, double loss, double tolerance, List<TensorError> tensors, List<String> problems) {

        /** The largest relative error over all checked tensors. */
        public double maxRelError() {
            double max = 0;
            for (TensorError t : tensors) {
                max = Math.max(max, t.relError());
            }
            return max;
        }

        /** The tensor with the largest relative error. */
        public TensorError worst() {
            TensorError worst = tensors.get(0);
            for (TensorError t : tensors) {
                if (t.relError() > worst.relError()) {
                    worst = t;
                }
            }
            return worst;
        }

        /** The worst entry of the named tensor ({@code "input"} or {@code "param 'weight'"}). */
        public TensorError tensor(String name) {
            for (TensorError t : tensors) {
                if (t.name().equals(name)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("no tensor '" + name + "' in the gradient check of " + layer);
        }

        public boolean passed() {
            return problems.isEmpty() && maxRelError() <= tolerance;
        }

        /** Throws an {@link AssertionError} naming the layer, the worst tensor and index unless the check passed. */
        public Report assertPassed() {
            if (!passed()) {
                throw new AssertionError(toString());
            }
            return this;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            sb.append(passed() ? "gradient check passed for " : "gradient check FAILED for ").append(layer);
            if (!tensors.isEmpty() && maxRelError() > tolerance) {
                sb.append(String.format(Locale.ROOT, "%n  worst: %s exceeds tolerance %.1e", worst(), tolerance));
            }
            for (String p : problems) {
                sb.append(String.format("%n  problem: %s", p));
            }
            sb.append(String.format(Locale.ROOT, "%n  loss %.10g; per tensor:", loss));
            for (TensorError t : tensors) {
                sb.append(String.format("%n    %s", t));
            }
            return sb.toString();
        }
    }
}
