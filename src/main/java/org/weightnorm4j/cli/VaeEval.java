package org.weightnorm4j.cli;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.weightnorm4j.experiments.VaeExperiment;
import org.weightnorm4j.generative.ReferenceVae;
import org.weightnorm4j.generative.Vae;
import org.weightnorm4j.generative.VaeEvaluation;
import org.weightnorm4j.generative.VaeRun;
import org.weightnorm4j.generative.VaeSettings;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.train.checkpoint.Checkpoint;
import org.weightnorm4j.train.checkpoint.Sidecar;
import picocli.CommandLine;

/**
 * {@code weightnorm eval} of a {@code weightnorm vae} run directory: rebuilds the model from
 * {@code model.json}, loads the averaged parameters ({@code model.safetensors}), binarizes the test
 * images as the run did and prints the one-sample ELBO and the importance-sampled {@code log p(x)}.
 */
final class VaeEval {
    private VaeEval() {
    }

    static boolean isVae(Sidecar sidecar) {
        return sidecar.architecture().has("model") && "vae".equals(sidecar.architecture().get("model").getAsString());
    }

    static int run(CommandLine cl, Path dir, Sidecar sidecar, Path data, String split, int isSamples, int isLimit, boolean json)
            throws IOException {
        if (!split.equals("test")) {
            throw new CommandLine.ParameterException(cl, "a VAE checkpoint is evaluated on the test split only (its fixed binarization)");
        }
        ReferenceVae.Sizes sizes = VaeSettings.sizesOf(sidecar.architecture());
        int testLimit = Files.exists(dir.resolve(Checkpoint.STATE_FILE)) ? VaeRun.savedSettings(dir).testLimit() : 0;
        Vae vae = ReferenceVae.build(sizes, "wn".equals(sidecar.parameterization()), DType.FLOAT32, sidecar.seed());
        Checkpoint.loadModel(dir, vae);
        Tensor test = VaeRun.binarizeTest(VaeExperiment.Data.mnist(data, 1, testLimit).test(), sidecar.seed());
        VaeEvaluation e = VaeEvaluation.of(vae, test, VaeSettings.EVAL_BATCH, isSamples, isLimit, VaeRun.importanceSeed(sidecar.seed()));
        if (json) {
            JsonObject o = new JsonObject();
            o.addProperty("checkpoint", dir.toString());
            o.addProperty("test_images", e.examples());
            o.addProperty("test_elbo", e.elbo());
            o.addProperty("test_reconstruction", e.reconstruction());
            o.addProperty("test_kl", e.kl());
            if (Double.isFinite(e.logLikelihood())) {
                o.addProperty("test_log_likelihood_is", e.logLikelihood());
            }
            o.addProperty("is_samples", e.isSamples());
            o.addProperty("is_images", e.isExamples());
            o.addProperty("epoch", sidecar.epoch());
            o.addProperty("step", sidecar.step());
            cl.getOut().println(o);
        } else {
            cl.getOut().println(String.format(Locale.ROOT, "VAE (%s) on %d test images: ELBO %.3f nats (reconstruction %.3f, KL %.3f)%s"
                            + " (checkpoint %s, epoch %d, step %d%s)", sidecar.parameterization(), e.examples(), e.elbo(),
                    e.reconstruction(), e.kl(), Double.isFinite(e.logLikelihood()) ? String.format(Locale.ROOT,
                            "; log p(x) ≈ %.3f (importance-sampled, K = %d, %d images)", e.logLikelihood(), e.isSamples(),
                            e.isExamples()) : "", dir, sidecar.epoch(), sidecar.step(),
                    sidecar.averaged() ? ", averaged parameters" : ""));
        }
        cl.getOut().flush();
        return 0;
    }
}
