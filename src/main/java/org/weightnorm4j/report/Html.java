package org.weightnorm4j.report;

/** HTML escaping of user text: everything that goes into the page as text goes through here. */
final class Html {
    private Html() {
    }

    /**
     * Escapes text for HTML element content and double- or single-quoted attributes. Control
     * characters other than tab, newline and carriage return become U+FFFD.
     *
     * @param s plain text
     * @return text safe to place in HTML
     */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c >= 0x20 && c != 0x7F || c == '\t' || c == '\n' || c == '\r') {
                        b.append(c);
                    } else {
                        b.append('\uFFFD');
                    }
                }
            }
        }
        return b.toString();
    }
}
