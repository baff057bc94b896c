package org.weightnorm4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.weightnorm4j.testing.CliRun;
import org.weightnorm4j.train.checkpoint.Checkpoint;
import org.weightnorm4j.train.checkpoint.RunLock;

/**
 * Issue 16, items 4-6, on real {@code weightnorm train} processes (the test's class path, as
 * {@link TrainKillResumeTest} runs them): SIGINT and SIGTERM at a random moment end the run with a
 * checkpoint at the step it was on, the {@code --resume} command and exit code 130 / 143, and
 * resuming ends exactly like a run never interrupted; while a run holds its directory a second
 * writer is refused naming the holder's PID; two JVMs running the same run write the same bytes.
 */
class TrainSignalsTest {
    @TempDir
    static Path data;
    @TempDir
    static Path straight;
    @TempDir
    Path tmp;

    @BeforeAll
    static void prepare() throws IOException {
        TrainKillResumeTest.writeTinyRun(data);
        CliRun r = CliRun.run(args(straight).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
    }

    /** A run of 160 steps; --ema exercises the parameter average's state, written in trainer.json. */
    private static List<String> args(Path out) {
        return new ArrayList<>(List.of("train", "--model", data.resolve("model.json").toString(), "--param", "wn-mobn",
                "--dataset", "fashion-mnist", "--data", data.toString(), "--epochs", "8", "--batch", "16",
                "--seed", "5", "--threads", "1", "--checkpoint-every-steps", "7", "--log-every", "2", "--ema", "0.9",
                "--out", out.toString()));
    }

    private static Process start(Path out) throws IOException {
        return startWeightnorm(args(out));
    }

    /** {@code weightnorm ARGS...} as a child JVM on the test's class path, stderr merged into stdout. */
    static Process startWeightnorm(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                "org.weightnorm4j.cli.Main"));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Whether {@code pid} ignores signal {@code number} (a background job of a non-interactive shell ignores SIGINT). */
    static boolean ignores(long pid, int number) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) >> (number - 1) & 1) == 1;
            }
        }
        return false;
    }

    @ParameterizedTest
    @CsvSource({"INT, 2, 130, 11", "TERM, 15, 143, 12"})
    void aSignalAtARandomMomentCheckpointsThatStepAndResumeMatchesTheUninterruptedRun(String signal, int number,
                                                                                        int exitCode, long seed)
            throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc and kill(1)");
        Path out = tmp.resolve("run");
        int signalAfterLines = 2 + new SplittableRandom(seed).nextInt(34); // 5 progress lines per epoch, 40 in all
        Process child = start(out);
        StringBuilder output = new StringBuilder();
        int lines = 0;
        boolean sent = false;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                output.append(line).append('\n');
                if (!sent && line.startsWith("epoch ") && ++lines == signalAfterLines) {
                    Assumptions.assumeFalse(ignores(child.pid(), number), "the child was started with SIG" + signal + " ignored");
                    // One directory, one writer: while the child holds it, a second run is refused, naming it.
                    CliRun second = CliRun.run(args(out).toArray(String[]::new));
                    assertEquals(1, second.code(), second.out());
                    assertTrue(second.err().contains("in use by another weightnorm process")
                            && second.err().contains("pid=" + child.pid()), second.err());
                    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).start();
                    assertEquals(0, kill.waitFor());
                    sent = true;
                }
            }
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not end");
        assertTrue(sent, "the child finished before the signal: " + output);
        assertEquals(exitCode, child.exitValue(), output.toString());
        assertTrue(output.toString().contains("weightnorm train --resume " + out + " --data " + data + " --threads 1"),
                output.toString());
        long step = Checkpoint.readSidecar(out).step();
        assertTrue(output.toString().contains("after step " + step + " "), "checkpoint at step " + step + ": " + output);
        assertEquals("", Files.readString(out.resolve(RunLock.FILE)), "a clean exit releases the lock file");

        CliRun resumed = CliRun.run("train", "--resume", out.toString(), "--data", data.toString(), "--threads", "1", "--quiet");
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(Files.readString(straight.resolve("metrics.csv")), Files.readString(out.resolve("metrics.csv")),
                "metrics after SIG" + signal + " at progress line " + signalAfterLines);
        for (String f : List.of(Checkpoint.MODEL_FILE, Checkpoint.OPTIMIZER_FILE, Checkpoint.SIDECAR_FILE)) {
            assertArrayEquals(Files.readAllBytes(straight.resolve(f)), Files.readAllBytes(out.resolve(f)), f);
        }
    }

    /** Same run in two JVMs (the order of a Map.of changes from one JVM start to the next): the same bytes. */
    @Test
    void twoJvmsRunningTheSameRunWriteTheSameBytes() throws Exception {
        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        Process pa = start(a), pb = start(b);
        String outA = new String(pa.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String outB = new String(pb.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(pa.waitFor(120, TimeUnit.SECONDS) && pb.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, pa.exitValue(), outA);
        assertEquals(0, pb.exitValue(), outB);
        for (String f : List.of(Checkpoint.MODEL_FILE, Checkpoint.OPTIMIZER_FILE, Checkpoint.SIDECAR_FILE, "metrics.csv")) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }
        // trainer.json: the same apart from its wall-clock fields, which are the only ones that may differ.
        assertEquals(withoutTimings(a), withoutTimings(b));
    }

    private static JsonObject withoutTimings(Path dir) throws IOException {
        JsonObject o = JsonParser.parseString(Files.readString(dir.resolve(Checkpoint.STATE_FILE))).getAsJsonObject();
        o.remove("train_seconds");
        o.remove("elapsed_seconds");
        o.getAsJsonObject("epoch_sums").remove("train_seconds");
        return o;
    }

    /** The second Ctrl-C exits at once (with the first one's code), without waiting for the step. */
    @Test
    void aSecondInterruptExitsAtOnce() {
        StringWriter err = new StringWriter();
        List<Integer> halted = new ArrayList<>();
        List<String> asked = new ArrayList<>();
        Interrupts in = new Interrupts(new PrintWriter(err, true), halted::add);
        in.target(() -> asked.add("checkpoint and stop"));
        in.trigger("INT");
        assertEquals(List.of("checkpoint and stop"), asked);
        assertEquals(List.of(), halted);
        in.trigger("INT");
        assertEquals(List.of(130), halted);
        assertTrue(err.toString().contains("second interrupt"), err.toString());
    }

    @Test
    void aStaleLockFromADeadProcessIsSaidAndTakenOver() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path dir = Files.createDirectories(tmp.resolve("stale"));
        Files.writeString(dir.resolve(RunLock.FILE), "pid=" + gone.pid() + " host=elsewhere\n");
        List<String> notices = new ArrayList<>();
        try (RunLock lock = RunLock.acquire(dir, notices::add)) {
            assertEquals(1, notices.size());
            assertTrue(notices.get(0).contains("pid=" + gone.pid()) && notices.get(0).contains("stale"), notices.get(0));
            assertTrue(Files.readString(lock.file()).startsWith("pid=" + ProcessHandle.current().pid() + " host="));
            CliRun second = CliRun.run(args(dir).toArray(String[]::new));
            assertEquals(1, second.code());
            assertTrue(second.err().contains("in use by another weightnorm process"), second.err());
        }
        assertEquals("", Files.readString(dir.resolve(RunLock.FILE)), "released cleanly");
    }
}
