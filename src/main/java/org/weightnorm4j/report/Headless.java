package org.weightnorm4j.report;

/**
 * Makes AWT run without a display. Charts are drawn on servers and in CI, where no X display
 * exists; AWT reads {@code java.awt.headless} once, when it first asks whether it is headless, so
 * the property must be set before any chart is drawn. A value the user set is left alone.
 */
final class Headless {
    private Headless() {
    }

    static void ensure() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
