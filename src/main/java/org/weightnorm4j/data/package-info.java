/**
 * Datasets: reading, locating, fetching and preparing the images a network trains on.
 *
 * <ul>
 *   <li>Readers: {@link org.weightnorm4j.data.IdxReader} (MNIST, Fashion-MNIST; raw or gzip) and
 *       {@link org.weightnorm4j.data.Cifar10Reader} (the CIFAR-10 binary version). Both treat their
 *       input as untrusted: every header field is checked against the file before anything is
 *       allocated, and every failure is a {@link org.weightnorm4j.data.DataFileException} naming
 *       the file and the problem.</li>
 *   <li>{@link org.weightnorm4j.data.DatasetLocator} finds a dataset on disk (order: {@code --data DIR},
 *       {@code $WEIGHTNORM_DATA}, the user cache, the system directory of Debian's
 *       {@code dataset-fashion-mnist}); {@link org.weightnorm4j.data.Datasets#load} loads the
 *       train and test splits as float32 NCHW tensors scaled to [0, 1];
 *       {@link org.weightnorm4j.data.FashionMnistFetcher} acquires Fashion-MNIST into the user
 *       cache without root, verifying SHA-256 checksums.</li>
 *   <li>Preprocessing: {@link org.weightnorm4j.data.ChannelNormalization},
 *       {@link org.weightnorm4j.data.ZcaWhitening} (the paper's CIFAR-10 preprocessing),
 *       {@link org.weightnorm4j.data.Augmentation} (random flips and translations), and
 *       {@link org.weightnorm4j.data.BatchIterator} (seeded, resumable shuffled minibatches).</li>
 * </ul>
 *
 * <p>Depends only on {@code tensor} (images are float32 tensors) and on EJML for the
 * eigendecomposition behind ZCA ({@link org.weightnorm4j.data.SymmetricEigen}); {@code train},
 * {@code experiments} and {@code cli} use it.
 */
package org.weightnorm4j.data;
