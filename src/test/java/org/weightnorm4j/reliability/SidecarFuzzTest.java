package org.weightnorm4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.model.ModelSpec;
import org.weightnorm4j.model.Models;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.train.checkpoint.Checkpoint;
import org.weightnorm4j.train.checkpoint.CheckpointException;
import org.weightnorm4j.train.checkpoint.Sidecar;

/**
 * Seeded fuzzing of a checkpoint's {@code model.json} as {@code eval} and {@code train --resume}
 * read it ({@link Checkpoint#readSidecar}, then {@link ModelSpec#fromJson} of its architecture and
 * {@link Parameterization#parse} of its parameterization), issue 7 item 1. Every case ends in a
 * {@link CheckpointException} or {@link IllegalArgumentException} naming the file, or in the
 * original sidecar, or (where the damage left another legal value: a flipped digit, a removed
 * optional field) in a legal one; those are counted, since JSON has no checksum. The tensors'
 * names and shapes are checked against the rebuilt model on load, which catches most of them.
 */
class SidecarFuzzTest {
    /** Cases per base sidecar; with three bases, 3 x 200 = 600 mutated files. */
    static final int CASES_PER_SIDECAR = 200;

    private static final Set<String> OPTIONAL = Set.of("format", "version", "name", "param", "stride", "padding", "slope",
            "alpha", "averaged_parameters");
    private static final Set<String> REAL_VALUED = Set.of("slope", "alpha", "p", "sigma");

    @TempDir
    Path tmp;

    private static List<Sidecar> bases() {
        ModelSpec small = ModelSpec.builder(3, 8, 8).name("small").conv(4, 3, 1, 1).leakyRelu(0.1).maxPool().dropout(0.5)
                .flatten().dense(10).build();
        return List.of(
                new Sidecar(Checkpoint.FORMAT_VERSION, Models.preset("mlp").toJson(), "wn", "fashion-mnist", "none", 10, 4680, 1,
                        false),
                new Sidecar(Checkpoint.FORMAT_VERSION, Models.preset("cnn").toJson(), "wn-mobn", "mnist", "none", 3, 1800, -7,
                        false),
                new Sidecar(Checkpoint.FORMAT_VERSION, small.toJson(), "bn", "cifar10", "zca", 0, 250, 42, true));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyMutatedSidecarIsRejectedClearlyOrReadAsALegalOne() throws IOException {
        SplittableRandom rng = new SplittableRandom(2016_0225);
        Path dir = Files.createDirectories(tmp.resolve("ckpt"));
        Path file = dir.resolve(Checkpoint.SIDECAR_FILE);
        int cases = 0, rejected = 0, acceptedSame = 0, acceptedDifferent = 0;
        for (Sidecar base : bases()) {
            ModelSpec baseSpec = ModelSpec.fromJson(base.architecture(), "base");
            JsonMutator mutator = new JsonMutator(base.toJson());
            for (int c = 0; c < CASES_PER_SIDECAR; c++, cases++) {
                JsonMutator.Mutant m = mutator.next(rng);
                Files.write(file, m.bytes());
                String what = "case " + cases + " (" + base.parameterization() + ", " + m.describe() + ")";
                Sidecar got;
                ModelSpec spec;
                try {
                    got = Checkpoint.readSidecar(dir);
                    spec = ModelSpec.fromJson(got.architecture(), file.toString());
                    Parameterization.parse(got.parameterization());
                } catch (CheckpointException | IllegalArgumentException e) {
                    rejected++;
                    ModelSpecFuzzTest.checkMessage(e, file, m, what);
                    continue;
                } catch (RuntimeException | Error e) {
                    throw new AssertionError(what + ": expected a CheckpointException or IllegalArgumentException, got " + e, e);
                }
                assertTrue(ModelSpecFuzzTest.weights(spec) <= ModelSpec.MAX_PARAMETERS, what);
                if (spec.equals(baseSpec) && got.equals(new Sidecar(base.formatVersion(), got.architecture(),
                        base.parameterization(), base.dataset(), base.preprocessing(), base.epoch(), base.step(), base.seed(),
                        base.averaged()))) {
                    acceptedSame++;
                    continue;
                }
                acceptedDifferent++;
                switch (m.kind()) {
                    case TRUNCATE -> fail(what + ": a truncated sidecar was read as a different one: " + got);
                    case MISSING_FIELD -> assertTrue(OPTIONAL.contains(m.field()),
                            what + ": required field removed, yet read as " + got + " / " + spec);
                    case TYPE_CONFUSION -> assertTrue(m.field().equals("param") && m.replacement().isJsonNull()
                                    || REAL_VALUED.contains(m.field()) && m.replacement().isJsonPrimitive()
                                    && m.replacement().getAsJsonPrimitive().isNumber(),
                            what + ": a value of the wrong type was read as " + got + " / " + spec);
                    default -> {
                        // FLIP_BITS, OVERSIZED: another legal value; the size limits are checked above.
                    }
                }
            }
        }
        System.out.printf("sidecar fuzz: %d files, %d rejected, %d read unchanged, %d read as another legal sidecar%n",
                cases, rejected, acceptedSame, acceptedDifferent);
        assertEquals(bases().size() * CASES_PER_SIDECAR, cases);
        assertTrue(rejected > cases / 2, "most mutations must be rejected: " + rejected + " of " + cases);
    }

    @Test
    void theBaseSidecarsReadBack() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("ok"));
        for (Sidecar base : bases()) {
            Files.writeString(dir.resolve(Checkpoint.SIDECAR_FILE), base.toJson().toString());
            assertEquals(base, Checkpoint.readSidecar(dir));
        }
    }
}
