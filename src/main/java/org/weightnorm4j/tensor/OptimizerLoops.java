package org.weightnorm4j.tensor;

/**
 * The per-element loops of the optimizers that a DQN update spends 50-120 µs in (132,000
 * parameters, four or five arrays each): plain Java in {@link ScalarOptimizerLoops}, the Vector API
 * in {@code PanamaOptimizerLoops}. Both compute every element with the same float32 operations in
 * the same order, and none of them is a sum across elements (no reassociation, no fused
 * multiply-add; the square root is correctly rounded either way), so <b>both give the same bits</b>,
 * and the same bits as the scalar loops the optimizers had before. {@link OptimizerKernels} is the
 * public entry.
 *
 * <p>Internal: not part of the public API; may change without notice.
 */
interface OptimizerLoops {

    /** Centred RMSprop over {@code [from, to)}: see {@link OptimizerKernels#rmsPropCentered}. */
    void rmsPropCentered(float a, float oneMinusA, float eps, float lr, float[] theta, float[] grad,
                         float[] squareAvg, float[] gradAvg, int from, int to);

    /** Plain RMSprop over {@code [from, to)}: see {@link OptimizerKernels#rmsProp}. */
    void rmsProp(float a, float oneMinusA, float eps, float lr, float[] theta, float[] grad, float[] squareAvg,
                 int from, int to);

    /** Adamax over {@code [from, to)}: see {@link OptimizerKernels#adamax}. */
    void adamax(float b1, float oneMinusB1, float b2, float eps, float stepSize, float[] theta, float[] grad,
                float[] expAvg, float[] expInf, int from, int to);
}
