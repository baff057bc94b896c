package org.weightnorm4j.experiments;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The standard references of docs/THEORY.md's "Further reading" section, read from the copy of
 * that file the build puts in the jar, so that the list has one source: edit THEORY.md and the
 * explain page follows.
 */
public final class FurtherReading {
    /** Where the build puts docs/THEORY.md (pom.xml, {@code <resources>}). */
    static final String RESOURCE = "/org/weightnorm4j/docs/THEORY.md";
    static final String HEADING = "## Further reading";

    private FurtherReading() {
    }

    /** @return one plain-text entry per reference, in THEORY.md's order */
    public static List<String> references() {
        try (InputStream in = FurtherReading.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path: the build copies docs/THEORY.md there");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + RESOURCE, e);
        }
    }

    /** The "- " items of the section under {@value #HEADING}, continuation lines joined, Markdown emphasis dropped. */
    static List<String> parse(String markdown) {
        List<String> items = new ArrayList<>();
        boolean inside = false;
        StringBuilder item = null;
        for (String line : markdown.split("\\R")) {
            if (line.startsWith("## ")) {
                inside = line.startsWith(HEADING);
                continue;
            }
            if (!inside) {
                continue;
            }
            if (line.startsWith("- ")) {
                if (item != null) {
                    items.add(plain(item));
                }
                item = new StringBuilder(line.substring(2).strip());
            } else if (item != null && !line.isBlank()) {
                item.append(' ').append(line.strip());
            }
        }
        if (item != null) {
            items.add(plain(item));
        }
        if (items.isEmpty()) {
            throw new IllegalStateException("THEORY.md has no items under '" + HEADING + "'");
        }
        return List.copyOf(items);
    }

    private static String plain(CharSequence markdown) {
        return markdown.toString().replace("*", "").replace("`", "");
    }
}
