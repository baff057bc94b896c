package org.weightnorm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.weightnorm4j.testing.RestoreThreads;
import picocli.CommandLine;

/** {@code weightnorm bench lstm}: the peer's fields and the clocks (tiny sizes; no timing asserted). */
@ExtendWith(RestoreThreads.class)
class BenchLstmCommandTest {

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void printsThePeersFieldsOnEitherClock() {
        for (String clock : new String[] {"wall", "cpu"}) {
            StringWriter out = new StringWriter(), err = new StringWriter();
            assertEquals(0, run(out, err, "bench", "lstm", "--param", "wn", "--threads", "1", "--seq", "3", "--batch", "2",
                    "--input", "5", "--hidden", "4", "--reps", "2", "--warmup-seconds", "0", "--clock", clock), err.toString());
            JsonObject o = JsonParser.parseString(out.toString().trim()).getAsJsonObject();
            assertEquals("lstm-fwd-bwd", o.get("bench").getAsString());
            assertEquals("wn", o.get("param").getAsString());
            assertEquals(clock, o.get("clock").getAsString());
            assertEquals(1, o.get("threads").getAsInt());
            assertTrue(o.get("sequences_per_s_best").getAsDouble() >= o.get("sequences_per_s_median").getAsDouble(), out.toString());
        }
    }

    @Test
    void refusesTheCpuClockWithMoreThanOneThread() {
        StringWriter err = new StringWriter();
        assertNotEquals(0, run(new StringWriter(), err, "bench", "lstm", "--threads", "2", "--clock", "cpu", "--seq", "2",
                "--batch", "1", "--input", "2", "--hidden", "2", "--reps", "1", "--warmup-seconds", "0"));
        assertTrue(err.toString().contains("use it with --threads 1"), err.toString());
    }
}
