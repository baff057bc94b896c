package org.weightnorm4j.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.Map;
import org.weightnorm4j.data.Augmentation;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.optim.Optimizer;
import org.weightnorm4j.optim.OptimizerSpec;
import org.weightnorm4j.optim.Schedule;
import org.weightnorm4j.optim.ScheduleSpec;

/**
 * How to train: every hyperparameter of a run in one immutable record, saved in each checkpoint's
 * {@code trainer.json} so that {@code --resume} continues with exactly the same settings.
 *
 * @param epochs               epochs to train
 * @param batchSize            training minibatch size (the last partial batch of an epoch is dropped)
 * @param optimizer            the optimizer and its hyper-parameters (for Adam, β1 at the start)
 * @param schedule             the learning-rate schedule
 * @param beta1Late            Adam's β1 from {@code beta1SwitchEpoch} on (the paper: 0.5 from epoch 100)
 * @param beta1SwitchEpoch     when β1 changes; ≥ epochs means never
 * @param emaDecay             decay of the parameter moving average used for evaluation; 0 = off
 * @param augmentFlip          random horizontal flips of training images
 * @param augmentShift         random translations of training images by up to this many pixels
 * @param initBatch            images for data-dependent initialisation of weight-normalized layers (§3); 0 = none
 * @param logEverySteps        a metrics row every this many steps (plus one per epoch)
 * @param checkpointEveryEpochs a checkpoint every this many epochs (and always at the end); 0 = only at the end
 * @param checkpointEverySteps a checkpoint every this many steps as well; 0 = none
 * @param evalBatch            minibatch size for evaluation
 * @param seed                 seeds the data order, augmentation, dropout/noise streams and initialisation
 */
public record TrainConfig(int epochs, int batchSize, OptimizerSpec optimizer, ScheduleSpec schedule,
                          double beta1Late, double beta1SwitchEpoch, double emaDecay,
                          boolean augmentFlip, int augmentShift, int initBatch,
                          int logEverySteps, int checkpointEveryEpochs, int checkpointEverySteps,
                          int evalBatch, long seed) {

    public TrainConfig {
        requirePositive("epochs (--epochs)", epochs);
        requirePositive("batch size (--batch)", batchSize);
        requirePositive("evaluation batch size", evalBatch);
        requirePositive("log interval (--log-every)", logEverySteps);
        if (optimizer == null || schedule == null) {
            throw new IllegalArgumentException("a training config needs an optimizer and a schedule");
        }
        if (checkpointEveryEpochs < 0 || checkpointEverySteps < 0 || initBatch < 0 || augmentShift < 0) {
            throw new IllegalArgumentException("checkpoint intervals (--checkpoint-every " + checkpointEveryEpochs
                    + ", --checkpoint-every-steps " + checkpointEverySteps + "), --init-batch " + initBatch
                    + " and --shift " + augmentShift + " must be >= 0");
        }
        schedule.validate(epochs);
        if (!(emaDecay >= 0 && emaDecay < 1)) {
            throw new IllegalArgumentException("EMA decay (--ema) must be in [0, 1) (0 = off), got " + emaDecay);
        }
        if (!(beta1Late >= 0 && beta1Late < 1)) {
            throw new IllegalArgumentException("Adam's late beta1 (--beta1-late) must be in [0, 1), got " + beta1Late);
        }
    }

    private static void requirePositive(String what, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(what + " must be > 0, got " + v);
        }
    }

    /**
     * Defaults: Adam 1e-3 (β1 0.9), constant schedule, batch 128, 1 epoch, no averaging or
     * augmentation, init on 500 images, evaluation 100 images at a time (a larger evaluation batch
     * only costs memory: one cnn activation at 1000 images takes 200 MB, and every layer would keep
     * a second set of buffers at that size).
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised with this config's values. */
    public Builder toBuilder() {
        return new Builder().epochs(epochs).batchSize(batchSize).optimizer(optimizer).schedule(schedule)
                .beta1Late(beta1Late, beta1SwitchEpoch).emaDecay(emaDecay).augmentation(augmentFlip, augmentShift)
                .initBatch(initBatch).logEverySteps(logEverySteps).checkpointEvery(checkpointEveryEpochs, checkpointEverySteps)
                .evalBatch(evalBatch).seed(seed);
    }

    /** The base learning rate. */
    public double lr() {
        return optimizer.lr();
    }

    /** The learning rate as a function of the epoch. */
    public Schedule lrSchedule() {
        return schedule.build(optimizer.lr(), epochs);
    }

    /** Adam's β1 as a function of the epoch: its initial β1 until {@link #beta1SwitchEpoch}, then {@link #beta1Late}. */
    public Schedule beta1Schedule() {
        double early = optimizer instanceof OptimizerSpec.Adam a ? a.beta1() : Builder.DEFAULT_BETA1;
        return Schedule.switchAt(early, beta1SwitchEpoch, beta1Late);
    }

    /** A new optimizer over {@code params}, at the schedule's initial learning rate. */
    public Optimizer newOptimizer(Map<String, Param> params) {
        return optimizer.build(params);
    }

    /** The training-time augmentation. */
    public Augmentation augmentation() {
        return new Augmentation(augmentFlip, augmentShift);
    }

    /**
     * The {@code trainer.json} / {@code summary.json} form: the flat object of training-state
     * version 1, field for field and in its order (so checkpoints stay byte-identical and old ones
     * load). Values the chosen optimizer or schedule does not use are written as the builder's
     * defaults; Adam's β2 and ε only when not the defaults (the version-1 form fixed them).
     */
    public JsonObject toJson() {
        Builder b = toBuilder();
        JsonObject o = new JsonObject();
        o.addProperty("epochs", b.epochs);
        o.addProperty("batchSize", b.batchSize);
        o.addProperty("optimizer", b.optimizerName);
        o.addProperty("lr", b.lr);
        o.addProperty("schedule", b.scheduleName);
        o.addProperty("decayStartEpoch", b.decayStartEpoch);
        o.addProperty("stepEvery", b.stepEvery);
        o.addProperty("stepGamma", b.stepGamma);
        o.addProperty("beta1", b.beta1);
        o.addProperty("beta1Late", b.beta1Late);
        o.addProperty("beta1SwitchEpoch", b.beta1SwitchEpoch);
        o.addProperty("momentum", b.momentum);
        o.addProperty("nesterov", b.nesterov);
        o.addProperty("weightDecay", b.weightDecay);
        o.addProperty("emaDecay", b.emaDecay);
        o.addProperty("augmentFlip", b.augmentFlip);
        o.addProperty("augmentShift", b.augmentShift);
        o.addProperty("initBatch", b.initBatch);
        o.addProperty("logEverySteps", b.logEverySteps);
        o.addProperty("checkpointEveryEpochs", b.checkpointEveryEpochs);
        o.addProperty("checkpointEverySteps", b.checkpointEverySteps);
        o.addProperty("evalBatch", b.evalBatch);
        o.addProperty("seed", b.seed);
        if (b.beta2 != OptimizerSpec.ADAM_BETA2) {
            o.addProperty("beta2", b.beta2);
        }
        if (b.eps != OptimizerSpec.ADAM_EPS) {
            o.addProperty("eps", b.eps);
        }
        return o;
    }

    /** Reads {@link #toJson()}'s form (training-state version 1); a missing or mistyped field is named in the error. */
    public static TrainConfig fromJson(JsonObject o) {
        Builder b = new Builder();
        b.epochs = (int) num(o, "epochs");
        b.batchSize = (int) num(o, "batchSize");
        b.optimizerName = str(o, "optimizer");
        b.lr = num(o, "lr");
        b.scheduleName = str(o, "schedule");
        b.decayStartEpoch = num(o, "decayStartEpoch");
        b.stepEvery = num(o, "stepEvery");
        b.stepGamma = num(o, "stepGamma");
        b.beta1 = num(o, "beta1");
        b.beta1Late = num(o, "beta1Late");
        b.beta1SwitchEpoch = num(o, "beta1SwitchEpoch");
        b.momentum = num(o, "momentum");
        b.nesterov = bool(o, "nesterov");
        b.weightDecay = num(o, "weightDecay");
        b.emaDecay = num(o, "emaDecay");
        b.augmentFlip = bool(o, "augmentFlip");
        b.augmentShift = (int) num(o, "augmentShift");
        b.initBatch = (int) num(o, "initBatch");
        b.logEverySteps = (int) num(o, "logEverySteps");
        b.checkpointEveryEpochs = (int) num(o, "checkpointEveryEpochs");
        b.checkpointEverySteps = (int) num(o, "checkpointEverySteps");
        b.evalBatch = (int) num(o, "evalBatch");
        b.seed = field(o, "seed").getAsLong();
        if (o.has("beta2")) {
            b.beta2 = num(o, "beta2");
        }
        if (o.has("eps")) {
            b.eps = num(o, "eps");
        }
        return b.build();
    }

    private static JsonPrimitive field(JsonObject o, String name) {
        JsonElement e = o.get(name);
        if (e == null || !e.isJsonPrimitive()) {
            throw new IllegalArgumentException("training config: field '" + name + "' is missing or not a value");
        }
        return e.getAsJsonPrimitive();
    }

    private static double num(JsonObject o, String name) {
        JsonPrimitive p = field(o, name);
        if (!p.isNumber()) {
            throw new IllegalArgumentException("training config: field '" + name + "' must be a number, got " + p);
        }
        return p.getAsDouble();
    }

    private static String str(JsonObject o, String name) {
        return field(o, name).getAsString();
    }

    private static boolean bool(JsonObject o, String name) {
        JsonPrimitive p = field(o, name);
        if (!p.isBoolean()) {
            throw new IllegalArgumentException("training config: field '" + name + "' must be true or false, got " + p);
        }
        return p.getAsBoolean();
    }

    /**
     * Fluent construction with defaults. The setters only record values, so they may come in any
     * order ({@code .linearDecay(50).epochs(100)} as well as {@code .epochs(100).linearDecay(50)});
     * {@link #build()} checks them all at once. The optimizer and schedule are held by name and
     * parameters until then, so that e.g. {@code .optimizer("sgd", lr)} keeps a momentum set before.
     */
    public static final class Builder {
        static final double DEFAULT_BETA1 = 0.9;

        private int epochs = 1;
        private int batchSize = 128;
        private String optimizerName = "adam";
        private double lr = 1e-3;
        private String scheduleName = "constant";
        private double decayStartEpoch = 0;
        private double stepEvery = 1;
        private double stepGamma = 0.1;
        private double beta1 = DEFAULT_BETA1;
        private double beta2 = OptimizerSpec.ADAM_BETA2;
        private double eps = OptimizerSpec.ADAM_EPS;
        private double beta1Late = DEFAULT_BETA1;
        private double beta1SwitchEpoch = Double.MAX_VALUE;
        private double momentum = 0.9;
        private boolean nesterov = false;
        private double weightDecay = 0;
        private double emaDecay = 0;
        private boolean augmentFlip = false;
        private int augmentShift = 0;
        private int initBatch = 500;
        private int logEverySteps = 50;
        private int checkpointEveryEpochs = 1;
        private int checkpointEverySteps = 0;
        private int evalBatch = 100;
        private long seed = 1;

        private Builder() {
        }

        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        /** The optimizer by name ({@code adam} or {@code sgd}, as on the command line) and its learning rate. */
        public Builder optimizer(String name, double rate) {
            optimizerName = name;
            lr = rate;
            return this;
        }

        /** The optimizer with all its hyper-parameters. */
        public Builder optimizer(OptimizerSpec spec) {
            optimizerName = spec.name();
            lr = spec.lr();
            weightDecay = spec.weightDecay();
            if (spec instanceof OptimizerSpec.Adam a) {
                beta1 = a.beta1();
                beta2 = a.beta2();
                eps = a.eps();
            } else if (spec instanceof OptimizerSpec.Sgd s) {
                momentum = s.momentum();
                nesterov = s.nesterov();
            }
            return this;
        }

        public Builder lr(double v) {
            lr = v;
            return this;
        }

        /** The paper's schedule: constant until {@code decayStartEpoch}, then linear to 0 at the last epoch. */
        public Builder linearDecay(double decayStartEpoch) {
            return schedule(new ScheduleSpec.LinearDecay(decayStartEpoch));
        }

        /** The schedule by name (as on the command line), with the parameters set by the other setters. */
        public Builder schedule(String name) {
            scheduleName = name;
            return this;
        }

        public Builder schedule(ScheduleSpec spec) {
            scheduleName = spec.name();
            if (spec instanceof ScheduleSpec.LinearDecay d) {
                decayStartEpoch = d.startEpoch();
            } else if (spec instanceof ScheduleSpec.Step s) {
                stepEvery = s.every();
                stepGamma = s.gamma();
            }
            return this;
        }

        public Builder stepSchedule(double every, double gamma) {
            scheduleName = "step";
            stepEvery = every;
            stepGamma = gamma;
            return this;
        }

        /** Adam's β1: {@code early} until {@code switchEpoch}, then {@code late}. */
        public Builder beta1(double early, double late, double switchEpoch) {
            beta1 = early;
            return beta1Late(late, switchEpoch);
        }

        /** Adam's β1 from {@code switchEpoch} on (its β1 before is the optimizer's). */
        public Builder beta1Late(double late, double switchEpoch) {
            beta1Late = late;
            beta1SwitchEpoch = switchEpoch;
            return this;
        }

        public Builder sgd(double rate, double m, boolean nest) {
            optimizerName = "sgd";
            lr = rate;
            momentum = m;
            nesterov = nest;
            return this;
        }

        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        public Builder emaDecay(double v) {
            emaDecay = v;
            return this;
        }

        public Builder augmentation(boolean flip, int shift) {
            augmentFlip = flip;
            augmentShift = shift;
            return this;
        }

        public Builder initBatch(int v) {
            initBatch = v;
            return this;
        }

        public Builder logEverySteps(int v) {
            logEverySteps = v;
            return this;
        }

        public Builder checkpointEvery(int everyEpochs, int everySteps) {
            checkpointEveryEpochs = everyEpochs;
            checkpointEverySteps = everySteps;
            return this;
        }

        public Builder evalBatch(int v) {
            evalBatch = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** The config, after checking every value against the others; the error names the option and the values. */
        public TrainConfig build() {
            OptimizerSpec opt = switch (OptimizerSpec.checkName(optimizerName)) {
                case "adam" -> new OptimizerSpec.Adam(lr, beta1, beta2, eps, weightDecay);
                default -> new OptimizerSpec.Sgd(lr, momentum, nesterov, weightDecay);
            };
            ScheduleSpec sched = ScheduleSpec.parse(scheduleName, decayStartEpoch, stepEvery, stepGamma);
            return new TrainConfig(epochs, batchSize, opt, sched, beta1Late, beta1SwitchEpoch, emaDecay, augmentFlip,
                    augmentShift, initBatch, logEverySteps, checkpointEveryEpochs, checkpointEverySteps, evalBatch, seed);
        }
    }
}
