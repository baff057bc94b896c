package org.weightnorm4j.tensor;

/**
 * The {@link OptimizerLoops} in plain Java: the reference the Vector API loops are tested against,
 * and what runs without {@code jdk.incubator.vector}. Each line is the formula of
 * {@link OptimizerKernels} in the order written there (Java never fuses a multiply and an add).
 */
final class ScalarOptimizerLoops implements OptimizerLoops {

    @Override
    public void rmsPropCentered(float a, float oneMinusA, float eps, float lr, float[] theta, float[] grad,
                                float[] s, float[] m, int from, int to) {
        for (int j = from; j < to; j++) {
            float g = grad[j];
            s[j] = a * s[j] + oneMinusA * g * g;
            m[j] = a * m[j] + oneMinusA * g;
            float d = (float) Math.sqrt(s[j] - m[j] * m[j]) + eps;
            theta[j] -= lr * g / d;
        }
    }

    @Override
    public void rmsProp(float a, float oneMinusA, float eps, float lr, float[] theta, float[] grad, float[] s,
                        int from, int to) {
        for (int j = from; j < to; j++) {
            float g = grad[j];
            s[j] = a * s[j] + oneMinusA * g * g;
            theta[j] -= lr * g / ((float) Math.sqrt(s[j]) + eps);
        }
    }

    @Override
    public void adamax(float b1, float oneMinusB1, float b2, float eps, float stepSize, float[] theta, float[] grad,
                       float[] m, float[] u, int from, int to) {
        for (int j = from; j < to; j++) {
            float g = grad[j];
            m[j] = b1 * m[j] + oneMinusB1 * g;
            u[j] = Math.max(b2 * u[j], Math.abs(g) + eps);
            theta[j] -= stepSize * m[j] / u[j];
        }
    }
}
