package org.weightnorm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weightnorm4j.testing.CliRun.run;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.testing.BandedImages;
import org.weightnorm4j.testing.CliRun;

/** {@code weightnorm vae}, {@code vae compare} and {@code eval} of a VAE run, end to end on 28×28 IDX files and a tiny model. */
class VaeCommandTest {
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
        return CliRun.withDefaults(more, "--data", data.toString(), "--channels", "2,3", "--hidden", "8", "--latent", "2", "--batch", "20",
                "--epochs", "1", "--is-samples", "3", "--threads", "1", "--init-batch", "20");
    }

    @Test
    void trainsWritesTheSummaryAndEvalAgrees() throws IOException {
        Path out = tmp.resolve("run");
        CliRun r = run(tiny("vae", "--param", "wn", "--seed", "4", "--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        JsonObject s = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
        for (String k : new String[] {"test_elbo", "test_log_likelihood_is", "is_samples", "config"}) {
            assertTrue(s.has(k), k + " in " + s);
        }
        assertEquals(3, s.get("is_samples").getAsInt());
        assertEquals("wn", s.getAsJsonObject("config").get("param").getAsString());
        assertTrue(s.get("test_log_likelihood_is").getAsDouble() < 0);
        assertTrue(Files.readString(out.resolve("metrics.csv")).startsWith("epoch,step,train_elbo"));
        assertTrue(Files.exists(out.resolve("samples.png")) && Files.exists(out.resolve("reconstructions.png")));

        CliRun e = run("eval", "--checkpoint", out.toString(), "--data", data.toString(), "--is-samples", "3", "--json", "--threads", "1");
        assertEquals(0, e.code(), e.err());
        JsonObject ej = JsonParser.parseString(e.out().strip()).getAsJsonObject();
        // The same averaged weights, the same fixed binarization and the same importance samples: the same estimate.
        assertEquals(s.get("test_log_likelihood_is").getAsDouble(), ej.get("test_log_likelihood_is").getAsDouble(), 1e-9);

        CliRun again = run(tiny("vae", "--param", "wn", "--seed", "4", "--out", out.toString()));
        assertEquals(2, again.code());
        assertTrue(again.err().contains("--resume"), again.err());
        CliRun more = run(tiny("vae", "--param", "wn", "--seed", "4", "--out", out.toString(), "--resume", "--epochs", "2"));
        assertEquals(0, more.code(), more.err());
        assertEquals(3, Files.readAllLines(out.resolve("metrics.csv")).size());
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertEquals(2, run(tiny("vae", "--param", "bn", "--out", tmp.resolve("x").toString())).code());
        assertEquals(2, run(tiny("vae", "--out", tmp.resolve("y").toString(), "--batch", "0")).code());
        CliRun r = run(tiny("vae", "--out", tmp.resolve("z").toString(), "--batch", "100"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("cannot fill one batch"), r.err());
    }

    @Test
    void compareRunsTheGridAndWritesTheReport() throws IOException {
        Path out = tmp.resolve("grid");
        CliRun r = run(tiny("vae", "compare", "--params", "normal,wn", "--seeds", "1", "--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        String html = Files.readString(out.resolve("report").resolve("report.html"));
        assertTrue(html.contains("Samples and reconstructions"));
        assertTrue(Files.exists(out.resolve("normal-s1").resolve("summary.json")));
        CliRun again = run(tiny("vae", "compare", "--params", "normal,wn", "--seeds", "1", "--out", out.toString()));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("finished earlier"), again.err());
    }
}
