package org.weightnorm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.rl.Environment;
import org.weightnorm4j.rl.MinAtar;
import picocli.CommandLine;

/** {@code weightnorm play} end to end. */
class PlayCommandTest {
    @TempDir
    Path tmp;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void jsonlHasOneObjectPerFrameStartingAfterResetAndMatchesTheEnvironment() {
        String actions = "1,1,3,5,0,3,3,1,1,1,4,2";
        assertEquals(0, run("play", "--game", "seaquest", "--seed", "5", "--sticky", "0", "--actions", actions,
                "--jsonl"), err.toString());
        String[] lines = out.toString().strip().split("\n");
        Environment env = MinAtar.create("seaquest", 5, 0.0, true);
        float[] obs = new float[10 * 100];
        String[] acts = actions.split(",");
        assertEquals(acts.length + 1, lines.length, "the reset frame, then one per action (no terminal this early)");
        for (int t = 0; t < lines.length; t++) {
            JsonObject o = JsonParser.parseString(lines[t]).getAsJsonObject();
            assertEquals(t, o.get("t").getAsInt());
            int reward = 0;
            if (t == 0) {
                assertTrue(o.get("action").isJsonNull());
            } else {
                int a = Integer.parseInt(acts[t - 1]);
                assertEquals(a, o.get("action").getAsInt());
                assertEquals(a, o.get("taken").getAsInt(), "no sticky actions at --sticky 0");
                reward = env.step(a);
            }
            assertEquals(reward, o.get("reward").getAsInt());
            assertEquals(env.terminal(), o.get("terminal").getAsBoolean());
            env.observe(obs);
            JsonArray grid = o.getAsJsonArray("obs");
            assertEquals(10, grid.size());
            for (int c = 0; c < 10; c++) {
                JsonArray rows = grid.get(c).getAsJsonArray();
                assertEquals(10, rows.size());
                for (int row = 0; row < 10; row++) {
                    JsonArray cells = rows.get(row).getAsJsonArray();
                    assertEquals(10, cells.size());
                    for (int column = 0; column < 10; column++) {
                        assertEquals((int) obs[c * 100 + row * 10 + column], cells.get(column).getAsInt(),
                                "t " + t + " obs[" + c + "][" + row + "][" + column + "]");
                    }
                }
            }
        }
    }

    @Test
    void episodesJsonSummarisesReturnsAndLengthsAndIsReproducible() {
        assertEquals(0, run("play", "--game", "breakout", "--episodes", "7", "--json", "--seed", "3"), err.toString());
        String first = out.toString();
        JsonObject o = JsonParser.parseString(first).getAsJsonObject();
        assertEquals(7, o.get("episodes").getAsInt());
        List<Integer> returns = new ArrayList<>();
        o.getAsJsonArray("returns").forEach(e -> returns.add(e.getAsInt()));
        List<Integer> lengths = new ArrayList<>();
        o.getAsJsonArray("lengths").forEach(e -> lengths.add(e.getAsInt()));
        assertEquals(7, returns.size());
        assertEquals(PlayCommand.mean(returns), o.get("return_mean").getAsDouble(), 0.0);
        assertEquals(PlayCommand.std(returns), o.get("return_std").getAsDouble(), 0.0);
        assertEquals(PlayCommand.mean(lengths), o.get("length_mean").getAsDouble(), 0.0);
        assertEquals(PlayCommand.std(lengths), o.get("length_std").getAsDouble(), 0.0);
        for (int length : lengths) {
            assertTrue(length >= 1);
        }
        assertEquals(0, run("play", "--game", "breakout", "--episodes", "7", "--json", "--seed", "3"));
        assertEquals(first, out.toString(), "same seed, same summary");
        assertEquals(0, run("play", "--game", "breakout", "--episodes", "7", "--json", "--seed", "4"));
        assertTrue(!first.equals(out.toString()), "another seed, another run");
    }

    @Test
    void meanAndPopulationStandardDeviation() {
        assertEquals(2.5, PlayCommand.mean(List.of(1, 2, 3, 4)), 0.0);
        assertEquals(Math.sqrt(1.25), PlayCommand.std(List.of(1, 2, 3, 4)), 1e-15);
    }

    @Test
    void watchModeDrawsFramesAndActionFilesWork() throws Exception {
        Path file = tmp.resolve("actions.txt");
        Files.writeString(file, "# hold still\n0\n0\n0\n");
        assertEquals(0, run("play", "--game", "space_invaders", "--actions", file.toString(), "--sticky", "0",
                "--color", "never", "--delay", "0"), err.toString());
        String s = out.toString();
        assertTrue(s.contains("space_invaders  episode 1  t 3  action n"), s);
        assertTrue(s.contains("|  <<<<<<  |"), s); // the aliens, moving left, drawn by direction
        assertTrue(s.contains("A cannon"), s);
        assertTrue(s.contains("episode 1: return 0, 3 frames (actions ran out)"), s);
        assertTrue(!s.contains("\033["), "no ANSI with --color never");
        assertEquals(0, run("play", "--game", "breakout", "--actions", "0", "--color", "always", "--delay", "0"));
        assertTrue(out.toString().contains("\033["));
    }

    @Test
    void pngStripAndGifAreWritten() throws Exception {
        Path png = tmp.resolve("strip.png");
        Path gif = tmp.resolve("game.gif");
        assertEquals(0, run("play", "--game", "freeway", "--actions", "2,2,2,2,2", "--png", png.toString(), "--gif",
                gif.toString(), "--scale", "4", "--color", "never", "--delay", "0"), err.toString());
        BufferedImage strip = ImageIO.read(png.toFile());
        assertNotNull(strip);
        assertEquals(6 * (40 + 1) + 1, strip.getWidth(), "six frames (reset + 5) of 40 px and 1 px gaps");
        BufferedImage first = ImageIO.read(gif.toFile());
        assertNotNull(first);
        assertEquals(40, first.getWidth());
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, run("play", "--game", "pong"));
        assertTrue(err.toString().contains("unknown game 'pong'"), err.toString());
        assertEquals(2, run("play"));
        assertEquals(2, run("play", "--game", "breakout", "--actions", "0,9"));
        assertEquals(2, run("play", "--game", "breakout", "--checkpoint", tmp.toString()));
        assertTrue(err.toString().contains("no dqn-checkpoint.bin"), err.toString());
        assertEquals(2, run("play", "--game", "breakout", "--sticky", "1.5"));
        assertEquals(2, run("play", "--game", "breakout", "--json", "--jsonl"));
    }

    @Test
    void aTrainedAgentPlaysFromItsRunDirectory() throws Exception {
        Path runDir = tmp.resolve("agent");
        assertEquals(0, run("dqn", "--game", "breakout", "--param", "wn", "--frames", "300", "--seed", "2", "--out",
                runDir.toString(), "--learning-starts", "100", "--replay", "500", "--batch", "4", "--window", "100",
                "--threads", "1", "--progress-seconds", "1000"), err.toString());
        // --game is taken from the run; episodes summarised as for the random policy.
        assertEquals(0, run("play", "--checkpoint", runDir.toString(), "--episodes", "3", "--json", "--seed", "4"), err.toString());
        JsonObject summary = JsonParser.parseString(out.toString().trim()).getAsJsonObject();
        assertEquals("agent", summary.get("policy").getAsString());
        assertEquals("breakout", summary.get("game").getAsString());
        assertEquals(3, summary.get("episodes").getAsInt());
        assertEquals(0.01, summary.get("epsilon").getAsDouble());
        assertTrue(err.toString().contains("wn agent") && err.toString().contains("frame 300"), err.toString());
        String first = out.toString();
        assertEquals(0, run("play", "--checkpoint", runDir.toString(), "--episodes", "3", "--json", "--seed", "4"));
        assertEquals(first, out.toString(), "same seed, same games");
        // Frames as JSON lines and a GIF work with the agent as with any policy.
        Path gif = tmp.resolve("agent.gif");
        assertEquals(0, run("play", "--checkpoint", runDir.toString(), "--jsonl", "--gif", gif.toString(), "--max-frames", "20"));
        assertTrue(out.toString().lines().count() > 1 && Files.size(gif) > 0);
        // The run's game only, and no action list on top of an agent.
        assertEquals(2, run("play", "--checkpoint", runDir.toString(), "--game", "freeway"));
        assertTrue(err.toString().contains("trained on breakout"), err.toString());
        assertEquals(2, run("play", "--checkpoint", runDir.toString(), "--actions", "0,1"));
        assertEquals(2, run("play", "--checkpoint", runDir.toString(), "--epsilon", "2"));
    }

    @Test
    void benchPrintsOneLinePerGame() {
        assertEquals(0, run("play", "--bench", "--bench-seconds", "0.05"), err.toString());
        String[] lines = out.toString().strip().split("\n");
        assertEquals(MinAtar.GAMES.size(), lines.length);
        for (int i = 0; i < lines.length; i++) {
            JsonObject o = JsonParser.parseString(lines[i]).getAsJsonObject();
            assertEquals("env-step", o.get("bench").getAsString());
            assertEquals(MinAtar.GAMES.get(i), o.get("game").getAsString());
            assertTrue(o.get("frames_per_s").getAsLong() > 0);
        }
    }
}
