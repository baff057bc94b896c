package org.weightnorm4j.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.weightnorm4j.tensor.Tensor;

/** What every game promises: shapes, channel order, determinism, sticky actions, save/restore, no allocation. */
class EnvironmentContractTest {

    /** Plays {@code n} steps with actions from {@code actionSeed}, resetting at terminal; returns a trace. */
    private static long trace(Environment env, long actionSeed, int n, float[][] framesOut) {
        SplitMix64 actions = new SplitMix64(actionSeed);
        float[] obs = new float[env.numChannels() * 100];
        long hash = 17;
        for (int t = 0; t < n; t++) {
            int r = env.step(actions.nextInt(6));
            env.observe(obs);
            if (framesOut != null) {
                framesOut[t] = obs.clone();
            }
            hash = hash * 31 + Arrays.hashCode(obs);
            hash = hash * 31 + r;
            hash = hash * 31 + (env.terminal() ? 1 : 0);
            if (env.terminal()) {
                env.reset();
            }
        }
        return hash;
    }

    @Test
    void channelsAreMinAtarsInItsOrder() {
        assertEquals(List.of("player", "enemy", "trail", "gold"), MinAtar.create("asterix", 1).channelNames());
        assertEquals(List.of("paddle", "ball", "trail", "brick"), MinAtar.create("breakout", 1).channelNames());
        assertEquals(List.of("chicken", "car", "speed1", "speed2", "speed3", "speed4", "speed5"),
                MinAtar.create("freeway", 1).channelNames());
        assertEquals(List.of("sub_front", "sub_back", "friendly_bullet", "trail", "enemy_bullet", "enemy_fish",
                "enemy_sub", "oxygen_guage", "diver_guage", "diver"), MinAtar.create("seaquest", 1).channelNames());
        assertEquals(List.of("cannon", "alien", "alien_left", "alien_right", "friendly_bullet", "enemy_bullet"),
                MinAtar.create("space-invaders", 1).channelNames());
    }

    @Test
    void minimalActionSetsAreMinAtars() {
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, MinAtar.create("asterix", 1).minimalActionSet());
        assertArrayEquals(new int[] {0, 1, 3}, MinAtar.create("breakout", 1).minimalActionSet());
        assertArrayEquals(new int[] {0, 2, 4}, MinAtar.create("freeway", 1).minimalActionSet());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, MinAtar.create("seaquest", 1).minimalActionSet());
        assertArrayEquals(new int[] {0, 1, 3, 5}, MinAtar.create("space_invaders", 1).minimalActionSet());
    }

    @ParameterizedTest
    @ValueSource(strings = {"asterix", "breakout", "freeway", "seaquest", "space_invaders"})
    void observationIsBinaryChannelMajorAndTheTensorMatchesTheArray(String game) {
        Environment env = MinAtar.create(game, 4);
        int c = env.numChannels();
        assertEquals(switch (game) {
            case "asterix", "breakout" -> 4;
            case "freeway" -> 7;
            case "seaquest" -> 10;
            default -> 6;
        }, c);
        SplitMix64 actions = new SplitMix64(2);
        float[] obs = new float[c * 100 + 3];
        Arrays.fill(obs, 7f);
        for (int t = 0; t < 300 && !env.terminal(); t++) {
            env.step(actions.nextInt(6));
        }
        env.observe(obs, 3);
        assertEquals(7f, obs[0], "nothing before the offset is touched");
        for (int i = 3; i < obs.length; i++) {
            assertTrue(obs[i] == 0f || obs[i] == 1f, "value " + obs[i]);
        }
        Tensor t = env.observation();
        assertArrayEquals(new int[] {c, 10, 10}, t.shape());
        assertArrayEquals(Arrays.copyOfRange(obs, 3, obs.length), Arrays.copyOf(t.data(), c * 100));
        assertThrows(IllegalArgumentException.class, () -> env.observe(Tensor.zeros(c, 10, 9)));
        // The player is always drawn in channel 0.
        float channel0 = 0;
        for (int i = 0; i < 100; i++) {
            channel0 += t.data()[i];
        }
        assertEquals(1f, channel0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"asterix", "breakout", "freeway", "seaquest", "space_invaders"})
    void sameSeedSameGameForTenThousandStepsAndOtherSeedsDiffer(String game) {
        Environment a = MinAtar.create(game, 42);
        Environment b = MinAtar.create(game, 42);
        float[][] fa = new float[10_000][];
        float[][] fb = new float[10_000][];
        trace(a, 1, 10_000, fa);
        trace(b, 1, 10_000, fb);
        for (int t = 0; t < fa.length; t++) {
            assertArrayEquals(fa[t], fb[t], "frame " + t);
        }
        long h = trace(MinAtar.create(game, 42), 1, 10_000, null);
        assertFalse(h == trace(MinAtar.create(game, 43), 1, 10_000, null), "seeds 42 and 43 play the same game");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.1, 0.25, 1.0})
    void stickyActionsRepeatThePreviousActionAtTheirRate(double p) {
        // Always ask for an action different from the one last taken: a step repeats it exactly when it sticks.
        Environment env = MinAtar.create("breakout", 2024, p, true);
        int n = 100_000;
        int stuck = 0;
        for (int t = 0; t < n; t++) {
            int previous = env.lastAction();
            int asked = (previous + 1 + t % 5) % 6;
            env.step(asked);
            if (env.lastAction() == previous) {
                stuck++;
            } else {
                assertEquals(asked, env.lastAction());
            }
            if (env.terminal()) {
                env.reset();
            }
        }
        double sd = Math.sqrt(n * p * (1 - p));
        assertEquals(n * p, stuck, 4 * sd, "binomial(" + n + ", " + p + ") within 4 standard deviations");
    }

    @Test
    void lastActionCarriesOverAReset() {
        Environment env = MinAtar.create("asterix", 1, 1.0, true);
        assertEquals(Environment.NOOP, env.lastAction());
        env.step(Environment.FIRE); // always sticks: the no-op it starts with is repeated
        assertEquals(Environment.NOOP, env.lastAction());
        Environment fresh = MinAtar.create("asterix", 1, 0.0, true);
        fresh.step(Environment.DOWN);
        fresh.reset();
        assertEquals(Environment.DOWN, fresh.lastAction(), "MinAtar's wrapper keeps it across resets");
    }

    @ParameterizedTest
    @ValueSource(strings = {"asterix", "breakout", "freeway", "seaquest", "space_invaders"})
    void restoringASavedStateReproducesTheContinuation(String game) throws Exception {
        Environment env = MinAtar.create(game, 77);
        trace(env, 5, 777, null);
        EnvironmentState saved = env.saveState();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        saved.write(new DataOutputStream(bytes));
        float[][] expected = new float[3000][];
        long h1 = trace(env, 6, 3000, expected);

        Environment other = MinAtar.create(game, 1, 0.5, false); // other seed and settings: all overwritten
        EnvironmentState read = EnvironmentState.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(saved, read);
        other.restoreState(read);
        assertEquals(saved, other.saveState());
        float[][] actual = new float[3000][];
        long h2 = trace(other, 6, 3000, actual);
        for (int t = 0; t < expected.length; t++) {
            assertArrayEquals(expected[t], actual[t], "frame " + t);
        }
        assertEquals(h1, h2);
        env.restoreState(saved);
        assertEquals(h1, trace(env, 6, 3000, null), "restoring into the same environment");
        assertThrows(IllegalArgumentException.class,
                () -> MinAtar.create(game.equals("breakout") ? "freeway" : "breakout", 1).restoreState(saved));
    }

    @ParameterizedTest
    @ValueSource(strings = {"asterix", "breakout", "freeway", "seaquest", "space_invaders"})
    void steppingAndObservingAllocateNothing(String game) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Environment env = MinAtar.create(game, 3);
        float[] obs = new float[env.numChannels() * 100];
        int[] actions = new int[4096];
        SplitMix64 rng = new SplitMix64(8);
        for (int i = 0; i < actions.length; i++) {
            actions[i] = rng.nextInt(6);
        }
        run(env, actions, obs, 200_000); // warm up: compile, and let Seaquest's lists reach their size
        long before = threads.getCurrentThreadAllocatedBytes();
        run(env, actions, obs, 100_000);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // A few hundred bytes of slack for the measurement itself; one allocation per step would be >= 1.6 MB.
        assertTrue(allocated < 1024, game + " allocated " + allocated + " bytes in 100,000 steps");
    }

    private static void run(Environment env, int[] actions, float[] obs, int n) {
        for (int t = 0; t < n; t++) {
            env.step(actions[t & 4095]);
            env.observe(obs);
            if (env.terminal()) {
                env.reset();
            }
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> MinAtar.create("pong", 1));
        assertThrows(IllegalArgumentException.class, () -> MinAtar.create("breakout", 1, 1.5, true));
        assertThrows(IllegalArgumentException.class, () -> MinAtar.create("breakout", 1).step(6));
        assertThrows(IllegalArgumentException.class, () -> MinAtar.create("breakout", 1).step(-1));
    }
}
