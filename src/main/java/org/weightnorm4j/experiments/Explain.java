package org.weightnorm4j.experiments;

import java.util.SplittableRandom;
import org.weightnorm4j.data.SymmetricEigen;
import org.weightnorm4j.nn.Dense;
import org.weightnorm4j.nn.Initializers;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.SoftmaxCrossEntropy;
import org.weightnorm4j.nn.PlainWeights;
import org.weightnorm4j.norm.WeightNorm;
import org.weightnorm4j.norm.WeightNormWeights;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * The derivation of weight normalization, checked on one random instance in double precision.
 *
 * <p>The instance: a dense weight-normalized layer {@code y = (g/||v||) ⊙ (x vᵀ) + b} with
 * {@code out} units and {@code in} inputs, a batch of {@code batch} random examples with random
 * labels, and the softmax cross-entropy loss. Every quantity is computed by the library's own
 * code (the fused {@link Dense} layer and {@link WeightNorm}), and compared with central finite
 * differences of the loss.
 *
 * @param seed   the random instance
 * @param in     inputs per unit (the length of {@code v})
 * @param out    units (rows of {@code v})
 * @param batch  examples in the batch
 * @param lr     learning rate of the SGD step that shows the norm growth
 */
public record Explain(long seed, int in, int out, int batch, double lr) {

    /** Central finite-difference step: balances truncation (h²) against rounding (ε/h) in double. */
    public static final double FD_STEP = 1e-5;

    public Explain {
        if (in < 2 || out < 1 || batch < 1) {
            throw new IllegalArgumentException("explain: need in >= 2, out >= 1, batch >= 1; got in=" + in
                    + " out=" + out + " batch=" + batch);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("explain: the learning rate must be a positive number, got " + lr);
        }
    }

    /** The instance {@code weightnorm explain} shows by default (3 units of 4 inputs, batch 8, lr 0.5). */
    public static Explain standard(long seed) {
        return new Explain(seed, 4, 3, 8, 0.5);
    }

    /** Runs the walk-through. */
    public ExplainResult run() {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor v = Tensor.zeros(DType.FLOAT64, out, in);
        Initializers.normal(v, 1.0, rng);
        Tensor g = Tensor.zeros(DType.FLOAT64, WeightNormWeights.gShape(v.shape(), WeightNorm.PER_UNIT));
        Initializers.uniform(g, 0.5, 2.0, rng);
        Tensor b = Tensor.zeros(DType.FLOAT64, out);
        Initializers.uniform(b, -0.5, 0.5, rng);
        Tensor x = Tensor.zeros(DType.FLOAT64, batch, in);
        Initializers.normal(x, 1.0, rng);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = rng.nextInt(out);
        }
        String layer = "explain";

        // Eq. 2: w = g v / ||v||, per unit.
        Tensor w = WeightNorm.weight(g, v, WeightNorm.PER_UNIT, layer);
        double[] norms = WeightNorm.norms(v, WeightNorm.PER_UNIT, layer);

        // ∇w L, from the plain layer y = x wᵀ + b.
        Dense plain = new Dense(new PlainWeights(w.copy(), b.copy()));
        SoftmaxCrossEntropy plainLoss = new SoftmaxCrossEntropy();
        double loss = plainLoss.forward(plain.forward(x, Mode.EVAL), labels);
        plain.backward(plainLoss.backward());
        Tensor gradW = ((PlainWeights) plain.weights()).weight().grad();

        // The fused weight-norm layer's own backward.
        WeightNormWeights wn = new WeightNormWeights(g.copy(), v.copy(), b.copy(), WeightNorm.PER_UNIT);
        Dense fused = new Dense(wn);
        SoftmaxCrossEntropy fusedLoss = new SoftmaxCrossEntropy();
        double lossFused = fusedLoss.forward(fused.forward(x, Mode.EVAL), labels);
        fused.backward(fusedLoss.backward());

        // Eq. 3 and Eq. 4 from ∇w L.
        WeightNorm.Gradients eq3 = WeightNorm.gradients(gradW, g, v, WeightNorm.PER_UNIT, layer);
        Tensor eq4 = WeightNorm.projectedGradient(gradW, g, v, WeightNorm.PER_UNIT, layer);

        // Central finite differences of the loss in g and in v.
        Tensor fdG = finiteDifferences(wn.g().value(), fused, fusedLoss, x, labels);
        Tensor fdV = finiteDifferences(wn.v().value(), fused, fusedLoss, x, labels);

        ExplainResult.Projection projection = projection(WeightNorm.unit(w, WeightNorm.PER_UNIT, 0));
        double[] gradVDotW = new double[out];
        for (int u = 0; u < out; u++) {
            gradVDotW[u] = WeightNorm.dot(WeightNorm.unit(eq3.gradV(), WeightNorm.PER_UNIT, u),
                    WeightNorm.unit(w, WeightNorm.PER_UNIT, u));
        }

        return new ExplainResult(this, loss, lossFused, toArray(v), toArray(g), toArray(b), norms, toArray(w),
                toArray(gradW), toArray(eq3.gradG()), toArray(eq3.gradV()), toArray(eq4),
                toArray(wn.g().grad()), toArray(wn.v().grad()), toArray(fdG), toArray(fdV),
                projection, gradVDotW, sgdStep(v, eq3.gradV()),
                // Eq. 3 → Eq. 4 step by step, on this instance's ∇w L, g and v.
                DerivationSteps.evaluate(DerivationSteps.eq3ToEq4(),
                        DerivationSteps.Instance.of(out, in, toArray(gradW), toArray(g), toArray(v))));
    }

    /** Central differences {@code (L(θ+h) − L(θ−h)) / 2h} for every element of {@code theta}, in place and restored. */
    private static Tensor finiteDifferences(Tensor theta, Dense layer, SoftmaxCrossEntropy loss, Tensor x, int[] labels) {
        Tensor out = theta.zerosLike();
        for (int i = 0; i < theta.size(); i++) {
            double keep = theta.get(i);
            theta.set(i, keep + FD_STEP);
            double plus = loss.forward(layer.forward(x, Mode.EVAL), labels);
            theta.set(i, keep - FD_STEP);
            double minus = loss.forward(layer.forward(x, Mode.EVAL), labels);
            theta.set(i, keep);
            out.set(i, (plus - minus) / (2 * FD_STEP));
        }
        return out;
    }

    /** {@code M_w} for one unit and the properties that make it a projection. */
    private static ExplainResult.Projection projection(double[] w) {
        int n = w.length;
        double[][] m = WeightNorm.projectionMatrix(w);
        double asymmetry = 0;
        double idempotency = 0;
        double[] flat = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                asymmetry = Math.max(asymmetry, Math.abs(m[i][j] - m[j][i]));
                double mm = 0;
                for (int k = 0; k < n; k++) {
                    mm += m[i][k] * m[k][j];
                }
                idempotency = Math.max(idempotency, Math.abs(mm - m[i][j]));
                flat[i * n + j] = m[i][j];
            }
        }
        double[] mw = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                mw[i] += m[i][j] * w[j];
            }
        }
        SymmetricEigen eig = SymmetricEigen.of(flat, n);
        double[] eigenvalues = new double[n];
        for (int i = 0; i < n; i++) {
            eigenvalues[i] = eig.value(i);
        }
        java.util.Arrays.sort(eigenvalues);
        return new ExplainResult.Projection(m, asymmetry, idempotency, Math.sqrt(WeightNorm.dot(mw, mw)), eigenvalues);
    }

    /** One plain SGD step on v and the norm growth it causes, per unit. */
    private ExplainResult.SgdStep sgdStep(Tensor v, Tensor gradV) {
        double[] before = new double[out];
        double[] after = new double[out];
        double[] predicted = new double[out];
        double[] growth = new double[out];
        for (int u = 0; u < out; u++) {
            double[] vu = WeightNorm.unit(v, WeightNorm.PER_UNIT, u);
            double[] gu = WeightNorm.unit(gradV, WeightNorm.PER_UNIT, u);
            double n2 = WeightNorm.dot(vu, vu);
            double step2 = lr * lr * WeightNorm.dot(gu, gu);               // ||Δv||², Δv = −η ∇v L
            double[] next = new double[vu.length];
            for (int j = 0; j < vu.length; j++) {
                next[j] = vu[j] - lr * gu[j];
            }
            before[u] = Math.sqrt(n2);
            after[u] = Math.sqrt(WeightNorm.dot(next, next));
            predicted[u] = Math.sqrt(n2 + step2);                         // ||v'||² = ||v||² + ||Δv||²
            growth[u] = Math.sqrt(1 + step2 / n2);                         // sqrt(1 + C²)
        }
        return new ExplainResult.SgdStep(lr, before, after, predicted, growth);
    }

    private static double[] toArray(Tensor t) {
        double[] out = new double[t.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.get(i);
        }
        return out;
    }
}
