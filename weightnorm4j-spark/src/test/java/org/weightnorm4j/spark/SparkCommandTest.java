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
        // The console table is the same but for the "(earlier run)" the driver's read-back implies and throughput.
        assertTrue(b[1].contains("already ended in an earlier run"), b[1]);
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
