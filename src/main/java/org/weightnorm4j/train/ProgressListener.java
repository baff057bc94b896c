package org.weightnorm4j.train;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows how training goes. On a terminal ({@code System.console() != null}) a progress bar of
 * the epoch (the {@code me.tongfei:progressbar} library, on standard output) with loss, accuracy,
 * images/s and the time left. Elsewhere (CI, a pipe, a log file) it prints a plain line five times
 * per epoch instead, so logs stay readable. Either way each epoch ends with a line holding its
 * training metrics and, when the run has a test split, its test metrics.
 */
public final class ProgressListener implements TrainingListener {
    private final PrintWriter out;
    private ProgressBar progressBar;
    private final boolean interactive;
    private int epochs;
    private long firstStep = -1;
    private long startNanos;
    private double lossSum;
    private double accSum;
    private int count;

    /** Draws in place when {@code interactive}, else prints periodic lines. */
    public ProgressListener(PrintWriter out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    /** Interactive exactly when a console is attached. */
    public static ProgressListener forConsole(PrintWriter out) {
        return new ProgressListener(out, System.console() != null);
    }

    @Override
    public void onStart(Trainer trainer) {
        epochs = trainer.config().epochs();
        startNanos = System.nanoTime();
        firstStep = trainer.step();
    }

    @Override
    public void onStep(StepRecord r) {
        lossSum += r.loss();
        accSum += r.accuracy();
        count++;
        long now = System.nanoTime();
        double seconds = (now - startNanos) * 1e-9;
        long done = r.step() - firstStep;
        double imagesPerSecond = seconds > 0 ? done * r.batchSize() / seconds : 0;
        long total = (long) epochs * r.stepsPerEpoch();
        double eta = done > 0 ? (total - r.step()) * seconds / done : Double.NaN;
        if (interactive) {
            if (progressBar == null) {
                progressBar = new ProgressBarBuilder()
                        .setTaskName("epoch " + r.epoch() + "/" + epochs)
                        .setInitialMax(r.stepsPerEpoch())
                        .setStyle(ProgressBarStyle.ASCII)
                        .setUpdateIntervalMillis(100)
                        .setConsumer(new ConsoleProgressBarConsumer(System.out))
                        .build();
            }
            progressBar.stepTo(r.stepInEpoch());
            progressBar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f acc %.3f %.0f img/s",
                    lossSum / count, accSum / count, imagesPerSecond));
        } else {
            int every = Math.max(1, r.stepsPerEpoch() / 5);
            if (r.stepInEpoch() % every == 0 && r.stepInEpoch() != r.stepsPerEpoch()) {
                out.println(String.format(Locale.ROOT, "epoch %d/%d step %d/%d loss %.4f acc %.3f %.0f img/s ETA %s",
                        r.epoch(), epochs, r.stepInEpoch(), r.stepsPerEpoch(), lossSum / count, accSum / count,
                        imagesPerSecond, duration(eta)));
                out.flush();
            }
        }
    }

    @Override
    public void onEpoch(EpochRecord r) {
        if (progressBar != null) {
            progressBar.close();
            progressBar = null;
        }
        out.println(String.format(Locale.ROOT, "epoch %d/%d: train loss %.4f acc %.4f | %slr %.3g | %.0f img/s",
                r.epoch(), epochs, r.trainLoss(), r.trainAccuracy(), testColumn(r), r.lr(), r.imagesPerSecond()));
        out.flush();
        lossSum = 0;
        accSum = 0;
        count = 0;
    }

    /**
     * The test metrics and their separator, or nothing when the run has no test split (the noise
     * experiment's runs): a "test loss NaN" would read as a diverged model. An evaluated accuracy
     * is a fraction of examples and never NaN, even when the loss diverged, so it tells the cases apart.
     */
    private static String testColumn(EpochRecord r) {
        return Double.isNaN(r.testAccuracy()) ? ""
                : String.format(Locale.ROOT, "test loss %.4f acc %.4f | ", r.testLoss(), r.testAccuracy());
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
