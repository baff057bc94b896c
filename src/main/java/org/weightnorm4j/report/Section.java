package org.weightnorm4j.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A headed part of a report: paragraphs, figures, tables and preformatted text, in order.
 * Immutable; build with {@link #builder(String)}.
 *
 * @param heading the section's title
 * @param blocks  its content, in page order
 */
public record Section(String heading, List<Block> blocks) {

    public Section {
        Objects.requireNonNull(heading, "section heading");
        blocks = List.copyOf(blocks);
    }

    /**
     * @param heading the section's title
     * @return an empty builder
     */
    public static Builder builder(String heading) {
        return new Builder(heading);
    }

    /** Appends blocks in page order. */
    public static final class Builder {
        private final String heading;
        private final List<Block> blocks = new ArrayList<>();

        private Builder(String heading) {
            this.heading = Objects.requireNonNull(heading, "section heading");
        }

        public Builder paragraph(String text) {
            blocks.add(new Block.Paragraph(text));
            return this;
        }

        public Builder chart(ChartSpec chart) {
            return chart(chart, "");
        }

        public Builder chart(ChartSpec chart, String caption) {
            blocks.add(new Block.Figure(chart, caption));
            return this;
        }

        /** A PNG made elsewhere ({@link ImageGrid}), {@code width × height} pixels. */
        public Builder picture(String title, byte[] png, int width, int height, String caption) {
            blocks.add(new Block.Picture(title, png, width, height, caption));
            return this;
        }

        public Builder diagram(Diagram diagram, String caption) {
            blocks.add(new Block.Drawing(diagram, caption));
            return this;
        }

        public Builder table(Table table) {
            blocks.add(Objects.requireNonNull(table, "table"));
            return this;
        }

        public Builder preformatted(String text) {
            return preformatted("", text);
        }

        public Builder preformatted(String title, String text) {
            blocks.add(new Block.Preformatted(title, text));
            return this;
        }

        public Section build() {
            return new Section(heading, blocks);
        }
    }
}
