package dev.speckitty.server.http;

/**
 * Client input as it may appear in an answer or a log line: every character outside printable ASCII
 * written as an escape ({@code \\xNN}, or a u-escape above U+00FF), so a decoded {@code %0a} cannot
 * forge a log line nor a {@code %00} write a NUL, and clipped, so echoing costs no more than the
 * bound. Stateless.
 */
public final class Clip {
    /** How much of a client's value an error answer repeats. */
    public static final int ECHO = 60;
    /** How much of a request path the access log writes. */
    public static final int LOG = 200;

    private Clip() {
    }

    /** {@code s} escaped and clipped to about {@code max} characters ({@code ...} marks a clip). */
    public static String of(String s, int max) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(s.length(), max) + 8);
        int i = 0;
        for (; i < s.length() && out.length() < max; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                out.append(c);
            } else if (c == '\\') {
                out.append("\\\\");
            } else if (c <= 0xff) {
                out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            }
        }
        return i < s.length() ? out.append("...").toString() : out.toString();
    }

    /** {@link #of} with {@link #ECHO}. */
    public static String echo(String s) {
        return of(s, ECHO);
    }
}
