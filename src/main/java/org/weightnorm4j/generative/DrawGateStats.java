package org.weightnorm4j.generative;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.weightnorm4j.nn.LinearWeights;
import org.weightnorm4j.nn.LstmCell;
import org.weightnorm4j.norm.WeightNorm;
import org.weightnorm4j.norm.WeightNormWeights;
import org.weightnorm4j.tensor.Tensor;

/**
 * What weight normalization does to DRAW's LSTMs, gate by gate: for each of the four weights
 * ({@code enc.weight_ih}, {@code enc.weight_hh}, {@code dec.weight_ih}, {@code dec.weight_hh}) and
 * each gate block of {@code H} rows (PyTorch's order i, f, g, o), the mean over the block's rows of
 * the row norm {@code ‖w‖} (= {@code |g|} with weight norm) and, with weight norm, of the scale
 * {@code g/‖v‖} (Eq. 2: how much the direction {@code v} has grown against the norm {@code g} it
 * stands for, the quantity Fig. 1 and §2.2 of the paper are about).
 */
public final class DrawGateStats {
    /** The gates in PyTorch's row order. */
    public static final List<String> GATES = List.of("i", "f", "g", "o");

    private DrawGateStats() {
    }

    /** Column names, in {@link #values} order: {@code enc.weight_hh.f.g_over_v_norm}, {@code ...w_norm}. */
    public static List<String> columns() {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        for (String w : weights()) {
            for (String gate : GATES) {
                out.add(w + "." + gate + ".w_norm");
                out.add(w + "." + gate + ".g_over_v_norm");
            }
        }
        return out;
    }

    private static List<String> weights() {
        return List.of("enc.weight_ih", "enc.weight_hh", "dec.weight_ih", "dec.weight_hh");
    }

    /** The values of {@link #columns()} at the current parameters; {@code g/‖v‖} is NaN for plain weights. */
    public static Map<String, Double> values(Draw model) {
        Map<String, Double> out = new LinkedHashMap<>();
        Map<String, LstmCell> cells = Map.of("enc", model.encoder(), "dec", model.decoder());
        for (String w : weights()) {
            String[] parts = w.split("\\.");
            LinearWeights lw = cells.get(parts[0]).weightsByName().get(parts[1]);
            int rows = lw.shape()[0], h = rows / 4;
            double[] wNorm = new double[rows];
            double[] scale = new double[rows];
            if (lw instanceof WeightNormWeights wn) {
                double[] vNorm = WeightNorm.norms(wn.v().value(), 0, w);
                for (int r = 0; r < rows; r++) {
                    double g = wn.g().value().get(r);
                    wNorm[r] = Math.abs(g);
                    scale[r] = g / vNorm[r];
                }
            } else {
                Tensor d = lw.direction();
                int cols = d.sizeFrom(1);
                for (int r = 0; r < rows; r++) {
                    double s = 0;
                    for (int c = 0; c < cols; c++) {
                        double v = d.get(r * cols + c);
                        s += v * v;
                    }
                    wNorm[r] = Math.sqrt(s);
                    scale[r] = Double.NaN;
                }
            }
            for (int gIdx = 0; gIdx < 4; gIdx++) {
                double a = 0, b = 0;
                for (int r = gIdx * h; r < (gIdx + 1) * h; r++) {
                    a += wNorm[r];
                    b += scale[r];
                }
                out.put(w + "." + GATES.get(gIdx) + ".w_norm", a / h);
                out.put(w + "." + GATES.get(gIdx) + ".g_over_v_norm", b / h);
            }
        }
        return out;
    }
}
