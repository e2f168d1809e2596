package dev.speckitty.protocol;

/**
 * Text from outside (a server's answer, a file's bytes) made safe to show on a terminal: control
 * characters escaped ({@code \x1b}, {@code \n}), so no escape sequence reaches the screen, and clipped
 * to a length with "…". Stateless.
 */
public final class Printable {
    private Printable() {
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
