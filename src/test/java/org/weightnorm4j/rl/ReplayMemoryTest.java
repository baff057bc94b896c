package org.weightnorm4j.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ReplayMemoryTest {
    private static final int C = 3;

    /** An observation that encodes {@code k}: cell k mod 300 and the last cell set, the rest 0. */
    private static float[] obs(int k) {
        float[] o = new float[C * 100];
        o[k % (C * 100)] = 1;
        o[C * 100 - 1] = 1;
        return o;
    }

    private static void addTransition(ReplayMemory m, int k) {
        m.add(obs(k), k % 6, k * 0.5f, obs(k + 1), k % 4 == 0);
    }

    @Test
    void wrapsAroundOverwritingTheOldest() {
        ReplayMemory m = new ReplayMemory(5, C);
        for (int k = 0; k < 7; k++) {
            addTransition(m, k);
        }
        assertEquals(5, m.size());
        // Ring positions 0 and 1 now hold transitions 5 and 6; 2..4 still hold 2..4.
        ReplayMemory.Minibatch b = new ReplayMemory.Minibatch(5, C);
        for (int i = 0; i < 5; i++) {
            b.indices[i] = i;
        }
        m.gather(b);
        int[] expected = {5, 6, 2, 3, 4};
        for (int i = 0; i < 5; i++) {
            int k = expected[i];
            assertArrayEquals(obs(k), Arrays.copyOfRange(b.states().data(), i * 300, (i + 1) * 300), "s of slot " + i);
            assertArrayEquals(obs(k + 1), Arrays.copyOfRange(b.nextStates().data(), i * 300, (i + 1) * 300), "s' of slot " + i);
            assertEquals(k % 6, b.actions()[i]);
            assertEquals(k * 0.5f, b.rewards()[i]);
            assertEquals(k % 4 == 0 ? 1f : 0f, b.dones()[i]);
        }
    }

    @Test
    void samplingIsUniformOverHeldTransitionsAndSeeded() {
        ReplayMemory m = new ReplayMemory(20, C);
        for (int k = 0; k < 10; k++) {        // half full: only positions 0..9 may be drawn
            addTransition(m, k);
        }
        ReplayMemory.Minibatch b = new ReplayMemory.Minibatch(50, C);
        SplitMix64 rng = new SplitMix64(7);
        int[] counts = new int[20];
        int draws = 0;
        for (int r = 0; r < 2000; r++) {
            m.sample(rng, b);
            for (int i : b.indices()) {
                counts[i]++;
                draws++;
            }
        }
        // 100,000 draws over 10 positions: each count's standard deviation is 95, so 5 sigma is 475.
        for (int i = 0; i < 20; i++) {
            if (i < 10) {
                assertEquals(draws / 10.0, counts[i], 475, "position " + i);
            } else {
                assertEquals(0, counts[i], "position " + i + " holds nothing yet");
            }
        }
        ReplayMemory.Minibatch x = new ReplayMemory.Minibatch(50, C);
        ReplayMemory.Minibatch y = new ReplayMemory.Minibatch(50, C);
        m.sample(new SplitMix64(3), x);
        m.sample(new SplitMix64(3), y);
        assertArrayEquals(x.indices(), y.indices());
        assertArrayEquals(x.states().data(), y.states().data());
    }

    @Test
    void writeAndReadRestoreContentAndRingPosition() throws Exception {
        ReplayMemory m = new ReplayMemory(4, C);
        for (int k = 0; k < 6; k++) {
            addTransition(m, k);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        m.write(new DataOutputStream(bytes));
        ReplayMemory r = new ReplayMemory(4, C);
        r.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        addTransition(m, 6); // both must now overwrite the same slot
        addTransition(r, 6);
        ReplayMemory.Minibatch a = new ReplayMemory.Minibatch(4, C);
        ReplayMemory.Minibatch b = new ReplayMemory.Minibatch(4, C);
        for (int i = 0; i < 4; i++) {
            a.indices[i] = i;
            b.indices[i] = i;
        }
        m.gather(a);
        r.gather(b);
        assertArrayEquals(a.states().data(), b.states().data());
        assertArrayEquals(a.nextStates().data(), b.nextStates().data());
        assertArrayEquals(a.actions(), b.actions());
        assertArrayEquals(a.rewards(), b.rewards());
        assertArrayEquals(a.dones(), b.dones());
        assertTrue(r.size() == 4);
    }

    /** Observations of every density and channel count (bits not a multiple of 64) come back exactly, row by row. */
    @Test
    void observationsComeBackExactlyAtAnyDensityAndChannelCount() {
        SplitMix64 rng = new SplitMix64(12);
        for (int channels : new int[] {1, 4, 6, 7, 10}) {
            int n = channels * Environment.CELLS;
            ReplayMemory m = new ReplayMemory(8, channels);
            float[][] s = new float[8][n];
            float[][] s2 = new float[8][n];
            for (int k = 0; k < 8; k++) {
                double density = k / 7.0;                       // from empty to full
                for (int i = 0; i < n; i++) {
                    s[k][i] = rng.nextDouble() < density ? 1f : 0f;
                    s2[k][i] = rng.nextDouble() < 1 - density ? 1f : 0f;
                }
                m.add(s[k], k % 6, k, s2[k], k % 2 == 0);
            }
            ReplayMemory.Minibatch b = new ReplayMemory.Minibatch(8, channels);
            // The minibatch's buffers hold stale values from a previous draw: every cell must be rewritten.
            java.util.Arrays.fill(b.states().data(), 7f);
            java.util.Arrays.fill(b.nextStates().data(), 7f);
            for (int k = 0; k < 8; k++) {
                b.indices()[k] = 7 - k;
            }
            m.gather(b);
            for (int k = 0; k < 8; k++) {
                assertArrayEquals(s[7 - k], java.util.Arrays.copyOfRange(b.states().data(), k * n, (k + 1) * n), "s " + channels);
                assertArrayEquals(s2[7 - k], java.util.Arrays.copyOfRange(b.nextStates().data(), k * n, (k + 1) * n), "s' " + channels);
            }
        }
    }
}
