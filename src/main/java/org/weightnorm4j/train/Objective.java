package org.weightnorm4j.train;

import java.util.List;
import org.weightnorm4j.tensor.Tensor;

/**
 * What training minimizes: from the model's output for a minibatch and that minibatch's targets,
 * a scalar loss, its gradient with respect to the output, and the metrics the objective reports.
 * The model and the optimizer know nothing of it; {@link TrainStep} connects them.
 *
 * <p><b>Targets</b> are whatever the objective needs besides the output, of type {@code T}: class
 * labels ({@code int[]}) for {@link #softmaxCrossEntropy()}, regression targets (a {@link Tensor}),
 * a reinforcement-learning batch's actions and bootstrapped returns (a record of both, for a Huber
 * TD loss), or nothing at all ({@code Void}, {@code null}) when the input is its own target (a
 * VAE's reconstruction term). An objective must not keep a reference to the targets beyond the
 * next {@link #loss} call if the caller reuses them; one that needs them later copies them.
 *
 * <p><b>Several outputs or terms.</b> A model has one output tensor; an objective that needs
 * several (a VAE encoder's mean and log-variance) reads them as slices of it, and writes the
 * gradient of each into the matching slice of {@link #gradient()}. A loss made of several terms (an
 * ELBO's reconstruction and KL terms, DRAW's bound) returns their sum from {@link #loss} and
 * reports each term as a metric, so they can be watched separately.
 *
 * <p><b>Call order.</b> For each minibatch, {@link TrainStep} calls, once each and in this order:
 * <ol>
 *   <li>{@link #loss(Tensor, Object) loss(output, targets)}: computes the loss and caches what the
 *       other two calls need;</li>
 *   <li>{@link #metricTotals(double[])}: the metrics of that minibatch;</li>
 *   <li>{@link #gradient()}: the gradient of that loss with respect to {@code output}, which the
 *       model's backward pass consumes.</li>
 * </ol>
 * The output tensor belongs to the model and is valid only until the gradient has been handed back;
 * an objective must not change it. Evaluation (a test split) calls {@link #loss} and
 * {@link #metricTotals} only. The same instance serves one caller at a time (it is not thread-safe).
 *
 * <p><b>Metrics</b> are reported as <em>totals over the minibatch's examples</em> (the
 * {@code output}'s first dimension): the number classified correctly, the sum over examples of a
 * KL term. A step's value of metric {@code i} is then its total over the batch size, and an epoch's
 * value the sum of the totals over the sum of the batch sizes, exactly, whatever the batch sizes.
 * The names are fixed for the objective's lifetime. A metric named {@link #ACCURACY} is what the
 * {@link Trainer} reports as the accuracy (in {@link StepRecord}, {@link EpochRecord},
 * {@code metrics.csv}); without one, those accuracies are NaN.
 *
 * <p>For the training loop to allocate nothing per step, an implementation should reuse its
 * buffers across calls (see {@link org.weightnorm4j.nn.Buffers}).
 *
 * @param <T> the type of a minibatch's targets
 */
public interface Objective<T> {

    /** The name of the metric counting correctly classified examples. */
    String ACCURACY = "accuracy";

    /**
     * The loss of a minibatch (for the paper's objectives, the mean over its examples), computed
     * from the model's {@code output} in training or evaluation mode and the minibatch's targets.
     * Caches what {@link #gradient()} and {@link #metricTotals} need. Throws
     * {@link IllegalArgumentException} if the output's shape does not fit the targets. It may
     * return NaN or an infinity: the caller's guard stops training then.
     */
    double loss(Tensor output, T targets);

    /**
     * The gradient of the last {@link #loss} with respect to its {@code output}: the output's shape
     * and element type. The tensor may belong to this objective and be overwritten by the next call.
     *
     * @throws IllegalStateException before the first {@link #loss}
     */
    Tensor gradient();

    /** The names of the metrics {@link #metricTotals} reports, in its order (none by default). */
    default List<String> metricNames() {
        return List.of();
    }

    /**
     * Writes the metrics of the last {@link #loss}'s minibatch, as totals over its examples, into
     * {@code into[0 .. metricNames().size())}, in the order of {@link #metricNames()}.
     */
    default void metricTotals(double[] into) {
    }

    /**
     * Softmax cross-entropy over class logits {@code [N, classes]} with integer labels, reporting
     * {@link #ACCURACY}: the default objective, the paper's ({@link SoftmaxCrossEntropyObjective}).
     * A new instance each call.
     */
    static SoftmaxCrossEntropyObjective softmaxCrossEntropy() {
        return new SoftmaxCrossEntropyObjective();
    }
}
