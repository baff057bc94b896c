package org.weightnorm4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.norm.LinearUnit;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.tensor.DType;

/**
 * The per-step bookkeeping of a {@link Sequential}: its parameter list is collected once (so the
 * training loop's {@link Sequential#zeroGrad()} builds no name map and allocates nothing), and it
 * still lists exactly the parameters of {@link Sequential#namedParams()}, nested models included.
 */
class SequentialParamsTest {
    /** Where the allocation control puts its array, so that no compiler can drop it. */
    private static volatile Object sink;


    private static Sequential model() {
        SplittableRandom rng = new SplittableRandom(12);
        Sequential inner = Sequential.builder()
                .addAll(LinearUnit.dense(Parameterization.WN, 6, 5, DType.FLOAT32, rng))
                .add(ActivationLayer.relu())
                .build();
        return Sequential.builder()
                .add(new Flatten())
                .addAll(LinearUnit.dense(Parameterization.WN_MOBN, 8, 6, DType.FLOAT32, rng))
                .add(ActivationLayer.relu())
                .add(new Dropout(0.3))
                .add(inner)
                .addAll(LinearUnit.dense(Parameterization.NORMAL, 5, 3, DType.FLOAT32, rng))
                .build();
    }

    @Test
    void paramsAreTheNamedParamsCollectedOnce() {
        Sequential model = model();
        List<Param> params = model.params();
        assertSame(params, model.params(), "the list is not rebuilt");
        assertEquals(List.copyOf(model.namedParams().values()), params);
        long count = 0;
        for (Param p : params) {
            count += p.value().size();
        }
        assertEquals(count, model.parameterCount());
    }

    @Test
    void zeroGradZeroesEveryGradientAndAllocatesNothing() {
        Sequential model = model();
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        model.zeroGrad();
        long allocated = 0;
        for (int step = 0; step < 5; step++) {
            for (Param p : model.params()) {
                p.grad().fill(step + 1);
            }
            long before = bean.getCurrentThreadAllocatedBytes();
            model.zeroGrad();
            allocated += bean.getCurrentThreadAllocatedBytes() - before;
            for (Param p : model.params()) {
                for (int i = 0; i < p.grad().size(); i++) {
                    assertEquals(0.0, p.grad().get(i), p.name() + "[" + i + "] after zeroGrad");
                }
            }
        }
        long control = bean.getCurrentThreadAllocatedBytes();
        sink = new float[1000];
        assertTrue(bean.getCurrentThreadAllocatedBytes() - control >= 4000,
                "the JVM counts this thread's allocations (a 4 kB array shows)");
        assertEquals(0, allocated, "bytes allocated by 5 zeroGrad calls");
    }
}
