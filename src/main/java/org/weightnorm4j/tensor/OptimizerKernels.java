package org.weightnorm4j.tensor;

/**
 * The element-wise updates of the optimizers in {@code org.weightnorm4j.optim}, one pass over
 * memory per parameter range, on the Vector API when the float32 kernels use it (a DQN update's
 * RMSprop step took 60-120 µs as a scalar loop over its 132,000 parameters). The results are bit
 * for bit those of the scalar formulas below, whichever implementation runs
 * ({@link OptimizerLoops}), so switching between them changes nothing in a run.
 *
 * <p>Every method updates elements {@code [from, to)} of the arrays it is given and reads nothing
 * else, so ranges may run on different threads at once.
 */
public final class OptimizerKernels {
    private OptimizerKernels() {
    }

    private static final class Holder {
        static final OptimizerLoops LOOPS = KernelProvider.optimizerLoops(
                KernelProvider.float32() instanceof Float32Kernels f && f.simd());
    }

    /**
     * Centred RMSprop (as PyTorch's): {@code s = a·s + (1−a)·g·g}, {@code m = a·m + (1−a)·g},
     * {@code θ −= lr·g / (√(s − m·m) + ε)}, each element in float32, left to right.
     */
    public static void rmsPropCentered(float a, float oneMinusA, float eps, float lr, float[] theta, float[] grad,
                                       float[] squareAvg, float[] gradAvg, int from, int to) {
        check(theta, from, to, grad, squareAvg, gradAvg);
        Holder.LOOPS.rmsPropCentered(a, oneMinusA, eps, lr, theta, grad, squareAvg, gradAvg, from, to);
    }

    /** RMSprop: {@code s = a·s + (1−a)·g·g}, {@code θ −= lr·g / (√s + ε)}, in float32, left to right. */
    public static void rmsProp(float a, float oneMinusA, float eps, float lr, float[] theta, float[] grad,
                               float[] squareAvg, int from, int to) {
        check(theta, from, to, grad, squareAvg);
        Holder.LOOPS.rmsProp(a, oneMinusA, eps, lr, theta, grad, squareAvg, from, to);
    }

    /**
     * Adamax (as PyTorch's): {@code m = b1·m + (1−b1)·g}, {@code u = max(b2·u, |g| + ε)},
     * {@code θ −= step·m / u}, in float32, left to right.
     */
    public static void adamax(float b1, float oneMinusB1, float b2, float eps, float stepSize, float[] theta,
                              float[] grad, float[] expAvg, float[] expInf, int from, int to) {
        check(theta, from, to, grad, expAvg, expInf);
        Holder.LOOPS.adamax(b1, oneMinusB1, b2, eps, stepSize, theta, grad, expAvg, expInf, from, to);
    }

    private static void check(float[] theta, int from, int to, float[]... others) {
        if (from < 0 || to < from || to > theta.length) {
            throw new IndexOutOfBoundsException("optimizer range [" + from + ", " + to + ") outside a parameter of "
                    + theta.length + " elements");
        }
        for (float[] o : others) {
            if (o.length < to) {
                throw new IllegalArgumentException("optimizer state of " + o.length + " elements for a range ending at "
                        + to + ": the state does not match the parameter");
            }
        }
    }
}
