package org.weightnorm4j.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A table for a report: a header row and data rows of equal width. Numbers are formatted when
 * the row is added ({@link Numbers#format(Number)}) and right-aligned in the page; text cells are
 * kept as given (and escaped when written). Immutable; build with {@link #builder(String...)}.
 *
 * <pre>{@code
 * Table t = Table.builder("param", "final loss", "test error %")
 *         .caption("After 10 epochs")
 *         .row("wn", 0.2314, 8.46)
 *         .row("normal", Double.NaN, 90.0)
 *         .build();
 * }</pre>
 *
 * @param caption shown above the table; may be empty
 * @param header  column names
 * @param rows    the cells, each row as wide as the header
 */
public record Table(String caption, List<String> header, List<List<Cell>> rows) implements Block {

    /**
     * One formatted cell.
     *
     * @param text    what is shown
     * @param numeric whether it came from a number (right-aligned)
     */
    public record Cell(String text, boolean numeric) {
        public Cell {
            Objects.requireNonNull(text, "cell text");
        }

        /**
         * @param value a {@link Number}, a {@link CharSequence}, or null (shown as an em dash)
         * @return the cell
         */
        public static Cell of(Object value) {
            if (value == null) {
                return new Cell("\u2014", false);
            }
            if (value instanceof Number n) {
                return new Cell(Numbers.format(n), true);
            }
            return new Cell(value.toString(), false);
        }
    }

    public Table {
        Objects.requireNonNull(caption, "table caption");
        header = List.copyOf(header);
        if (header.isEmpty()) {
            throw new IllegalArgumentException("table '" + caption + "' has no columns: give a header");
        }
        List<List<Cell>> copy = new ArrayList<>(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            List<Cell> row = rows.get(r);
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("table '" + caption + "': row " + (r + 1) + " has " + row.size()
                        + " cells but the header has " + header.size() + " columns " + header);
            }
            copy.add(List.copyOf(row));
        }
        rows = List.copyOf(copy);
    }

    /**
     * @param header column names, at least one
     * @return a builder with no caption and no rows
     */
    public static Builder builder(String... header) {
        return new Builder(List.of(header));
    }

    /** Collects rows; {@link #build()} checks their width. */
    public static final class Builder {
        private final List<String> header;
        private String caption = "";
        private final List<List<Cell>> rows = new ArrayList<>();

        private Builder(List<String> header) {
            this.header = header;
        }

        public Builder caption(String caption) {
            this.caption = Objects.requireNonNull(caption, "table caption");
            return this;
        }

        /**
         * Adds a row.
         *
         * @param cells numbers, text or null, one per column
         * @return this builder
         */
        public Builder row(Object... cells) {
            List<Cell> row = new ArrayList<>(cells.length);
            for (Object c : cells) {
                row.add(Cell.of(c));
            }
            rows.add(row);
            return this;
        }

        public Table build() {
            return new Table(caption, header, rows);
        }
    }
}
