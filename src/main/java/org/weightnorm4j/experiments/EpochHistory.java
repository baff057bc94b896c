package org.weightnorm4j.experiments;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.weightnorm4j.train.EpochRecord;
import org.weightnorm4j.train.Trainer;
import org.weightnorm4j.train.TrainingListener;

/**
 * Keeps every epoch's metrics of one run in a JSON file beside its checkpoints, so that a run
 * that is resumed, or skipped because it already finished, still has its whole curve for the
 * report. On start the file is cut back to the epochs the trainer's checkpoint covers (a kill
 * between an epoch's end and its checkpoint leaves one epoch too many), then appended to.
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

    private final Path file;
    private final List<Point> points;

    /** Reads {@code file} if it exists. */
    public EpochHistory(Path file) {
        this.file = file;
        this.points = Files.exists(file) ? read(file) : new ArrayList<>();
    }

    @Override
    public void onStart(Trainer trainer) {
        int done = trainer.completedEpochs();
        points.removeIf(p -> p.epoch() > done);
        write();
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

    private void write() {
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
        JsonFiles.write(file, a);
    }

    /** The points stored in {@code file}. */
    public static List<Point> read(Path file) {
        JsonElement e = JsonFiles.read(file);
        if (!e.isJsonArray()) {
            throw new IllegalStateException(file + " does not hold a list of epochs; delete its run directory to redo the run");
        }
        List<Point> out = new ArrayList<>();
        for (JsonElement x : e.getAsJsonArray()) {
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
