package org.weightnorm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.testing.CliRun;

/** {@code weightnorm dqn compare} and {@code dqn report} on a tiny grid: directories, skip, resume, report. */
class DqnCompareCommandTest {

    private static String[] grid(Path out, long frames, String... more) {
        List<String> a = new ArrayList<>(List.of("dqn", "compare", "--games", "breakout", "--params", "normal,wn", "--seeds", "1",
                "--frames", Long.toString(frames), "--out", out.toString(), "--learning-starts", "100", "--replay", "500",
                "--batch", "4", "--window", "100", "--checkpoint-every", "200", "--threads", "1", "--progress-seconds", "1000"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void theGridRunsEachConfigurationIntoItsDirectorySkipsFinishedOnesResumesShorterOnesAndReports(@TempDir Path tmp)
            throws Exception {
        Path straight = tmp.resolve("straight");
        CliRun r = CliRun.run(grid(straight, 400));
        assertEquals(0, r.code(), r.err());
        for (String d : List.of("breakout-normal-s1", "breakout-wn-s1")) {
            assertEquals(400, JsonParser.parseString(Files.readString(straight.resolve(d).resolve("summary.json")))
                    .getAsJsonObject().get("frames").getAsLong(), d);
        }
        assertTrue(r.out().contains("breakout-wn-s1 ran"), r.out());
        String html = Files.readString(straight.resolve("report.html"));
        assertTrue(html.contains("breakout: return, 100-episode moving average") && html.contains("g/‖v‖"), "report");
        assertTrue(html.contains("Space Invaders") && html.contains("2179") && html.contains("MinAtar"), "published tables");

        // The same command again: nothing to train.
        CliRun again = CliRun.run(grid(straight, 400));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("breakout-normal-s1 skipped finished") && again.out().contains("breakout-wn-s1 skipped finished"),
                again.out());

        // A grid stopped at 200 frames, then the command for 400: resumed, and bit-identical to the straight grid.
        Path stepped = tmp.resolve("stepped");
        assertEquals(0, CliRun.run(grid(stepped, 200)).code());
        CliRun resumed = CliRun.run(grid(stepped, 400));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("breakout-wn-s1 resumed"), resumed.out());
        for (String d : List.of("breakout-normal-s1", "breakout-wn-s1")) {
            for (String f : List.of("metrics.csv", "training.csv", "dqn-checkpoint.bin")) {
                assertEquals(-1, Files.mismatch(straight.resolve(d).resolve(f), stepped.resolve(d).resolve(f)), d + "/" + f);
            }
        }

        // The report alone, from the directories, elsewhere.
        Path elsewhere = tmp.resolve("report");
        CliRun report = CliRun.run("dqn", "report", straight.toString(), "--out", elsewhere.toString());
        assertEquals(0, report.code(), report.err());
        assertTrue(Files.isRegularFile(elsewhere.resolve("report.html")));
        CliRun reportOnly = CliRun.run(grid(stepped, 400, "--report-only"));
        assertEquals(0, reportOnly.code(), reportOnly.err());
        assertTrue(!reportOnly.out().contains("ran") && reportOnly.out().contains("report: "), reportOnly.out());
    }

    @Test
    void badListsAndEmptyDirectoriesAreUsageErrors(@TempDir Path tmp) {
        CliRun badGame = CliRun.run("dqn", "compare", "--games", "pong", "--out", tmp.toString());
        assertEquals(2, badGame.code());
        assertTrue(badGame.err().contains("unknown game 'pong'"), badGame.err());
        CliRun badParam = CliRun.run("dqn", "compare", "--params", "wn,bn", "--frames", "10", "--out", tmp.toString());
        assertEquals(2, badParam.code());
        assertTrue(badParam.err().contains("bn"), badParam.err());
        CliRun empty = CliRun.run("dqn", "report", tmp.toString());
        assertEquals(2, empty.code());
        assertTrue(empty.err().contains("no DQN run directories"), empty.err());
        CliRun noGame = CliRun.run("dqn", "--out", tmp.toString());
        assertEquals(2, noGame.code());
        assertTrue(noGame.err().contains("--game"), noGame.err());
    }
}
