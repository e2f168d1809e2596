package dev.speckitty.protocol.wire;

/**
 * Cursors: the position of an event in its team's server order, as a decimal string. Sequences are
 * dense per team (1, 2, 3, …), so a client that sees cursor {@code n + 2} after {@code n} knows it
 * missed one and pulls. {@code "0"} is the position before the first event.
 */
public final class Cursor {
    public static final String START = "0";

    private Cursor() {
    }

    /** The sequence number of a cursor; an {@link IllegalArgumentException} names a bad one. */
    public static long parse(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        try {
            long n = Long.parseLong(cursor);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cursor: '" + cursor + "' (expected: a cursor returned by the server)");
        }
    }

    public static String of(long sequence) {
        return Long.toString(sequence);
    }

    /** Whether {@code next} directly follows {@code previous}, i.e. nothing was missed between them. */
    public static boolean follows(String previous, String next) {
        return parse(next) == parse(previous) + 1;
    }
}
