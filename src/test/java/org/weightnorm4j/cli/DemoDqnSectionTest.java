package org.weightnorm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.tensor.Parallel;

/** The demo's DQN section on a tiny run: both runs, the report, the summary, the playback; a rerun trains nothing. */
class DemoDqnSectionTest {
    @Test
    void trainsNormalAndWnSideBySideReportsAndPlaysTheWnAgent(@TempDir Path dir) throws Exception {
        int threads = Parallel.threads();
        StringWriter text = new StringWriter();
        DemoDqnSection.Outcome o = DemoDqnSection.run(dir, 1, 1_050, List.of("weightnorm", "demo"), new PrintWriter(text, true), false);
        assertEquals(threads, Parallel.threads(), "the demo's thread setting is restored");
        assertTrue(Files.isRegularFile(o.report()) && o.report().startsWith(dir));
        assertTrue(Files.isRegularFile(dir.resolve("breakout-normal-s1/summary.json"))
                && Files.isRegularFile(dir.resolve("breakout-wn-s1/dqn-checkpoint.bin")));
        String out = text.toString();
        assertTrue(out.contains("breakout-normal-s1 ran") && out.contains("breakout-wn-s1 ran"), out);
        assertTrue(out.contains("the wn agent playing") && out.contains("60 frames played") && out.contains("+----------+"), out);
        assertTrue(o.summary().contains("normal") && o.summary().contains("wn") && o.summary().contains("1050"), o.summary());

        StringWriter again = new StringWriter();
        DemoDqnSection.run(dir, 1, 1_050, List.of("weightnorm", "demo"), new PrintWriter(again, true), false);
        assertTrue(again.toString().contains("breakout-wn-s1 skipped finished"), again.toString());
    }
}
