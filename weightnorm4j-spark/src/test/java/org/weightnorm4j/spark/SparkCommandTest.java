package org.weightnorm4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.cli.Main;
import org.weightnorm4j.data.DatasetLocator;
import org.weightnorm4j.data.KnownDataset;
import picocli.CommandLine;

/** The CLI with the module on the class path: {@code --spark} finds it, and the launcher starts the JVM as the tests do. */
class SparkCommandTest {
    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    private static String[] run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void compareWithSparkWritesTheRunsAndReportOfCompareWithout(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(FASHION.resolve("t10k-labels-idx1-ubyte.gz")),
                "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        List<String> common = List.of("compare", "--model", "mlp", "--data", FASHION.toString(), "--train-limit", "256",
                "--test-limit", "128", "--epochs", "1", "--params", "normal,wn", "--quiet", "--threads", "1");
        List<String> plain = new ArrayList<>(common);
        plain.addAll(List.of("--out", tmp.resolve("plain").toString()));
        String[] a = run(plain.toArray(String[]::new));
        assertEquals("0", a[0], a[2]);
        List<String> spark = new ArrayList<>(common);
        spark.addAll(List.of("--out", tmp.resolve("spark").toString(), "--spark", "local[2]"));
        String[] b = run(spark.toArray(String[]::new));
        assertEquals("0", b[0], b[2]);
        assertTrue(b[1].contains("spark: 2 runs on local[2], 1 compute thread(s) per run"), b[1]);
        for (String p : List.of("normal", "wn")) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("plain").resolve(p).resolve("metrics.csv")),
                    Files.readAllBytes(tmp.resolve("spark").resolve(p).resolve("metrics.csv")), p);
        }
        assertTrue(Files.exists(tmp.resolve("spark/report.html")));
        // The driver reads the runs back (its log says so), and its report calls them runs of this invocation, as without Spark.
        assertTrue(b[1].contains("already ended in an earlier run"), b[1]);
        assertTrue(!Files.readString(tmp.resolve("spark/report.html")).contains("(earlier run)"), "report");
        // A rerun sends nothing to Spark, and now the runs are earlier ones.
        String[] c = run(spark.toArray(String[]::new));
        assertEquals("0", c[0], c[2]);
        assertTrue(c[1].contains("spark: 0 runs on local[2], 1 compute thread(s) per run (2 ended earlier, skipped)"), c[1]);
        assertTrue(Files.readString(tmp.resolve("spark/report.html")).contains("(earlier run)"), "report of the rerun");
    }

    @Test
    void dqnCompareWithSparkWritesTheRunsAndReportOfDqnCompareWithout(@TempDir Path tmp) throws Exception {
        List<String> common = List.of("dqn", "compare", "--games", "breakout", "--params", "normal,wn", "--seeds", "1",
                "--frames", "300", "--learning-starts", "100", "--replay", "500", "--batch", "4", "--window", "100",
                "--checkpoint-every", "200", "--threads", "1", "--progress-seconds", "1000");
        String[] a = run(with(common, "--out", tmp.resolve("plain").toString()));
        assertEquals("0", a[0], a[2]);
        String[] b = run(with(common, "--out", tmp.resolve("spark").toString(), "--spark", "local[2]"));
        assertEquals("0", b[0], b[2]);
        assertTrue(b[1].contains("spark: 2 runs on local[2], 1 compute thread(s) per run"), b[1]);
        for (String d : List.of("breakout-normal-s1", "breakout-wn-s1")) {
            for (String f : List.of("metrics.csv", "training.csv", "dqn-checkpoint.bin")) {
                assertArrayEquals(Files.readAllBytes(tmp.resolve("plain").resolve(d).resolve(f)),
                        Files.readAllBytes(tmp.resolve("spark").resolve(d).resolve(f)), d + "/" + f);
            }
        }
        assertTrue(b[1].contains("breakout-wn-s1 skipped finished") && Files.exists(tmp.resolve("spark/report.html")), b[1]);
    }

    /** {@code vae compare} and {@code draw compare} on a few real MNIST digits, tiny models: the same cells and report. */
    @Test
    void vaeAndDrawCompareWithSparkWriteTheCellsAndReportOfTheirCompareWithout(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(DatasetLocator.standard(null).probe(KnownDataset.MNIST).stream()
                .anyMatch(DatasetLocator.Probe::found), "MNIST not fetched (weightnorm data fetch mnist)");
        List<String> limits = List.of("--params", "normal,wn", "--seeds", "1", "--epochs", "1", "--batch", "50",
                "--train-limit", "100", "--test-limit", "20", "--threads", "1", "--progress-seconds", "1000");
        List<String> vae = with(List.of("vae", "compare", "--channels", "2,3", "--hidden", "8", "--latent", "2",
                "--init-batch", "50", "--is-samples", "2"), limits.toArray(String[]::new));
        List<String> draw = with(List.of("draw", "compare", "--glimpses", "2", "--hidden", "8", "--latent", "3"),
                limits.toArray(String[]::new));
        for (List<String> grid : List.of(vae, draw)) {
            Path plain = tmp.resolve(grid.get(0) + "-plain"), spark = tmp.resolve(grid.get(0) + "-spark");
            String[] a = run(with(grid, "--out", plain.toString()));
            assertEquals("0", a[0], a[2]);
            String[] b = run(with(grid, "--out", spark.toString(), "--spark", "local[2]"));
            assertEquals("0", b[0], b[2]);
            assertTrue(b[2].contains("spark: 2 runs on local[2], 1 compute thread(s) per run"), b[2]);
            for (String cell : List.of("normal-s1", "wn-s1")) {
                for (String f : List.of("metrics.csv", "model.safetensors", "optimizer.safetensors")) {
                    assertArrayEquals(Files.readAllBytes(plain.resolve(cell).resolve(f)),
                            Files.readAllBytes(spark.resolve(cell).resolve(f)), grid.get(0) + " " + cell + "/" + f);
                }
            }
            String report = Files.readString(spark.resolve("report/report.html"));
            assertTrue(!report.contains("(earlier run)"), grid.get(0) + ": the cells Spark ran are not earlier runs");
        }
    }

    private static String[] run(List<String> args) {
        return run(args.toArray(String[]::new));
    }

    private static List<String> with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all;
    }

    /** {@code ./weightnorm-spark} must start the JVM with the flags the tests run under (the POM's). */
    @Test
    void theLauncherUsesThePomsJvmFlags() throws Exception {
        String pomFlags = System.getProperty("weightnorm4j.spark.jvmFlags");
        Assumptions.assumeTrue(pomFlags != null, "run under Maven");
        Path launcher = Path.of("..", "weightnorm-spark");
        String line = Files.readAllLines(launcher, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("flags=("))
                .findFirst().orElseThrow();
        String launcherFlags = line.substring("flags=(".length(), line.length() - 1);
        assertEquals(pomFlags.trim(), launcherFlags, "weightnorm-spark's flags differ from <spark.jvm.flags> in the POM");
    }
}
