package org.weightnorm4j.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.weightnorm4j.nn.Lstm;
import org.weightnorm4j.nn.LstmBenchmarkStep;
import org.weightnorm4j.norm.WeightNorm;
import org.weightnorm4j.tensor.KernelProvider;
import org.weightnorm4j.tensor.Parallel;
import org.weightnorm4j.tensor.Tensor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench lstm}: the peer's {@code lstm-fwd-bwd} workload ({@code shared/bench/torch_lstm_peer.py
 * --workload lstm}): an LSTM (input 264, 256 units) over 64 steps, batch 100, a random N(0, 1)
 * input; one timed step = zero the gradients, forward over the sequence, loss = sum of all outputs
 * (so ∂L/∂y = 1), backward (into the input only with {@code --input-grad}); no optimizer.
 * {@code wn}: weight norm (dim 0) on {@code weight_ih_l0} and {@code weight_hh_l0}.
 */
@Command(name = "lstm", mixinStandardHelpOptions = true,
        description = "LSTM forward + backward through time; prints {\"bench\":\"lstm-fwd-bwd\",\"param\":..,"
                + "\"sequences_per_s_median\":..,\"sequences_per_s_best\":..} per parameterization.")
final class BenchLstmCommand implements Runnable {
    @CommandLine.Mixin
    BenchCommand.Common common = new BenchCommand.Common();

    @Option(names = "--param", description = "normal, wn or all (default: ${DEFAULT-VALUE}).", defaultValue = "all")
    String param;

    @Option(names = "--batch", defaultValue = "100", description = "Batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seq", defaultValue = "64", description = "Sequence length (default: ${DEFAULT-VALUE}).")
    int seq;

    @Option(names = "--input", defaultValue = "264", description = "Input size (default: ${DEFAULT-VALUE}).")
    int input;

    @Option(names = "--hidden", defaultValue = "256", description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--input-grad", description = "Also backpropagate into the input.")
    boolean inputGrad;

    @Option(names = "--clock", defaultValue = "wall", description = "wall (default) or cpu: the calling thread's CPU "
            + "time, which other processes on a loaded machine do not inflate; with --threads 1 only. Compare with the peer "
            + "timed the same way (scripts/peer-cpu-clock.py).")
    String clock;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        run(spec.commandLine(), spec.commandLine().getOut());
    }

    void run(CommandLine cl, PrintWriter out) {
        common.apply(cl);
        if (batch < 1 || seq < 1 || input < 1 || hidden < 1) {
            throw new CommandLine.ParameterException(cl, "--batch, --seq, --input and --hidden must be positive");
        }
        common.clock(cl, clock);
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
        SplittableRandom rnd = new SplittableRandom(1);
        Lstm lstm = new Lstm(input, hidden, rnd);
        if (p.equals("wn")) {
            for (String name : Lstm.WEIGHT_NAMES) {
                lstm = WeightNorm.apply(lstm, name, 0);
            }
        }
        Tensor x = Tensor.zeros(seq, batch, input);
        for (int i = 0; i < x.size(); i++) {
            x.set(i, rnd.nextGaussian());
        }
        Tensor dy = Tensor.zeros(seq, batch, hidden);
        dy.fill(1);                                                     // L = Σ out, so ∂L/∂out = 1
        Lstm model = lstm;
        // forward + backward: 3 GEMM-sized passes of 2·T·N·4H·(in + H) flops (sets the repeats)
        double flops = 3 * 2.0 * seq * batch * 4 * hidden * (input + hidden);
        BenchCommand.Timing t = common.time(flops, () -> LstmBenchmarkStep.run(model, x, dy, inputGrad));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("bench", "lstm-fwd-bwd");
        line.put("param", p);
        line.put("seq", seq);
        line.put("batch", batch);
        line.put("input", input);
        line.put("hidden", hidden);
        line.put("input_grad", inputGrad);
        line.put("threads", Parallel.threads());
        line.put("clock", clock);
        line.put("kernel", KernelProvider.float32().name());
        line.put("steps_timed", t.seconds().length);
        line.put("sequences_per_s_median", BenchCommand.round(batch / t.median()));
        line.put("sequences_per_s_best", BenchCommand.round(batch / t.best()));
        line.put("alloc_bytes_per_call", t.allocatedBytesPerCall());
        return line;
    }
}
