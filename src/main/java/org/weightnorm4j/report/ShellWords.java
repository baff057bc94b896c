package org.weightnorm4j.report;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Joins a command's arguments into one line a POSIX shell reads back as the same arguments, so
 * the command printed in a report can be pasted to run again.
 */
final class ShellWords {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellWords() {
    }

    static String join(List<String> args) {
        StringBuilder b = new StringBuilder();
        for (String a : args) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(quote(a));
        }
        return b.toString();
    }

    /** Leaves plain words alone; wraps others in single quotes, writing a quote as {@code '\''}. */
    static String quote(String arg) {
        if (SAFE.matcher(arg).matches()) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
