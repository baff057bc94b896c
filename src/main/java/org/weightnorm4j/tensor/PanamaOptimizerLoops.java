package org.weightnorm4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link OptimizerLoops} on the Vector API: one pass over the parameter, its gradient and the
 * optimizer's state, a vector of elements at a time, then the scalar loop on the tail. Every lane
 * does exactly {@link ScalarOptimizerLoops}' operations in its order — multiplications and
 * additions rounded one by one (no {@code fma}), {@code sqrt} correctly rounded as
 * {@code (float) Math.sqrt}, {@code MAX} and {@code ABS} as {@code Math.max} and {@code Math.abs}
 * — so the bits are the scalar loops' (tested on awkward lengths and special values).
 *
 * <p>Loaded by name ({@link KernelProvider#optimizerLoops}) only when the incubator module is
 * present.
 */
final class PanamaOptimizerLoops implements OptimizerLoops {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ScalarOptimizerLoops TAIL = new ScalarOptimizerLoops();

    /** For {@link KernelProvider#optimizerLoops}, which loads this class by name. */
    PanamaOptimizerLoops() {
    }

    @Override
    public void rmsPropCentered(float a, float oneMinusA, float eps, float lr, float[] theta, float[] grad,
                                float[] s, float[] m, int from, int to) {
        FloatVector va = FloatVector.broadcast(S, a);
        FloatVector vo = FloatVector.broadcast(S, oneMinusA);
        FloatVector ve = FloatVector.broadcast(S, eps);
        FloatVector vlr = FloatVector.broadcast(S, lr);
        int j = from;
        int bound = from + S.loopBound(to - from);
        for (; j < bound; j += L) {
            FloatVector g = FloatVector.fromArray(S, grad, j);
            FloatVector sj = va.mul(FloatVector.fromArray(S, s, j)).add(vo.mul(g).mul(g));
            sj.intoArray(s, j);
            FloatVector mj = va.mul(FloatVector.fromArray(S, m, j)).add(vo.mul(g));
            mj.intoArray(m, j);
            FloatVector d = sj.sub(mj.mul(mj)).lanewise(VectorOperators.SQRT).add(ve);
            FloatVector.fromArray(S, theta, j).sub(vlr.mul(g).div(d)).intoArray(theta, j);
        }
        TAIL.rmsPropCentered(a, oneMinusA, eps, lr, theta, grad, s, m, j, to);
    }

    @Override
    public void rmsProp(float a, float oneMinusA, float eps, float lr, float[] theta, float[] grad, float[] s,
                        int from, int to) {
        FloatVector va = FloatVector.broadcast(S, a);
        FloatVector vo = FloatVector.broadcast(S, oneMinusA);
        FloatVector ve = FloatVector.broadcast(S, eps);
        FloatVector vlr = FloatVector.broadcast(S, lr);
        int j = from;
        int bound = from + S.loopBound(to - from);
        for (; j < bound; j += L) {
            FloatVector g = FloatVector.fromArray(S, grad, j);
            FloatVector sj = va.mul(FloatVector.fromArray(S, s, j)).add(vo.mul(g).mul(g));
            sj.intoArray(s, j);
            FloatVector d = sj.lanewise(VectorOperators.SQRT).add(ve);
            FloatVector.fromArray(S, theta, j).sub(vlr.mul(g).div(d)).intoArray(theta, j);
        }
        TAIL.rmsProp(a, oneMinusA, eps, lr, theta, grad, s, j, to);
    }

    @Override
    public void adamax(float b1, float oneMinusB1, float b2, float eps, float stepSize, float[] theta, float[] grad,
                       float[] m, float[] u, int from, int to) {
        FloatVector vb1 = FloatVector.broadcast(S, b1);
        FloatVector vo = FloatVector.broadcast(S, oneMinusB1);
        FloatVector vb2 = FloatVector.broadcast(S, b2);
        FloatVector ve = FloatVector.broadcast(S, eps);
        FloatVector vstep = FloatVector.broadcast(S, stepSize);
        int j = from;
        int bound = from + S.loopBound(to - from);
        for (; j < bound; j += L) {
            FloatVector g = FloatVector.fromArray(S, grad, j);
            FloatVector mj = vb1.mul(FloatVector.fromArray(S, m, j)).add(vo.mul(g));
            mj.intoArray(m, j);
            FloatVector uj = vb2.mul(FloatVector.fromArray(S, u, j)).max(g.abs().add(ve));
            uj.intoArray(u, j);
            FloatVector.fromArray(S, theta, j).sub(vstep.mul(mj).div(uj)).intoArray(theta, j);
        }
        TAIL.adamax(b1, oneMinusB1, b2, eps, stepSize, theta, grad, m, u, j, to);
    }
}
