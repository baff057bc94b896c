package org.weightnorm4j.train;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.weightnorm4j.data.Augmentation;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.optim.Adam;
import org.weightnorm4j.optim.Optimizer;
import org.weightnorm4j.optim.Schedule;
import org.weightnorm4j.optim.Sgd;

/**
 * How to train: every hyperparameter of a run in one immutable record, saved in each checkpoint's
 * {@code trainer.json} so that {@code --resume} continues with exactly the same settings.
 *
 * @param epochs               epochs to train
 * @param batchSize            training minibatch size (the last partial batch of an epoch is dropped)
 * @param optimizer            {@code "adam"} or {@code "sgd"}
 * @param lr                   base learning rate
 * @param schedule             {@code "constant"}, {@code "linear-decay"} (the paper: constant, then
 *                             linear to 0 at the last epoch), {@code "cosine"}, or {@code "step"}
 * @param decayStartEpoch      linear-decay: the epoch the decay starts (the paper: 100 of 200)
 * @param stepEvery            step schedule: epochs between multiplications by {@code stepGamma}
 * @param stepGamma            step schedule: the factor
 * @param beta1                Adam's β1 at the start (0.9)
 * @param beta1Late            Adam's β1 from {@code beta1SwitchEpoch} on (the paper: 0.5 from epoch 100)
 * @param beta1SwitchEpoch     when β1 changes; ≥ epochs means never
 * @param momentum             SGD momentum
 * @param nesterov             SGD: Nesterov momentum
 * @param weightDecay          L2 weight decay (both optimizers)
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
public record TrainConfig(int epochs, int batchSize, String optimizer, double lr, String schedule,
                          double decayStartEpoch, double stepEvery, double stepGamma,
                          double beta1, double beta1Late, double beta1SwitchEpoch,
                          double momentum, boolean nesterov, double weightDecay, double emaDecay,
                          boolean augmentFlip, int augmentShift, int initBatch,
                          int logEverySteps, int checkpointEveryEpochs, int checkpointEverySteps,
                          int evalBatch, long seed) {

    public TrainConfig {
        requirePositive("epochs", epochs);
        requirePositive("batch size", batchSize);
        requirePositive("evaluation batch size", evalBatch);
        requirePositive("log interval (steps)", logEverySteps);
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("learning rate must be a finite number > 0, got " + lr);
        }
        optimizer = optimizer.toLowerCase(Locale.ROOT);
        if (!optimizer.equals("adam") && !optimizer.equals("sgd")) {
            throw new IllegalArgumentException("unknown optimizer '" + optimizer + "'; valid: adam, sgd");
        }
        schedule = schedule.toLowerCase(Locale.ROOT);
        if (!List.of("constant", "linear-decay", "cosine", "step").contains(schedule)) {
            throw new IllegalArgumentException("unknown schedule '" + schedule + "'; valid: constant, linear-decay, cosine, step");
        }
        if (checkpointEveryEpochs < 0 || checkpointEverySteps < 0 || initBatch < 0 || augmentShift < 0) {
            throw new IllegalArgumentException("checkpoint intervals, init batch and augmentation shift must be >= 0");
        }
        if (schedule.equals("linear-decay") && !(decayStartEpoch >= 0 && decayStartEpoch < epochs)) {
            throw new IllegalArgumentException("linear-decay schedule: the decay must start in [0, epochs) = [0, " + epochs
                    + "), got epoch " + decayStartEpoch);
        }
        if (!(emaDecay >= 0 && emaDecay < 1)) {
            throw new IllegalArgumentException("EMA decay must be in [0, 1) (0 = off), got " + emaDecay);
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
        Builder b = new Builder();
        b.c = this;
        return b;
    }

    /** The learning rate as a function of the epoch. */
    public Schedule lrSchedule() {
        return switch (schedule) {
            case "linear-decay" -> Schedule.linearDecay(lr, decayStartEpoch, epochs);
            case "cosine" -> Schedule.cosine(lr, 0, epochs);
            case "step" -> Schedule.step(lr, stepGamma, stepEvery);
            default -> Schedule.constant(lr);
        };
    }

    /** Adam's β1 as a function of the epoch. */
    public Schedule beta1Schedule() {
        return Schedule.switchAt(beta1, beta1SwitchEpoch, beta1Late);
    }

    /** A new optimizer over {@code params}, at the schedule's initial learning rate. */
    public Optimizer newOptimizer(Map<String, Param> params) {
        return optimizer.equals("adam")
                ? new Adam(params, lr, beta1, 0.999, 1e-8, weightDecay)
                : new Sgd(params, lr, momentum, nesterov, weightDecay);
    }

    /** The training-time augmentation. */
    public Augmentation augmentation() {
        return new Augmentation(augmentFlip, augmentShift);
    }

    public JsonObject toJson() {
        return new Gson().toJsonTree(this).getAsJsonObject();
    }

    public static TrainConfig fromJson(JsonObject o) {
        TrainConfig c = new Gson().fromJson(o, TrainConfig.class);
        return c.toBuilder().build(); // re-validates
    }

    /** Fluent construction with defaults; {@link #build()} validates. */
    public static final class Builder {
        private TrainConfig c = new TrainConfig(1, 128, "adam", 1e-3, "constant", 0, 1, 0.1,
                0.9, 0.9, Double.MAX_VALUE, 0.9, false, 0, 0, false, 0, 500, 50, 1, 0, 100, 1);

        public Builder epochs(int v) {
            return with(b -> b.epochs = v);
        }

        public Builder batchSize(int v) {
            return with(b -> b.batchSize = v);
        }

        public Builder optimizer(String name, double lr) {
            return with(b -> {
                b.optimizer = name;
                b.lr = lr;
            });
        }

        public Builder lr(double v) {
            return with(b -> b.lr = v);
        }

        /** The paper's schedule: constant until {@code decayStartEpoch}, then linear to 0 at the last epoch. */
        public Builder linearDecay(double decayStartEpoch) {
            return with(b -> {
                b.schedule = "linear-decay";
                b.decayStartEpoch = decayStartEpoch;
            });
        }

        public Builder schedule(String name) {
            return with(b -> b.schedule = name);
        }

        public Builder stepSchedule(double every, double gamma) {
            return with(b -> {
                b.schedule = "step";
                b.stepEvery = every;
                b.stepGamma = gamma;
            });
        }

        /** Adam's β1: {@code early} until {@code switchEpoch}, then {@code late}. */
        public Builder beta1(double early, double late, double switchEpoch) {
            return with(b -> {
                b.beta1 = early;
                b.beta1Late = late;
                b.beta1SwitchEpoch = switchEpoch;
            });
        }

        public Builder sgd(double lr, double momentum, boolean nesterov) {
            return with(b -> {
                b.optimizer = "sgd";
                b.lr = lr;
                b.momentum = momentum;
                b.nesterov = nesterov;
            });
        }

        public Builder weightDecay(double v) {
            return with(b -> b.weightDecay = v);
        }

        public Builder emaDecay(double v) {
            return with(b -> b.emaDecay = v);
        }

        public Builder augmentation(boolean flip, int shift) {
            return with(b -> {
                b.augmentFlip = flip;
                b.augmentShift = shift;
            });
        }

        public Builder initBatch(int v) {
            return with(b -> b.initBatch = v);
        }

        public Builder logEverySteps(int v) {
            return with(b -> b.logEverySteps = v);
        }

        public Builder checkpointEvery(int epochs, int steps) {
            return with(b -> {
                b.checkpointEveryEpochs = epochs;
                b.checkpointEverySteps = steps;
            });
        }

        public Builder evalBatch(int v) {
            return with(b -> b.evalBatch = v);
        }

        public Builder seed(long v) {
            return with(b -> b.seed = v);
        }

        /** The config; every edit was validated when made, so a bad value fails at the call that set it. */
        public TrainConfig build() {
            return c;
        }

        private Builder with(java.util.function.Consumer<Mutable> edit) {
            Mutable m = new Mutable(c);
            edit.accept(m);
            c = m.freeze();
            return this;
        }
    }

    /** The record's fields as mutable ones, for the builder's one-field edits. */
    private static final class Mutable {
        int epochs, batchSize, augmentShift, initBatch, logEverySteps, checkpointEveryEpochs, checkpointEverySteps, evalBatch;
        String optimizer, schedule;
        double lr, decayStartEpoch, stepEvery, stepGamma, beta1, beta1Late, beta1SwitchEpoch, momentum, weightDecay, emaDecay;
        boolean nesterov, augmentFlip;
        long seed;

        Mutable(TrainConfig c) {
            epochs = c.epochs;
            batchSize = c.batchSize;
            optimizer = c.optimizer;
            lr = c.lr;
            schedule = c.schedule;
            decayStartEpoch = c.decayStartEpoch;
            stepEvery = c.stepEvery;
            stepGamma = c.stepGamma;
            beta1 = c.beta1;
            beta1Late = c.beta1Late;
            beta1SwitchEpoch = c.beta1SwitchEpoch;
            momentum = c.momentum;
            nesterov = c.nesterov;
            weightDecay = c.weightDecay;
            emaDecay = c.emaDecay;
            augmentFlip = c.augmentFlip;
            augmentShift = c.augmentShift;
            initBatch = c.initBatch;
            logEverySteps = c.logEverySteps;
            checkpointEveryEpochs = c.checkpointEveryEpochs;
            checkpointEverySteps = c.checkpointEverySteps;
            evalBatch = c.evalBatch;
            seed = c.seed;
        }

        TrainConfig freeze() {
            return new TrainConfig(epochs, batchSize, optimizer, lr, schedule, decayStartEpoch, stepEvery, stepGamma,
                    beta1, beta1Late, beta1SwitchEpoch, momentum, nesterov, weightDecay, emaDecay, augmentFlip,
                    augmentShift, initBatch, logEverySteps, checkpointEveryEpochs, checkpointEverySteps, evalBatch, seed);
        }
    }
}
