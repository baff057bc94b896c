package org.weightnorm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When {@link WarmUp} calls a benchmark's timing settled. */
class WarmUpTest {
    /** Feeds one batch of call times; whether the warm-up then called it settled. */
    private static boolean batch(WarmUp w, long... nanos) {
        boolean settled = false;
        for (int i = 0; i < nanos.length; i++) {
            boolean s = w.add(nanos[i]);
            if (i < nanos.length - 1) {
                assertFalse(s, "settled before its batch was complete");
            }
            settled = s;
        }
        return settled;
    }

    @Test
    void settlesWhenTwoBatchMediansAgree() {
        WarmUp w = new WarmUp(3);
        assertFalse(batch(w, 100, 101, 99), "one batch has nothing to agree with");
        assertTrue(batch(w, 102, 100, 500), "medians 100 and 102 agree within 3%; one slow call does not matter");
    }

    @Test
    void doesNotSettleWhileCallsGetFasterOrSlower() {
        WarmUp w = new WarmUp(3);
        assertFalse(batch(w, 200, 200, 200));
        assertFalse(batch(w, 150, 150, 150), "a quarter faster: the JIT is still at work");
        assertFalse(batch(w, 100, 100, 100));
        assertTrue(batch(w, 98, 99, 100));
        assertFalse(batch(w, 110, 110, 110), "10% slower than the batch before");
    }

    @Test
    void batchesHoldAboutAQuarterSecondWithinBounds() {
        assertEquals(WarmUp.MIN_BATCH, WarmUp.batchSize(2_000_000_000L));
        assertEquals(25, WarmUp.batchSize(10_000_000L));
        assertEquals(WarmUp.MAX_BATCH, WarmUp.batchSize(1_000L));
        assertEquals(WarmUp.MAX_BATCH, WarmUp.batchSize(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WarmUp(2));
        assertTrue(e.getMessage().contains("at least 3"), e.getMessage());
    }
}
