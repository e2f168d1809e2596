package dev.speckitty.protocol;

/**
 * Text from outside (a server's answer, a file's bytes) made safe to show on a terminal: control
 * characters escaped ({@code \x1b}, {@code \n}), so no escape sequence reaches the screen, and clipped
 * to a length with "…". Stateless.
 */
public final class Printable {
    /** {@code java.nio.file.NoSuchFileException: } and the like, as {@code Throwable.toString()} writes them. */
    private static final java.util.regex.Pattern QUALIFIED_TYPE =
            java.util.regex.Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b:? ?");

    private Printable() {
    }

    /** {@code message} without the qualified Java type names a wrapped exception puts in front of its text. */
    public static String withoutJavaTypes(String message) {
        return QUALIFIED_TYPE.matcher(message).replaceAll("").trim();
    }

    /** {@code text} escaped and cut to about {@code max} characters, with "…" when something was cut. */
    public static String clip(String text, int max) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), max) + 8);
        int i = 0;
        for (; i < text.length() && b.length() < max; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\ufffd') {
                        b.append(String.format("\\x%02x", (int) c & 0xff));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return i < text.length() ? b + "…" : b.toString();
    }
}
