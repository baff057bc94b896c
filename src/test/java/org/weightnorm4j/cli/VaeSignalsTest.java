package org.weightnorm4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.testing.BandedImages;
import org.weightnorm4j.testing.CliRun;
import org.weightnorm4j.train.checkpoint.Checkpoint;

/**
 * SIGTERM to a real {@code weightnorm vae} process (the test's class path, as {@link TrainSignalsTest}
 * does for {@code train}): it finishes the step, writes a checkpoint, prints the {@code --resume}
 * command and exits 143; resuming ends with the same bytes as a run never interrupted.
 */
class VaeSignalsTest {
    @TempDir
    Path tmp;

    private List<String> args(Path data, Path out) {
        return new ArrayList<>(List.of("vae", "--data", data.toString(), "--channels", "2,3", "--hidden", "8", "--latent", "2",
                "--batch", "10", "--epochs", "3", "--is-samples", "2", "--threads", "1", "--init-batch", "10",
                "--progress-seconds", "0", "--seed", "6", "--out", out.toString()));
    }

    @Test
    void sigtermCheckpointsPrintsTheResumeCommandAndResumesExactly() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc and kill(1)");
        Path data = tmp.resolve("data");
        Files.createDirectories(data);
        BandedImages.writeSplit(data, "train", 40, 1);
        BandedImages.writeSplit(data, "t10k", 10, 2);
        Path straight = tmp.resolve("straight"), out = tmp.resolve("run");
        CliRun s = CliRun.run(args(data, straight).toArray(String[]::new));
        assertEquals(0, s.code(), s.err());

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), "org.weightnorm4j.cli.Main"));
        command.addAll(args(data, out));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        int steps = 0;
        boolean sent = false;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                output.append(line).append('\n');
                if (!sent && line.contains(", step ") && ++steps == 5) {       // epoch 2, mid-way (4 steps per epoch)
                    new ProcessBuilder("kill", "-TERM", Long.toString(child.pid())).start().waitFor();
                    sent = true;
                }
            }
        }
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child did not end");
        assertTrue(sent, "the child finished before the signal: " + output);
        assertEquals(143, child.exitValue(), output.toString());
        assertTrue(output.toString().contains("checkpoint written. Continue with:") && output.toString().contains("--resume"),
                output.toString());
        assertTrue(Checkpoint.readSidecar(out).step() < 12, output.toString());

        List<String> resume = args(data, out);
        resume.add("--resume");
        CliRun resumed = CliRun.run(resume.toArray(String[]::new));
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(Files.readString(straight.resolve("metrics.csv")), Files.readString(out.resolve("metrics.csv")));
        for (String f : List.of(Checkpoint.MODEL_FILE, Checkpoint.OPTIMIZER_FILE)) {
            assertArrayEquals(Files.readAllBytes(straight.resolve(f)), Files.readAllBytes(out.resolve(f)), f);
        }
    }
}
