package dev.speckitty.cli.output;

import java.io.PrintStream;

/** Prints aligned {@code Label    value} lines, as {@code sync status} shows them. Stateless. */
public final class KeyValues {
    /** Width of the label column: the longest label plus padding, as in the user documentation. */
    public static final int LABEL_WIDTH = 14;

    private KeyValues() {
    }

    public static void line(PrintStream out, String label, String value) {
        StringBuilder b = new StringBuilder(label);
        do {
            b.append(' ');
        } while (b.length() < LABEL_WIDTH);
        out.println(b.append(value));
    }

    /** A continuation line under the value column. */
    public static void detail(PrintStream out, String value) {
        out.println(" ".repeat(LABEL_WIDTH) + value);
    }
}
