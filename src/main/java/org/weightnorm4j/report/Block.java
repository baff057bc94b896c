package org.weightnorm4j.report;

import java.util.Objects;

/**
 * One piece of a report {@link Section}: a paragraph, a figure, a {@link Table} or a
 * preformatted block. All text is plain text; the report escapes it.
 */
public sealed interface Block permits Block.Paragraph, Block.Figure, Block.Drawing, Block.Picture, Block.Preformatted, Table {

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
     * A raster image made elsewhere (an {@link ImageGrid} of a model's samples), with its caption.
     * Numbered with the charts; written as a PNG file and embedded in the page.
     *
     * @param title   a short name (the file name is made from it)
     * @param png     the PNG bytes
     * @param width   its width in pixels
     * @param height  its height in pixels
     * @param caption plain text under it; may be empty
     */
    record Picture(String title, byte[] png, int width, int height, String caption) implements Block {
        public Picture {
            Objects.requireNonNull(title, "picture title");
            Objects.requireNonNull(png, "picture PNG");
            Objects.requireNonNull(caption, "picture caption");
            if (width < 1 || height < 1) {
                throw new IllegalArgumentException("picture '" + title + "': size " + width + "×" + height);
            }
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
