/**
 * The training loop and what watches it: {@link org.weightnorm4j.train.Trainer} (epochs, steps,
 * evaluation on the test split, schedules, exact resume), {@link org.weightnorm4j.train.TrainingListener}s
 * ({@link org.weightnorm4j.train.ProgressListener} for the terminal, {@link org.weightnorm4j.train.MetricsLog}
 * for {@code metrics.csv}), the {@link org.weightnorm4j.train.NonFiniteGuard}, and checkpoints
 * ({@code train.checkpoint}). The loop is documented in {@code docs/TRAINING.md}.
 *
 * <p>Depends on {@code tensor}, {@code nn}, {@code norm}, {@code optim},
 * {@code data}, and {@code io} for atomic writes; used by {@code experiments} and {@code cli}.
 */
package org.weightnorm4j.train;
