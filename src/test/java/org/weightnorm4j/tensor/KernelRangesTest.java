package org.weightnorm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The override of the element-wise kernels' split threshold ({@code -Dweightnorm4j.parallelMinWork}). */
class KernelRangesTest {
    @Test
    void unsetMeansTheDefaultAndAPositiveCountIsTaken() {
        assertEquals(KernelRanges.DEFAULT_MIN_WORK, KernelRanges.parseMinWork(null));
        assertEquals(65536, KernelRanges.parseMinWork(" 65536 "));
        assertEquals(1, KernelRanges.parseMinWork("1"));
    }

    @Test
    void anythingElseIsAClearError() {
        for (String bad : new String[] {"0", "-5", "16K", "", "1e5"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelRanges.parseMinWork(bad), bad);
            assertTrue(e.getMessage().contains("-D" + KernelRanges.MIN_WORK_PROPERTY + "=" + bad), e.getMessage());
            assertTrue(e.getMessage().contains("positive element count"), e.getMessage());
        }
    }
}
