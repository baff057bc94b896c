package org.weightnorm4j.rl;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How fast a game steps on one thread, and whether stepping allocates: random actions drawn
 * beforehand, resetting at the terminal frame; stepping alone, then stepping and writing the
 * observation each frame. What {@code weightnorm bench env} and {@code weightnorm play --bench}
 * print.
 */
public final class EnvironmentSpeed {
    private EnvironmentSpeed() {
    }

    /**
     * Times {@code game} for {@code seconds} per mode (after a warm-up of up to a second each).
     *
     * @return {@code bench: env-step}, game, threads, sticky, {@code frames_per_s},
     *         {@code frames_per_s_with_observe} and {@code bytes_allocated_per_frame} (the thread's
     *         allocation over the timed steps with observation; 0 when stepping is allocation-free,
     *         null where the JVM cannot tell)
     */
    public static Map<String, Object> measure(String game, long seed, double sticky, boolean ramping, double seconds) {
        int[] acts = new int[1 << 16];
        SplitMix64 rng = new SplitMix64(seed);
        for (int i = 0; i < acts.length; i++) {
            acts[i] = rng.nextInt(Environment.NUM_ACTIONS);
        }
        Environment env = MinAtar.create(game, seed, sticky, ramping);
        float[] obs = new float[env.numChannels() * Environment.CELLS];
        timeSteps(env, acts, null, Math.min(1.0, seconds));
        double stepOnly = timeSteps(env, acts, null, seconds)[0];
        timeSteps(env, acts, obs, Math.min(1.0, seconds));
        double[] withObs = timeSteps(env, acts, obs, seconds);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bench", "env-step");
        m.put("game", env.name());
        m.put("threads", 1);
        m.put("sticky", sticky);
        m.put("frames_per_s", Math.round(stepOnly));
        m.put("frames_per_s_with_observe", Math.round(withObs[0]));
        m.put("bytes_allocated_per_frame", Double.isNaN(withObs[1]) ? null : Math.round(withObs[1] * 1000) / 1000.0);
        return m;
    }

    /** Frames per second and bytes allocated per frame (NaN if unknown). */
    private static double[] timeSteps(Environment env, int[] acts, float[] obs, double seconds) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        com.sun.management.ThreadMXBean alloc = mx instanceof com.sun.management.ThreadMXBean b ? b : null;
        long bytes0 = alloc != null ? alloc.getCurrentThreadAllocatedBytes() : 0;
        long frames = 0;
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        long now;
        int i = 0;
        do {
            for (int k = 0; k < 4096; k++) {
                env.step(acts[i++ & (acts.length - 1)]);
                if (obs != null) {
                    env.observe(obs);
                }
                if (env.terminal()) {
                    env.reset();
                }
            }
            frames += 4096;
            now = System.nanoTime();
        } while (now < deadline);
        double perFrame = alloc != null ? (alloc.getCurrentThreadAllocatedBytes() - bytes0) / (double) frames : Double.NaN;
        return new double[] {frames / ((now - start) / 1e9), perFrame};
    }
}
