package org.weightnorm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DqnCommandTest {

    private static int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        return cli.execute(args);
    }

    private static String[] tiny(Path out, long frames, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("dqn", "--game", "breakout", "--param", "wn", "--frames", Long.toString(frames),
                "--seed", "3", "--out", out.toString(), "--learning-starts", "200", "--replay", "2000", "--batch", "8",
                "--window", "250", "--checkpoint-every", "500", "--threads", "1", "--progress-seconds", "1000"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void tinyRunWritesItsFilesAndAResumedRunEndsTheSame(@TempDir Path dir) throws Exception {
        Path straight = dir.resolve("straight");
        assertEquals(0, run(tiny(straight, 1000)));
        JsonObject summary = JsonParser.parseString(Files.readString(straight.resolve("summary.json"))).getAsJsonObject();
        assertEquals(1000, summary.get("frames").getAsLong());
        assertTrue(summary.get("episodes").getAsInt() > 10, "breakout episodes under random play last tens of frames");
        assertTrue(summary.has("return_last100_mean") && summary.has("return_max"));
        List<String> training = Files.readAllLines(straight.resolve("training.csv"));
        assertEquals(1 + 4, training.size(), "header and one row per 250 frames");
        assertTrue(training.get(0).contains("3_g_over_v_norm"), training.get(0));

        // Stop after 500 frames (a checkpoint), then resume to 1000: the same episodes and statistics.
        Path resumed = dir.resolve("resumed");
        assertEquals(0, run(tiny(resumed, 500)));
        assertEquals(2, run(tiny(resumed, 1000)), "an existing run needs --resume");
        assertEquals(0, run(tiny(resumed, 1000, "--resume")));
        assertEquals(Files.readString(straight.resolve("metrics.csv")), Files.readString(resumed.resolve("metrics.csv")));
        assertEquals(Files.readString(straight.resolve("training.csv")), Files.readString(resumed.resolve("training.csv")));
        assertEquals(-1, Files.mismatch(straight.resolve("dqn-checkpoint.bin"), resumed.resolve("dqn-checkpoint.bin")));
    }

    @Test
    void benchDqnPrintsThePeersFields() {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        assertEquals(0, cli.execute("bench", "dqn", "--param", "wn", "--optimizer", "adamax", "--batch", "4", "--steps", "3",
                "--warmup", "1"));
        JsonObject line = JsonParser.parseString(out.toString().trim()).getAsJsonObject();
        assertEquals("dqn-update", line.get("bench").getAsString());
        assertEquals("wn", line.get("param").getAsString());
        assertEquals(4, line.get("batch").getAsInt());
        assertTrue(line.get("updates_per_s_median").getAsDouble() > 0);
        assertTrue(line.get("updates_per_s_best").getAsDouble() >= line.get("updates_per_s_median").getAsDouble());
        assertTrue(line.get("updates_per_s_mean").getAsDouble() > 0);
    }

    @Test
    void benchDqnLoopAndBenchEnvPrintTheirFields() {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        assertEquals(0, cli.execute("bench", "dqn-loop", "--param", "wn", "--replay", "300", "--warmup", "5", "--frames", "20"));
        JsonObject loop = JsonParser.parseString(out.toString().trim()).getAsJsonObject();
        assertEquals("dqn-loop", loop.get("bench").getAsString());
        assertEquals(20, loop.get("frames_timed").getAsInt());
        assertEquals(0.1, loop.get("epsilon").getAsDouble(), 1e-12, "the steady state: epsilon at its final value");
        JsonObject us = loop.getAsJsonObject("us_per_frame");
        for (String phase : List.of("act", "env", "store", "sample", "update", "other")) {
            assertTrue(us.has(phase), phase);
        }
        assertTrue(us.get("update").getAsDouble() > 0 && loop.get("frames_per_s").getAsDouble() > 0);

        StringWriter env = new StringWriter();
        cli.setOut(new PrintWriter(env, true));
        assertEquals(0, cli.execute("bench", "env", "--game", "breakout,seaquest", "--seconds", "0.05"));
        String[] lines = env.toString().trim().split("\n");
        assertEquals(2, lines.length);
        for (String l : lines) {
            JsonObject o = JsonParser.parseString(l).getAsJsonObject();
            assertEquals("env-step", o.get("bench").getAsString());
            assertTrue(o.get("frames_per_s").getAsLong() > 0);
            // Allocation-free stepping: the thread allocated nothing per frame (a few bytes of slack for the clock).
            assertTrue(o.get("bytes_allocated_per_frame").isJsonNull() || o.get("bytes_allocated_per_frame").getAsDouble() < 0.01, l);
        }
        assertEquals(2, cli.execute("bench", "env", "--game", "pong"));
    }
}
