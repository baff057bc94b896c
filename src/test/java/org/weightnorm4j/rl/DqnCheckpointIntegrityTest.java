package org.weightnorm4j.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.norm.Parameterization;

/**
 * Issue 16 for the DQN run's checkpoint (networks, optimizer, replay memory, environment, random
 * streams in one file): a flipped bit anywhere is detected before anything is restored, with an
 * error naming the file; a file of the first format (no checksum) still loads, with a notice.
 */
class DqnCheckpointIntegrityTest {
    private static final int C = 4;

    private static DqnRun tinyRun() {
        DqnConfig config = DqnConfig.baseline(Parameterization.WN).withBatch(8).withSchedule(1000, 200, 50, 500);
        return new DqnRun(MinAtar.create("breakout", 9), new DqnAgent(config, C, 9), 100);
    }

    @Test
    void everyFlippedBitIsDetected(@TempDir Path dir) throws IOException {
        DqnRun run = tinyRun();
        run.runUntil(300, new DqnRun.Listener() { });
        DqnCheckpoint.save(dir, run);
        Path file = dir.resolve(DqnCheckpoint.FILE);
        byte[] good = Files.readAllBytes(file);
        SplittableRandom rng = new SplittableRandom(16);
        int flips = 120, detected = 0;
        for (int k = 0; k < flips; k++) {
            byte[] bad = good.clone();
            // A third of the flips in the first 64 bytes (magic, settings, counters), the rest anywhere.
            int at = k % 3 == 0 ? rng.nextInt(Math.min(64, bad.length)) : rng.nextInt(bad.length);
            bad[at] ^= (byte) (1 << rng.nextInt(8));
            Files.write(file, bad);
            try {
                DqnCheckpoint.restore(dir, tinyRun());
            } catch (IOException e) {
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
                detected++;
            }
        }
        assertEquals(flips, detected, "every flipped bit must be detected");
        Files.write(file, good);
        DqnCheckpoint.restore(dir, tinyRun());                     // the intact file still loads
    }

    @Test
    void aCheckpointOfTheFirstFormatLoadsWithANotice(@TempDir Path dir) throws IOException {
        DqnRun run = tinyRun();
        run.runUntil(300, new DqnRun.Listener() { });
        DqnCheckpoint.save(dir, run);
        Path file = dir.resolve(DqnCheckpoint.FILE);
        byte[] v2 = Files.readAllBytes(file);
        byte[] v1 = java.util.Arrays.copyOf(v2, v2.length - 8);   // the first format: no trailing CRC32C
        v1[3] = '1';                                               // "DQN1"
        Files.write(file, v1);
        List<String> notices = new ArrayList<>();
        DqnRun restored = tinyRun();
        DqnCheckpoint.restore(dir, restored, notices::add);
        assertEquals(300, restored.frame());
        assertEquals(1, notices.size(), notices.toString());
        assertTrue(notices.get(0).contains("without a checksum"), notices.get(0));
        Files.write(file, new byte[] {1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> DqnCheckpoint.restore(dir, tinyRun()));
        assertTrue(e.getMessage().contains("not a DQN checkpoint"), e.getMessage());
    }
}
