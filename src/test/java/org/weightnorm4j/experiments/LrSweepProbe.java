package org.weightnorm4j.experiments;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.weightnorm4j.data.Augmentation;
import org.weightnorm4j.data.BatchIterator;
import org.weightnorm4j.nn.Dense;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.nn.LinearLayer;
import org.weightnorm4j.nn.LinearWeights;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.nn.PlainWeights;
import org.weightnorm4j.nn.SoftmaxCrossEntropy;
import org.weightnorm4j.norm.DataDependentInit;
import org.weightnorm4j.norm.LinearUnit;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.norm.WeightNorm;
import org.weightnorm4j.norm.WeightNormWeights;
import org.weightnorm4j.optim.Sgd;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * A diagnostic, not part of the library: one run of {@code weightnorm lr-sweep}'s mlp (the same
 * data, seed, batch order and data-dependent init as the sweep), with separate SGD learning rates
 * for the directions {@code v} (or plain weights), the scales {@code g} and the biases, and a
 * per-step trace of what grows. Used in docs/EXPERIMENTS.md to find why weight normalization did
 * not widen the stable learning-rate range. It lives with the tests so that the build compiles it
 * and it cannot fall behind the library; run it from the repository root after
 * {@code ./mvnw -q -o package -DskipTests} (which compiles the test classes too):
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp target/weightnorm4j-all.jar:target/test-classes \
 *       org.weightnorm4j.experiments.LrSweepProbe param=wn lr=1 [lr-g=X] [lr-b=X] [momentum=0.9] [ddi=1] [last=wn|normal] [trace=N] [dump=DIR]
 * </pre>
 * {@code lr-g}, {@code lr-b} default to {@code lr}; 0 freezes that group. {@code ddi=0} skips the
 * data-dependent init (then {@code g = ||v||}, {@code b = 0}). {@code last=normal} makes the
 * 512→10 layer a plain one. {@code trace=N} prints, for the first N steps, the loss, the RMS of
 * each linear layer's pre-activations, the gradient norms and, after the update, per layer the
 * mean {@code ||v||}, max {@code |g|}, max {@code g/||v||} and max {@code |b|}. {@code dump=DIR}
 * writes the initial parameters (after the init) and the first {@code trace} batches as raw float32
 * for docs/lr-sweep/torch_steps.py.
 */
public final class LrSweepProbe {
    private static final Map<String, String> ARGS = new HashMap<>();

    public static void main(String[] args) throws IOException {
        for (String a : args) {
            String[] kv = a.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("arguments are key=value, got '" + a + "'");
            }
            ARGS.put(kv[0], kv[1]);
        }
        String param = str("param", "wn");
        String last = str("last", param);
        boolean ddi = num("ddi", 1) != 0;
        double lr = num("lr", 1), lrG = num("lr-g", lr), lrB = num("lr-b", lr), momentum = num("momentum", 0.9);
        int trace = (int) num("trace", 0);
        long seed = (long) num("seed", 1);
        int batch = 128;
        Path dump = ARGS.containsKey("dump") ? Path.of(ARGS.get("dump")) : null;

        // As `weightnorm lr-sweep --model mlp --train-limit 10000`: the same data and model build.
        Workload w = Workload.load("mlp", null, null, null, (int) num("train-limit", 10000), 0);
        List<Layer> layers = new ArrayList<>(w.model().build(Parameterization.parse(param), seed, DType.FLOAT32).layers());
        if (!last.equals(param)) {
            int k = layers.size() - 1;
            Dense out = (Dense) layers.get(k);
            LinearWeights lw = LinearUnit.weights(Parameterization.parse(last), new int[] {out.out(), out.in()},
                    DType.FLOAT32, new SplittableRandom(seed + 99));
            layers.set(k, out.withWeights(lw));
        }
        Sequential net = new Sequential(layers);
        if (ddi) { // as Trainer.initialise: one batch of the training set, its own shuffle seed
            BatchIterator it = new BatchIterator(w.data().train(), batch, true, seed ^ 0x696e6974L,
                    BatchIterator.LastBatch.DROP, Augmentation.NONE);
            it.startEpoch(0);
            DataDependentInit.apply(net.layers(), it.next().images(), DataDependentInit.Options.paper(seed));
        }
        List<LinearLayer> linear = new ArrayList<>();
        List<Param> dirs = new ArrayList<>(), scales = new ArrayList<>(), biases = new ArrayList<>();
        for (Layer l : net.layers()) {
            if (l instanceof LinearLayer ll) {
                linear.add(ll);
                if (ll.weights() instanceof WeightNormWeights wn) {
                    dirs.add(wn.v());
                    scales.add(wn.g());
                } else if (ll.weights() instanceof PlainWeights pw) {
                    dirs.add(pw.weight());
                }
                if (ll.weights().bias() != null) {
                    biases.add(ll.weights().bias());
                }
            }
        }
        List<Sgd> optimizers = new ArrayList<>(); // one SGD per group: PyTorch's SGD with param groups
        addSgd(optimizers, dirs, lr, momentum);
        addSgd(optimizers, scales, lrG, momentum);
        addSgd(optimizers, biases, lrB, momentum);
        if (dump != null) {
            Files.createDirectories(dump);
            StringBuilder index = new StringBuilder();
            for (var e : net.namedParams().entrySet()) {
                writeF32(dump.resolve(e.getKey() + ".f32"), e.getValue().value());
                index.append(e.getKey()).append(' ')
                        .append(Arrays.toString(e.getValue().value().shape()).replaceAll("[\\[\\] ]", "")).append('\n');
            }
            Files.writeString(dump.resolve("params.txt"), index);
        }
        if (trace > 0) {
            System.out.println("init:  " + state(linear));
        }

        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        BatchIterator batches = new BatchIterator(w.data().train(), batch, true, seed, BatchIterator.LastBatch.DROP,
                Augmentation.NONE);
        batches.startEpoch(0);
        int step = 0;
        double lossSum = 0;
        String failure = null;
        while (batches.hasNext()) {
            BatchIterator.Batch b = batches.next();
            step++;
            if (dump != null && step <= trace) {
                writeF32(dump.resolve("x" + step + ".f32"), b.images());
                Files.writeString(dump.resolve("y" + step + ".txt"),
                        String.join(" ", Arrays.stream(b.labels()).mapToObj(Integer::toString).toList()));
            }
            net.zeroGrad();
            Tensor h = b.images();
            StringBuilder rms = new StringBuilder();
            for (Layer layer : net.layers()) {                 // what Sequential.forward does, watching each layer
                h = layer.forward(h, Mode.TRAIN);
                if (layer instanceof LinearLayer) {
                    rms.append(String.format(Locale.ROOT, " %.3g", Math.sqrt(sumSq(h) / h.size())));
                }
            }
            double loss = ce.forward(h, b.labels());
            if (!Double.isFinite(loss)) {
                failure = "loss " + loss;
                break;
            }
            net.backwardParamsOnly(ce.backward());
            String grads = step <= trace ? gradients(linear) : "";
            optimizers.forEach(Sgd::step);
            lossSum += loss;
            if (step <= trace) {
                System.out.printf(Locale.ROOT, "step %d: loss %.9g, pre-activation RMS per layer%s; gradient norms %s%n"
                        + "  after: %s%n", step, loss, rms, grads, state(linear));
            }
        }
        if (failure != null) {
            System.out.println("RESULT diverged at step " + step + " (" + failure + ")");
        } else {
            Tensor logits = net.forward(w.data().test().images(), Mode.EVAL);
            double testLoss = ce.forward(logits, w.data().test().labels());
            System.out.printf(Locale.ROOT, "RESULT epoch-mean train loss %.4g, test loss %.4g, test accuracy %.3f%n",
                    lossSum / step, testLoss, ce.accuracy());
            System.out.println("final: " + state(linear));
        }
    }

    private static void addSgd(List<Sgd> optimizers, List<Param> group, double lr, double momentum) {
        if (lr > 0 && !group.isEmpty()) {
            Map<String, Param> named = new LinkedHashMap<>();
            for (int i = 0; i < group.size(); i++) {
                named.put(i + "." + group.get(i).name(), group.get(i));
            }
            optimizers.add(new Sgd(named, lr, momentum, false, 0));
        }
    }

    /** Per linear layer: mean ||v||, max |g|, max g/||v|| (the scale s of w = s v), max |b|; or the plain weights' row norms. */
    private static String state(List<LinearLayer> linear) {
        StringBuilder sb = new StringBuilder();
        int k = 0;
        for (LinearLayer l : linear) {
            k++;
            if (l.weights() instanceof WeightNormWeights wn) {
                double[] n = WeightNorm.norms(wn.v().value(), wn.dim(), "probe layer " + k);
                double meanNorm = 0, maxG = 0, maxS = 0;
                for (int u = 0; u < n.length; u++) {
                    double g = Math.abs(wn.g().value().get(u));
                    meanNorm += n[u] / n.length;
                    maxG = Math.max(maxG, g);
                    maxS = Math.max(maxS, g / n[u]);
                }
                sb.append(String.format(Locale.ROOT, "L%d[||v|| %.3g, max|g| %.3g, max g/||v|| %.3g, max|b| %.3g] ",
                        k, meanNorm, maxG, maxS, maxAbs(wn.bias())));
            } else if (l.weights() instanceof PlainWeights pw) {
                double[] n = WeightNorm.norms(pw.weight().value(), WeightNorm.PER_UNIT, "probe layer " + k);
                sb.append(String.format(Locale.ROOT, "L%d[mean ||w_unit|| %.3g, max|b| %.3g] ",
                        k, Arrays.stream(n).average().orElse(0), maxAbs(pw.bias())));
            }
        }
        return sb.toString().trim();
    }

    private static String gradients(List<LinearLayer> linear) {
        StringBuilder sb = new StringBuilder();
        int k = 0;
        for (LinearLayer l : linear) {
            k++;
            Param bias = l.weights().bias();
            String b = bias == null ? "" : String.format(Locale.ROOT, " ∇b %.2g", Math.sqrt(sumSq(bias.grad())));
            if (l.weights() instanceof WeightNormWeights wn) {
                sb.append(String.format(Locale.ROOT, "L%d[∇v %.2g ∇g %.2g%s] ", k, Math.sqrt(sumSq(wn.v().grad())),
                        Math.sqrt(sumSq(wn.g().grad())), b));
            } else if (l.weights() instanceof PlainWeights pw) {
                sb.append(String.format(Locale.ROOT, "L%d[∇w %.2g%s] ", k, Math.sqrt(sumSq(pw.weight().grad())), b));
            }
        }
        return sb.toString().trim();
    }

    private static void writeF32(Path p, Tensor t) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(4 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < t.size(); i++) {
            bb.putFloat((float) t.get(i));
        }
        Files.write(p, bb.array());
    }

    private static double sumSq(Tensor t) {
        double s = 0;
        for (int i = 0; i < t.size(); i++) {
            s += t.get(i) * t.get(i);
        }
        return s;
    }

    private static double maxAbs(Param p) {
        double m = 0;
        if (p != null) {
            for (int i = 0; i < p.value().size(); i++) {
                m = Math.max(m, Math.abs(p.value().get(i)));
            }
        }
        return m;
    }

    private static String str(String key, String dflt) {
        return ARGS.getOrDefault(key, dflt);
    }

    private static double num(String key, double dflt) {
        return ARGS.containsKey(key) ? Double.parseDouble(ARGS.get(key)) : dflt;
    }
}
