package org.weightnorm4j.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.ModelState;
import org.weightnorm4j.nn.ModelTree;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.tensor.Tensor;

class DqnAgentTest {
    private static final int C = 4;

    /** A small, fast configuration: tiny memory, learning after 200 frames, target sync every 3 updates. */
    private static DqnConfig tiny(Parameterization p, String optimizer) {
        DqnConfig c = optimizer.equals("rmsprop") ? DqnConfig.baseline(p) : DqnConfig.paperVariant(p);
        return c.withBatch(8).withSchedule(1000, 200, 3, 500);
    }

    /** Fills the memory with random 0/1 transitions and sets a minibatch to its first {@code b} positions. */
    private static ReplayMemory.Minibatch randomBatch(DqnAgent agent, int b, long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        float[] s = new float[C * 100];
        float[] s2 = new float[C * 100];
        for (int k = 0; k < b; k++) {
            for (int i = 0; i < s.length; i++) {
                s[i] = rng.nextDouble() < 0.3 ? 1 : 0;
                s2[i] = rng.nextDouble() < 0.3 ? 1 : 0;
            }
            agent.memory().add(s, rng.nextInt(6), rng.nextInt(3), s2, k % 3 == 0);
        }
        ReplayMemory.Minibatch mb = new ReplayMemory.Minibatch(b, C);
        for (int k = 0; k < b; k++) {
            mb.indices[k] = k;
        }
        agent.memory().gather(mb);
        return mb;
    }

    @Test
    void epsilonScheduleFollowsMinAtar() {
        DqnConfig c = DqnConfig.baseline(Parameterization.NORMAL);
        assertEquals(1.0, c.epsilon(0), 0);
        assertEquals(1.0, c.epsilon(4_999), 0);             // random play before learning starts
        assertEquals(1.0, c.epsilon(5_000), 0);             // then linear from 1 ...
        assertEquals(0.55, c.epsilon(55_000), 1e-12);       // ... halfway over 100,000 frames ...
        assertEquals(0.1, c.epsilon(105_000), 1e-12);       // ... to 0.1
        assertEquals(0.1, c.epsilon(5_000_000), 0);
    }

    @Test
    void targetNetworkStaysFrozenBetweenSyncs() {
        DqnAgent agent = new DqnAgent(tiny(Parameterization.WN, "rmsprop"), C, 5);
        randomBatch(agent, 64, 11);
        Map<String, Param> online = ModelTree.namedParams(agent.online());
        Map<String, Param> target = ModelTree.namedParams(agent.target());
        agent.learn(); // update 1: data-dependent init, sync, update
        float[] frozen = target.get("3.weight_v").value().data().clone();
        assertFalse(java.util.Arrays.equals(frozen, online.get("3.weight_v").value().data()), "online moved");
        agent.learn(); // update 2: online moves, target must not
        assertArrayEquals(frozen, target.get("3.weight_v").value().data());
        assertFalse(java.util.Arrays.equals(frozen, online.get("3.weight_v").value().data()));
        agent.learn(); // update 3: sync (every 3 updates) makes them equal
        for (String name : online.keySet()) {
            assertArrayEquals(online.get(name).value().data(), target.get(name).value().data(), name);
        }
        agent.learn();
        assertFalse(java.util.Arrays.equals(online.get("5.weight_g").value().data(), target.get("5.weight_g").value().data()));
    }

    @Test
    void targetsUseTheTargetWeightsAfterEverySyncAndEveryAnnouncedWrite() {
        // The target's dense weights are held (laid out once per sync): the targets must still be
        // those of an ordinary forward of the target's current weights, bit for bit.
        for (Parameterization p : new Parameterization[] {Parameterization.NORMAL, Parameterization.WN}) {
            DqnAgent agent = new DqnAgent(tiny(p, "rmsprop"), C, 5);
            ReplayMemory.Minibatch mb = randomBatch(agent, 64, 11);
            Sequential plain = DqnNetwork.build(p, C, 99);
            for (int k = 1; k <= 7; k++) {  // syncs after updates 3 and 6
                agent.learn();
                assertTargetsOfAnOrdinaryForward(agent, plain, mb, p + " after update " + k);
            }
            ModelState.copy(agent.online(), agent.target());   // a write from outside, announced
            agent.targetChanged();
            assertTargetsOfAnOrdinaryForward(agent, plain, mb, p + " after a write");
        }
    }

    private static void assertTargetsOfAnOrdinaryForward(DqnAgent agent, Sequential plain, ReplayMemory.Minibatch mb, String what) {
        ModelState.copy(agent.target(), plain);
        float[] y = new float[mb.size()];
        agent.computeTargets(mb, y);
        float[] q = plain.forward(mb.nextStates(), Mode.EVAL).data();
        for (int i = 0; i < mb.size(); i++) {
            float max = q[i * 6];
            for (int a = 1; a < 6; a++) {
                max = Math.max(max, q[i * 6 + a]);
            }
            float expected = mb.rewards()[i] + 0.99f * (1f - mb.dones()[i]) * max;
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(y[i]), what + ", example " + i);
        }
    }

    @Test
    void updateMatchesHandWrittenFloat64Reference() {
        int b = 6;
        DqnAgent agent = new DqnAgent(tiny(Parameterization.NORMAL, "rmsprop"), C, 3);
        ReplayMemory.Minibatch mb = randomBatch(agent, b, 21);
        Map<String, Param> p = ModelTree.namedParams(agent.online());
        double[][] before = new double[6][];
        String[] names = {"0.weight", "0.bias", "3.weight", "3.bias", "5.weight", "5.bias"};
        for (int i = 0; i < names.length; i++) {
            before[i] = toDouble(p.get(names[i]).value());
        }
        double[][] grads = Reference.gradients(before, mb, 0.99);
        agent.update(mb);
        for (int i = 0; i < names.length; i++) {
            float[] g = p.get(names[i]).grad().data();
            float[] after = p.get(names[i]).value().data();
            double maxG = 0;
            for (double v : grads[i]) {
                maxG = Math.max(maxG, Math.abs(v));
            }
            for (int j = 0; j < g.length; j++) {
                assertEquals(grads[i][j], g[j], 1e-5 * maxG + 1e-9, names[i] + " gradient " + j);
                // Centred RMSprop's first step from zero state: s = 0.05 g², m = 0.05 g.
                double gj = grads[i][j];
                double expected = before[i][j] - 2.5e-4 * gj / (Math.sqrt(0.05 * gj * gj - 0.0025 * gj * gj) + 0.01);
                assertEquals(expected, after[j], 1e-7, names[i] + " value " + j);
            }
        }
    }

    private static double[] toDouble(Tensor t) {
        double[] d = new double[t.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = t.data()[i];
        }
        return d;
    }

    /** The DQN loss gradient written as plain loops in float64, independently of the library's layers. */
    static final class Reference {
        /** Q-values [b][6] of the network {conv W0 b0, dense W3 b3, dense W5 b5} on x [b][C*100]; keeps activations. */
        static double[][] forward(double[][] w, float[] x, int b, double[][] h1Out, double[][] h2Out) {
            double[][] q = new double[b][6];
            for (int n = 0; n < b; n++) {
                double[] h1 = new double[1024];
                for (int f = 0; f < 16; f++) {
                    for (int i = 0; i < 8; i++) {
                        for (int j = 0; j < 8; j++) {
                            double z = w[1][f];
                            for (int c = 0; c < C; c++) {
                                for (int ki = 0; ki < 3; ki++) {
                                    for (int kj = 0; kj < 3; kj++) {
                                        z += w[0][((f * C + c) * 3 + ki) * 3 + kj] * x[n * C * 100 + c * 100 + (i + ki) * 10 + j + kj];
                                    }
                                }
                            }
                            h1[f * 64 + i * 8 + j] = Math.max(0, z);
                        }
                    }
                }
                double[] h2 = new double[128];
                for (int k = 0; k < 128; k++) {
                    double z = w[3][k];
                    for (int m = 0; m < 1024; m++) {
                        z += w[2][k * 1024 + m] * h1[m];
                    }
                    h2[k] = Math.max(0, z);
                }
                for (int a = 0; a < 6; a++) {
                    double z = w[5][a];
                    for (int k = 0; k < 128; k++) {
                        z += w[4][a * 128 + k] * h2[k];
                    }
                    q[n][a] = z;
                }
                if (h1Out != null) {
                    h1Out[n] = h1;
                    h2Out[n] = h2;
                }
            }
            return q;
        }

        /** Gradients of the mean Huber loss, the target network equal to the online one (as right after a sync). */
        static double[][] gradients(double[][] w, ReplayMemory.Minibatch mb, double gamma) {
            int b = mb.size();
            double[][] qNext = forward(w, mb.nextStates().data(), b, null, null);
            double[][] h1 = new double[b][];
            double[][] h2 = new double[b][];
            double[][] q = forward(w, mb.states().data(), b, h1, h2);
            double[][] g = new double[6][];
            for (int i = 0; i < 6; i++) {
                g[i] = new double[w[i].length];
            }
            float[] x = mb.states().data();
            for (int n = 0; n < b; n++) {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : qNext[n]) {
                    max = Math.max(max, v);
                }
                double y = mb.rewards()[n] + gamma * (1 - mb.dones()[n]) * max;
                int a = mb.actions()[n];
                double dq = Math.max(-1, Math.min(1, q[n][a] - y)) / b;
                double[] dh2 = new double[128];
                g[5][a] += dq;
                for (int k = 0; k < 128; k++) {
                    g[4][a * 128 + k] += dq * h2[n][k];
                    dh2[k] = h2[n][k] > 0 ? w[4][a * 128 + k] * dq : 0;
                }
                double[] dh1 = new double[1024];
                for (int k = 0; k < 128; k++) {
                    g[3][k] += dh2[k];
                    for (int m = 0; m < 1024; m++) {
                        g[2][k * 1024 + m] += dh2[k] * h1[n][m];
                        dh1[m] += w[2][k * 1024 + m] * dh2[k];
                    }
                }
                for (int f = 0; f < 16; f++) {
                    for (int i = 0; i < 8; i++) {
                        for (int j = 0; j < 8; j++) {
                            int o = f * 64 + i * 8 + j;
                            double dz = h1[n][o] > 0 ? dh1[o] : 0;
                            g[1][f] += dz;
                            for (int c = 0; c < C; c++) {
                                for (int ki = 0; ki < 3; ki++) {
                                    for (int kj = 0; kj < 3; kj++) {
                                        g[0][((f * C + c) * 3 + ki) * 3 + kj] += dz * x[n * C * 100 + c * 100 + (i + ki) * 10 + j + kj];
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return g;
        }
    }

    /**
     * With two threads the target network's forward runs beside the online forward; run one after
     * the other instead (the update called from inside a parallel part, where everything is
     * inline), the updates give the same bits.
     */
    @Test
    void targetForwardBesideTheOnlineForwardChangesNoBits() {
        int saved = org.weightnorm4j.tensor.Parallel.threads();
        try {
            org.weightnorm4j.tensor.Parallel.setThreads(2);
            for (Parameterization p : new Parameterization[] {Parameterization.NORMAL, Parameterization.WN}) {
                DqnAgent beside = new DqnAgent(tiny(p, "adamax"), C, 3);
                DqnAgent inline = new DqnAgent(tiny(p, "adamax"), C, 3);
                ReplayMemory.Minibatch mb = randomBatch(beside, 32, 4);
                randomBatch(inline, 32, 4);
                double[] losses = new double[2];
                for (int k = 0; k < 3; k++) {
                    losses[0] = beside.update(mb);
                    org.weightnorm4j.tensor.Parallel.run(2, part -> {
                        if (part == 0) {
                            losses[1] = inline.update(mb);
                        }
                    });
                    assertEquals(losses[0], losses[1], p + " loss of update " + k);
                }
                assertSameParams(beside.online(), inline.online(), p + " online");
            }
        } finally {
            org.weightnorm4j.tensor.Parallel.setThreads(saved);
        }
    }

    @Test
    void restoredRunContinuesBitIdentically(@TempDir Path dir) throws Exception {
        for (String opt : new String[] {"rmsprop", "adamax"}) {
            DqnConfig config = tiny(Parameterization.WN, opt).withSchedule(1000, 200, 50, 500);
            DqnRun straight = new DqnRun(MinAtar.create("breakout", 9), new DqnAgent(config, C, 9), 100);
            straight.runUntil(900, new DqnRun.Listener() { });

            DqnRun killed = new DqnRun(MinAtar.create("breakout", 9), new DqnAgent(config, C, 9), 100);
            killed.runUntil(450, new DqnRun.Listener() { });
            Path d = dir.resolve(opt);
            java.nio.file.Files.createDirectories(d);
            DqnCheckpoint.save(d, killed);
            killed.runUntil(600, new DqnRun.Listener() { }); // work lost to the "kill": must not leak into the resumed run

            DqnRun resumed = new DqnRun(MinAtar.create("breakout", 9), new DqnAgent(config, C, 9), 100);
            DqnCheckpoint.restore(d, resumed);
            assertEquals(450, resumed.frame());
            resumed.runUntil(900, new DqnRun.Listener() { });

            assertArrayEquals(straight.returns(), resumed.returns(), opt);
            assertEquals(straight.agent().updates(), resumed.agent().updates());
            assertEquals(straight.agent().sampleRng().state(), resumed.agent().sampleRng().state());
            assertEquals(straight.agent().actRng().state(), resumed.agent().actRng().state());
            assertEquals(straight.environment().saveState(), resumed.environment().saveState());
            assertSameParams(straight.agent().online(), resumed.agent().online(), opt + " online");
            assertSameParams(straight.agent().target(), resumed.agent().target(), opt + " target");
            straight.agent().optimizer().state().tensors().forEach((name, t) ->
                    assertArrayEquals(t.data(), resumed.agent().optimizer().state().tensors().get(name).data(), opt + " " + name));
        }
    }

    private static void assertSameParams(Sequential a, Sequential b, String what) {
        Map<String, Param> pb = ModelTree.namedParams(b);
        ModelTree.namedParams(a).forEach((name, p) -> assertArrayEquals(p.value().data(), pb.get(name).value().data(), what + " " + name));
    }
}
