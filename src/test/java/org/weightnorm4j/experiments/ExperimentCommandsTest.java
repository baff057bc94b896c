package org.weightnorm4j.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.cli.Main;
import picocli.CommandLine;

/** The experiment commands refuse bad values with a usage error (exit code 2) naming the option, before loading data. */
class ExperimentCommandsTest {

    /** Runs the CLI; returns the exit code, standard output and standard error. */
    static String[] run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void compareRejectsAnUnknownParameterization() {
        String[] r = run("compare", "--params", "normal,bogus");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("--params") && r[2].contains("wn-mobn"), r[2]);
    }

    @Test
    void noiseRejectsARepeatedBatchSizeAndABadLabelNoise() {
        String[] r = run("noise", "--batches", "16,16");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("--batches"), r[2]);
        r = run("noise", "--label-noise", "1.5");
        assertEquals("2", r[0], r[2]);
    }

    @Test
    void lrSweepRejectsANonPositiveRate() {
        String[] r = run("lr-sweep", "--lrs", "1e-3,0");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("--lrs"), r[2]);
    }

    /** {@code explain --json --report DIR}: the steps in the JSON, and the page with its figures written where asked. */
    @Test
    void explainWritesItsStepsAndItsPage(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path report = dir.resolve("explain");
        String[] r = run("explain", "--json", "--report", report.toString());
        assertEquals("0", r[0], r[2]);
        com.google.gson.JsonObject json = com.google.gson.JsonParser.parseString(r[1]).getAsJsonObject();
        assertEquals(8, json.getAsJsonArray("steps").size(), r[1]);
        String page = java.nio.file.Files.readString(report.resolve("report.html"));
        assertTrue(page.contains("<svg") || page.contains("image/svg+xml"), "the vector figures are in the page");
        try (var files = java.nio.file.Files.list(report)) {
            assertTrue(files.filter(f -> f.getFileName().toString().startsWith("fig")).count() >= 4, "figure files beside it");
        }
    }

    @Test
    void everyExperimentCommandIsRegistered() {
        CommandLine cli = Main.commandLine();
        for (String name : new String[] {"compare", "noise", "lr-sweep", "demo"}) {
            assertTrue(cli.getSubcommands().containsKey(name), name);
        }
    }
}
