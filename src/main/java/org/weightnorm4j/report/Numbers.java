package org.weightnorm4j.report;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Formats numbers for people: four significant digits in plain notation for ordinary magnitudes,
 * scientific notation for very large or very small ones, integers as they are. The same rules in
 * every table and caption, so columns read alike. Locale-independent ({@code .} as decimal point).
 */
public final class Numbers {
    private static final MathContext FOUR_DIGITS = new MathContext(4, RoundingMode.HALF_EVEN);

    private Numbers() {
    }

    /**
     * @param x any double
     * @return {@code "NaN"}, {@code "Inf"}, {@code "-Inf"}, {@code "0"}; scientific with four
     *         significant digits ({@code "1.235e-04"}) below 1e-3 or from 1e6 up; the nearest
     *         integer from 1000 up; otherwise four significant digits, trailing zeros dropped
     *         ({@code "0.2346"}, {@code "8.46"}, {@code "100"})
     */
    public static String format(double x) {
        if (Double.isNaN(x)) {
            return "NaN";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "Inf" : "-Inf";
        }
        if (x == 0) {
            return "0";
        }
        double a = Math.abs(x);
        if (a < 1e-3 || a >= 1e6) {
            return String.format(Locale.ROOT, "%.3e", x);
        }
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%.0f", x);
        }
        return new BigDecimal(x).round(FOUR_DIGITS).stripTrailingZeros().toPlainString();
    }

    /**
     * {@link #format(double)} made short for axis ticks and notes: {@code "1e-4"} rather than
     * {@code "1.000e-04"}, {@code "2.5e6"} rather than {@code "2.500e+06"}.
     *
     * @param x any double
     * @return its short text
     */
    public static String compact(double x) {
        String s = format(x);
        int e = s.indexOf('e');
        if (e < 0) {
            return s;
        }
        String mantissa = s.substring(0, e);
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        int exponent = Integer.parseInt(s.substring(e + 1).replace("+", ""));
        return mantissa + "e" + exponent;
    }

    /**
     * @param n an integer
     * @return its decimal digits, exactly (so that {@code format(123456789L)} is not rounded)
     */
    public static String format(long n) {
        return Long.toString(n);
    }

    /**
     * Formats a table cell: integral types exactly, other numbers by {@link #format(double)}.
     *
     * @param n a number
     * @return its text
     */
    public static String format(Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger) {
            return n.toString();
        }
        return format(n.doubleValue());
    }
}
