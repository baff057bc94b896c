package org.weightnorm4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.testing.BandedImages;
import picocli.CommandLine;

/**
 * A training process killed with SIGKILL at a random moment (possibly inside a checkpoint write)
 * and resumed ends exactly like a run that was never killed: same metrics.csv, same checkpoint bytes.
 */
class TrainKillResumeTest {
    @TempDir
    static Path data;
    @TempDir
    static Path straight;
    @TempDir
    Path tmp;

    private static final String MODEL = "{\"input\": [1, 28, 28], \"layers\": [{\"type\": \"flatten\"},"
            + " {\"type\": \"dense\", \"out\": 32}, {\"type\": \"relu\"}, {\"type\": \"dropout\", \"p\": 0.2},"
            + " {\"type\": \"dense\", \"out\": 10}]}";

    /** The small run the process tests train: 320 banded training images, 50 test images, a dense model with dropout. */
    static void writeTinyRun(Path data) throws IOException {
        BandedImages.writeSplit(data, "train", 320, 1);
        BandedImages.writeSplit(data, "t10k", 50, 2);
        Files.writeString(data.resolve("model.json"), MODEL);
    }

    @BeforeAll
    static void prepare() throws IOException {
        writeTinyRun(data);
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err, true));
        assertEquals(0, cli.execute(args(straight).toArray(String[]::new)), err.toString());
    }


    private static List<String> args(Path out) {
        return new ArrayList<>(List.of("train", "--model", data.resolve("model.json").toString(), "--param", "wn-mobn",
                "--dataset", "fashion-mnist", "--data", data.toString(), "--epochs", "12", "--batch", "16",
                "--seed", "5", "--threads", "1", "--checkpoint-every-steps", "3", "--log-every", "2",
                "--out", out.toString()));
    }

    @RepeatedTest(2)
    void sigkillAnywhereThenResumeMatchesTheUninterruptedRun(RepetitionInfo info) throws Exception {
        Path out = tmp.resolve("run");
        // Kill after a random number of progress lines (5 per epoch, 60 in all): the kill lands
        // wherever the child is at that moment, often inside a checkpoint write.
        int killAfterLines = 1 + new SplittableRandom(77 + info.getCurrentRepetition()).nextInt(55);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                "org.weightnorm4j.cli.Main"));
        command.addAll(args(out));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        int lines = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("epoch ") && ++lines == killAfterLines) {
                    child.destroyForcibly(); // SIGKILL on POSIX
                    break;
                }
            }
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not end");
        assertEquals(killAfterLines, lines, "the child finished before it could be killed");

        StringWriter err = new StringWriter(), so = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(so, true));
        cli.setErr(new PrintWriter(err, true));
        int code = Files.exists(out.resolve("model.json"))
                ? cli.execute("train", "--resume", out.toString(), "--data", data.toString(), "--quiet")
                : cli.execute(args(out).toArray(String[]::new)); // killed before its first checkpoint
        assertEquals(0, code, "killed after " + lines + " progress lines: " + err);
        try (var files = Files.list(out)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")
                    || p.getFileName().toString().equals("checkpoint.journal")), "leftover temporary files");
        }
        assertEquals(Files.readString(straight.resolve("metrics.csv")), Files.readString(out.resolve("metrics.csv")),
                "metrics after a kill at progress line " + killAfterLines);
        for (String f : List.of("model.safetensors", "optimizer.safetensors")) {
            assertArrayEquals(Files.readAllBytes(straight.resolve(f)), Files.readAllBytes(out.resolve(f)), f);
        }
    }
}
