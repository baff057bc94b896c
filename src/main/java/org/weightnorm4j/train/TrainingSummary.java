package org.weightnorm4j.train;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.weightnorm4j.io.AtomicFiles;

/**
 * The outcome of a run, written to {@code summary.json}.
 *
 * @param epochs          epochs completed
 * @param steps           optimizer steps completed
 * @param trainLoss       mean minibatch loss over the last epoch, training mode
 * @param trainAccuracy   training accuracy over the last epoch, training mode
 * @param testLoss        test-split loss after the last epoch, evaluation mode
 * @param testAccuracy    test-split accuracy after the last epoch, evaluation mode
 * @param wallSeconds     wall time of the whole run (all sessions when resumed), evaluation included
 * @param trainSeconds    time spent in training steps
 * @param imagesPerSecond training images per second of {@code trainSeconds}
 */
public record TrainingSummary(int epochs, long steps, double trainLoss, double trainAccuracy, double testLoss,
                              double testAccuracy, double wallSeconds, double trainSeconds, double imagesPerSecond) {

    /** The summary as JSON, with the run's description added by the caller. */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("epochs", epochs);
        o.addProperty("steps", steps);
        o.addProperty("train_loss", trainLoss);
        o.addProperty("train_accuracy", trainAccuracy);
        o.addProperty("test_loss", testLoss);
        o.addProperty("test_accuracy", testAccuracy);
        o.addProperty("wall_seconds", wallSeconds);
        o.addProperty("train_seconds", trainSeconds);
        o.addProperty("images_per_second", imagesPerSecond);
        return o;
    }

    /** Writes {@code json} atomically to {@code file}, pretty-printed (NaN allowed for a missing test split). */
    public static void write(Path file, JsonObject json) {
        byte[] bytes = (new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().disableHtmlEscaping().create().toJson(json)
                + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            AtomicFiles.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training summary " + file + ": " + e.getMessage(), e);
        }
    }
}
