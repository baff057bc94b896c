package org.weightnorm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.weightnorm4j.testing.RestoreThreads;
import picocli.CommandLine;

/** {@code weightnorm bench vae}: the peer's JSON fields, one line per parameterization (tiny batch; no timing asserted). */
@ExtendWith(RestoreThreads.class)
class BenchVaeCommandTest {

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void printsThePeersFieldsPerParameterization() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        assertEquals(0, run(out, err, "bench", "vae", "--param", "all", "--batch", "2", "--steps", "1", "--warmup", "0"), err.toString());
        List<String> lines = Arrays.stream(out.toString().split("\n")).filter(s -> !s.isBlank()).collect(Collectors.toList());
        assertEquals(2, lines.size(), out.toString());
        String[] params = {"normal", "wn"};
        long[] counts = {1_662_277L, 1_665_578L};
        for (int i = 0; i < 2; i++) {
            JsonObject o = JsonParser.parseString(lines.get(i)).getAsJsonObject();
            assertEquals("vae-train", o.get("bench").getAsString());
            assertEquals(params[i], o.get("param").getAsString());
            assertEquals(2, o.get("batch").getAsInt());
            assertEquals(1, o.get("threads").getAsInt());
            assertEquals(counts[i], o.get("params").getAsLong());
            assertTrue(o.get("images_per_s_best").getAsDouble() >= o.get("images_per_s_median").getAsDouble(), lines.get(i));
            assertTrue(o.get("images_per_s_median").getAsDouble() > 0, lines.get(i));
            assertTrue(o.get("alloc_bytes_per_step").getAsLong() >= 0, lines.get(i));
            assertTrue(Double.isFinite(o.get("loss_last").getAsDouble()), lines.get(i));
        }
    }

    /** --clock cpu: the thread's CPU clock, said in the line; refused with more than one thread, and for an unknown clock. */
    @Test
    void timesOnTheCpuClockWithOneThreadOnly() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        assertEquals(0, run(out, err, "bench", "vae", "--param", "wn", "--batch", "2", "--steps", "1", "--warmup", "0",
                "--clock", "cpu"), err.toString());
        JsonObject o = JsonParser.parseString(out.toString().trim()).getAsJsonObject();
        assertEquals("cpu", o.get("clock").getAsString());
        assertTrue(o.get("images_per_s_median").getAsDouble() > 0, out.toString());
        StringWriter err2 = new StringWriter();
        assertNotEquals(0, run(new StringWriter(), err2, "bench", "vae", "--threads", "1,2", "--clock", "cpu", "--steps", "1"));
        assertTrue(err2.toString().contains("use it with --threads 1"), err2.toString());
        StringWriter err3 = new StringWriter();
        assertNotEquals(0, run(new StringWriter(), err3, "bench", "vae", "--clock", "gpu", "--steps", "1"));
        assertTrue(err3.toString().contains("--clock must be wall or cpu"), err3.toString());
    }

    @Test
    void rejectsAnUnknownParameterization() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        assertNotEquals(0, run(out, err, "bench", "vae", "--param", "bn", "--steps", "1"));
        assertTrue(err.toString().contains("--param must be normal, wn or all"), err.toString());
    }
}
