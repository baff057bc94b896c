package org.weightnorm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The cache model of {@link GemmBlocking} on the host kinds we know, on odd hosts, and its parser. */
class GemmBlockingTest {
    private static HostInfo host(long l1, long l2, long l3, int sharers) {
        return new HostInfo("test", "", "avx2", l1, l2, l3, sharers, 2);
    }

    @Test
    void theKnownHostsGetTheirBlocking() {
        // Zen 3 with AVX2 (6 x 16 tile): 512 KiB L2, 32 MiB L3 seen by 2 vCPUs.
        // A's block (156 x 1024 floats, 624 KiB) overflows L2 by a fifth so that B's micro-panels serve 156 rows.
        GemmBlocking zen3 = GemmBlocking.derive(host(32 << 10, 512 << 10, 32L << 20, 2), 6, 16);
        assertEquals("1024,156,2048", zen3.sizes());
        // Zen 4 with AVX-512 (8 x 32 tile): 1 MiB L2: the same depth, so the same sums.
        GemmBlocking zen4 = GemmBlocking.derive(host(32 << 10, 1 << 20, 32L << 20, 2), 8, 32);
        assertEquals("1024,160,2048", zen4.sizes());
        assertTrue(zen4.source().contains("L2 1M"), zen4.source());
    }

    @Test
    void smallAndUnknownCachesStillGiveUsableBlocks() {
        // 256 KiB L2 (many laptops): half the depth.
        GemmBlocking small = GemmBlocking.derive(host(32 << 10, 256 << 10, 6L << 20, 4), 6, 16);
        assertEquals(512, small.kc());
        assertEquals(0, small.mc() % 6);
        assertEquals(0, small.nc() % 16);
        assertEquals(GemmBlocking.MC_FOR_B_REUSE, small.mc(), small.sizes());
        assertTrue((long) small.mc() * small.kc() * 4 <= (256 << 10) * 5 / 4, small.sizes());
        // Nothing reported: the defaults (512 KiB L2, an 8 MiB block of B).
        GemmBlocking unknown = GemmBlocking.derive(host(-1, -1, -1, 1), 6, 16);
        assertEquals("1024,156,2048", unknown.sizes());
        assertTrue(unknown.source().contains("unknown"), unknown.source());
        // A tiny L2 never gives a depth below the minimum nor fewer rows than one panel.
        GemmBlocking tiny = GemmBlocking.derive(host(16 << 10, 64 << 10, -1, 1), 8, 32);
        assertEquals(GemmBlocking.MIN_KC, tiny.kc());
        assertTrue(tiny.mc() >= 8 && tiny.mc() % 8 == 0, tiny.sizes());
        // ... and A's block never overflows it by more than a quarter to serve more rows per panel of B.
        assertTrue((long) tiny.mc() * tiny.kc() * 4 <= (64 << 10) * 5 / 4, tiny.sizes());
        // A huge L3 is capped.
        GemmBlocking huge = GemmBlocking.derive(host(48 << 10, 2 << 20, 1L << 30, 1), 8, 32);
        assertEquals(GemmBlocking.MAX_NC, huge.nc());
    }

    @Test
    void parsesAndRoundsToWholePanels() {
        GemmBlocking b = GemmBlocking.parse(" 512, 50 ,1000", 6, 16);
        assertEquals("512,54,1008", b.sizes());
        assertTrue(b.source().contains(GemmBlocking.PROPERTY), b.source());
        for (String bad : new String[] {"", "512", "512,60", "512,60,1024,1", "0,60,1024", "512,-6,1024", "a,b,c", "512,60,99999999"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GemmBlocking.parse(bad, 6, 16), bad);
            assertTrue(e.getMessage().contains("kc,mc,nc"), e.getMessage());
        }
    }

    @Test
    void theLoadedGemmRefusesOtherSizesButAcceptsItsOwn() {
        GemmBlocking inUse = PanamaGemm.BLOCKING;
        GemmBlocking.override(inUse.sizes());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> GemmBlocking.override((inUse.kc() == 512 ? 256 : 512) + "," + inUse.mc() + "," + inUse.nc()));
        assertTrue(e.getMessage().contains("already runs with " + inUse.sizes()), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GemmBlocking.override("1,2"));
    }
}
