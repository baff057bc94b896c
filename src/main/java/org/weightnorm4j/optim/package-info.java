/**
 * Optimizers and what steers them: {@link org.weightnorm4j.optim.Sgd} (momentum, Nesterov,
 * weight decay), {@link org.weightnorm4j.optim.Adam} (Kingma &amp; Ba, 2015; the optimizer the
 * weight-normalization paper trains with), {@link org.weightnorm4j.optim.Schedule}s for the
 * learning rate and for Adam's β1, and {@link org.weightnorm4j.optim.ParameterAverage}
 * (Polyak / exponential moving averages of the parameters, used for evaluation).
 *
 * <p>Call order: build the optimizer over the model's parameters; for every minibatch zero the
 * gradients, run forward and backward, set the scheduled hyperparameters, then {@code step()}.
 * Schedules are pure functions of the (fractional) epoch, so resuming needs only the optimizer's
 * own {@link org.weightnorm4j.optim.OptimizerState} and the step count.
 *
 * <p>Depends on {@code tensor} and on {@code nn}'s {@link org.weightnorm4j.nn.Param}; used by
 * {@code train}.
 */
package org.weightnorm4j.optim;
