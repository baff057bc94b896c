package org.weightnorm4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.tensor.Parallel;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.testing.RestoreThreads;

/**
 * Adam, SGD and the parameter average split their element-wise updates over threads
 * ({@link ParamRanges}): on parameters above the parallel threshold, with sizes that are not
 * multiples of the range or of 64, the parameters and every saved buffer must be bit-identical on
 * 1, 2 and 3 threads, every element must be updated, and a step must allocate nothing.
 */
@ExtendWith(RestoreThreads.class)
class OptimizerThreadsTest {
    /** Where the allocation control puts its array, so that no compiler can drop it. */
    private static volatile Object sink;

    /** 120,515 elements in all (above {@link ParamRanges#PARALLEL_MIN}): several ranges, a partial one, tiny ones. */
    private static final int[] SIZES = {70_001, 129, 33_000, 1, 17_384};
    private static final int STEPS = 4;


    private static Map<String, Param> params(SplittableRandom rng) {
        Map<String, Param> out = new LinkedHashMap<>();
        for (int k = 0; k < SIZES.length; k++) {
            float[] v = new float[SIZES[k]];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) rng.nextDouble(-1, 1);
            }
            out.put(k + ".w", new Param("w", Tensor.wrap(v, v.length)));
        }
        return out;
    }

    private static void randomGradients(Map<String, Param> params, SplittableRandom rng) {
        for (Param p : params.values()) {
            float[] g = p.grad().data();
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) rng.nextGaussian();
            }
        }
    }

    /** Parameters and saved buffers after {@value #STEPS} steps of the optimizer {@code kind}. */
    private static List<float[]> run(String kind) {
        SplittableRandom rng = new SplittableRandom(kind.hashCode());
        Map<String, Param> params = params(rng);
        List<float[]> out = new ArrayList<>();
        if (kind.equals("average")) {
            ParameterAverage average = new ParameterAverage(params, 0.9);
            for (int s = 0; s < STEPS; s++) {
                for (Param p : params.values()) {
                    float[] v = p.value().data();
                    for (int i = 0; i < v.length; i++) {
                        v[i] += (float) rng.nextGaussian();
                    }
                }
                average.update();
            }
            average.state().tensors().values().forEach(t -> out.add(t.data()));
            return out;
        }
        Optimizer optimizer = switch (kind) {
            case "adam" -> new Adam(params, 0.01, 0.9, 0.999, 1e-8, 1e-3);
            case "sgd" -> new Sgd(params, 0.1, 0, false, 0);
            case "sgd-momentum" -> new Sgd(params, 0.1, 0.9, false, 1e-3);
            case "sgd-nesterov" -> new Sgd(params, 0.1, 0.9, true, 0);
            default -> throw new IllegalArgumentException(kind);
        };
        for (int s = 0; s < STEPS; s++) {
            randomGradients(params, rng);
            optimizer.step();
        }
        params.values().forEach(p -> out.add(p.value().data()));
        optimizer.state().tensors().values().forEach(t -> out.add(t.data()));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"adam", "sgd", "sgd-momentum", "sgd-nesterov", "average"})
    void updatesAreBitIdenticalOnOneTwoAndThreeThreads(String kind) {
        Parallel.setThreads(1);
        List<float[]> one = run(kind);
        for (int threads : new int[] {2, 3}) {
            Parallel.setThreads(threads);
            List<float[]> many = run(kind);
            assertEquals(one.size(), many.size());
            for (int k = 0; k < one.size(); k++) {
                assertArrayEquals(one.get(k), many.get(k), kind + ": tensor " + k + " on " + threads + " threads");
            }
        }
    }

    @Test
    void everyElementGetsAlgorithmOneOfTheAdamPaper() {
        Parallel.setThreads(3);
        SplittableRandom rng = new SplittableRandom(7);
        Map<String, Param> params = params(rng);
        List<float[]> theta = new ArrayList<>(), m = new ArrayList<>(), v = new ArrayList<>();
        for (Param p : params.values()) {
            theta.add(p.value().data().clone());
            m.add(new float[p.value().size()]);
            v.add(new float[p.value().size()]);
        }
        double lr = 0.003, beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
        Adam adam = new Adam(params, lr, beta1, beta2, eps, 0);
        double beta1Power = 1;
        for (int t = 1; t <= STEPS; t++) {
            randomGradients(params, rng);
            adam.step();
            // Algorithm 1, in float32 as Adam computes it, element by element on one thread.
            beta1Power *= beta1;
            float stepSize = (float) (lr / (1 - beta1Power));
            float invSqrtC2 = (float) (1 / Math.sqrt(1 - Math.pow(beta2, t)));
            int k = 0;
            for (Param p : params.values()) {
                float[] g = p.grad().data(), th = theta.get(k), mk = m.get(k), vk = v.get(k);
                for (int i = 0; i < th.length; i++) {
                    mk[i] = (float) beta1 * mk[i] + (float) (1 - beta1) * g[i];
                    vk[i] = (float) beta2 * vk[i] + (float) (1 - beta2) * g[i] * g[i];
                    th[i] -= stepSize * mk[i] / ((float) Math.sqrt(vk[i]) * invSqrtC2 + (float) eps);
                }
                assertArrayEquals(th, p.value().data(), "parameter " + k + " after step " + t);
                k++;
            }
        }
    }

    @Test
    void stepsAndAverageUpdatesAllocateNothing() {
        Parallel.setThreads(2);
        SplittableRandom rng = new SplittableRandom(3);
        Map<String, Param> params = params(rng);
        randomGradients(params, rng);
        Adam adam = new Adam(params, 1e-4, 0.9, 0.999, 1e-8, 0);
        Sgd sgd = new Sgd(params, 1e-4, 0.9, true, 1e-4);
        ParameterAverage average = new ParameterAverage(params, 0.999);
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int warm = 0; warm < 3; warm++) { // first calls link the method references
            adam.step();
            sgd.step();
            average.update();
        }
        long before = bean.getCurrentThreadAllocatedBytes();
        for (int s = 0; s < 10; s++) {
            adam.step();
            sgd.step();
            average.update();
        }
        long allocated = bean.getCurrentThreadAllocatedBytes() - before;
        long control = bean.getCurrentThreadAllocatedBytes();
        sink = new float[1000];
        assertTrue(bean.getCurrentThreadAllocatedBytes() - control >= 4000,
                "the JVM counts this thread's allocations (a 4 kB array shows)");
        assertEquals(0, allocated, "bytes allocated by 10 steps of Adam and SGD and 10 average updates");
    }
}
