package org.weightnorm4j.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PolicyTest {
    @Test
    void actionListParsesCommasSpacesAndCommentsThenEnds() {
        ActionListPolicy p = ActionListPolicy.parse("0,3, 3\n5 # fire\n# a comment line\n2");
        assertEquals(5, p.remaining());
        int[] expected = {0, 3, 3, 5, 2};
        for (int a : expected) {
            assertEquals(a, p.act(null));
        }
        assertEquals(Policy.END, p.act(null));
        assertThrows(IllegalArgumentException.class, () -> ActionListPolicy.parse("1,6"));
        assertThrows(IllegalArgumentException.class, () -> ActionListPolicy.parse("1,x"));
    }

    @Test
    void randomPolicyIsUniformOverTheSixActions() {
        RandomPolicy p = new RandomPolicy(3);
        int n = 60_000;
        int[] counts = new int[6];
        for (int i = 0; i < n; i++) {
            counts[p.act(null)]++;
        }
        double sd = Math.sqrt(n * (1 / 6.0) * (5 / 6.0));
        for (int c : counts) {
            assertTrue(Math.abs(c - n / 6.0) < 5 * sd, java.util.Arrays.toString(counts));
        }
    }
}
