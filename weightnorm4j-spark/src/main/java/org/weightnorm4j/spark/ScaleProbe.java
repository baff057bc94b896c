package org.weightnorm4j.spark;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.weightnorm4j.experiments.DataParallelJob;
import org.weightnorm4j.experiments.WorkloadSource;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.optim.OptimizerSpec;
import org.weightnorm4j.train.TrainConfig;
import org.weightnorm4j.train.TrainingSummary;

/**
 * The measurement behind docs/SCALE.md: one epoch of data-parallel training of a preset on the
 * first {@code TRAIN} images of a dataset, with 1 worker and with N, interleaved and repeated,
 * printing per run the time per step, the share of it spent exchanging gradients and the compute
 * time per image. Run with the module on the class path (as ./weightnorm-spark does):
 * <pre>
 * java $FLAGS -cp weightnorm4j-spark/target/weightnorm4j-spark-all.jar:$(cat weightnorm4j-spark/target/spark.classpath) \
 *     org.weightnorm4j.spark.ScaleProbe MODEL PARAM WORKERS TRAIN BATCH REPEATS [DATA_DIR]
 * </pre>
 */
public final class ScaleProbe {
    private ScaleProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            System.err.println("usage: ScaleProbe MODEL PARAM WORKERS TRAIN BATCH REPEATS [DATA_DIR]"
                    + "  e.g. ScaleProbe cnn wn 2 1000 100 3 /usr/share/datasets/fashion-mnist");
            System.exit(2);
        }
        String model = args[0];
        Parameterization p = Parameterization.parse(args[1]);
        int workers = Integer.parseInt(args[2]);
        int train = Integer.parseInt(args[3]);
        int batch = Integer.parseInt(args[4]);
        int repeats = Integer.parseInt(args[5]);
        Path dataDir = args.length > 6 ? Path.of(args[6]) : null;
        WorkloadSource source = WorkloadSource.preset(model, "fashion-mnist", dataDir, null, train, 200);
        TrainConfig config = TrainConfig.builder().epochs(1).batchSize(batch).optimizer(OptimizerSpec.Adam.of(1e-3))
                .schedule("constant").initBatch(Math.min(batch, 500)).logEverySteps(1_000_000).checkpointEvery(1, 0).seed(1)
                .build();
        PrintWriter quiet = new PrintWriter(java.io.Writer.nullWriter());
        System.out.println("model,param,workers,global_batch,steps,seconds_per_step,exchange_share,compute_ms_per_image");
        for (int r = 0; r < repeats; r++) {
            for (int n : new int[] {1, workers}) {
                Path dir = Files.createTempDirectory("scale-probe");
                TrainingSummary s = new SparkDataParallel().train(DataParallelJob.of(source, p, config, dir, n, 1, 1),
                        "local[" + n + "]", quiet);
                double perStep = s.trainSeconds() / s.steps();
                double share = SparkDataParallel.lastExchangeSeconds / s.trainSeconds();
                // Compute per image: the step's time less the exchange, times the workers (each did 1/n of the batch).
                double computePerImage = perStep * (1 - share) * n / batch;
                System.out.printf(Locale.ROOT, "%s,%s,%d,%d,%d,%.4f,%.3f,%.3f%n", model, p.cliName(), n, batch, s.steps(),
                        perStep, share, 1e3 * computePerImage);
                deleteTree(dir);
            }
        }
        System.out.flush();
        // Spark 3.5's barrier timer ("Barrier task timer for barrier() calls.") is not a daemon thread:
        // without an explicit exit the JVM would wait for it forever.
        System.exit(0);
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        List<Path> all = new ArrayList<>();
        try (var files = Files.walk(dir)) {
            files.forEach(all::add);
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Files.deleteIfExists(all.get(i));
        }
    }
}
