package org.weightnorm4j.experiments;

import java.util.List;

/**
 * The paper's own CIFAR-10 test errors, shown beside ours for reference only: they come from the
 * full {@code paper-cifar} model trained 200 epochs on ZCA-whitened CIFAR-10 with augmentation,
 * not from the run a report describes.
 */
public final class PaperResults {
    /** Where the numbers come from. */
    public static final String SOURCE = "Salimans & Kingma (2016), Weight Normalization: A Simple Reparameterization to"
            + " Accelerate Training of Deep Neural Networks, NeurIPS 2016, §5.1 and Table 1 (CIFAR-10, 200 epochs,"
            + " ZCA whitening, the model of appendix A)";

    /** One row: our parameterization's CLI name, the paper's label, its test error in percent. */
    public record Row(String param, String label, double testErrorPercent) {
    }

    /** Best first, as in the paper's table. */
    public static final List<Row> CIFAR10 = List.of(
            new Row("wn-mobn", "WN + mean-only BN", 7.31),
            new Row("bn", "BN", 8.05),
            new Row("normal", "normal parameterization", 8.43),
            new Row("wn", "WN", 8.46),
            new Row("mobn", "mean-only BN", 8.52));

    private PaperResults() {
    }
}
