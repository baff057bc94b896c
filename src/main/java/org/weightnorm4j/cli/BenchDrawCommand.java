package org.weightnorm4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.weightnorm4j.generative.Draw;
import org.weightnorm4j.generative.DrawConfig;
import org.weightnorm4j.generative.DrawRun;
import org.weightnorm4j.nn.ModelTree;
import org.weightnorm4j.optim.Adam;
import org.weightnorm4j.optim.GradientClipping;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.KernelProvider;
import org.weightnorm4j.tensor.Parallel;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.train.TrainStep;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench draw}: the peer's {@code draw-train} workload ({@code shared/bench/torch_lstm_peer.py
 * --workload draw}): one DRAW training step with the paper's configuration (read 2×2, write 5×5,
 * LSTMs of 256, latent 100, {@code --glimpses} 64), batch 100, on Bernoulli(0.5) images. The timed
 * span is the peer's: forward (noise ε drawn inside it, as the peer's {@code randn_like}), backward,
 * gradient clipping at 10, Adam's step ({@link DrawRun#trainStep}: the library's one training
 * step); the minibatches are drawn before the clock.
 */
@Command(name = "draw", mixinStandardHelpOptions = true,
        description = "DRAW training step; prints {\"bench\":\"draw-train\",\"param\":..,\"images_per_s_median\":..,"
                + "\"images_per_s_best\":..} per parameterization.")
final class BenchDrawCommand implements Runnable {
    @CommandLine.Mixin
    BenchCommand.Common common = new BenchCommand.Common();

    @Option(names = "--param", description = "normal, wn or all (default: ${DEFAULT-VALUE}).", defaultValue = "all")
    String param;

    @Option(names = "--batch", defaultValue = "100", description = "Batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--glimpses", defaultValue = "64", description = "Glimpses T (default: ${DEFAULT-VALUE}).")
    int glimpses;

    @Option(names = "--hidden", defaultValue = "256", description = "LSTM units (default: ${DEFAULT-VALUE}).")
    int hidden;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        run(spec.commandLine(), spec.commandLine().getOut());
    }

    void run(CommandLine cl, PrintWriter out) {
        common.apply(cl);
        if (batch < 1 || glimpses < 1 || hidden < 1) {
            throw new CommandLine.ParameterException(cl, "--batch, --glimpses and --hidden must be positive");
        }
        List<String> params = switch (param) {
            case "all" -> List.of("normal", "wn");
            case "normal", "wn" -> List.of(param);
            default -> throw new CommandLine.ParameterException(cl, "--param must be normal, wn or all but got " + param);
        };
        for (String p : params) {
            BenchCommand.print(out, measure(p));
        }
    }

    private Map<String, Object> measure(String p) {
        DrawConfig cfg = new DrawConfig(28, 28, glimpses, hidden, 100, 2, 5);
        SplittableRandom rnd = new SplittableRandom(1);
        Draw model = Draw.create(cfg, "wn".equals(p), 0.01, DType.FLOAT32, rnd);
        TrainStep<Void> step = DrawRun.trainStep(model, GradientClipping.clipped(new Adam(ModelTree.namedParams(model), 3e-4), 10));
        List<Tensor> batches = new ArrayList<>();                        // drawn before the clock, as the peer's
        for (int b = 0; b < 8; b++) {
            Tensor x = Tensor.zeros(batch, cfg.pixels());
            for (int i = 0; i < x.size(); i++) {
                x.set(i, rnd.nextBoolean() ? 1 : 0);
            }
            batches.add(x);
        }
        int[] call = {0};
        double[] last = {Double.NaN};
        // per glimpse: two LSTM GEMMs forward and two backward passes of 2·N·4H·(in + H) flops
        double flops = 3 * 2.0 * glimpses * batch * 4 * hidden * (cfg.readSize() + 2 * hidden + cfg.latent());
        BenchCommand.Timing t = common.time(flops, () -> {
            last[0] = step.run(batches.get(call[0] % batches.size()), null, call[0] + 1, 1, null);
            call[0]++;
        });
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("bench", "draw-train");
        line.put("param", p);
        line.put("batch", batch);
        line.put("glimpses", glimpses);
        line.put("read", "2x2");
        line.put("write", "5x5");
        line.put("threads", Parallel.threads());
        line.put("kernel", KernelProvider.float32().name());
        line.put("params", ModelTree.parameterCount(model));
        line.put("steps_timed", t.seconds().length);
        line.put("images_per_s_median", BenchCommand.round(batch / t.median()));
        line.put("images_per_s_best", BenchCommand.round(batch / t.best()));
        line.put("loss_last", BenchCommand.round(last[0]));
        line.put("alloc_bytes_per_call", t.allocatedBytesPerCall());
        return line;
    }
}
