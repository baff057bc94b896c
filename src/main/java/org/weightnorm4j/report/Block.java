package org.weightnorm4j.report;

import java.util.Objects;

/**
 * One piece of a report {@link Section}: a paragraph, a figure, a {@link Table} or a
 * preformatted block. All text is plain text; the report escapes it.
 */
public sealed interface Block permits Block.Paragraph, Block.Figure, Block.Drawing, Block.Preformatted, Table {

    /**
     * Running text. Blank lines separate paragraphs.
     *
     * @param text plain text
     */
    record Paragraph(String text) implements Block {
        public Paragraph {
            Objects.requireNonNull(text, "paragraph text");
        }
    }

    /**
     * A chart with its caption. The report numbers figures and writes each as PNG and SVG.
     *
     * @param chart   what to draw
     * @param caption plain text under the chart; may be empty
     */
    record Figure(ChartSpec chart, String caption) implements Block {
        public Figure {
            Objects.requireNonNull(chart, "figure chart");
            Objects.requireNonNull(caption, "figure caption");
        }
    }

    /**
     * A vector {@link Diagram} with its caption. Numbered with the charts; written as SVG and
     * embedded in the page as an SVG data URI.
     *
     * @param diagram what to draw
     * @param caption plain text under the diagram; may be empty
     */
    record Drawing(Diagram diagram, String caption) implements Block {
        public Drawing {
            Objects.requireNonNull(diagram, "drawing diagram");
            Objects.requireNonNull(caption, "drawing caption");
        }
    }

    /**
     * Text shown as is, in a monospaced font: logs, ASCII tables, vectors.
     *
     * @param title a short label above it; may be empty
     * @param text  the text
     */
    record Preformatted(String title, String text) implements Block {
        public Preformatted {
            Objects.requireNonNull(title, "preformatted title");
            Objects.requireNonNull(text, "preformatted text");
        }
    }
}
