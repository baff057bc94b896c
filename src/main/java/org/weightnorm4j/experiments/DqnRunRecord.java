package org.weightnorm4j.experiments;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.weightnorm4j.rl.DqnTraining;

/**
 * What a DQN run directory holds, read back for a report: {@code summary.json} (as of the last
 * checkpoint), every episode of {@code metrics.csv} and every row of {@code training.csv}. A run
 * still being written is read as far as its files go; a row cut short is skipped.
 *
 * @param dir          the run directory
 * @param game         MinAtar's game name
 * @param param        the parameterization's CLI name
 * @param seed         the run's seed
 * @param frames       frames at the last checkpoint (the summary's)
 * @param returnLast100 the summary's 100-episode mean return (NaN before the first episode)
 * @param returnMax    the summary's best episode (NaN before the first)
 * @param optimizer    the summary's optimizer
 * @param episodeEnds  the frame at which each episode ended
 * @param returns      each episode's return
 * @param windowFrames the frame of each {@code training.csv} row
 * @param windowColumns every other {@code training.csv} column by header name, one value per row (NaN if empty)
 */
public record DqnRunRecord(Path dir, String game, String param, long seed, long frames, double returnLast100, double returnMax,
                           String optimizer, long[] episodeEnds, int[] returns, long[] windowFrames,
                           Map<String, double[]> windowColumns) {

    /** Whether {@code dir} looks like a DQN run directory (it has a summary). */
    public static boolean isRun(Path dir) {
        return Files.isRegularFile(dir.resolve(DqnTraining.SUMMARY)) && Files.isRegularFile(dir.resolve(DqnTraining.EPISODES_CSV));
    }

    /** Reads the run in {@code dir}. */
    public static DqnRunRecord read(Path dir) throws IOException {
        JsonElement json = JsonFiles.read(dir.resolve(DqnTraining.SUMMARY));
        if (!json.isJsonObject() || !json.getAsJsonObject().has("game") || !json.getAsJsonObject().has("frames")) {
            throw new IOException(dir.resolve(DqnTraining.SUMMARY) + " is not a DQN run summary (no game or frames)");
        }
        JsonObject s = json.getAsJsonObject();
        List<String[]> episodes = rows(dir.resolve(DqnTraining.EPISODES_CSV));
        long[] ends = new long[episodes.size() - 1];
        int[] returns = new int[ends.length];
        for (int i = 1; i < episodes.size(); i++) {
            ends[i - 1] = Long.parseLong(episodes.get(i)[0]);
            returns[i - 1] = Integer.parseInt(episodes.get(i)[2]);
        }
        Path trainingCsv = dir.resolve(DqnTraining.TRAINING_CSV);
        List<String[]> training = Files.isRegularFile(trainingCsv) ? rows(trainingCsv) : List.<String[]>of(new String[] {"frame"});
        String[] header = training.get(0);
        long[] frames = new long[training.size() - 1];
        Map<String, double[]> columns = new LinkedHashMap<>();
        for (int c = 1; c < header.length; c++) {
            columns.put(header[c], new double[frames.length]);
        }
        for (int i = 1; i < training.size(); i++) {
            String[] row = training.get(i);
            frames[i - 1] = Long.parseLong(row[0]);
            for (int c = 1; c < header.length; c++) {
                columns.get(header[c])[i - 1] = row[c].isEmpty() ? Double.NaN : Double.parseDouble(row[c]);
            }
        }
        return new DqnRunRecord(dir, s.get("game").getAsString(), s.get("param").getAsString(), s.get("seed").getAsLong(),
                s.get("frames").getAsLong(), number(s, "return_last100_mean"), number(s, "return_max"),
                s.has("optimizer") ? s.get("optimizer").getAsString() : "rmsprop", ends, returns, frames, columns);
    }

    /** The header and the complete rows of a CSV (as many fields as the header, the first a whole number). */
    private static List<String[]> rows(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new IOException(csv + " is empty (no header)");
        }
        List<String[]> out = new ArrayList<>();
        String[] header = lines.get(0).split(",", -1);
        out.add(header);
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            if (f.length == header.length && f[0].matches("\\d+")) {
                out.add(f);
            }
        }
        return out;
    }

    private static double number(JsonObject s, String key) {
        return s.has(key) && !s.get(key).isJsonNull() ? s.get(key).getAsDouble() : Double.NaN;
    }

    /** The keys of the weight-normed layers in {@code training.csv} (module indices, e.g. 0, 3, 5). */
    public List<String> weightNormedLayers() {
        List<String> out = new ArrayList<>();
        for (String k : windowColumns.keySet()) {
            if (k.endsWith("_g_over_v_norm")) {
                out.add(k.substring(0, k.length() - "_g_over_v_norm".length()));
            }
        }
        return out;
    }

    /** The last frame with data: the last episode's end or the last training row, whichever is later. */
    public long lastFrame() {
        long e = episodeEnds.length == 0 ? 0 : episodeEnds[episodeEnds.length - 1];
        long w = windowFrames.length == 0 ? 0 : windowFrames[windowFrames.length - 1];
        return Math.max(Math.max(e, w), frames);
    }

    /**
     * The 100-episode moving average of the return at each of {@code at} (ascending frames): the
     * mean of the last (up to) {@code n} episodes that ended at or before it; NaN before the first.
     */
    public double[] movingAverage(long[] at, int n) {
        double[] out = new double[at.length];
        double[] prefix = new double[returns.length + 1];
        for (int i = 0; i < returns.length; i++) {
            prefix[i + 1] = prefix[i] + returns[i];
        }
        int done = 0;
        for (int k = 0; k < at.length; k++) {
            while (done < episodeEnds.length && episodeEnds[done] <= at[k]) {
                done++;
            }
            int from = Math.max(0, done - n);
            out[k] = done == 0 ? Double.NaN : (prefix[done] - prefix[from]) / (done - from);
        }
        return out;
    }
}
