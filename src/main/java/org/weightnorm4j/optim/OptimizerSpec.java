package org.weightnorm4j.optim;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.weightnorm4j.nn.Param;

/**
 * Which optimizer to train with and its hyper-parameters, as a value: it builds the optimizer,
 * prints itself, and is written to (and read from) {@code trainer.json} by
 * {@link org.weightnorm4j.train.TrainConfig}. The optimizer's name is a string only at the
 * command line and in files ({@link #NAMES}, {@link #parse}). Serializable, so that a run's
 * description can travel to another machine (the Spark module's grids).
 */
public sealed interface OptimizerSpec extends java.io.Serializable {

    /** The names accepted by {@code --optimizer} and stored in {@code trainer.json}. */
    List<String> NAMES = List.of("adam", "sgd");

    /** Adam's β2 and ε: fixed at the paper's (and PyTorch's) values, not options. */
    double ADAM_BETA2 = 0.999;
    double ADAM_EPS = 1e-8;

    /** The base learning rate. */
    double lr();

    /** L2 weight decay, added to the gradient. */
    double weightDecay();

    /** The same optimizer at another base learning rate. */
    OptimizerSpec withLr(double lr);

    /** The name {@code --optimizer} takes: {@code adam} or {@code sgd}. */
    String name();

    /** A new optimizer over {@code params}, at {@link #lr()}. */
    Optimizer build(Map<String, Param> params);

    /** Adam (Kingma &amp; Ba); {@code beta1} is the value at the start (the trainer may switch it, see TrainConfig). */
    record Adam(double lr, double beta1, double beta2, double eps, double weightDecay) implements OptimizerSpec {
        public Adam {
            requireRate(lr);
            requireDecay(weightDecay);
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0)) {
                throw new IllegalArgumentException("Adam: beta1 and beta2 must be in [0, 1) and eps > 0, got beta1 " + beta1
                        + ", beta2 " + beta2 + ", eps " + eps);
            }
        }

        /** Adam with β1 0.9, β2 0.999, ε 1e-8 and no weight decay. */
        public static Adam of(double lr) {
            return new Adam(lr, 0.9, ADAM_BETA2, ADAM_EPS, 0);
        }

        @Override
        public Adam withLr(double newLr) {
            return new Adam(newLr, beta1, beta2, eps, weightDecay);
        }

        @Override
        public String name() {
            return "adam";
        }

        @Override
        public Optimizer build(Map<String, Param> params) {
            return new org.weightnorm4j.optim.Adam(params, lr, beta1, beta2, eps, weightDecay);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "Adam(lr %s, beta1 %s, beta2 %s, eps %s, weight decay %s)", lr, beta1, beta2, eps,
                    weightDecay);
        }
    }

    /** SGD with (Nesterov) momentum; momentum 0 is plain SGD. */
    record Sgd(double lr, double momentum, boolean nesterov, double weightDecay) implements OptimizerSpec {
        public Sgd {
            requireRate(lr);
            requireDecay(weightDecay);
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("--momentum must be in [0, 1), got " + momentum);
            }
        }

        @Override
        public Sgd withLr(double newLr) {
            return new Sgd(newLr, momentum, nesterov, weightDecay);
        }

        @Override
        public String name() {
            return "sgd";
        }

        @Override
        public Optimizer build(Map<String, Param> params) {
            return new org.weightnorm4j.optim.Sgd(params, lr, momentum, nesterov, weightDecay);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "SGD(lr %s, momentum %s%s, weight decay %s)", lr, momentum,
                    nesterov ? ", Nesterov" : "", weightDecay);
        }
    }

    /**
     * The command-line and file form: {@code name} is {@code adam} or {@code sgd} (any case); Adam
     * takes {@code beta1} and ignores the momentum, SGD the reverse.
     */
    static OptimizerSpec parse(String name, double lr, double beta1, double momentum, boolean nesterov, double weightDecay) {
        return switch (checkName(name)) {
            case "adam" -> new Adam(lr, beta1, ADAM_BETA2, ADAM_EPS, weightDecay);
            default -> new Sgd(lr, momentum, nesterov, weightDecay);
        };
    }

    /** {@code name} in lower case when it names an optimizer; else an error listing the valid names. */
    static String checkName(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (!NAMES.contains(n)) {
            throw new IllegalArgumentException("unknown optimizer '" + name + "'; valid: " + String.join(", ", NAMES));
        }
        return n;
    }

    private static void requireRate(double lr) {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("learning rate (--lr) must be a finite number > 0, got " + lr);
        }
    }

    private static void requireDecay(double weightDecay) {
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay (--weight-decay) must be a finite number >= 0, got " + weightDecay);
        }
    }
}
