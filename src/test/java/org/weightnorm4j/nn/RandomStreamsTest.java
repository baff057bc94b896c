package org.weightnorm4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomStreamsTest {

    @Test
    void sameSeedAndCounterGiveTheSameStream() {
        for (long counter : new long[] {0, 1, 12345, Long.MAX_VALUE}) {
            assertEquals(RandomStreams.forCall(7, counter).nextLong(), RandomStreams.forCall(7, counter).nextLong());
        }
    }

    @Test
    void neighbouringPairsGiveDifferentStreams() {
        Set<Long> firsts = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            for (long counter = 0; counter < 20; counter++) {
                firsts.add(RandomStreams.forCall(seed, counter).nextLong());
            }
        }
        assertEquals(400, firsts.size(), "400 (seed, counter) pairs, 400 distinct first draws");
        assertNotEquals(RandomStreams.forCall(1, 0).nextLong(), RandomStreams.forCall(0, 1).nextLong());
    }

    @Test
    void derivedSeedsDifferPerIndex() {
        Set<Long> seeds = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            seeds.add(RandomStreams.derive(42, i));
        }
        assertEquals(100, seeds.size());
    }
}
