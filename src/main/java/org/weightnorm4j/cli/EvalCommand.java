package org.weightnorm4j.cli;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.weightnorm4j.data.Dataset;
import org.weightnorm4j.data.DatasetSplits;
import org.weightnorm4j.generative.ImportanceSampling;
import org.weightnorm4j.model.ModelSpec;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.train.Evaluation;
import org.weightnorm4j.train.Inputs;
import org.weightnorm4j.train.checkpoint.Checkpoint;
import org.weightnorm4j.train.checkpoint.Sidecar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weightnorm eval --checkpoint DIR}: rebuilds the model from {@code model.json}, loads
 * {@code model.safetensors}, prepares the dataset as training did, and prints loss and accuracy.
 */
@Command(name = "eval",
        mixinStandardHelpOptions = true,
        description = {"Evaluate a checkpoint written by 'weightnorm train' on its dataset's test (or train) split;"
                + " for one written by 'weightnorm vae', the test ELBO and the importance-sampled log p(x) in nats per image.",
                "model.json and model.safetensors are verified against checksums.sha256 and each tensor's CRC32C first:"
                        + " a damaged file is an error naming it, never other numbers (docs/CHECKPOINTS.md).",
                "Exit codes: 0 done, 1 failure (message on stderr), 2 bad usage."})
public final class EvalCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "DIR",
            description = "A directory holding model.safetensors and model.json.")
    Path checkpoint;

    @Option(names = "--data", paramLabel = "DIR", description = "Directory holding the dataset files (as for train).")
    Path data;

    @Option(names = "--split", paramLabel = "test|train", defaultValue = "test", description = "Which split. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "500", description = "Evaluation batch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @CommandLine.Mixin
    ThreadsOption threads;

    @Option(names = "--json", description = "Print one JSON object instead of a sentence.")
    boolean json;

    @Option(names = "--is-samples", paramLabel = "K", defaultValue = "" + ImportanceSampling.DEFAULT_SAMPLES,
            description = "VAE checkpoints: K of the importance-sampled log p(x) (default: ${DEFAULT-VALUE}; 0 skips it).")
    int isSamples;

    @Option(names = "--is-limit", paramLabel = "N", defaultValue = "0",
            description = "VAE checkpoints: test images the importance-sampled estimate covers (default: all the run used).")
    int isLimit;

    @Override
    public Integer call() throws Exception {
        if (!split.equals("test") && !split.equals("train")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--split must be test or train, got '" + split + "'");
        }
        if (batch < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--batch must be at least 1, got " + batch);
        }
        threads.apply(spec);
        Sidecar sidecar = Checkpoint.readSidecar(checkpoint);
        if (VaeEval.isVae(sidecar)) {
            if (isSamples < 0 || isLimit < 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--is-samples and --is-limit must be >= 0");
            }
            return VaeEval.run(spec.commandLine(), checkpoint, sidecar, data, split, isSamples, isLimit, json);
        }
        ModelSpec modelSpec = ModelSpec.fromJson(sidecar.architecture(), checkpoint.resolve(Checkpoint.SIDECAR_FILE).toString());
        Sequential model = modelSpec.build(Parameterization.parse(sidecar.parameterization()), sidecar.seed(), DType.FLOAT32);
        Checkpoint.loadModel(checkpoint, model);
        DatasetSplits splits = Inputs.load(sidecar.dataset(), data, sidecar.preprocessing(), 0, 0);
        Dataset d = split.equals("test") ? splits.test() : splits.train();
        Evaluation e = Evaluation.of(model, d, batch);
        if (json) {
            JsonObject o = new JsonObject();
            o.addProperty("checkpoint", checkpoint.toString());
            o.addProperty("dataset", d.name());
            o.addProperty("examples", e.examples());
            o.addProperty("loss", e.loss());
            o.addProperty("accuracy", e.accuracy());
            o.addProperty("epoch", sidecar.epoch());
            o.addProperty("step", sidecar.step());
            spec.commandLine().getOut().println(o);
        } else {
            spec.commandLine().getOut().println(String.format(Locale.ROOT,
                    "%s: accuracy %.4f, loss %.4f on %d images (checkpoint %s, epoch %d, step %d, %s%s)",
                    d.name(), e.accuracy(), e.loss(), e.examples(), checkpoint, sidecar.epoch(), sidecar.step(),
                    sidecar.parameterization(), sidecar.averaged() ? ", averaged parameters" : ""));
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
