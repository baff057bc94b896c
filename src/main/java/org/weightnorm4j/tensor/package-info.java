/**
 * Tensors and the kernels that compute on them.
 *
 * <h2>Public API</h2>
 * <ul>
 *   <li>{@link org.weightnorm4j.tensor.Tensor} and {@link org.weightnorm4j.tensor.DType}: dense
 *       row-major FLOAT32 or FLOAT64 arrays with a shape.</li>
 *   <li>{@link org.weightnorm4j.tensor.Kernels}: the facade every layer calls; it checks shapes and
 *       types and picks the backend by element type.</li>
 *   <li>{@link org.weightnorm4j.tensor.ConvSpec} and {@link org.weightnorm4j.tensor.Activation}:
 *       arguments of the convolution and activation kernels.</li>
 *   <li>{@link org.weightnorm4j.tensor.KernelProvider}: which float32 kernels run
 *       ({@code -Dweightnorm4j.kernels}, {@code -Dweightnorm4j.winograd},
 *       {@link org.weightnorm4j.tensor.KernelProvider#description()}).</li>
 *   <li>{@link org.weightnorm4j.tensor.Parallel}'s thread count ({@code threads}, {@code setThreads},
 *       {@code -Dweightnorm4j.threads}).</li>
 * </ul>
 *
 * <h2>Internal</h2>
 * Everything else is implementation and may change without notice. Public only because other
 * packages of this library use them: {@link org.weightnorm4j.tensor.KernelBackend} (what
 * {@code KernelProvider.float32()} returns), {@link org.weightnorm4j.tensor.Float32Kernels} (the
 * CLI's benchmarks ask it for its convolution algorithms) and {@code Parallel.run}. Package-private:
 * the float32 kernels split by job ({@code PoolingKernels}, {@code ActivationKernels},
 * {@code ChannelReductionKernels}, {@code ChannelAffineKernels}, {@code ElementwiseKernels},
 * {@code KernelRanges}, {@code ChannelScratch}), their inner loops ({@code VectorOps},
 * {@code ScalarVectorOps}, {@code PanamaVectorOps}), the convolutions ({@code Float32Conv},
 * {@code Im2col}, {@code WinogradConv}, {@code WinogradTransforms}), the GEMMs
 * ({@code GemmKernel}, {@code ScalarGemm}, {@code PanamaGemm}, {@code PackedA}, {@code PackedB}) and the
 * double-precision {@code ReferenceKernels}.
 *
 * <h2>The incubator module</h2>
 * Only {@code PanamaVectorOps}, {@code PanamaGemm} and {@code WinogradTransforms} import
 * {@code jdk.incubator.vector}. {@code KernelProvider} loads the first two by name, and only when
 * the module is in the boot layer; {@code WinogradTransforms} is used only by
 * {@code WinogradConv}, which {@code Float32Conv} constructs only next to {@code PanamaVectorOps}. A JVM started without
 * {@code --add-modules jdk.incubator.vector} therefore runs every kernel on the plain Java path
 * ({@code ScalarVectorOps}, {@code ScalarGemm}), 5-10x slower, and says so on standard error.
 */
package org.weightnorm4j.tensor;
