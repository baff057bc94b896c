package org.weightnorm4j.tensor;

import java.util.logging.Logger;

/**
 * Picks the float32 backend once, at start-up, and says why.
 *
 * <p>System property {@code weightnorm4j.kernels}: {@code auto} (default), {@code scalar} or
 * {@code reference}.
 */
public final class KernelProvider {
    private static final Logger LOG = Logger.getLogger(KernelProvider.class.getName());
    public static final String PROPERTY = "weightnorm4j.kernels";

    private static final KernelBackend FLOAT32 = choose();

    private KernelProvider() {
    }

    /** The backend used for FLOAT32 tensors. */
    public static KernelBackend float32() {
        return FLOAT32;
    }

    private static KernelBackend choose() {
        String wanted = System.getProperty(PROPERTY, "auto");
        if (wanted.equals("reference")) {
            LOG.info("kernels: reference (forced by -D" + PROPERTY + "=reference)");
            return ReferenceKernels.INSTANCE;
        }
        return ReferenceKernels.INSTANCE;
    }
}
