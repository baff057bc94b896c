package org.weightnorm4j.tensor;

import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Picks the float32 backend once, at start-up, and says what it picked and why.
 *
 * <p>What it picked is {@link #description()} (the {@code weightnorm --verbose} command prints it);
 * it is also logged through {@code java.util.logging} at level {@code CONFIG}, which the default
 * configuration does not print. One thing is always printed, as one plain line on standard error:
 * that {@code auto} fell back to the scalar kernels (5-10x slower) and why, usually that the JVM
 * lacks {@code --add-modules jdk.incubator.vector}.
 *
 * <p>System property {@value #PROPERTY}:
 * <ul>
 *   <li>{@code auto} (default): the Vector API GEMM ({@code PanamaGemm}) when the module
 *       {@code jdk.incubator.vector} is in the boot layer and the preferred float vector is at
 *       least 256 bits wide; otherwise the plain Java {@link ScalarGemm}, with a log line saying
 *       why (typically: run the JVM with {@code --add-modules jdk.incubator.vector}).</li>
 *   <li>{@code simd}: the Vector API, or fail at start-up if it cannot be used.</li>
 *   <li>{@code scalar}: plain Java kernels only.</li>
 *   <li>{@code reference}: the double-precision {@link ReferenceKernels} (slow; for debugging).</li>
 * </ul>
 *
 * <p>System property {@value #WINOGRAD_PROPERTY} ({@code true} by default, or {@code false}): with
 * the Vector API, 3x3 stride-1 convolutions with at least 16 channels on each side run as
 * Winograd's F(2x2, 3x3) ({@code WinogradConv}), 2.25 times fewer multiply-adds with a slightly
 * larger rounding error (docs/ARCHITECTURE.md); {@code false} keeps every convolution on
 * im2col + GEMM.
 *
 * <p>{@code PanamaGemm} and {@code PanamaVectorOps} are loaded reflectively and only once the
 * module is known to be present, so a JVM started without the module never fails with
 * {@code NoClassDefFoundError}.
 */
public final class KernelProvider {
    private static final Logger LOG = Logger.getLogger(KernelProvider.class.getName());
    public static final String PROPERTY = "weightnorm4j.kernels";
    public static final String WINOGRAD_PROPERTY = "weightnorm4j.winograd";
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    static final String PANAMA_GEMM = "org.weightnorm4j.tensor.PanamaGemm";
    static final String PANAMA_VECTOR_OPS = "org.weightnorm4j.tensor.PanamaVectorOps";
    /** Narrower vectors than this make the Vector API slower than the JIT's own loops. */
    static final int MIN_VECTOR_BITS = 256;

    private KernelProvider() {
    }

    /** The backend used for FLOAT32 tensors. */
    public static KernelBackend float32() {
        return Holder.FLOAT32;
    }

    /**
     * One line saying which float32 kernels run and why, e.g. {@code kernels: panama-256 (Vector API
     * found; ...)}: what {@code weightnorm --verbose} prints. Chooses the backend if that has not
     * happened yet.
     */
    public static String description() {
        return Holder.CHOICE.description();
    }

    /**
     * A backend, the line that says why it was chosen, and whether that line must reach the user
     * even unasked (an automatic fallback to the scalar kernels).
     */
    record Choice(KernelBackend backend, String description, boolean warn) {
        Choice(KernelBackend backend, String description) {
            this(backend, description, false);
        }
    }

    /** Initialised on first use, so a bad property value surfaces where kernels are first needed. */
    private static final class Holder {
        static final Choice CHOICE = announce(choice(System.getProperty(PROPERTY, "auto")));
        static final KernelBackend FLOAT32 = CHOICE.backend();
    }

    /**
     * Logs the choice at {@code CONFIG}; a fallback to scalar kernels that the user did not ask for
     * also goes to standard error as one plain line, since it costs 5-10x in speed.
     */
    private static Choice announce(Choice choice) {
        LOG.config(choice.description());
        if (choice.warn()) {
            System.err.println("weightnorm4j: " + choice.description());
        }
        return choice;
    }

    /** The {@link VectorOps} of a float32 backend: the Panama loops with {@code simd}, else plain Java. */
    static VectorOps vectorOps(boolean simd) {
        return simd ? loadPanama(PANAMA_VECTOR_OPS, VectorOps.class) : new ScalarVectorOps();
    }

    /** Whether {@value #WINOGRAD_PROPERTY} allows Winograd convolutions (unset: yes). */
    static boolean winogradEnabled() {
        return parseWinograd(System.getProperty(WINOGRAD_PROPERTY, "true"));
    }

    /** The log line's word on the Winograd switch, which only the Vector API backend uses. */
    private static String winogradNote() {
        return winogradEnabled()
                ? "; 3x3 convolutions by Winograd F(2x2, 3x3) where it pays (-D" + WINOGRAD_PROPERTY + "=false: im2col)"
                : "; Winograd convolutions off (-D" + WINOGRAD_PROPERTY + "=false)";
    }

    static boolean parseWinograd(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("-D" + WINOGRAD_PROPERTY + "=" + value
                    + " is not true or false (false keeps every convolution on im2col + GEMM)");
        };
    }

    /** The backend for a value of {@value #PROPERTY}. */
    static KernelBackend choose(String wanted) {
        return choice(wanted).backend();
    }

    /** The backend for a value of {@value #PROPERTY}, and the line that says why. */
    static Choice choice(String wanted) {
        String mode = wanted.trim().toLowerCase(Locale.ROOT);
        switch (mode) {
            case "reference":
                return new Choice(ReferenceKernels.INSTANCE, "kernels: reference (forced by -D" + PROPERTY + "=reference)");
            case "scalar":
                return new Choice(new Float32Kernels(new ScalarGemm(), false),
                        "kernels: scalar (forced by -D" + PROPERTY + "=scalar)");
            case "simd": {
                String why = simdUnavailableReason();
                if (why != null) {
                    throw new IllegalStateException("-D" + PROPERTY + "=simd but " + why);
                }
                GemmKernel gemm = loadPanama(PANAMA_GEMM, GemmKernel.class);
                return new Choice(new Float32Kernels(gemm, true),
                        "kernels: " + gemm.name() + " (forced by -D" + PROPERTY + "=simd)" + winogradNote());
            }
            case "auto": {
                String why = simdUnavailableReason();
                if (why != null) {
                    return new Choice(new Float32Kernels(new ScalarGemm(), false), "kernels: scalar, because " + why, true);
                }
                GemmKernel gemm = loadPanama(PANAMA_GEMM, GemmKernel.class);
                return new Choice(new Float32Kernels(gemm, true), "kernels: " + gemm.name()
                        + " (Vector API found; -D" + PROPERTY + "=scalar forces plain Java)" + winogradNote());
            }
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + "=" + wanted
                        + " is not one of auto, simd, scalar, reference");
        }
    }

    /** Null when the Vector API can serve the kernels, else a sentence saying why not and what to do. */
    static String simdUnavailableReason() {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            return "the Vector API is unavailable: run the JVM with --add-modules " + VECTOR_MODULE;
        }
        int bits;
        try {
            bits = preferredVectorBits();
        } catch (ReflectiveOperationException | LinkageError e) {
            return "the Vector API failed to load (" + e + ")";
        }
        if (bits < MIN_VECTOR_BITS) {
            return "this CPU's preferred float vector is " + bits + " bits, below the " + MIN_VECTOR_BITS
                    + " bits the SIMD kernels need";
        }
        return null;
    }

    /**
     * The float32 GEMM's block sizes and how they were chosen ({@link GemmBlocking}), or null when
     * the chosen GEMM does not block by them (the scalar and reference kernels). Chooses the
     * backend if that has not happened yet.
     */
    public static GemmBlocking gemmBlocking() {
        return float32() instanceof Float32Kernels f ? f.gemmBlocking() : null;
    }

    /**
     * The width in bits of this CPU's preferred float vector as the Vector API sees it, or -1 when
     * the API is unavailable (the JVM lacks {@code --add-modules jdk.incubator.vector}). Loads
     * {@code PanamaGemm} but does not choose the backend.
     */
    public static int vectorBits() {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            return -1;
        }
        try {
            return preferredVectorBits();
        } catch (ReflectiveOperationException | LinkageError e) {
            return -1;
        }
    }

    /** The preferred float vector width, asked of PanamaGemm; call only when the module is present. */
    private static int preferredVectorBits() throws ReflectiveOperationException {
        return (Integer) Class.forName(PANAMA_GEMM).getDeclaredMethod("preferredVectorBits").invoke(null);
    }

    /** Loads one of the classes that import the Vector API; call only when the module is present. */
    private static <T> T loadPanama(String className, Class<T> type) {
        try {
            return type.cast(Class.forName(className).getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.log(Level.SEVERE, "cannot load " + className, e);
            throw new IllegalStateException("cannot load " + className + ": " + e, e);
        }
    }
}
