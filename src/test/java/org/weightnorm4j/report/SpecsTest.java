package org.weightnorm4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The immutable specs check what they are given and cannot be changed afterwards. */
class SpecsTest {

    @Test
    void seriesRejectsMismatchedLengthsNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Series("wn", new double[3], new double[4]));
        assertTrue(e.getMessage().contains("'wn'") && e.getMessage().contains("3") && e.getMessage().contains("4"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Series(" ", new double[0], new double[0]));
    }

    @Test
    void seriesCopiesItsArraysInAndOut() {
        double[] y = {1, 2, 3};
        Series s = Series.ofY("s", y);
        y[0] = 99;
        s.y()[1] = 99;
        assertEquals(List.of(1.0, 2.0, 3.0), List.of(s.y()[0], s.y()[1], s.y()[2]));
        assertEquals(List.of(1.0, 2.0, 3.0), List.of(s.x()[0], s.x()[1], s.x()[2]));
        assertEquals(Series.ofY("s", new double[] {1, 2, 3}), s);
    }

    @Test
    void chartSpecRejectsDuplicateNamesNoSeriesAndOddSizes() {
        Series a = Series.ofY("a", new double[] {1});
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> ChartSpec.builder("t").series(a).series(a).build());
        assertTrue(dup.getMessage().contains("two series named 'a'"), dup.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ChartSpec.builder("t").build());
        assertThrows(IllegalArgumentException.class, () -> ChartSpec.builder("t").series(a).size(99, 400).build());
        assertThrows(IllegalArgumentException.class, () -> ChartSpec.builder("t").series(a).size(400, 4001).build());
    }

    @Test
    void chartSpecDefaults() {
        ChartSpec c = ChartSpec.builder("t").series(Series.ofY("a", new double[] {1})).build();
        assertEquals(ChartSpec.Style.LINE, c.style());
        assertEquals(800, c.width());
        assertEquals(480, c.height());
        assertEquals("", c.xLabel());
    }

    @Test
    void tableFormatsNumbersAndRejectsRaggedRows() {
        Table t = Table.builder("param", "loss", "epochs").caption("c")
                .row("wn", 0.23456, 10)
                .row("normal", Double.NaN, null)
                .build();
        assertEquals(new Table.Cell("0.2346", true), t.rows().get(0).get(1));
        assertEquals(new Table.Cell("10", true), t.rows().get(0).get(2));
        assertEquals(new Table.Cell("NaN", true), t.rows().get(1).get(1));
        assertEquals(new Table.Cell("\u2014", false), t.rows().get(1).get(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Table.builder("a", "b").row(1).build());
        assertTrue(e.getMessage().contains("row 1 has 1 cells but the header has 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Table.builder().build());
    }

    @Test
    void numbersReadAlike() {
        assertEquals("0.2346", Numbers.format(0.23456));
        assertEquals("8.46", Numbers.format(8.46));
        assertEquals("100", Numbers.format(100.0));
        assertEquals("0.1", Numbers.format(0.1));
        assertEquals("-2.5", Numbers.format(-2.5));
        assertEquals("12346", Numbers.format(12345.6));
        assertEquals("1.235e+06", Numbers.format(1234567.0));
        assertEquals("1.235e-04", Numbers.format(1.2345e-4));
        assertEquals("0.001", Numbers.format(0.001));
        assertEquals("0", Numbers.format(-0.0));
        assertEquals("NaN", Numbers.format(Double.NaN));
        assertEquals("Inf", Numbers.format(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", Numbers.format(Double.NEGATIVE_INFINITY));
        assertEquals("123456789012", Numbers.format(123456789012L));
        assertEquals("0.5", Numbers.format(0.5f));
        assertEquals("1e-4", Numbers.compact(1e-4));
        assertEquals("2.5e6", Numbers.compact(2.5e6));
        assertEquals("-1.235e-5", Numbers.compact(-1.2345e-5));
        assertEquals("0.01", Numbers.compact(0.01));
    }

    @Test
    void shellWordsQuoteOnlyWhatNeedsIt() {
        assertEquals("weightnorm compare --model mlp --lr=0.001 --out runs/a",
                ShellWords.join(List.of("weightnorm", "compare", "--model", "mlp", "--lr=0.001", "--out", "runs/a")));
        assertEquals("echo 'a b' 'it'\\''s' '$HOME' ''", ShellWords.join(List.of("echo", "a b", "it's", "$HOME", "")));
    }

    @Test
    void htmlEscapesMarkupQuotesAndControlCharacters() {
        assertEquals("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;", Html.escape("<script>alert(\"x\")</script> & '"));
        assertEquals("a\uFFFDb\tc\nd", Html.escape("a\u0000b\tc\nd"));
    }

    @Test
    void slugsAreFileNameSafe() {
        assertEquals("training-loss-per-epoch", Report.slug("Training loss, per epoch"));
        assertEquals("v-over-steps", Report.slug("||v|| over steps"));
        assertEquals("chart", Report.slug("∇ — ∇"));
        assertTrue(Report.slug("x".repeat(100)).length() <= 40);
    }
}
