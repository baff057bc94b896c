package org.weightnorm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code bench dqn --clock cpu}: the update timed by the thread's CPU clock, at one thread only. */
class BenchDqnClockTest {
    @Test
    void cpuClockTimesOneThreadAndSaysSo() {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        assertEquals(0, cli.execute("bench", "dqn", "--param", "normal", "--optimizer", "rmsprop", "--batch", "5", "--steps", "3",
                "--warmup", "1", "--clock", "cpu"));
        JsonObject line = JsonParser.parseString(out.toString().trim()).getAsJsonObject();
        assertEquals("cpu", line.get("clock").getAsString());
        assertTrue(line.get("updates_per_s_median").getAsDouble() > 0);

        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        assertNotEquals(0, cli.execute("bench", "dqn", "--threads", "2", "--clock", "cpu", "--steps", "1"));
        assertTrue(err.toString().contains("--clock cpu times the calling thread only"), err.toString());
        assertNotEquals(0, cli.execute("bench", "dqn", "--clock", "sundial", "--steps", "1"));
    }
}
