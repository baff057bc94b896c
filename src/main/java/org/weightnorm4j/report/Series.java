package org.weightnorm4j.report;

import java.util.Arrays;
import java.util.Objects;

/**
 * One named curve: the points {@code (x[i], y[i])}. Values may be NaN or infinite (a diverged
 * run); {@link Charts} leaves such points out and says so. The arrays are copied in and out, so
 * a series never changes after it is made.
 *
 * @param name legend entry, unique within a chart
 * @param x    abscissae, same length as {@code y}
 * @param y    ordinates
 */
public record Series(String name, double[] x, double[] y) {

    public Series {
        Objects.requireNonNull(name, "series name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("series name is blank: give every series a legend name");
        }
        Objects.requireNonNull(x, () -> "x of series '" + name + "'");
        Objects.requireNonNull(y, () -> "y of series '" + name + "'");
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "': x has " + x.length
                    + " values but y has " + y.length + "; give one x per y");
        }
        x = x.clone();
        y = y.clone();
    }

    /**
     * A series over {@code 1, 2, ..., y.length} (epochs and steps count from 1).
     *
     * @param name legend entry
     * @param y    ordinates
     * @return the series
     */
    public static Series ofY(String name, double[] y) {
        Objects.requireNonNull(y, () -> "y of series '" + name + "'");
        double[] x = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        return new Series(name, x, y);
    }

    /** @return a copy of the abscissae */
    @Override
    public double[] x() {
        return x.clone();
    }

    /** @return a copy of the ordinates */
    @Override
    public double[] y() {
        return y.clone();
    }

    /** @return the number of points, drawable or not */
    public int size() {
        return y.length;
    }

    /** @return the x value of point {@code i}, without copying the array */
    double xAt(int i) {
        return x[i];
    }

    /** @return the y value of point {@code i}, without copying the array */
    double yAt(int i) {
        return y[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Series s && name.equals(s.name) && Arrays.equals(x, s.x) && Arrays.equals(y, s.y);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(x), Arrays.hashCode(y));
    }

    @Override
    public String toString() {
        return "Series[" + name + ", " + y.length + " points]";
    }
}
