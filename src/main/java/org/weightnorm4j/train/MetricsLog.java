package org.weightnorm4j.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.weightnorm4j.io.AtomicFiles;
import org.weightnorm4j.norm.WeightNormStats;

/**
 * Writes {@code metrics.csv}: one row per logged step ({@code kind = step}) and one per epoch
 * ({@code kind = epoch}). Columns:
 * <pre>
 *   kind, step, epoch, lr, loss, accuracy, test_loss, test_accuracy,
 *   then for each weight-normalized layer i (PyTorch module index): i.v_norm, i.g, i.g_over_v_norm
 * </pre>
 * Step rows hold the minibatch loss and accuracy; epoch rows the epoch's training means and the
 * test split's loss and accuracy. Weight-norm columns are means over the layer's units of
 * {@code ||v||}, {@code g} and {@code g/||v||}. Values are printed exactly (shortest round-trip
 * decimal), so two runs with the same seed and threads give byte-identical files; times are left
 * out for that reason (they are in {@code summary.json}).
 *
 * <p>On resume the file is cut back to the rows of steps the checkpoint covers, then appended to,
 * so it reads as if the run had never stopped.
 */
public final class MetricsLog implements TrainingListener {
    private final Path file;
    private List<String> layers = List.of();
    private BufferedWriter out;

    public MetricsLog(Path file) {
        this.file = file;
    }

    @Override
    public void onStart(Trainer trainer) {
        layers = new ArrayList<>(trainer.weightNormStats().keySet());
        String header = header();
        try {
            List<String> keep = new ArrayList<>();
            keep.add(header);
            if (trainer.step() > 0 && Files.exists(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (lines.isEmpty() || !lines.get(0).equals(header)) {
                    throw new IllegalStateException(file + " has other columns than this run writes; move it away to resume");
                }
                for (String line : lines.subList(1, lines.size())) {
                    if (covered(line, trainer)) {
                        keep.add(line);
                    }
                }
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] bytes = (String.join("\n", keep) + "\n").getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(file, bytes);
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the metrics log " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether a row belongs to the part of the run the restored checkpoint covers. */
    private boolean covered(String line, Trainer trainer) {
        String[] f = line.split(",", -1);
        if (f.length != 8 + 3 * layers.size()) {
            return false; // a line cut short by a kill
        }
        try {
            long step = Long.parseLong(f[1]);
            int epoch = Integer.parseInt(f[2]);
            return f[0].equals("epoch") ? epoch <= trainer.completedEpochs() : step <= trainer.step();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private String header() {
        StringBuilder sb = new StringBuilder("kind,step,epoch,lr,loss,accuracy,test_loss,test_accuracy");
        for (String i : layers) {
            sb.append(',').append(i).append(".v_norm,").append(i).append(".g,").append(i).append(".g_over_v_norm");
        }
        return sb.toString();
    }

    @Override
    public void onStep(StepRecord r) {
        if (r.logged()) {
            write("step", r.step(), r.epoch(), r.lr(), r.loss(), r.accuracy(), Double.NaN, Double.NaN, r.weightNorm());
        }
    }

    @Override
    public void onEpoch(EpochRecord r) {
        write("epoch", r.step(), r.epoch(), r.lr(), r.trainLoss(), r.trainAccuracy(), r.testLoss(), r.testAccuracy(),
                r.weightNorm());
    }

    @Override
    public void onFinish(TrainingSummary summary) {
        close();
    }

    /** Closes the file (also done at the end of training). */
    public void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close the metrics log " + file, e);
            }
            out = null;
        }
    }

    private void write(String kind, long step, int epoch, double lr, double loss, double acc, double testLoss,
                       double testAcc, Map<String, WeightNormStats> wn) {
        StringBuilder sb = new StringBuilder(kind).append(',').append(step).append(',').append(epoch);
        for (double v : new double[] {lr, loss, acc, testLoss, testAcc}) {
            sb.append(',').append(number(v));
        }
        for (String i : layers) {
            WeightNormStats s = wn.get(i);
            sb.append(',').append(s == null ? "" : number(s.meanVNorm()))
                    .append(',').append(s == null ? "" : number(s.meanG()))
                    .append(',').append(s == null ? "" : number(s.meanScale()));
        }
        try {
            out.write(sb.append('\n').toString());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the metrics log " + file + ": " + e.getMessage()
                    + "; free disk space and resume from the last checkpoint", e);
        }
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }
}
