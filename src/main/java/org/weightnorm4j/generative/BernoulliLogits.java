package org.weightnorm4j.generative;

import org.weightnorm4j.tensor.Tensor;

/**
 * The Bernoulli likelihood of binary pixels {@code x ∈ {0, 1}} given logits {@code l}, summed over
 * the pixels of each example (nats per image):
 * <pre>
 *   log p(x | l) = Σ_j [x_j log σ(l_j) + (1 − x_j) log(1 − σ(l_j))] = Σ_j [x_j l_j − softplus(l_j)]
 * </pre>
 * with {@code softplus(l) = log(1 + e^l)} computed as {@code max(l, 0) + log1p(e^{−|l|})} (the
 * log-sum-exp form), which neither overflows nor loses the tail for any finite {@code l}: a logit of
 * ±1000 on the wrong side costs exactly 1000 nats. The gradient is
 * {@code ∂ log p/∂l_j = x_j − σ(l_j)}. Pixels in [0, 1] that are not binary give the
 * cross-entropy of the same formula.
 */
public final class BernoulliLogits {
    private BernoulliLogits() {
    }

    /** {@code log(1 + e^l)} without overflow: {@code max(l, 0) + log1p(e^{−|l|})}. */
    public static double softplus(double l) {
        return Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l)));
    }

    /** The logistic function {@code 1/(1 + e^{−l})}, without overflow on either side. */
    public static double sigmoid(double l) {
        return l >= 0 ? 1 / (1 + Math.exp(-l)) : Math.exp(l) / (1 + Math.exp(l));
    }

    /**
     * {@code log p(x_n | l_n)} for each example {@code n}, into {@code out[n]}: logits and pixels
     * have {@code N} rows of the same number of elements, in any shapes.
     */
    public static void logLikelihood(Tensor logits, Tensor x, double[] out) {
        int n = requireRows(logits, x, out.length);
        int p = logits.size() / n;
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = i * p; j < (i + 1) * p; j++) {
                double l = logits.get(j);
                sum += x.get(j) * l - softplus(l);                        // x l − softplus(l)
            }
            out[i] = sum;
        }
    }

    /** Adds {@code weight · ∂ log p(x | l)/∂l = weight (x − σ(l))} into {@code grad} (shaped like the logits). */
    public static void addGradient(Tensor logits, Tensor x, double weight, Tensor grad) {
        requireRows(logits, x, logits.dim(0));
        logits.requireSameShape("Bernoulli likelihood gradient (logits vs gradient)", grad);
        for (int j = 0; j < logits.size(); j++) {
            grad.set(j, grad.get(j) + weight * (x.get(j) - sigmoid(logits.get(j))));
        }
    }

    private static int requireRows(Tensor logits, Tensor x, int rows) {
        int n = logits.dim(0);
        if (n != rows || x.dim(0) != n || x.size() != logits.size()) {
            throw new IllegalArgumentException("Bernoulli likelihood: logits " + java.util.Arrays.toString(logits.shape())
                    + " and pixels " + java.util.Arrays.toString(x.shape()) + " must have the same " + rows
                    + " examples of the same size");
        }
        return n;
    }
}
