package org.weightnorm4j.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.weightnorm4j.tensor.Parallel;

/**
 * For tests that change the process-wide thread count ({@link Parallel#setThreads}): puts back
 * the count each test started with, so no other test runs with a count it did not choose.
 * Use with {@code @ExtendWith(RestoreThreads.class)}.
 */
public final class RestoreThreads implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RestoreThreads.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("threads", Parallel.threads());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Integer saved = context.getStore(NAMESPACE).get("threads", Integer.class);
        if (saved != null) {
            Parallel.setThreads(saved);
        }
    }
}
