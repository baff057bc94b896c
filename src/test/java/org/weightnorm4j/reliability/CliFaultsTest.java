package org.weightnorm4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weightnorm4j.testing.CliRun.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.testing.BandedImages;
import org.weightnorm4j.testing.CliRun;
import org.weightnorm4j.train.checkpoint.Checkpoint;

/**
 * The faults of issue 7 as a user meets them through {@code weightnorm train}: each ends with
 * exit code 1 and one {@code error:} line saying what happened and what to do, and what was
 * written before stays usable. The data: 160 + 40 Fashion-MNIST-shaped images written as IDX.
 */
class CliFaultsTest {
    @TempDir
    static Path data;
    @TempDir
    Path tmp;

    @BeforeAll
    static void writeDataset() throws IOException {
        BandedImages.writeSplit(data, "train", 160, 1);
        BandedImages.writeSplit(data, "t10k", 40, 2);
    }

    /** A small dense model as a --model file: 784 -> 32 -> 10. */
    private Path smallModel() throws IOException {
        return Files.writeString(tmp.resolve("small.json"), "{\"input\": [1, 28, 28], \"layers\": [{\"type\": \"flatten\"},"
                + " {\"type\": \"dense\", \"out\": 32}, {\"type\": \"relu\"}, {\"type\": \"dense\", \"out\": 10}]}");
    }

    private static String[] train(Path model, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--model", model.toString(), "--dataset", "fashion-mnist", "--data",
                data.toString(), "--batch", "16", "--threads", "1", "--quiet", "--out", out.toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static void assertOneErrorLine(CliRun r, String... fragments) {
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().startsWith("error: ") && r.err().strip().lines().count() == 1, r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "expected '" + f + "' in: " + r.err());
        }
    }

    @Test
    void aDivergingRunStopsNamingTheLayerAndItsLastCheckpointEvaluates() throws IOException {
        Path out = tmp.resolve("diverge");
        // SGD at 0.05 for epoch 1, then 0.05 x 1e30: two layers of weights near 1e28 overflow float32.
        CliRun r = run(train(smallModel(), out, "--param", "normal", "--optimizer", "sgd", "--momentum", "0", "--lr", "0.05",
                "--schedule", "step", "--step-every", "1", "--step-gamma", "1e30", "--epochs", "2"));
        assertOneErrorLine(r, "training diverged", "(epoch 2)", "the last good checkpoint is " + out);
        assertTrue(r.err().matches("(?s).*of layer \\d+ Dense.*"), "names the layer: " + r.err());
        assertEquals(1, Checkpoint.readSidecar(out).epoch());
        CliRun eval = run("eval", "--checkpoint", out.toString(), "--data", data.toString());
        assertEquals(0, eval.code(), eval.err());
    }

    @Test
    void anOutputDirectoryUnderARegularFileIsAClearError() throws IOException {
        Path file = Files.writeString(tmp.resolve("not-a-directory"), "x");
        CliRun r = run(train(smallModel(), file.resolve("run"), "--epochs", "1"));
        assertOneErrorLine(r, file.resolve("run").toString(), "writable --out");
        assertEquals("x", Files.readString(file));
    }

    @Test
    void hostileModelFilesAreClearErrorsWithoutTraining() throws IOException {
        Path huge = Files.writeString(tmp.resolve("huge.json"), "{\"input\": [1, 28, 28], \"layers\": [{\"type\": \"flatten\"},"
                + " {\"type\": \"dense\", \"out\": 4000000}, {\"type\": \"dense\", \"out\": 10}]}");
        CliRun r = run(train(huge, tmp.resolve("huge-run"), "--epochs", "1", "--param", "wn"));
        assertOneErrorLine(r, huge.toString(), "layers[1] (dense)", "MAX_PARAMETERS");
        Path truncated = Files.writeString(tmp.resolve("cut.json"), "{\"input\": [1, 28, 28], \"layers\": [{\"type\": \"fla");
        assertOneErrorLine(run(train(truncated, tmp.resolve("cut-run"), "--epochs", "1")), truncated.toString(), "not valid JSON");
        Path missing = tmp.resolve("absent.json");
        assertOneErrorLine(run(train(missing, tmp.resolve("absent-run"), "--epochs", "1")), missing.toString(), "does not exist");
        assertFalse(Files.exists(tmp.resolve("huge-run").resolve(Checkpoint.SIDECAR_FILE)));
    }
}
