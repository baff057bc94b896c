package org.weightnorm4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.model.ModelSpec;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.testing.BandedImages;
import org.weightnorm4j.testing.CliRun;
import org.weightnorm4j.train.checkpoint.Checkpoint;
import org.weightnorm4j.train.checkpoint.CheckpointException;
import org.weightnorm4j.train.checkpoint.Checksums;
import org.weightnorm4j.train.checkpoint.SafeTensors;
import org.weightnorm4j.train.checkpoint.Sidecar;

/**
 * Issue 16, item 1: every file of a checkpoint is covered by a checksum, so a flipped bit anywhere
 * (header or data, any file) is an error naming the file from the Java API, {@code --resume} and
 * {@code eval} (for the files eval reads; for the others it must print exactly the undamaged
 * numbers), never a silently different number. Old checkpoints without checksums still load.
 */
class CheckpointIntegrityTest {
    private static final List<String> KINDS = List.of(Checkpoint.MODEL_FILE, Checkpoint.OPTIMIZER_FILE,
            Checkpoint.SIDECAR_FILE, Checkpoint.STATE_FILE, Checksums.MANIFEST);
    /** Flips per file kind checked through the Java API; the first {@link #CLI_FLIPS_PER_KIND} also through the CLI. */
    private static final int FLIPS_PER_KIND = 40;
    /** Each CLI check runs a whole command (about 0.1 s): fewer of them keep the suite fast. */
    private static final int CLI_FLIPS_PER_KIND = 10;
    private static final String MODEL = "{\"input\": [1, 28, 28], \"layers\": [{\"type\": \"flatten\"},"
            + " {\"type\": \"dense\", \"out\": 8}, {\"type\": \"relu\"}, {\"type\": \"dense\", \"out\": 10}]}";

    @TempDir
    static Path data;
    @TempDir
    static Path base;
    @TempDir
    Path tmp;
    private static String baselineEval;

    /** A run stopped mid-way (its checkpoint at step 4 of 12), so that --resume has work to do. */
    @BeforeAll
    static void prepare() throws IOException {
        BandedImages.writeSplit(data, "train", 64, 1);
        BandedImages.writeSplit(data, "t10k", 20, 2);
        Files.writeString(data.resolve("model.json"), MODEL);
        CliRun r = CliRun.run("train", "--model", data.resolve("model.json").toString(), "--param", "wn", "--dataset",
                "fashion-mnist", "--data", data.toString(), "--epochs", "3", "--batch", "16", "--threads", "1",
                "--checkpoint-every-steps", "4", "--stop-after-steps", "6", "--quiet", "--out", base.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(4, Checkpoint.readSidecar(base).step());
        baselineEval = eval(base).out();
    }

    private static CliRun eval(Path dir) {
        return CliRun.run("eval", "--checkpoint", dir.toString(), "--data", data.toString(), "--threads", "1");
    }

    private Path copy(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        for (String f : KINDS) {
            Files.copy(base.resolve(f), dir.resolve(f));
        }
        return dir;
    }

    /** Loads everything a resume loads, through the Java API. */
    private static void loadAll(Path dir) {
        Sidecar s = Checkpoint.readSidecar(dir);
        Sequential model = ModelSpec.fromJson(s.architecture(), "model.json")
                .build(Parameterization.parse(s.parameterization()), s.seed(), DType.FLOAT32);
        Checkpoint.loadModel(dir, model);
        Checkpoint.readTrainingState(dir);
    }

    private static long headerEnd(byte[] b) {
        return 8 + ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void aFlippedBitAnywhereInAnyFileIsDetectedByTheJavaApiResumeAndEval() throws IOException {
        SplittableRandom rng = new SplittableRandom(16);
        int files = 0, flips = 0, byApi = 0, cliFlips = 0, byResume = 0, evalReads = 0, byEval = 0, evalUnchanged = 0;
        for (String kind : KINDS) {
            byte[] original = Files.readAllBytes(base.resolve(kind));
            for (int i = 0; i < FLIPS_PER_KIND; i++) {
                // Safetensors: half the flips in the 8-byte length and JSON header, half in the tensors' data.
                long split = kind.endsWith(".safetensors") ? headerEnd(original) : original.length;
                int pos = (int) (kind.endsWith(".safetensors") && i % 2 == 1
                        ? split + rng.nextLong(original.length - split) : rng.nextLong(split));
                byte[] damaged = original.clone();
                damaged[pos] ^= (byte) (1 << rng.nextInt(8));
                Path dir = copy(kind + "-" + i);
                Files.write(dir.resolve(kind), damaged);
                files++;
                flips++;
                String what = kind + " bit flipped at byte " + pos;
                // What names the damage: the file, or for the manifest the manifest (its line may name the file it covers).
                String names = kind;

                CheckpointException api = assertThrows(CheckpointException.class, () -> loadAll(dir), what);
                assertTrue(api.getMessage().contains(names) && api.getMessage().contains(dir.toString()), what + ": " + api.getMessage());
                byApi++;
                if (i >= CLI_FLIPS_PER_KIND) {
                    continue;
                }
                cliFlips++;

                CliRun resume = CliRun.run("train", "--resume", dir.toString(), "--data", data.toString(), "--quiet");
                assertEquals(1, resume.code(), what + ": " + resume.out() + resume.err());
                assertTrue(resume.err().contains(names) && resume.err().startsWith("error: "), what + ": " + resume.err());
                byResume++;

                // eval reads model.json and model.safetensors (and their manifest lines) only.
                CliRun e = eval(dir);
                boolean reads = kind.startsWith("model.") || kind.equals(Checksums.MANIFEST)
                        && manifestLineOf(original, pos).map(l -> l.endsWith(" model.json") || l.endsWith(" model.safetensors")).orElse(true);
                if (reads) {
                    evalReads++;
                }
                if (e.code() == 1) {
                    assertTrue(e.err().contains(names), what + ": " + e.err());
                    byEval++;
                } else {
                    assertTrue(!reads && e.code() == 0, what + ": eval exited " + e.code() + " " + e.err());
                    assertEquals(baselineEval, e.out().replace(dir.toString(), base.toString()),
                            what + ": eval must print the undamaged numbers or fail");
                    evalUnchanged++;
                }
            }
        }
        System.out.printf("checkpoint fuzz: %d files, %d bits flipped; detected by the Java API %d of %d; of %d also run"
                + " through the CLI, detected by --resume %d, by eval %d (%d of them in what eval reads; %d other flips left"
                + " eval's output unchanged)%n", files, flips, byApi, flips, cliFlips, byResume, byEval, evalReads, evalUnchanged);
        assertEquals(KINDS.size() * FLIPS_PER_KIND, flips);
        assertEquals(flips, byApi);
        assertEquals(KINDS.size() * CLI_FLIPS_PER_KIND, cliFlips);
        assertEquals(cliFlips, byResume);
        assertTrue(byEval >= evalReads, "eval missed a flip in a file it reads");
        assertEquals(cliFlips, byEval + evalUnchanged);
    }

    /** The manifest line holding byte {@code pos}, unless the flip is in a line break (then the whole file breaks). */
    private static java.util.Optional<String> manifestLineOf(byte[] manifest, int pos) {
        String text = new String(manifest, StandardCharsets.US_ASCII);
        if (text.charAt(pos) == '\n') {
            return java.util.Optional.empty();
        }
        int start = text.lastIndexOf('\n', pos - 1) + 1;
        return java.util.Optional.of(text.substring(start, text.indexOf('\n', pos)));
    }

    @Test
    void aDamagedTensorIsNamed() throws IOException {
        Path dir = copy("tensor");
        byte[] b = Files.readAllBytes(dir.resolve(Checkpoint.MODEL_FILE));
        b[b.length - 1] ^= 1; // the last byte belongs to the last tensor written
        List<String> names = List.copyOf(SafeTensors.read(base.resolve(Checkpoint.MODEL_FILE)).tensors().keySet());
        String last = names.get(names.size() - 1); // the header lists the tensors in the order of their data
        Files.write(dir.resolve(Checkpoint.MODEL_FILE), b);
        CliRun e = eval(dir);
        assertEquals(1, e.code());
        assertTrue(e.err().contains("tensor '" + last + "'") && e.err().contains("CRC32C") && e.err().contains("cannot be trusted"),
                e.err());
        assertEquals(1, e.err().lines().count(), "one error line: " + e.err());
    }

    /**
     * A checkpoint as the previous release wrote it (weights without CRC32Cs, no manifest) loads
     * with one notice; the same files with the manifest merely deleted do not.
     */
    @Test
    void oldCheckpointsWithoutChecksumsLoadWithOneNotice() throws IOException {
        Path dir = copy("old");
        for (String f : List.of(Checkpoint.MODEL_FILE, Checkpoint.OPTIMIZER_FILE)) {
            SafeTensors.Contents c = SafeTensors.read(dir.resolve(f));
            Map<String, String> meta = new LinkedHashMap<>(c.metadata());
            meta.keySet().removeIf(k -> k.startsWith(SafeTensors.CRC_PREFIX));
            SafeTensors.write(dir.resolve(f), c.tensors(), meta);
        }
        Path lost = copy("lost-manifest");
        Files.delete(lost.resolve(Checksums.MANIFEST));
        Files.delete(dir.resolve(Checksums.MANIFEST));

        List<String> notices = new ArrayList<>();
        Consumer<String> old = Checksums.setNoticeSink(notices::add);
        try {
            loadAll(dir);
            loadAll(dir);
        } finally {
            Checksums.setNoticeSink(old);
        }
        assertEquals(1, notices.size(), notices.toString());
        assertTrue(notices.get(0).contains(dir.toString()) && notices.get(0).contains("unverified"), notices.get(0));
        assertEquals(baselineEval, eval(dir).out().replace(dir.toString(), base.toString()),
                "an old checkpoint evaluates to the same numbers");

        CheckpointException e = assertThrows(CheckpointException.class, () -> loadAll(lost));
        assertTrue(e.getMessage().contains(Checksums.MANIFEST) && e.getMessage().contains(lost.toString()), e.getMessage());
    }

    /** The weights stay a plain safetensors file: PyTorch loads them with strict=True and gets eval's accuracy. */
    @Test
    void pytorchStillLoadsTheWeights() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
        Process probe = new ProcessBuilder(python.toString(), "-c", "import torch").redirectErrorStream(true).start();
        Assumptions.assumeTrue(probe.waitFor(120, TimeUnit.SECONDS) && probe.exitValue() == 0, "no torch for python3");
        Process p = new ProcessBuilder(python.toString(), Path.of("docs", "load_in_pytorch.py").toString(), base.toString(),
                "--data", data.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "load_in_pytorch.py did not finish");
        assertEquals(0, p.exitValue(), out);
        double javaAccuracy = Double.parseDouble(baselineEval.replaceAll("(?s).*accuracy (\\d\\.\\d{4}).*", "$1"));
        double torchAccuracy = Double.parseDouble(out.replaceAll("(?s).*\"accuracy\": ([0-9.]+).*", "$1"));
        assertEquals(String.format(java.util.Locale.ROOT, "%.4f", javaAccuracy), String.format(java.util.Locale.ROOT, "%.4f", torchAccuracy),
                "PyTorch: " + out + " eval: " + baselineEval);
    }
}
