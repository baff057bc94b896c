package org.weightnorm4j.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.weightnorm4j.experiments.DataParallelJob;
import org.weightnorm4j.experiments.DataParallelRunner;
import org.weightnorm4j.tensor.Parallel;
import org.weightnorm4j.train.EpochRecord;
import org.weightnorm4j.train.MetricsLog;
import org.weightnorm4j.train.Trainer;
import org.weightnorm4j.train.TrainingListener;
import org.weightnorm4j.train.TrainingSummary;
import org.weightnorm4j.train.checkpoint.Checkpoint;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Synchronous data-parallel training of one model in Spark's barrier execution mode: one barrier
 * stage of N tasks, all started together, each a worker holding the whole model
 * ({@link Trainer#dataParallel}).
 *
 * <p>Every worker builds the same model from the same seed and steps through the same global
 * minibatches (the data order is a function of the seed), computing forward and backward on its
 * shard of each; {@link BarrierGroup} sums the gradients over the workers in worker order and every
 * worker applies the same update. The paper's data-dependent initialisation (§3) runs on every
 * worker over the whole init batch (each has the data), so it needs no exchange and gives every
 * worker the same g and b; mean-only batch norm (§4) takes its mean, and the mean of its incoming
 * gradient, from the channel sums of every worker. Worker 0 evaluates, logs {@code metrics.csv} and
 * writes the checkpoints. If a worker is lost, Spark fails the barrier stage and starts it again
 * (every task), and every worker resumes from the last checkpoint.
 */
public final class SparkDataParallel implements DataParallelRunner {

    /** Fault injection for tests in local mode (tasks share the JVM): called with (attempt from 0, worker 0's trainer). */
    static volatile BiConsumer<Integer, Trainer> testHook;
    /** Worker 0's seconds in exchanges in the last job of this JVM (for {@link ScaleProbe}). */
    static volatile double lastExchangeSeconds;

    @Override
    public TrainingSummary train(DataParallelJob job, String master, PrintWriter log) {
        // Fails here, in the driver, for a model or config the workers would refuse (batch norm, a batch too small).
        job.trainer(0).dataParallel(new SizeOnly(job.workers()));
        log.printf(Locale.ROOT, "spark: %d data-parallel workers on %s, %d compute thread(s) each, global batch %d%n",
                job.workers(), master, job.threads(), job.config().batchSize());
        log.flush();
        long started = System.nanoTime();
        List<String> results;
        try (JavaSparkContext sc = SparkJobs.start("weightnorm4j train (" + job.workers() + " workers)", master,
                job.threads())) {
            int local = SparkJobs.localCores(SparkJobs.master(master));
            if (local > 0 && local < job.workers() * job.threads()) {
                throw new IllegalArgumentException("--spark " + master + " gives " + local + " core(s), but " + job.workers()
                        + " workers x " + job.threads() + " thread(s) must all run at once in barrier mode: use local["
                        + job.workers() * job.threads() + "] or more, or fewer --workers");
            }
            RDD<Integer> ranks = sc.parallelize(IntStream.range(0, job.workers()).boxed().toList(), job.workers()).rdd();
            ClassTag<String> tag = ClassTag$.MODULE$.apply(String.class);
            // Spark does not retry a failed barrier result stage (it aborts the job): the driver starts the
            // job again, up to the master's attempts per task, and every worker resumes from the checkpoint.
            int attempts = attempts(sc, master);
            for (int attempt = 0; ; attempt++) {
                try {
                    RDD<String> trained = ranks.barrier().mapPartitions(new Workers(job, attempt), false, tag);
                    results = new JavaRDD<>(trained, tag).collect();
                    break;
                } catch (Exception e) {
                    if (attempt + 1 >= attempts) {
                        throw e;
                    }
                    log.println("spark: the workers' stage failed (attempt " + (attempt + 1) + " of " + attempts + ": "
                            + SparkJobs.failure("it", e).getMessage() + "); starting them again from the last checkpoint");
                    log.flush();
                }
            }
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw SparkJobs.failure("data-parallel training", e);
        }
        double wall = (System.nanoTime() - started) * 1e-9;
        String lead = results.stream().filter(r -> r.startsWith("0,")).findFirst().orElseThrow();
        double[] v = java.util.Arrays.stream(lead.split(",")).mapToDouble(Double::parseDouble).toArray();
        TrainingSummary s = new TrainingSummary((int) v[1], (long) v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
        lastExchangeSeconds = v[10];
        log.printf(Locale.ROOT, "spark: %d steps in %.1f s (job wall time); worker 0 spent %.1f s of its %.1f s of training"
                        + " steps in %d exchanges (%.0f%%), sending %.1f MB%n", s.steps(), wall, v[10], v[8], (long) v[11],
                v[8] > 0 ? 100 * v[10] / v[8] : 0, v[12] / 1e6);
        log.flush();
        return s;
    }

    /** A group of {@code size} workers that exchanges nothing: for the driver's checks only. */
    private record SizeOnly(int size) implements org.weightnorm4j.train.DataParallelGroup {
        @Override
        public int rank() {
            return 0;
        }

        @Override
        public void allSum(double[] values) {
            throw new UnsupportedOperationException("the driver's check group exchanges nothing");
        }

        @Override
        public void allSum(List<org.weightnorm4j.nn.Param> params, double[] scalars) {
            throw new UnsupportedOperationException("the driver's check group exchanges nothing");
        }
    }

    /** Attempts of the whole stage: F of a local[N,F] master, else spark.task.maxFailures (4). */
    private static int attempts(JavaSparkContext sc, String master) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("local\\[[^,\\]]+,(\\d+)]").matcher(SparkJobs.master(master));
        return m.matches() ? Integer.parseInt(m.group(1)) : sc.getConf().getInt("spark.task.maxFailures", 4);
    }

    /**
     * The barrier stage's function: one worker per partition. (A Scala function, since the barrier RDD
     * has no Java API; {@code mapPartitionsWithEvaluator} gives no {@link BarrierTaskContext} in Spark 3.5.)
     */
    private static final class Workers
            extends scala.runtime.AbstractFunction1<scala.collection.Iterator<Integer>, scala.collection.Iterator<String>>
            implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final DataParallelJob job;
        private final int attempt;

        Workers(DataParallelJob job, int attempt) {
            this.job = job;
            this.attempt = attempt;
        }

        @Override
        public scala.collection.Iterator<String> apply(scala.collection.Iterator<Integer> ranks) {
            return scala.jdk.javaapi.CollectionConverters.asScala(List.of(work(job, attempt)).iterator());
        }
    }

    /**
     * One worker: resume from the run's checkpoint if there is one, else initialise (on the whole init
     * batch, as every worker does), then train in step with the others. Returns, comma-separated: rank,
     * the summary's numbers, exchange seconds, exchanges, bytes sent.
     */
    static String work(DataParallelJob job, int attempt) {
        BarrierTaskContext context = BarrierTaskContext.get();
        Parallel.setThreads(job.threads());
        BarrierGroup group = new BarrierGroup(context);
        int rank = group.rank();
        Path dir = Path.of(job.outDir());
        Trainer trainer = job.trainer(rank);
        PrintWriter out = new PrintWriter(System.out, true);
        if (Files.exists(dir.resolve(Checkpoint.SIDECAR_FILE))) {
            trainer.restore(dir);
            if (rank == 0) {
                out.println("[worker 0] resuming " + dir + " at step " + trainer.step() + " (attempt " + (attempt + 1) + ")");
            }
        } else {
            trainer.initialise();
        }
        trainer.dataParallel(group);
        if (rank == 0) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the run directory " + dir + ": " + e.getMessage(), e);
            }
            trainer.addListener(new MetricsLog(dir.resolve("metrics.csv")));
            trainer.addListener(new TrainingListener() {
                @Override
                public void onEpoch(EpochRecord r) {
                    out.printf(Locale.ROOT, "[worker 0] epoch %d: train loss %.4f, test accuracy %.4f%n", r.epoch(),
                            r.trainLoss(), r.testAccuracy());
                }
            });
            BiConsumer<Integer, Trainer> hook = testHook;
            if (hook != null) {
                hook.accept(attempt, trainer);
            }
        }
        TrainingSummary s;
        try {
            s = trainer.run();
        } finally {
            group.close();
        }
        if (s == null) {
            throw new IllegalStateException("worker " + rank + " was stopped before the end of training");
        }
        return String.join(",", List.of(Integer.toString(rank), Integer.toString(s.epochs()), Long.toString(s.steps()),
                Double.toString(s.trainLoss()), Double.toString(s.trainAccuracy()), Double.toString(s.testLoss()),
                Double.toString(s.testAccuracy()), Double.toString(s.wallSeconds()), Double.toString(s.trainSeconds()),
                Double.toString(s.imagesPerSecond()), Double.toString(group.exchangeSeconds()),
                Long.toString(group.exchanges()), Long.toString(group.bytesSent())));
    }
}
