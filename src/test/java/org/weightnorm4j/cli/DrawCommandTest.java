package org.weightnorm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weightnorm4j.testing.CliRun.run;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.generative.DrawRun;
import org.weightnorm4j.testing.BandedImages;
import org.weightnorm4j.testing.CliRun;

/** {@code weightnorm draw}, {@code draw compare} and {@code bench draw}, end to end on 28×28 IDX files and a tiny model. */
class DrawCommandTest {
    @TempDir
    static Path data;
    @TempDir
    Path tmp;

    @BeforeAll
    static void writeDataset() throws IOException {
        BandedImages.writeSplit(data, "train", 40, 1);
        BandedImages.writeSplit(data, "t10k", 12, 2);
    }

    private static String[] tiny(String... more) {
        return CliRun.withDefaults(more, "--data", data.toString(), "--glimpses", "2", "--hidden", "4", "--latent", "2", "--batch", "20",
                "--epochs", "1", "--threads", "1", "--write", "3");
    }

    /** Runs {@code draw} with {@code args} into {@code out}; it must succeed with a finite test bound. Returns its summary and the log. */
    private static JsonObject trained(Path out, StringBuilder log, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--out");
        all.add(out.toString());
        CliRun r = run(tiny(all.toArray(new String[0])));
        assertEquals(0, r.code(), r.err());
        log.append(r.err());
        JsonObject s = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
        assertTrue(Double.isFinite(s.get("test_bound").getAsDouble()), s.toString());
        return s;
    }

    @Test
    void trainsWritesTheSummaryAndResumesForMoreEpochs() throws IOException {
        Path out = tmp.resolve("run");
        JsonObject s = trained(out, new StringBuilder(), "draw", "--param", "wn", "--seed", "4");
        assertEquals("wn", s.getAsJsonObject("config").get("param").getAsString());
        assertEquals(2, s.getAsJsonObject("config").get("glimpses").getAsInt());
        assertTrue(Files.readString(out.resolve("metrics.csv")).startsWith("epoch,step,train_bound"));
        assertTrue(Files.exists(out.resolve("canvas-test.png")) && Files.exists(out.resolve("canvas-samples-strip.png")));

        CliRun again = run(tiny("draw", "--param", "wn", "--seed", "4", "--out", out.toString()));
        assertEquals(2, again.code());
        assertTrue(again.err().contains("--resume"), again.err());
        CliRun other = run(tiny("draw", "--param", "wn", "--seed", "5", "--out", out.toString(), "--resume", "--epochs", "2"));
        assertEquals(2, other.code(), "another seed does not resume this run");
        assertTrue(other.err().contains("settings"), other.err());
        CliRun more = run(tiny("draw", "--param", "wn", "--seed", "4", "--out", out.toString(), "--resume", "--epochs", "2"));
        assertEquals(0, more.code(), more.err());
        assertEquals(3, Files.readAllLines(out.resolve("metrics.csv")).size());
    }

    @Test
    void presetReducedGivesItsValuesUnlessAnOptionIsGiven() throws IOException {
        // the tiny shape is given explicitly (so it overrides the preset's 16 glimpses and 128 units); the rest comes from the preset
        JsonObject cfg = trained(tmp.resolve("reduced"), new StringBuilder(), "draw", "--preset", "reduced", "--param", "wn")
                .getAsJsonObject("config");
        DrawRun.Settings p = DrawRun.Settings.reduced(true, 1);
        assertEquals(2, cfg.get("glimpses").getAsInt(), "given");
        assertEquals(3, cfg.get("write").getAsInt(), "given");
        assertEquals(p.model().readN(), cfg.get("read").getAsInt(), "the preset's");
        assertEquals(p.lr(), cfg.get("lr").getAsDouble(), "the preset's");
        assertEquals(p.initStd(), cfg.get("init_std").getAsDouble(), "the preset's");
        assertEquals(p.readInit().label(), cfg.get("read_init").getAsString(), "the preset's");
    }

    @Test
    void attentionOptionsAreCheckedWithTheReason() {
        CliRun one = run(tiny("draw", "--read", "1", "--out", tmp.resolve("a").toString()));
        assertEquals(2, one.code());
        assertTrue(one.err().contains("0 (no attention"), one.err());
        CliRun digit = run(tiny("draw", "--read", "0", "--read-init", "digit", "--out", tmp.resolve("b").toString()));
        assertEquals(2, digit.code());
        assertTrue(digit.err().contains("--read-init digit"), digit.err());
        CliRun bad = run(tiny("draw", "--read-init", "border", "--out", tmp.resolve("c").toString()));
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("zero") && bad.err().contains("digit"), bad.err());
        CliRun preset = run(tiny("draw", "--preset", "small", "--out", tmp.resolve("d").toString()));
        assertEquals(2, preset.code());
        assertTrue(preset.err().contains("--preset must be paper or reduced"), preset.err());
    }

    @Test
    void trainsWithoutAttention() throws IOException {
        StringBuilder log = new StringBuilder();
        JsonObject s = trained(tmp.resolve("none"), log, "draw", "--read", "0", "--write", "0");
        assertEquals(0, s.getAsJsonObject("config").get("read").getAsInt());
        assertTrue(log.toString().contains("whole image (no attention)"), log.toString());
    }

    @Test
    void compareWritesTheReportAndSkipsFinishedCells() throws IOException {
        Path out = tmp.resolve("grid");
        CliRun r = run(tiny("draw", "compare", "--params", "normal,wn", "--seeds", "1", "--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        String html = Files.readString(out.resolve("report").resolve("report.html"));
        assertTrue(html.contains("g/‖v‖ per gate") && html.contains("canvas"), "report sections");
        CliRun again = run(tiny("draw", "compare", "--params", "normal,wn", "--seeds", "1", "--out", out.toString()));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("finished earlier"), again.err());
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertEquals(2, run(tiny("draw", "--param", "bn", "--out", tmp.resolve("x").toString())).code());
        assertEquals(2, run(tiny("draw", "--out", tmp.resolve("y").toString(), "--read", "1")).code());
        CliRun r = run(tiny("draw", "--out", tmp.resolve("z").toString(), "--batch", "100"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("fewer than one batch"), r.err());
        assertEquals(2, run("draw", "--data", data.toString()).code(), "--out is required");
    }

    @Test
    void benchPrintsThePeersFields() {
        CliRun r = run("bench", "draw", "--glimpses", "2", "--hidden", "8", "--batch", "4", "--reps", "2", "--warmup-seconds", "0",
                "--threads", "1", "--param", "wn");
        assertEquals(0, r.code(), r.err());
        JsonObject o = JsonParser.parseString(r.out().strip()).getAsJsonObject();
        for (String k : new String[] {"bench", "param", "batch", "threads", "glimpses", "images_per_s_median", "images_per_s_best"}) {
            assertTrue(o.has(k), k + " in " + o);
        }
        assertEquals("draw-train", o.get("bench").getAsString());
    }
}
