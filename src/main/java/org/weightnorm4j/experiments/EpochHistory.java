package org.weightnorm4j.experiments;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.weightnorm4j.train.EpochRecord;
import org.weightnorm4j.train.StepRecord;
import org.weightnorm4j.train.Trainer;
import org.weightnorm4j.train.TrainingListener;

/**
 * Keeps every epoch's metrics of one run in a JSON file beside its checkpoints, so that a run
 * that is resumed, or skipped because it already finished, still has its whole curve for the
 * report. On start the file is cut back to what the trainer's checkpoint covers (a kill between
 * an epoch's end and its checkpoint leaves one epoch too many), then appended to.
 *
 * <p>Besides one {@link Point} per epoch it keeps {@link Segment}s: the mean minibatch loss over
 * each tenth of an epoch (the last tenth absorbs the steps left over when the epoch's step count
 * is not a multiple of ten), so that "the first time the training loss fell below a target" can be
 * told to a tenth of an epoch rather than to a whole one.
 */
public final class EpochHistory implements TrainingListener {
    /** The file name inside a run directory. */
    public static final String FILE_NAME = "epochs.json";

    /**
     * One epoch.
     *
     * @param trainSeconds    wall time of the epoch's training steps
     * @param imagesPerSecond training throughput over the epoch
     */
    public record Point(int epoch, long step, double trainLoss, double trainAccuracy, double testLoss,
                        double testAccuracy, double lr, double trainSeconds, double imagesPerSecond) {

        static Point of(EpochRecord r) {
            return new Point(r.epoch(), r.step(), r.trainLoss(), r.trainAccuracy(), r.testLoss(), r.testAccuracy(),
                    r.lr(), r.trainSeconds(), r.imagesPerSecond());
        }

        /** Test error in percent. */
        public double testErrorPercent() {
            return 100 * (1 - testAccuracy);
        }
    }

    /**
     * The mean minibatch training loss (training mode) over a stretch of steps ending at {@code step}.
     *
     * @param epoch where the stretch ends, in epochs ({@code step / steps per epoch})
     */
    public record Segment(double epoch, long step, double meanLoss) {
    }

    /** Segments per epoch. */
    static final int SEGMENTS_PER_EPOCH = 10;

    private final Path file;
    private final List<Point> points;
    private final List<Segment> segments;
    private double lossSum;
    private int lossCount;

    /** Reads {@code file} if it exists. */
    public EpochHistory(Path file) {
        this.file = file;
        if (Files.exists(file)) {
            JsonObject o = readJson(file);
            this.points = readPoints(o, file);
            this.segments = readSegments(o);
        } else {
            this.points = new ArrayList<>();
            this.segments = new ArrayList<>();
        }
    }

    @Override
    public void onStart(Trainer trainer) {
        int done = trainer.completedEpochs();
        long step = trainer.step();
        points.removeIf(p -> p.epoch() > done);
        segments.removeIf(s -> s.step() > step);
        lossSum = 0;
        lossCount = 0;
        write();
    }

    @Override
    public void onStep(StepRecord r) {
        lossSum += r.loss();
        lossCount++;
        int every = Math.max(1, r.stepsPerEpoch() / SEGMENTS_PER_EPOCH);
        // The epoch's last segment absorbs the remainder, so that no segment averages fewer than `every` steps.
        boolean boundary = r.stepInEpoch() % every == 0 && r.stepsPerEpoch() - r.stepInEpoch() >= every;
        if (boundary || r.stepInEpoch() == r.stepsPerEpoch()) {
            segments.add(new Segment((double) r.step() / r.stepsPerEpoch(), r.step(), lossSum / lossCount));
            lossSum = 0;
            lossCount = 0;
        }
    }

    @Override
    public void onEpoch(EpochRecord r) {
        points.add(Point.of(r));
        write();
    }

    /** The epochs so far, in order. */
    public List<Point> points() {
        return List.copyOf(points);
    }

    /** The sub-epoch loss segments so far, in order. */
    public List<Segment> segments() {
        return List.copyOf(segments);
    }

    private void write() {
        JsonObject root = new JsonObject();
        JsonArray a = new JsonArray();
        for (Point p : points) {
            JsonObject o = new JsonObject();
            o.addProperty("epoch", p.epoch());
            o.addProperty("step", p.step());
            o.addProperty("train_loss", p.trainLoss());
            o.addProperty("train_accuracy", p.trainAccuracy());
            o.addProperty("test_loss", p.testLoss());
            o.addProperty("test_accuracy", p.testAccuracy());
            o.addProperty("lr", p.lr());
            o.addProperty("train_seconds", p.trainSeconds());
            o.addProperty("images_per_second", p.imagesPerSecond());
            a.add(o);
        }
        root.add("epochs", a);
        JsonArray seg = new JsonArray();
        for (Segment s : segments) {
            JsonObject o = new JsonObject();
            o.addProperty("epoch", s.epoch());
            o.addProperty("step", s.step());
            o.addProperty("mean_loss", s.meanLoss());
            seg.add(o);
        }
        root.add("segments", seg);
        JsonFiles.write(file, root);
    }

    private static JsonObject readJson(Path file) {
        JsonElement e = JsonFiles.read(file);
        if (!e.isJsonObject() || !e.getAsJsonObject().has("epochs") || !e.getAsJsonObject().has("segments")) {
            throw new IllegalStateException(file + " does not hold a run's epochs and segments; delete its run directory"
                    + " to redo the run");
        }
        return e.getAsJsonObject();
    }

    /** The epochs stored in {@code file}. */
    public static List<Point> read(Path file) {
        return readPoints(readJson(file), file);
    }

    /** The segments stored in {@code file}. */
    public static List<Segment> readSegments(Path file) {
        return readSegments(readJson(file));
    }

    private static List<Segment> readSegments(JsonObject root) {
        List<Segment> out = new ArrayList<>();
        for (JsonElement x : root.getAsJsonArray("segments")) {
            JsonObject o = x.getAsJsonObject();
            out.add(new Segment(JsonFiles.number(o, "epoch"), o.get("step").getAsLong(), JsonFiles.number(o, "mean_loss")));
        }
        return out;
    }

    private static List<Point> readPoints(JsonObject root, Path file) {
        List<Point> out = new ArrayList<>();
        for (JsonElement x : root.getAsJsonArray("epochs")) {
            JsonObject o = x.getAsJsonObject();
            out.add(new Point(o.get("epoch").getAsInt(), o.get("step").getAsLong(), JsonFiles.number(o, "train_loss"),
                    JsonFiles.number(o, "train_accuracy"), JsonFiles.number(o, "test_loss"),
                    JsonFiles.number(o, "test_accuracy"), JsonFiles.number(o, "lr"), JsonFiles.number(o, "train_seconds"),
                    JsonFiles.number(o, "images_per_second")));
        }
        return out;
    }

    /** Training images per second over all {@code points} (total images over total training time); 0 if none. */
    public static double imagesPerSecond(List<Point> points) {
        double images = 0;
        double seconds = 0;
        for (Point p : points) {
            images += p.imagesPerSecond() * p.trainSeconds();
            seconds += p.trainSeconds();
        }
        return seconds > 0 ? images / seconds : 0;
    }
}
