package org.weightnorm4j.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.norm.Parameterization;

/** {@code bench dqn-loop} times a run phase by phase: the timed run must play exactly the frames of an untimed one. */
class DqnRunTimingTest {

    private static DqnRun run() {
        DqnConfig c = DqnConfig.baseline(Parameterization.WN).withBatch(4).withSchedule(400, 60, 30, 100);
        Environment env = MinAtar.create("breakout", 8);
        return new DqnRun(env, new DqnAgent(c, env.numChannels(), 8), 50);
    }

    @Test
    void aTimedRunEndsBitIdenticalToAnUntimedOneAndCountsItsPhases(@TempDir Path dir) throws Exception {
        DqnRun plain = run();
        plain.runUntil(300, new DqnRun.Listener() { });
        DqnRun timed = run();
        timed.runUntil(40, new DqnRun.Listener() { });
        DqnRun.PhaseTimes t = new DqnRun.PhaseTimes();
        timed.timePhases(t);
        timed.runUntil(300, new DqnRun.Listener() { });
        assertEquals(260, t.frames);
        assertEquals(300 - 60, t.updates, "one update per frame after frame 60");
        assertTrue(t.update > 0 && t.act > 0 && t.env > 0 && t.sample > 0, "every phase was timed");
        assertArrayEquals(plain.returns(), timed.returns());
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        DqnCheckpoint.save(a, plain);
        DqnCheckpoint.save(b, timed);
        assertEquals(-1, Files.mismatch(a.resolve(DqnCheckpoint.FILE), b.resolve(DqnCheckpoint.FILE)));
    }
}
