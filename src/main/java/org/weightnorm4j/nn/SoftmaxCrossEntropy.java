package org.weightnorm4j.nn;

import java.util.Arrays;
import org.weightnorm4j.tensor.Tensor;

/**
 * Softmax followed by the negative log-likelihood of the true class, averaged over the batch:
 * {@code L = (1/N) Σ_n [logsumexp(z_n) − z_n[y_n]]}. This is PyTorch's
 * {@code F.cross_entropy(logits, labels)} with its default mean reduction.
 *
 * <p>Numerically stable: the log-sum-exp subtracts each row's maximum before exponentiating, so
 * logits of any magnitude give a finite loss. The gradient is {@code (softmax(z) − onehot(y)) / N}.
 * Sums run in double for both element types; the gradient takes the logits' type.
 */
public final class SoftmaxCrossEntropy {
    private Tensor probs;
    private Tensor grad;
    private int[] labels;
    private int[] predictions;
    private boolean gradReady;

    /**
     * Computes the mean loss of a batch and caches what {@link #backward()} needs.
     *
     * @param logits {@code [N, K]} unnormalised class scores
     * @param labels N class indices in {@code [0, K)}
     */
    public double forward(Tensor logits, int[] labels) {
        if (logits.rank() != 2) {
            throw new IllegalArgumentException("SoftmaxCrossEntropy: expected logits [N, classes] but got "
                    + Arrays.toString(logits.shape()) + " (add a Flatten or GlobalAvgPool before the loss)");
        }
        int n = logits.dim(0), k = logits.dim(1);
        if (labels.length != n) {
            throw new IllegalArgumentException("SoftmaxCrossEntropy: " + labels.length + " labels for logits "
                    + Arrays.toString(logits.shape()) + "; need one label per row");
        }
        if (n == 0 || k == 0) {
            throw new IllegalArgumentException("SoftmaxCrossEntropy: empty logits " + Arrays.toString(logits.shape()));
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("SoftmaxCrossEntropy: label " + labels[i] + " at batch position " + i
                        + " is out of range for " + k + " classes (expected 0.." + (k - 1) + ")");
            }
        }
        probs = Buffers.ensure(probs, logits, n, k);
        if (predictions == null || predictions.length != n) {
            predictions = new int[n];
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            int row = i * k;
            double max = Double.NEGATIVE_INFINITY;
            int argmax = 0;
            for (int j = 0; j < k; j++) {
                double z = logits.get(row + j);
                if (z > max) {
                    max = z;
                    argmax = j;
                }
            }
            predictions[i] = argmax;
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(logits.get(row + j) - max);
            }
            double logSumExp = max + Math.log(sum);
            total += logSumExp - logits.get(row + labels[i]);
            for (int j = 0; j < k; j++) {
                probs.set(row + j, Math.exp(logits.get(row + j) - logSumExp));
            }
        }
        this.labels = labels.clone();
        this.gradReady = false;
        return total / n;
    }

    /**
     * The gradient of the last loss with respect to the logits, {@code (softmax − onehot) / N}.
     * The tensor belongs to this object and is overwritten by the next call.
     */
    public Tensor backward() {
        if (probs == null) {
            throw new IllegalStateException("SoftmaxCrossEntropy.backward() called before forward()");
        }
        if (!gradReady) {
            int n = probs.dim(0), k = probs.dim(1);
            grad = Buffers.ensure(grad, probs, n, k);
            double inv = 1.0 / n;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < k; j++) {
                    int idx = i * k + j;
                    grad.set(idx, (probs.get(idx) - (j == labels[i] ? 1 : 0)) * inv);
                }
            }
            gradReady = true;
        }
        return grad;
    }

    /** The softmax probabilities of the last forward, {@code [N, K]} (owned by this object). */
    public Tensor probabilities() {
        if (probs == null) {
            throw new IllegalStateException("SoftmaxCrossEntropy.probabilities() called before forward()");
        }
        return probs;
    }

    /** The predicted class (arg max of the logits, first on ties) of each row of the last forward. */
    public int[] predictions() {
        if (predictions == null) {
            throw new IllegalStateException("SoftmaxCrossEntropy.predictions() called before forward()");
        }
        return predictions.clone();
    }

    /** How many rows of the last forward were predicted correctly. */
    public int correctCount() {
        if (predictions == null) {
            throw new IllegalStateException("SoftmaxCrossEntropy.correctCount() called before forward()");
        }
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predictions[i] == labels[i]) {
                correct++;
            }
        }
        return correct;
    }

    /** Fraction of rows of the last forward predicted correctly, in [0, 1]. */
    public double accuracy() {
        return (double) correctCount() / labels.length;
    }

    /** The arg max of each row of {@code [N, K]} logits (first index on ties). */
    public static int[] argmax(Tensor logits) {
        if (logits.rank() != 2) {
            throw new IllegalArgumentException("argmax: expected logits [N, classes] but got " + Arrays.toString(logits.shape()));
        }
        int n = logits.dim(0), k = logits.dim(1);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (logits.get(i * k + j) > logits.get(i * k + best)) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }
}
