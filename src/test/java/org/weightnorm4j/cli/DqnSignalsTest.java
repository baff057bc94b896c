package org.weightnorm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.weightnorm4j.testing.CliRun;
import org.weightnorm4j.train.checkpoint.RunLock;

/**
 * Issue 18 (and 16) on a real {@code weightnorm dqn} process: SIGINT or SIGTERM at a random frame
 * writes a checkpoint at the frame reached, prints the {@code --resume} command and exits 130 /
 * 143; the resumed run ends byte-identical (CSVs and checkpoint) to a run never interrupted.
 */
class DqnSignalsTest {
    private static final long FRAMES = 1_200;

    @TempDir
    static Path straight;
    @TempDir
    Path tmp;

    private static List<String> args(Path out) {
        return new ArrayList<>(List.of("dqn", "--game", "breakout", "--param", "wn", "--frames", Long.toString(FRAMES), "--seed", "4",
                "--out", out.toString(), "--learning-starts", "200", "--replay", "1000", "--batch", "4", "--window", "200",
                "--checkpoint-every", "500", "--threads", "1", "--progress-seconds", "0"));
    }

    @BeforeAll
    static void uninterrupted() {
        CliRun r = CliRun.run(args(straight).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
    }

    @ParameterizedTest
    @CsvSource({"INT, 2, 130, 21", "TERM, 15, 143, 22"})
    void aSignalMidRunCheckpointsThereAndTheResumedRunEndsByteIdentical(String signal, int number, int exitCode, long seed)
            throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc and kill(1)");
        Path out = tmp.resolve("run");
        // A progress line every 100 frames: the signal lands after one of lines 2-9, at whatever frame the child is on.
        int signalAfterLines = 2 + new SplittableRandom(seed).nextInt(8);
        Process child = TrainSignalsTest.startWeightnorm(args(out));
        StringBuilder output = new StringBuilder();
        int lines = 0;
        boolean sent = false;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                output.append(line).append('\n');
                if (!sent && line.startsWith("dqn: frame ") && ++lines == signalAfterLines) {
                    Assumptions.assumeFalse(TrainSignalsTest.ignores(child.pid(), number),
                            "the child was started with SIG" + signal + " ignored");
                    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).start();
                    assertEquals(0, kill.waitFor());
                    sent = true;
                }
            }
        }
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child did not end");
        assertTrue(sent, "the child finished before the signal: " + output);
        assertEquals(exitCode, child.exitValue(), output.toString());
        long frame = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject().get("frames").getAsLong();
        assertTrue(frame > 0 && frame < FRAMES, "checkpointed at frame " + frame);
        assertTrue(output.toString().contains("at frame " + frame + "; checkpoint written") && output.toString().contains("--resume"),
                output.toString());
        assertEquals("", Files.readString(out.resolve(RunLock.FILE)), "a clean exit releases the lock file");

        List<String> resume = args(out);
        resume.add("--resume");
        CliRun resumed = CliRun.run(resume.toArray(String[]::new));
        assertEquals(0, resumed.code(), resumed.err());
        for (String f : List.of("metrics.csv", "training.csv", "dqn-checkpoint.bin")) {
            assertEquals(-1, Files.mismatch(straight.resolve(f), out.resolve(f)), f + " after SIG" + signal + " at frame " + frame);
        }
    }
}
