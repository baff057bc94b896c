/**
 * Checkpoints in PyTorch's formats, written so that a crash never leaves a half-written one
 * (docs/CHECKPOINTS.md): {@link org.weightnorm4j.train.checkpoint.Checkpoint} saves and restores a
 * model with its {@link org.weightnorm4j.train.checkpoint.Sidecar} ({@code model.json}) and,
 * to resume, the optimizer and trainer state; {@link org.weightnorm4j.train.checkpoint.SafeTensors}
 * reads and writes the {@code .safetensors} format, checking untrusted input field by field;
 * {@link org.weightnorm4j.train.checkpoint.FileSet} replaces a checkpoint's files as one unit
 * through a redo journal. Every failure is a
 * {@link org.weightnorm4j.train.checkpoint.CheckpointException} that names the file and says what to do.
 *
 * <p>Depends on {@code tensor}, {@code nn} and {@code norm} (state-dict names) and on {@code io}
 * for atomic writes; used by {@code train}, {@code experiments} and {@code cli}.
 */
package org.weightnorm4j.train.checkpoint;
