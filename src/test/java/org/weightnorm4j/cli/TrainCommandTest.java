package org.weightnorm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weightnorm4j.testing.CliRun.run;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
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

/** The train and eval commands end to end on a tiny Fashion-MNIST-shaped dataset written as IDX files. */
class TrainCommandTest {
    @TempDir
    static Path data;
    @TempDir
    Path tmp;

    /** 240 training and 60 test 28x28 images: class k lights up row band k, plus noise. */
    @BeforeAll
    static void writeDataset() throws IOException {
        BandedImages.writeSplit(data, "train", 240, 1);
        BandedImages.writeSplit(data, "t10k", 60, 2);
    }

    private String[] train(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--model", "mlp", "--param", "wn", "--dataset", "fashion-mnist",
                "--data", data.toString(), "--epochs", "2", "--batch", "16", "--seed", "3", "--threads", "1",
                "--out", out.toString()));
        for (int i = 0; i < more.length; i++) {
            int at = a.indexOf(more[i]);
            boolean hasValue = i + 1 < more.length && !more[i + 1].startsWith("--");
            if (at >= 0 && hasValue) {
                a.set(at + 1, more[++i]);
            } else {
                a.add(more[i]);
                if (hasValue) {
                    a.add(more[++i]);
                }
            }
        }
        return a.toArray(String[]::new);
    }

    @Test
    void trainsThenEvaluatesToTheSameAccuracy() throws IOException {
        Path out = tmp.resolve("run");
        CliRun r = run(train(out));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("done: test accuracy"), r.out());
        for (String f : List.of("metrics.csv", "summary.json", "model.safetensors", "model.json", "optimizer.safetensors",
                "trainer.json")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
        double acc = summary.get("test_accuracy").getAsDouble();
        assertTrue(acc > 0.8, "synthetic test accuracy " + acc);
        assertEquals(2 * (240 / 16), summary.get("steps").getAsInt());

        CliRun e = run("eval", "--checkpoint", out.toString(), "--data", data.toString(), "--json");
        assertEquals(0, e.code(), e.err());
        JsonObject eval = JsonParser.parseString(e.out()).getAsJsonObject();
        assertEquals(acc, eval.get("accuracy").getAsDouble());
        assertEquals(60, eval.get("examples").getAsInt());

        CliRun again = run(train(out));
        assertEquals(1, again.code());
        assertTrue(again.err().contains("already holds a checkpoint") && again.err().contains("--resume"), again.err());
        CliRun finished = run("train", "--resume", out.toString(), "--data", data.toString());
        assertEquals(0, finished.code(), finished.err());
        assertTrue(finished.out().contains("nothing to do"), finished.out());
    }

    /** A model file's own "param" wins over a default nobody chose; an explicit --param wins over the file, with a note. */
    @Test
    void aModelFilesParamIsUsedUnlessParamIsGiven() throws IOException {
        Path file = tmp.resolve("small.json");
        Files.writeString(file, "{\"format\": \"weightnorm4j-model\", \"version\": 1, \"name\": \"small\","
                + " \"input\": [1, 28, 28], \"param\": \"wn-mobn\", \"layers\": [{\"type\": \"flatten\"},"
                + " {\"type\": \"dense\", \"out\": 16}, {\"type\": \"relu\"}, {\"type\": \"dense\", \"out\": 10}]}");
        List<String> args = new ArrayList<>(List.of(train(tmp.resolve("own"), "--quiet", "--epochs", "1")));
        int at = args.indexOf("--param");
        args.remove(at);
        args.remove(at);
        args.set(args.indexOf("mlp"), file.toString());
        CliRun own = run(args.toArray(String[]::new));
        assertEquals(0, own.code(), own.err());
        assertTrue(!own.err().contains("note:"), own.err());
        CliRun e = run("eval", "--checkpoint", tmp.resolve("own").toString(), "--data", data.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("wn-mobn"), e.out());
        JsonObject sidecar = JsonParser.parseString(Files.readString(tmp.resolve("own").resolve("model.json"))).getAsJsonObject();
        assertTrue(sidecar.toString().contains("\"wn-mobn\""), sidecar.toString());

        args.set(args.indexOf(tmp.resolve("own").toString()), tmp.resolve("flag").toString());
        args.addAll(List.of("--param", "bn"));
        CliRun flag = run(args.toArray(String[]::new));
        assertEquals(0, flag.code(), flag.err());
        assertTrue(flag.err().contains("note: --param bn overrides") && flag.err().contains("wn-mobn"), flag.err());
        CliRun e2 = run("eval", "--checkpoint", tmp.resolve("flag").toString(), "--data", data.toString());
        assertEquals(0, e2.code(), e2.err());
        assertTrue(e2.out().contains(", bn)") && !e2.out().contains("wn-mobn"), e2.out());
    }

    @Test
    void aRunStoppedMidwayAndResumedEndsExactlyLikeAStraightRun() throws IOException {
        Path straight = tmp.resolve("straight");
        assertEquals(0, run(train(straight, "--quiet", "--checkpoint-every-steps", "10", "--param", "wn-mobn")).code());
        Path broken = tmp.resolve("broken");
        CliRun stopped = run(train(broken, "--quiet", "--checkpoint-every-steps", "10", "--param", "wn-mobn",
                "--stop-after-steps", "24"));
        assertEquals(0, stopped.code(), stopped.err());
        assertTrue(stopped.out().contains("stopped after step 24"), stopped.out());
        CliRun refused = run("train", "--resume", broken.toString(), "--epochs", "3");
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains("--epochs cannot be changed when resuming"), refused.err());
        CliRun resumed = run("train", "--resume", broken.toString(), "--data", data.toString(), "--threads", "1");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("resuming " + broken + " at step 20"), resumed.out());
        assertEquals(Files.readString(straight.resolve("metrics.csv")), Files.readString(broken.resolve("metrics.csv")));
        for (String f : List.of("model.safetensors", "optimizer.safetensors")) {
            assertTrue(java.util.Arrays.equals(Files.readAllBytes(straight.resolve(f)), Files.readAllBytes(broken.resolve(f))), f);
        }
    }

    @Test
    void badUsageExitsWithTwoAndFailuresWithOne() {
        CliRun badParam = run(train(tmp.resolve("x"), "--param", "wm"));
        assertEquals(2, badParam.code());
        assertTrue(badParam.err().contains("unknown parameterization 'wm'"), badParam.err());
        CliRun badModel = run(train(tmp.resolve("x"), "--model", "resnet"));
        assertEquals(2, badModel.code());
        CliRun missing = run("eval", "--checkpoint", tmp.resolve("nope").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().startsWith("error: checkpoint directory") && missing.err().strip().lines().count() == 1,
                missing.err());
        CliRun noData = run("train", "--data", tmp.resolve("empty").toString(), "--out", tmp.resolve("y").toString(),
                "--dataset", "mnist", "--quiet");
        assertEquals(1, noData.code());
        assertEquals(0, run("train", "--help").code());
        assertEquals(0, run("eval", "--help").code());
    }
}
