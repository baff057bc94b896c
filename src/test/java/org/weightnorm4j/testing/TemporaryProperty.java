package org.weightnorm4j.testing;

/** Runs a body with one system property set, then puts back what was there (or nothing). */
public final class TemporaryProperty {
    private TemporaryProperty() {
    }

    /** The body that runs while the property is set; it may throw, as a test body does. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    public static void with(String key, String value, Body body) throws Exception {
        String before = System.getProperty(key);
        System.setProperty(key, value);
        try {
            body.run();
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }
}
